#!/usr/bin/env python3
"""Tampers with an audit log from outside, as someone holding the database or an export
would, and checks that `couloir audit verify` and Tools/verify_audit_export.py both fail
and name the first bad entry. Usage: audit_test.py PATH/TO/couloir"""
import json, os, shutil, signal, socket, sqlite3, subprocess, sys, tempfile, time, urllib.request, uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tools"))
import verify_audit_export  # noqa: E402

couloir = sys.argv[1]
work = tempfile.mkdtemp(prefix="couloir-audit.")
database = os.path.join(work, "audit.sqlite")
failures = []


def expect(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*arguments, db=database):
    return subprocess.run([couloir, "audit", *arguments, "--database", db, "--audit-key", database + ".audit-key"],
                          capture_output=True, text=True)


# A server with the demo, a few tallies from outside, then a graceful stop that signs.
issued = subprocess.run([couloir, "token", "issue", "--database", database, "--organisation", "OCHA Aleppo access cell",
                         "--role", "admin", "--label", "audit test"], capture_output=True, text=True)
authorization = {"Authorization": "Bearer " + issued.stdout.strip().splitlines()[-1]}


def get(url):
    return json.load(urllib.request.urlopen(urllib.request.Request(url, headers=authorization)))


port = free_port()
server = subprocess.Popen([couloir, "demo", "--database", database, "--port", str(port), "--log-level", "warning"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
for _ in range(100):
    try:
        urllib.request.urlopen(base + "/healthz")
        break
    except OSError:
        time.sleep(0.2)
operation = get(base + "/api/v1/operations")["items"][0]["id"]
checkpoint = get(f"{base}/api/v1/operations/{operation}/checkpoints")["items"][0]["id"]
for hour in range(5):
    body = {"id": str(uuid.uuid4()), "checkpointId": checkpoint, "direction": "outbound",
            "interval": {"start": f"2016-10-20T{10 + hour:02d}:00:00+03:00", "end": f"2016-10-20T{10 + hour:02d}:15:00+03:00"},
            "counts": [{"group": "civilians", "people": 7}], "source": {"name": "Audit test", "kind": "monitor"}}
    request = urllib.request.Request(f"{base}/api/v1/operations/{operation}/tallies", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **authorization}, method="POST")
    urllib.request.urlopen(request)
server.send_signal(signal.SIGTERM)
server.wait(timeout=30)

verified = cli("verify")
expect(verified.returncode == 0, "couloir audit verify accepts the untouched log: " + verified.stdout.strip())
export = os.path.join(work, "audit.jsonl")
expect(cli("export", "--output", export).returncode == 0, "couloir audit export writes the log")
public_key = cli("public-key").stdout.strip()
checked = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "Tools", "verify_audit_export.py"),
                          export, "--public-key", public_key], capture_output=True, text=True)
expect(checked.returncode == 0, "the Python verifier accepts the export: " + checked.stdout.strip())

# The export, changed every way: the Python verifier must name the entry.
lines = open(export, encoding="utf-8").read().splitlines()
entries = [i for i, line in enumerate(lines) if '"entry"' in line]
size = len(entries)


def named(changed):
    return verify_audit_export.verify(changed, public_key)[0]


wrong = []
for number, line_number in enumerate(entries):
    record = json.loads(lines[line_number])
    for position in range(0, len(record["entry"]), 7):
        text = record["entry"]
        record_changed = dict(record, entry=text[:position] + ("x" if text[position] != "x" else "y") + text[position + 1:])
        changed = lines[:line_number] + [json.dumps(record_changed)] + lines[line_number + 1:]
        if named(changed) != number:
            wrong.append((number, position))
expect(not wrong, f"a changed byte of any of {size} exported entries is named ({len(wrong)} misnamed: {wrong[:3]})")
expect(all(named(lines[:entries[k]] + lines[entries[k] + 1:]) == k for k in range(size - 1)),
       "deleting any exported entry names its place")
expect(all(named(lines[:entries[k]] + [lines[entries[k] + 1], lines[entries[k]]] + lines[entries[k] + 2:]) == k
           for k in range(size - 1) if entries[k] + 1 == entries[k + 1]), "swapping two exported entries names the first")
expect(all(named(lines[:entries[k]] + [lines[entries[k]]] + lines[entries[k]:]) == k + 1 for k in range(size)),
       "inserting a copy of an exported entry names the copy")
head_line = next(i for i, line in enumerate(lines) if '"head"' in line)
head = json.loads(lines[head_line])
head["head"]["signature"] = ("0" if head["head"]["signature"][0] != "0" else "1") + head["head"]["signature"][1:]
expect(named(lines[:head_line] + [json.dumps(head)] + lines[head_line + 1:]) == 0,
       "a changed signature fails the export from the last vouched entry")


# The database, changed by someone who drops the append-only guard first.
def tampered(name, statements):
    copy = os.path.join(work, name + ".sqlite")
    shutil.copy(database, copy)
    connection = sqlite3.connect(copy)
    connection.execute("DROP TRIGGER audit_events_no_update")
    connection.execute("DROP TRIGGER audit_events_no_delete")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    result = cli("verify", db=copy)
    return result.returncode, result.stderr.strip()


guard = sqlite3.connect(database)
try:
    guard.execute("UPDATE audit_events SET entry = entry || ' ' WHERE leaf_index = 0")
    expect(False, "the append-only guard refuses an update")
except sqlite3.DatabaseError as error:
    expect("append-only" in str(error), "the append-only guard refuses an update")
guard.close()
victim = size // 2
status, message = tampered("changed", [
    f"UPDATE audit_events SET entry = REPLACE(entry, '\"action\":\"', '\"action\":\"x') WHERE leaf_index = {victim}"])
expect(status == 1 and f"entry {victim}:" in message, f"a changed entry in the database is named: {message}")
# Text after a NUL byte: a reader that stops at the NUL would verify what it read and
# never see the rest. The statement is run with a bound value, as an attacker would.
nul_copy = os.path.join(work, "nul.sqlite")
shutil.copy(database, nul_copy)
connection = sqlite3.connect(nul_copy)
connection.execute("DROP TRIGGER audit_events_no_update")
connection.execute("UPDATE audit_events SET entry = entry || ? WHERE leaf_index = ?", ("\x00 -- NOT REALLY", victim))
connection.commit()
connection.close()
nul_result = cli("verify", db=nul_copy)
expect(nul_result.returncode == 1 and f"entry {victim}:" in nul_result.stderr,
       f"text after a NUL in an entry is named: {nul_result.stderr.strip()}")
status, message = tampered("deleted", [f"DELETE FROM audit_events WHERE leaf_index = {victim}"])
expect(status == 1 and f"entry {victim}:" in message, f"a deleted entry is named: {message}")
status, message = tampered("swapped", [
    f"UPDATE audit_events SET leaf_index = -1 WHERE leaf_index = {victim}",
    f"UPDATE audit_events SET leaf_index = {victim} WHERE leaf_index = {victim + 1}",
    f"UPDATE audit_events SET leaf_index = {victim + 1} WHERE leaf_index = -1"])
expect(status == 1 and f"entry {victim}:" in message, f"two swapped entries are named: {message}")
status, message = tampered("appended", [
    f"INSERT INTO audit_events (leaf_index, entry, root) SELECT {size}, entry, root FROM audit_events WHERE leaf_index = 0"])
expect(status == 1 and f"entry {size}:" in message, f"an entry slipped in at the end is named: {message}")

shutil.rmtree(work)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
