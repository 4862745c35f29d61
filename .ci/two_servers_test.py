#!/usr/bin/env python3
"""Two Couloir servers on one database, as operators run them behind a load balancer,
and the command line beside them: what changes through one holds on the other within a
second.

- an organisation is removed from the operation through the first server: its phone's
  tallies are refused by the second;
- a phone's token is revoked from the command line: both servers refuse it;
- a user is disabled from the command line: their session at the second server ends;
- a party is added through the second server: the first lists it.

Usage: two_servers_test.py PATH/TO/couloir [--backend sqlite|postgres]
"""
import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

from checks import check, finish
from databases import backend_argument, new_database
from demo_process import free_port, start_demo

OPERATION = "81a1e60b-caec-4727-b4fc-5ece7f5570d0"  # the demo's Aleppo operation
WITHIN = 1.0  # seconds

arguments = argparse.ArgumentParser()
arguments.add_argument("binary")
backend_argument(arguments)
options = arguments.parse_args()
binary = os.path.abspath(options.binary)
workdir = tempfile.mkdtemp(prefix="couloir-two-")
database = new_database(options.backend, workdir, "two")


def couloir(*arguments):
    done = subprocess.run([binary, *arguments, "--database", database], cwd=workdir, capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"couloir {' '.join(arguments)} failed: {done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def request(port, path, method="GET", body=None, headers=None):
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    call = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def tally(checkpoint):
    start = time.strftime("2016-10-20T%H:%M:00+03:00", time.gmtime(900 * (uuid.uuid4().int % 40)))
    end_minutes = int(start[14:16]) + 10
    return {"id": str(uuid.uuid4()), "checkpointId": checkpoint, "interval": {"start": start,
            "end": start[:14] + f"{end_minutes:02d}" + start[16:]},
            "direction": "outbound", "counts": [{"group": "civilians", "people": 3}],
            "source": {"name": "two servers test", "kind": "monitor"}}


def refused_within(probe, seconds=WITHIN + 1.0):
    """How long until `probe()` says refused, or None if it never did within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if probe():
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def start_server():
    port = free_port()
    log = open(os.path.join(workdir, f"serve-{port}.log"), "w")
    process = subprocess.Popen([binary, "serve", "--database", database, "--port", str(port), "--log-level", "warning"],
                               cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"the second server exited with {process.returncode}: see {log.name}")
        try:
            if request(port, "/healthz")[0] == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("the second server did not become ready")


# The first server loads the demo; the second serves the same database.
first, first_port, accounts, device = start_demo(binary, database)
check(first.poll() is None and device, f"the demo serves on {options.backend}")
second, second_port = start_server()
time.sleep(1.0)
check(second.poll() is None and first.poll() is None, "a second server runs beside it, both still up a second later")
admin = couloir("token", "issue", "--organisation", "OCHA Aleppo access cell", "--role", "admin", "--label", "two")

status, _, body = request(first_port, f"/api/v1/operations/{OPERATION}/corridors", headers=bearer(device))
checkpoint = json.loads(body)["items"][0]["checkpoints"][0]["id"]
for port in (first_port, second_port):
    # Each server has read the plan: a cache, if any, is warm.
    status, _, _ = request(port, f"/api/v1/operations/{OPERATION}/tallies", "POST", tally(checkpoint), bearer(device))
    check(status == 201, f"the demo's phone counts through the server on port {port} ({status})")

# A party added through the second server is listed by the first.
party = {"name": f"Observers {uuid.uuid4().hex[:6]}", "kind": "mediator"}
before = request(first_port, f"/api/v1/operations/{OPERATION}/parties?limit=200", headers=bearer(admin))[2]
status, _, _ = request(second_port, f"/api/v1/operations/{OPERATION}/parties", "POST", party, bearer(admin))
check(status == 201, f"a party is added through the second server ({status})")
seen = refused_within(lambda: party["name"].encode() in
                      request(first_port, f"/api/v1/operations/{OPERATION}/parties?limit=200",
                              headers=bearer(admin))[2])
check(party["name"].encode() not in before and seen is not None and seen <= WITHIN,
      f"the first server lists it within {WITHIN} s ({seen if seen is None else round(seen, 3)} s)")

# A user is disabled from the command line: their session at the second server ends.
observer = next(login for login in accounts if login.startswith("observer"))
status, headers, body = request(second_port, "/session", "POST", {"login": observer, "password": accounts[observer]})
cookie = {"Cookie": headers.get("Set-Cookie", "").split(";")[0]}
check(status == 200 and request(second_port, "/api/v1/operations", headers=cookie)[0] == 200,
      f"{observer} signs in at the second server")
couloir("user", "disable", observer)
ended = refused_within(lambda: request(second_port, "/api/v1/operations", headers=cookie)[0] == 401)
check(ended is not None and ended <= WITHIN,
      f"disabled from the command line, their session at the second server ends within {WITHIN} s ({ended})")

# The field team is removed from the operation through the first server: its phone is
# refused by the second.
status, _, body = request(first_port, f"/api/v1/operations/{OPERATION}/members", headers=bearer(admin))
members = json.loads(body)["items"]
field = next(m for m in members if "SARC" in m["organisation"])
# The second server reads the operation's members afresh just before: whatever it holds
# in memory is current, and only what it learns of the removal can change it.
status, _, _ = request(second_port, f"/api/v1/operations/{OPERATION}/tallies", "POST", tally(checkpoint),
                       bearer(device))
check(status == 201, f"the phone still counts through the second server just before ({status})")
status, _, _ = request(first_port, f"/api/v1/operations/{OPERATION}/members/{field['organisationId']}", "DELETE",
                       headers=bearer(admin))
check(status in (200, 204), f"the lead cell removes the SARC field team through the first server ({status})")
refused = refused_within(lambda: request(second_port, f"/api/v1/operations/{OPERATION}/tallies", "POST",
                                         tally(checkpoint), bearer(device))[0] in (403, 404))
check(refused is not None and refused <= WITHIN,
      f"the second server refuses that team's phone within {WITHIN} s ({refused})")
check(request(first_port, f"/api/v1/operations/{OPERATION}/tallies", "POST", tally(checkpoint),
              bearer(device))[0] in (403, 404), "and so does the first")

# A phone's token is revoked from the command line: both servers refuse it.
phone = couloir("token", "issue", "--organisation", "OCHA Aleppo access cell", "--role", "observer", "--label", "phone")
for port in (first_port, second_port):
    check(request(port, "/api/v1/operations", headers=bearer(phone))[0] == 200, f"a new token reads on port {port}")
listed = subprocess.run([binary, "token", "list", "--organisation", "OCHA Aleppo access cell", "--database", database],
                        cwd=workdir, capture_output=True, text=True).stdout
token_id = next(line.split()[0] for line in listed.splitlines() if " phone " in f" {line} ")
couloir("token", "revoke", token_id)
for port in (first_port, second_port):
    gone = refused_within(lambda: request(port, "/api/v1/operations", headers=bearer(phone))[0] == 401)
    check(gone is not None and gone <= WITHIN, f"revoked, it is refused on port {port} within {WITHIN} s ({gone})")

for process in (first, second):
    process.terminate()
    check(process.wait(timeout=20) == 0, "each server stops cleanly")
finish(f"two servers on {options.backend}: ")
