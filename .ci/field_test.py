"""The field form in headless Chromium, as a monitor uses it at a checkpoint with no
connection: opened from the device-token link, 20 tallies and a correction recorded
offline, the page reloaded offline with its outbox intact, then drained once online;
then a batch whose answer is lost after the server committed it, resent without a
double. The browser reaches the server through a proxy that can refuse connections
(offline) or drop one answer (a cut mid-batch).

Usage: field_test.py COULOIR_BINARY SCREENSHOT_DIR"""
import json
import os
import socket
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from checks import check, finish  # noqa: E402
from demo_process import chromium, free_port, start_demo  # noqa: E402


class Proxy:
    """Forwards HTTP/1.1 requests to the server one at a time, each on a connection of
    its own. `offline` refuses every connection; `drop_next_batch` forwards the next
    batch of tallies, reads the server's whole answer, and closes the browser's
    connection after its first bytes."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.offline = False
        self.drop_next_batch = False
        self.dropped = []
        self.batches = 0
        self.listener = socket.create_server(("127.0.0.1", free_port()))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    @staticmethod
    def read_request(client, buffered):
        while b"\r\n\r\n" not in buffered:
            chunk = client.recv(65536)
            if not chunk:
                return None, b""
            buffered += chunk
        head, rest = buffered.split(b"\r\n\r\n", 1)
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = client.recv(65536)
            if not chunk:
                return None, b""
            rest += chunk
        return head + b"\r\n\r\n" + rest[:length], rest[length:]

    def relay(self, client):
        buffered = b""
        with client:
            while True:
                if self.offline:
                    return
                request, buffered = self.read_request(client, buffered)
                if request is None or self.offline:
                    return
                head = request.split(b"\r\n\r\n", 1)[0]
                lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
                request = b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + request.split(b"\r\n\r\n", 1)[1]
                is_batch = lines[0].startswith(b"POST ") and b"/tallies/batch" in lines[0]
                with socket.create_connection(("127.0.0.1", self.upstream)) as server:
                    server.sendall(request)
                    answer = b""
                    while chunk := server.recv(65536):
                        answer += chunk
                if is_batch:
                    self.batches += 1
                    if self.drop_next_batch:
                        self.drop_next_batch = False
                        self.dropped.append(answer.split(b"\r\n", 1)[0].decode())
                        # Part of the status line, then nothing: the browser cannot take
                        # it for a connection closed before use and resend it itself.
                        client.sendall(answer[:9])
                        return
                client.sendall(answer)
                if b"\r\nconnection: close" in answer.split(b"\r\n\r\n", 1)[0].lower():
                    return


def wait(condition, seconds, step=0.1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def api(port, token, path):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def server_tallies(port, token, operation):
    """Every tally the device may read, by id: those of its checkpoint."""
    tallies, cursor = [], None
    while True:
        page = api(port, token, f"/api/v1/operations/{operation}/tallies?limit=200"
                   + (f"&cursor={cursor}" if cursor else ""))
        tallies += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            return tallies


OUTBOX = """
const done = arguments[arguments.length - 1];
const open = indexedDB.open("couloir-field");
open.onsuccess = () => {
  const request = open.result.transaction("tallies").objectStore("tallies").getAll();
  request.onsuccess = () => done(request.result.map((t) => ({
    id: t.id, state: t.state, supersedes: t.body.supersedes || null,
    people: t.body.counts.reduce((n, c) => n + c.people, 0)})));
};
"""


def main():
    binary, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    process, port, _, token = start_demo(binary)
    proxy = Proxy(port)
    base = f"http://127.0.0.1:{proxy.port}"
    driver = chromium()
    driver.set_script_timeout(20)
    try:
        operation = api(port, token, "/api/v1/operations")["items"][0]["id"]
        before = {t["id"] for t in server_tallies(port, token, operation)}

        # Installed from the link the device-token page shows: the token in the fragment.
        driver.get(f"{base}/field/#token={token}")
        check(wait(lambda: driver.execute_script("return window.couloirField && window.couloirField.ready"), 10),
              "the field form loads its checkpoints with the device token")
        check("token" not in driver.current_url, "the token left the address bar once kept")
        check(wait(lambda: driver.execute_script("return navigator.serviceWorker.controller !== null"), 10),
              "a service worker controls the page")
        weight = driver.execute_script("""
            return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
              .filter((e) => !e.name.includes('/field/places'))
              .reduce((n, e) => n + (e.encodedBodySize || 0), 0);""")
        print(f"     first load (page, script, stylesheet, manifest): {weight / 1000:.1f} KB")
        check(0 < weight <= 60_000, f"the first load weighs at most 60 KB ({weight} bytes)")
        options = driver.execute_script(
            "return Array.from(document.querySelectorAll('#checkpoint option')).map((o) => o.textContent)")
        check(options == ["C1 · Bustan al-Qasr crossing checkpoint"], f"only the device's checkpoint: {options}")
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('.group-count')).filter((r) => !r.hidden)"
            ".map((r) => r.dataset.group)")
        check(shown == ["civilians", "sickAndWounded"], f"only the groups its corridor allows: {shown}")
        driver.save_screenshot(os.path.join(shots, "field-en.png"))

        # The form refuses what the server would, beside the field.
        driver.find_element("id", "end").send_keys("")
        driver.execute_script("document.getElementById('end').value = document.getElementById('start').value")
        driver.find_element("id", "save").click()
        errors = driver.execute_script(
            "return Array.from(document.querySelectorAll('#error-summary li')).map((li) => li.textContent)")
        check(any("after the start" in e for e in errors), f"an inverted interval is named in the summary: {errors}")
        driver.save_screenshot(os.path.join(shots, "field-errors.png"))
        driver.refresh()
        wait(lambda: driver.execute_script("return window.couloirField && window.couloirField.ready"), 10)

        # Offline: the browser's network and the proxy both down.
        driver.execute_cdp_cmd("Network.enable", {})
        offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        proxy.offline = True
        for i in range(20):
            count = driver.find_element("id", "count-civilians")
            count.clear()
            count.send_keys(str(10 + i))
            driver.find_element("id", "save").click()
            wait(lambda: driver.execute_script(
                "return document.getElementById('outbox').dataset.waiting") == str(i + 1), 5)
        outbox = driver.execute_async_script(OUTBOX)
        check(len(outbox) == 20 and all(t["state"] == "waiting" for t in outbox), "20 tallies wait in the outbox")
        # A correction of the fifth: a new tally that supersedes it.
        fifth = next(t for t in outbox if t["people"] == 14)
        driver.find_element("css selector", f'li[data-id="{fifth["id"]}"] button').click()
        count = driver.find_element("id", "count-civilians")
        count.clear()
        count.send_keys("15")
        driver.find_element("id", "save").click()
        wait(lambda: driver.execute_script("return document.getElementById('outbox').dataset.waiting") == "21", 5)
        driver.save_screenshot(os.path.join(shots, "field-offline.png"))

        driver.refresh()
        check(wait(lambda: driver.execute_script("return window.couloirField && window.couloirField.ready"), 10),
              "the page reloads with no network, from the service worker's cache")
        outbox = driver.execute_async_script(OUTBOX)
        check(len(outbox) == 21 and all(t["state"] == "waiting" for t in outbox),
              f"after the reload the outbox still holds 21 tallies, all waiting ({len(outbox)})")
        correction = [t for t in outbox if t["supersedes"]]
        check(len(correction) == 1 and correction[0]["supersedes"] == fifth["id"], "the correction names the fifth")
        check(not ({t["id"] for t in outbox} & {t["id"] for t in server_tallies(port, token, operation)}),
              "nothing reached the server while offline")

        # Online again: the outbox drains.
        online_at = time.time()
        proxy.offline = False
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
        drained = wait(lambda: driver.execute_script(
            "return document.getElementById('outbox').dataset.waiting") == "0", 60)
        took = time.time() - online_at
        stats = driver.execute_script("return window.couloirField")
        print(f"     drained in {took:.1f} s: {stats['batches']} batch(es), {stats['retries']} retries")
        check(drained, "the outbox drains once the connection is back")
        stored = server_tallies(port, token, operation)
        ids = [t["id"] for t in stored]
        mine = {t["id"] for t in outbox}
        check(all(ids.count(i) == 1 for i in mine), "the server holds each of the 21 tallies once")
        check(len(set(ids) - before) == 21, f"and nothing more ({len(set(ids) - before)} new)")
        original = next(t for t in stored if t["id"] == fifth["id"])
        check(original.get("supersededBy") == correction[0]["id"], "the correction supersedes its original")
        outbox = driver.execute_async_script(OUTBOX)
        check(all(t["state"] == "sent" for t in outbox), "every tally on the phone is marked sent")

        # A cut in the middle of a batch: the server commits, the answer is lost.
        proxy.drop_next_batch = True
        retries = stats["retries"]
        started = time.time()
        for i in range(3):
            count = driver.find_element("id", "count-civilians")
            count.clear()
            count.send_keys(str(50 + i))
            driver.find_element("id", "save").click()
            time.sleep(0.2)
        drained = wait(lambda: driver.execute_script(
            "return document.getElementById('outbox').dataset.waiting") == "0", 60)
        stats = driver.execute_script("return window.couloirField")
        print(f"     dropped answer(s): {proxy.dropped}; drained {time.time() - started:.1f} s after the first save, "
              f"{stats['retries'] - retries} retry(ies)")
        check(len(proxy.dropped) == 1 and " 200 " in proxy.dropped[0], "the server answered the cut batch")
        check(drained and stats["retries"] > retries, "the phone retried and drained")
        stored = server_tallies(port, token, operation)
        ids = [t["id"] for t in stored]
        outbox = driver.execute_async_script(OUTBOX)
        check(len(outbox) == 24 and all(ids.count(t["id"]) == 1 for t in outbox),
              "after the resend each of the 24 tallies is stored once")
        check(len(set(ids) - before) == 24 and len(ids) == len(set(ids)), "nothing doubled")
        driver.save_screenshot(os.path.join(shots, "field-sent.png"))

        # The other languages, right to left in Arabic.
        for language in ("fr", "ar"):
            driver.get(f"{base}/language?to={language}&back=/field/")
            wait(lambda: driver.execute_script("return window.couloirField && window.couloirField.ready"), 10)
            direction = driver.execute_script("return document.documentElement.dir")
            check(direction == ("rtl" if language == "ar" else "ltr"), f"{language}: the page reads {direction}")
            driver.save_screenshot(os.path.join(shots, f"field-{language}.png"))
    finally:
        driver.quit()
        process.terminate()
        process.wait(timeout=30)
    finish("field form: ")


if __name__ == "__main__":
    main()
