"""The tally XForm as ODK Collect receives it, checked by ODK's own form engine: the
demo device's form list, the form it links to (its md5 as listed), ODK Validate
(JavaRosa, as bundled with pyxform) on the exact bytes served; then the form filled
question by question by JavaRosa itself, as Collect's form entry does
(`javarosa/FillForm.java`), and the instance it writes submitted as Collect submits it:
stored, a replay, a conflict, a correction.

Usage: xform_test.py COULOIR_BINARY"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from checks import check, finish  # noqa: E402
from demo_process import start_demo  # noqa: E402


def get(url):
    request = urllib.request.Request(url, headers={"X-OpenRosa-Version": "1.0"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read()


def submit(server, instance):
    """POSTs `instance` as Collect does; the status and the message of the answer."""
    boundary = "----Collect" + uuid.uuid4().hex[:8]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
            f"filename=\"Tally.xml\"\r\nContent-Type: text/xml\r\n\r\n").encode() + instance + \
        f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(server + "/submission", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-OpenRosa-Version": "1.0"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    message = re.search(r"<message[^>]*>(.*?)</message>", text, re.S)
    return status, message.group(1) if message else text


def fill(jar, classes, form, answers):
    """Fills `form` with JavaRosa from `answers` (reference, value); what it printed, and
    the instance it wrote (None when an answer was refused)."""
    with tempfile.TemporaryDirectory() as folder:
        answers_file = os.path.join(folder, "answers")
        with open(answers_file, "w") as file:
            file.write("".join(f"{ref}={value}\n" for ref, value in answers))
        output = os.path.join(folder, "instance.xml")
        result = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", f"{jar}:{classes}", "FillForm", form,
                                 answers_file, output], capture_output=True, text=True, timeout=120)
        printed = result.stdout + result.stderr
        if result.returncode != 0:
            return printed, None
        with open(output, "rb") as file:
            return printed, file.read()


def fill_and_submit(validate, server, form_path, checkpoint):
    """Collect's part: the form filled by its engine, the instance submitted."""
    classes = tempfile.mkdtemp(prefix="couloir-javarosa-")
    compiled = subprocess.run(["javac", "-nowarn", "-d", classes, "-cp", validate,
                               os.path.join(os.path.dirname(__file__), "javarosa", "FillForm.java")],
                              capture_output=True, text=True)
    if not check(compiled.returncode == 0, "the JavaRosa harness compiles against ODK Validate's JavaRosa"):
        print(compiled.stderr)
        return
    common = [("/data/checkpoint", checkpoint), ("/data/start", "2016-10-20T09:00:00+03:00"),
              ("/data/end", "2016-10-20T09:15:00+03:00"), ("/data/direction", "outbound")]
    people = [("/data/people/group", "civilians"), ("/data/people/count", "40"), ("/data/people/observed", "yes"),
              ("/data/people/breakdown/female_children", "10"), ("/data/people/breakdown/female_adults", "8"),
              ("/data/people/breakdown/female_elderly", "2"), ("/data/people/breakdown/male_children", "10"),
              ("/data/people/breakdown/male_adults", "10"), ("/data/people/breakdown/male_elderly", "0"),
              ("/data/people/unaccompanied", "2"),
              ("/data/people/group", "sickAndWounded"), ("/data/people/count", "3"),
              ("/data/people/observed", "no"), ("/data/people/unaccompanied", ""),
              ("/data/vehicles/cars", "2"), ("/data/vehicles/buses", ""), ("/data/vehicles/ambulances", "1")]
    printed, instance = fill(validate, classes, form_path, common + people)
    offered = re.findall(r"choices /data/people/group: ([^\n]*)", printed)
    check(offered and offered[0].split() == ["civilians", "sickAndWounded"],
          f"the Group question offers the checkpoint's groups, first and last: {offered}")
    check(instance is not None, "JavaRosa fills the form to its end: every answer taken, every constraint met"
          + ("" if instance else f" ({printed.strip().splitlines()[-1]})"))
    twice = [(ref, "civilians" if ref == "/data/people/group" else value) for ref, value in people]
    refused, _ = fill(validate, classes, form_path, common + twice)
    check("refused /data/people/group civilians: constraint" in refused,
          "a group counted twice is refused when it is chosen, as Collect would say at once")
    early = common[:2] + [("/data/end", "2016-10-20T08:00:00+03:00")] + common[3:] + people
    refused, _ = fill(validate, classes, form_path, early)
    check("refused /data/end" in refused and "constraint" in refused, "an end before the start is refused")
    if instance is None:
        return
    status, message = submit(server, instance)
    check(status == 201, f"the instance JavaRosa wrote is stored: {status} {message}")
    status, message = submit(server, instance)
    check(status == 201 and "already received" in message, f"sent again, it is a replay, counted once: {message}")
    other = instance.replace(b"<count>40</count>", b"<count>41</count>").replace(
        b"<male_adults>10</male_adults>", b"<male_adults>11</male_adults>")
    status, message = submit(server, other)
    check(status == 409, f"other content under the same instanceID is refused: {status} {message}")
    old = re.search(rb"<instanceID>(uuid:[^<]+)</instanceID>", instance).group(1)
    corrected = other.replace(old, ("uuid:" + str(uuid.uuid4())).encode()).replace(
        b"</instanceID>", b"</instanceID><deprecatedID>" + old + b"</deprecatedID>", 1)
    status, message = submit(server, corrected)
    check(status == 201, f"an edit with deprecatedID stores a correction: {status} {message}")


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
        checkpoint = re.search(r"<item><name>([0-9a-f-]{36})</name>", text).group(1)
        with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as file:
            file.write(xform)
        fill_and_submit(validate, server, file.name, checkpoint)
        os.unlink(file.name)
        check(text.count("<item><name>") == 1 + 4, "its checkpoint choice holds the device's one checkpoint")
        check(all(f'lang="{name}' in text for name in ("English", "Français", "العربية")),
              "the form speaks English, French and Arabic")
    finally:
        process.terminate()
        process.wait(timeout=30)
    finish("xform: ")


if __name__ == "__main__":
    main()
