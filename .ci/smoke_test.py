#!/usr/bin/env python3
"""Drives the built `couloir` binary as a newcomer would: the demo server, its
corridors at instants inside and outside the pause, SIGTERM, a restart on the same
database, and a database from a newer version.

Usage: smoke_test.py PATH/TO/couloir [--backend sqlite|postgres]
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from checks import check, finish
from databases import backend_argument, execute, new_database, rows
from demo_process import free_port

arguments = argparse.ArgumentParser()
arguments.add_argument("binary")
backend_argument(arguments)
options = arguments.parse_args()
binary = os.path.abspath(options.binary)
workdir = tempfile.mkdtemp(prefix="couloir-smoke-")
database = new_database(options.backend, workdir, "demo")


# The administrator's token every API request below sends, issued before the demo starts.
token = None


def get(port, path, bearer=None):
    headers = {"Authorization": f"Bearer {bearer or token}"} if (bearer or token) else {}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def refusal(port, path, headers):
    """The status, WWW-Authenticate and problem document of a refused request."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        urllib.request.urlopen(request, timeout=10)
        return 200, None, {}
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("WWW-Authenticate"), json.loads(error.read() or b"{}")


def start(*arguments):
    port = free_port()
    process = subprocess.Popen(
        [binary, *arguments, "--port", str(port), "--database", database, "--log-level", "warning"],
        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            return process, port
        try:
            if get(port, "/healthz")[0] == 200:
                return process, port
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit("the server did not become ready within 60 s")


def corridors(port, operation_id, at):
    query = urllib.parse.urlencode({"at": at})
    return get(port, f"/api/v1/operations/{operation_id}/corridors?{query}")[1]["items"]


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        code = "timeout"
    return code


# A token for the requests below, issued as an administrator would, for the coordination
# cell that runs the demo's Aleppo operation (only member organisations reach it).
issued = subprocess.run(
    [binary, "token", "issue", "--database", database, "--organisation", "OCHA Aleppo access cell", "--role", "admin",
     "--label", "smoke test"], cwd=workdir, capture_output=True, text=True, timeout=120)
check(issued.returncode == 0, "couloir token issue makes an administrator's token for a script")
token = issued.stdout.strip().splitlines()[-1]

# The demo, served, with its accounts and a phone's token printed first.
process, port = start("demo")
check(process.poll() is None, "couloir demo serves and reports ready on /healthz")
printed = []
for line in process.stdout:
    if "Couloir is serving" in line:
        break
    printed.append(line.rstrip("\n"))
accounts = [line.split() for line in printed if line.startswith("  ")]
roles = {fields[1] for fields in accounts}
check(roles == {"admin", "coordinator", "monitor", "party-liaison", "analyst", "observer"}
      and all(len(fields[2]) >= 12 for fields in accounts),
      "couloir demo prints a user of each role with a password: " + ", ".join(f[0] for f in accounts))
device = next((line.split(": ", 1)[1] for line in printed if line.startswith("Device token")), "")
check(any(fields[0] == "coordinator@homs" for fields in accounts),
      "and a coordinator of the second cell, which runs Palmyra")
check(device.startswith("couloir_"), "and a token for a monitor's phone")

status, challenge, problem = refusal(port, "/api/v1/operations", {})
check(status == 401 and challenge and challenge.startswith("Bearer") and problem.get("status") == 401,
      f"no token: 401 with WWW-Authenticate: {challenge} and a problem document")
status, challenge, _ = refusal(port, "/api/v1/operations", {"Authorization": "Bearer couloir_not-a-token"})
check(status == 401 and 'error="invalid_token"' in (challenge or ""), "an unknown token: 401, invalid_token")

operations = get(port, "/api/v1/operations")[1]["items"]
aleppo = next(o for o in operations if o["name"] == "Aleppo, October 2016")
items = corridors(port, aleppo["id"], "2016-10-20T10:00:00+03:00")
check(len(items) == 8, "the demo lists 8 corridors")
check(sum("civilians" in c["allowedGroups"] for c in items) == 6, "6 corridors allow civilians")
check(sum("fighters" in c["allowedGroups"] for c in items) == 2, "2 corridors allow fighters")
check(all(c["status"]["state"] == "open" for c in items), "inside a window of the pause: all open")
outside = corridors(port, aleppo["id"], "2016-10-20T22:00:00+03:00")
check(all(c["status"]["state"] == "closed" for c in outside), "outside the windows: all closed")
suspended = corridors(port, aleppo["id"], "2016-10-21T12:00:00+03:00")
check(all(c["status"]["state"] == "closed" for c in suspended), "during the suspension: all closed")

def read_until(connection, done):
    """What the connection answers, until `done(answer)` or the server closes it."""
    answer = b""
    try:
        while not done(answer):
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
    except OSError:
        pass
    return answer


# Requests a hostile client sent: answered with the status and a problem document, never 500.
def raw(port, request, timeout=5):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = read_until(connection, lambda a: b"\r\n\r\n" in a and len(a) >= 12)
    head = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    return int(head.split(" ")[1]) if head.startswith("HTTP/1.1 ") else 0, answer


def chunked(data, size=65536):
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
                    for i in range(0, len(data), size)) + b"0\r\n\r\n"


