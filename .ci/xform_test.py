"""The tally XForm as ODK Collect receives it, checked by ODK's own form engine: the
demo device's form list, the form it links to (its md5 as listed), then ODK Validate
(JavaRosa, as bundled with pyxform) on the exact bytes served.

Usage: xform_test.py COULOIR_BINARY"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from checks import check, finish  # noqa: E402
from demo_process import start_demo  # noqa: E402


def get(url):
    request = urllib.request.Request(url, headers={"X-OpenRosa-Version": "1.0"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read()


def main():
    import pyxform

    validate = os.path.join(os.path.dirname(pyxform.__file__), "validators", "odk_validate", "bin", "ODK_Validate.jar")
    process, port, _, token = start_demo(sys.argv[1])
    try:
        server = f"http://127.0.0.1:{port}/openrosa/key/{token}"
        headers, body = get(server + "/formList")
        listing = body.decode()
        check(headers["X-OpenRosa-Version"] == "1.0", "the form list answers with X-OpenRosa-Version: 1.0")
        forms = re.findall(r"<xform>.*?</xform>", listing, re.S)
        check(len(forms) == 1, f"the demo phone counts in one operation: {len(forms)} form(s)")
        digest = re.search(r"<hash>md5:([0-9a-f]{32})</hash>", forms[0]).group(1)
        url = re.search(r"<downloadUrl>([^<]+)</downloadUrl>", forms[0]).group(1).replace("&amp;", "&")
        _, xform = get(url)
        check(hashlib.md5(xform).hexdigest() == digest, "the listed md5 is the hash of the bytes served")
        with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as file:
            file.write(xform)
        result = subprocess.run(["java", "-Djava.awt.headless=true", "-jar", validate, file.name],
                                capture_output=True, text=True, timeout=120)
        os.unlink(file.name)
        print("     " + " ".join((result.stdout + result.stderr).split())[:300])
        check(result.returncode == 0 and "Xform is valid" in result.stdout, "ODK Validate finds the form valid")
        text = xform.decode()
        check(text.count("<item><name>") == 1 + 4, "its checkpoint choice holds the device's one checkpoint")
        check(all(f'lang="{name}' in text for name in ("English", "Français", "العربية")),
              "the form speaks English, French and Arabic")
    finally:
        process.terminate()
        process.wait(timeout=30)
    finish("xform: ")


if __name__ == "__main__":
    main()
