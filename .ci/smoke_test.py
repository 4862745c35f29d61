#!/usr/bin/env python3
"""Drives the built `couloir` binary as a newcomer would: the demo server, its
corridors at instants inside and outside the pause, SIGTERM, a restart on the same
database, and a database from a newer version.

Usage: smoke_test.py PATH/TO/couloir
"""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

binary = os.path.abspath(sys.argv[1])
workdir = tempfile.mkdtemp(prefix="couloir-smoke-")
database = os.path.join(workdir, "demo.sqlite")
failures = 0
passed = 0


def check(condition, what):
    global failures, passed
    if condition:
        passed += 1
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, json.loads(response.read())


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


# The demo, served.
process, port = start("demo")
check(process.poll() is None, "couloir demo serves and reports ready on /healthz")
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
check(len(get(port, "/api/v1/operations")[1]["items"]) == 2, "loading the demo again adds nothing")
stop(process)

# A database from a newer Couloir is refused with a clear message.
with sqlite3.connect(database) as connection:
    connection.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
refused = subprocess.run(
    [binary, "serve", "--database", database, "--port", str(free_port())],
    cwd=workdir, capture_output=True, text=True, timeout=60)
check(refused.returncode != 0, "serving a newer database fails")
check("newer Couloir" in refused.stderr + refused.stdout, "and says the database is from a newer Couloir")
migrate = subprocess.run([binary, "migrate", "--database", database], cwd=workdir, capture_output=True, text=True, timeout=60)
check(migrate.returncode != 0 and "newer Couloir" in migrate.stderr + migrate.stdout, "couloir migrate refuses it too")

fresh = os.path.join(workdir, "fresh.sqlite")
migrated = subprocess.run([binary, "migrate", "--database", fresh], cwd=workdir, capture_output=True, text=True, timeout=60)
with sqlite3.connect(fresh) as connection:
    latest = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
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
with sqlite3.connect(fresh) as connection:
    stored = [row[0] for row in connection.execute("SELECT secret_digest FROM access_tokens")]
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

print(f"smoke: {passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