big = b'{"name":"' + b"x" * (1 << 20) + b'","kind":"ngo"}'
for path, extra in [("/session", b""), (f"/api/v1/operations/{aleppo['id']}/parties",
                                         f"Authorization: Bearer {token}\r\n".encode())]:
    status, _ = raw(port, f"POST {path} HTTP/1.1\r\nHost: x\r\n".encode() + extra
                    + b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n" + chunked(big))
    check(status == 413, f"a chunked body over 1 MiB to {path.split('/')[-1]}: 413 ({status})")
status, answer = raw(port, b"POST /session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: application/json\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n")
check(status == 400 and b"application/problem+json" in answer, f"a malformed chunk size: 400 with a problem ({status})")
for what, request in [("a NUL in a header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n"),
                      ("raw invalid UTF-8 in the URL", b"GET /api/v1/operations/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n")]:
    status, answer = raw(port, request)
    check(status == 400 and b"application/problem+json" in answer, f"{what}: 400 with a problem document ({status})")
status, _ = raw(port, f"GET /api/v1/operations?limit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
check(status == 400, f"a query parameter without '=': 400 ({status})")

# A client offering to upgrade to HTTP/2 on cleartext (Java's HttpClient, curl --http2)
# is answered in HTTP/1.1, and so is its next request on the same connection, at once.
upgrade = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n" \
    b"HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"
with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
    answers = []
    for request in (upgrade, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", upgrade):
        started = time.monotonic()
        connection.sendall(request)
        answer = read_until(connection, lambda a: b"}" in a)  # the end of /healthz's JSON
        answers.append((answer.split(b"\r\n", 1)[0], time.monotonic() - started))
check(all(head == b"HTTP/1.1 200 OK" and took < 1 for head, took in answers),
      "an h2c upgrade offer is ignored and three requests on one connection are answered at once: "
      + ", ".join(f"{took * 1000:.0f} ms" for _, took in answers))
java = subprocess.run(["java", os.path.join(os.path.dirname(os.path.abspath(__file__)), "java", "UpgradeOffer.java"),
                       f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
check(java.returncode == 0, "Java's HttpClient (HTTP/2 by default) makes five requests on one connection, none "
      "waiting: " + " | ".join(java.stdout.split("\n")[:5]) + java.stderr[-300:])

# A demo user signs in: the session cookie reads the API, and a change needs its CSRF token.
coordinator = next(fields for fields in accounts if fields[1] == "coordinator")
sign_in = urllib.request.Request(f"http://127.0.0.1:{port}/session", method="POST",
                                 data=json.dumps({"login": coordinator[0], "password": coordinator[2]}).encode(),
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(sign_in, timeout=30) as response:
    set_cookie = response.headers.get("Set-Cookie", "")
    csrf = json.loads(response.read())["csrfToken"]
check("HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie,
      f"a demo user signs in; the session cookie is HttpOnly and SameSite=Strict")
session_cookie = {"Cookie": set_cookie.split(";")[0]}
with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/operations",
                                                   headers=session_cookie), timeout=10) as response:
    check([o["name"] for o in json.loads(response.read())["items"]] == ["Aleppo, October 2016"],
          "the session reads the API: the Aleppo cell's coordinator sees Aleppo, not the Homs cell's Palmyra")
new_operation = json.dumps({"name": "Homs", "area": "Homs", "timeZone": "Asia/Damascus", "languages": ["en"]}).encode()
forged = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/operations", data=new_operation, method="POST",
                                headers={**session_cookie, "Content-Type": "application/json"})
try:
    urllib.request.urlopen(forged, timeout=10)
    forged_status = 200
except urllib.error.HTTPError as error:
    forged_status = error.code
check(forged_status == 403, "a change with the cookie but without X-CSRF-Token is refused (403)")

# The phone sees its own operation and corridor, and counts only where it is assigned.
seen = get(port, "/api/v1/operations", bearer=device)[1]["items"]
check([o["id"] for o in seen] == [aleppo["id"]], "the demo phone sees only the operation it counts in")
mine = get(port, f"/api/v1/operations/{aleppo['id']}/corridors", bearer=device)[1]["items"]
check(len(mine) == 1, "and only the corridor of its checkpoint")
other = next(c for c in items if c["id"] != mine[0]["id"])
status, _, problem = refusal(port, f"/api/v1/operations/{aleppo['id']}/corridors/{other['id']}",
                             {"Authorization": f"Bearer {device}"})
check(status == 404, f"another corridor answers 404, as if it did not exist: {problem.get('detail')}")

# SIGTERM while requests are in flight: they complete, the process exits 0.
import threading
results = []
def hammer():
    for _ in range(20):
        try:
            results.append(get(port, "/api/v1/operations")[0])
        except (urllib.error.URLError, ConnectionError, OSError):
            results.append("refused")
threads = [threading.Thread(target=hammer) for _ in range(4)]
for t in threads:
    t.start()
time.sleep(0.05)
code = stop(process)
for t in threads:
    t.join()
check(code == 0, f"SIGTERM drains and exits 0 (exit code {code})")
check(all(r in (200, "refused") for r in results), "no request in flight failed during shutdown")

# A restart on the same database keeps everything, and loads nothing twice.
process, port = start("serve")
again = get(port, "/api/v1/operations")[1]["items"]
check([o["id"] for o in again] == [o["id"] for o in operations], "a restart keeps the operations")
check(len(corridors(port, aleppo["id"], "2016-10-20T10:00:00+03:00")) == 8, "a restart keeps the corridors")
check(stop(process) == 0, "the restarted server stops cleanly")
process, port = start("demo")
check(len(get(port, "/api/v1/operations")[1]["items"]) == 1, "loading the demo again adds nothing")
stop(process)

# The operation's members from the command line, as the README documents it.
members = subprocess.run([binary, "member", "list", "--operation", aleppo["id"], "--database", database],
                         cwd=workdir, capture_output=True, text=True, timeout=60)
check(members.returncode == 0 and "OCHA Aleppo access cell" in members.stdout
      and len(members.stdout.strip().splitlines()) == 3,
      f"couloir member list names the operation's three members: {members.stdout.strip()} {members.stderr.strip()}")

# A database from a newer Couloir is refused with a clear message.
execute(database, "INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
refused = subprocess.run(
    [binary, "serve", "--database", database, "--port", str(free_port())],
    cwd=workdir, capture_output=True, text=True, timeout=60)
check(refused.returncode != 0, "serving a newer database fails")
check("newer Couloir" in refused.stderr + refused.stdout, "and says the database is from a newer Couloir")
migrate = subprocess.run([binary, "migrate", "--database", database], cwd=workdir, capture_output=True, text=True, timeout=60)
check(migrate.returncode != 0 and "newer Couloir" in migrate.stderr + migrate.stdout, "couloir migrate refuses it too")

fresh = new_database(options.backend, workdir, "fresh")
migrated = subprocess.run([binary, "migrate", "--database", fresh], cwd=workdir, capture_output=True, text=True, timeout=60)
latest = rows(fresh, "SELECT MAX(version) FROM schema_migrations")[0][0]
check(migrated.returncode == 0 and f"now at schema version {latest}." in migrated.stdout and latest >= 6,
      f"couloir migrate creates a fresh database: {migrated.stdout.strip()}")


# Users and tokens from the command line, as an administrator sets up a field team.
def couloir(*arguments, password=None):
    return subprocess.run([binary, *arguments, "--database", fresh], cwd=workdir, input=password,
                          capture_output=True, text=True, timeout=120)


weak = couloir("user", "add", "--organisation", "SARC Aleppo", "--role", "monitor", "--login", "monitor.one",
               password="qwerty123456\n")
check(weak.returncode != 0 and "attackers try first" in weak.stderr, "a common password is refused, with the reason")
added = couloir("user", "add", "--organisation", "SARC Aleppo", "--role", "monitor", "--login", "monitor.one",
                password="ممر إنساني آمن للجميع 🚑\n")
check(added.returncode == 0 and "Added monitor monitor.one" in added.stdout, "a long Arabic and emoji password is taken")
again = couloir("user", "add", "--organisation", "SARC Aleppo", "--role", "observer", "--login", "monitor.one",
                password="another long passphrase\n")
check(again.returncode != 0 and "exists already" in again.stderr, "a login is taken once")
issued = couloir("token", "issue", "--organisation", "SARC Aleppo", "--role", "monitor", "--label", "Phone 3")
secret = issued.stdout.strip().splitlines()[-1] if issued.returncode == 0 else ""
check(secret.startswith("couloir_") and len(secret) == 51, "couloir token issue prints a secret once")
stored = [row[0] for row in rows(fresh, "SELECT secret_digest FROM access_tokens")]
check(len(stored) == 1 and secret not in stored[0], "only a digest of the secret is stored")
listed = couloir("token", "list", "--organisation", "SARC Aleppo")
token_id = listed.stdout.split()[0] if listed.returncode == 0 and listed.stdout else ""
check("Phone 3" in listed.stdout and "active" in listed.stdout, "couloir token list shows it active")
revoked = couloir("token", "revoke", token_id)
check(revoked.returncode == 0 and "revoked" in couloir("token", "list", "--organisation", "SARC Aleppo").stdout,
      "couloir token revoke revokes it")
check(couloir("user", "disable", "monitor.one").returncode == 0, "couloir user disable disables a user")
signed = couloir("audit", "sign")
verified = couloir("audit", "verify")
check(signed.returncode == 0 and verified.returncode == 0 and "holds up: 5 entries" in verified.stdout,
      f"each of those changes is in the audit log, which verifies: {verified.stdout.strip()}")

finish(f"smoke on {options.backend}: ")
