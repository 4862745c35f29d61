#!/usr/bin/env python3
"""Kills the server with SIGKILL again and again while devices submit tallies, then
checks that every tally it acknowledged is stored exactly once and that nothing nobody
sent appeared.

Each simulated device keeps its queue as a phone would: a tally leaves the queue only
once the server answered 201 (stored) or 200 (a replay of one stored before), or, for
the devices that sync ten at a time through the batch endpoint, `created` or `replayed`
for that item, or for the device that is ODK Collect, 201 to its OpenRosa submission. A
connection cut by the kill leaves it queued, and it is sent again, with the same id and
content, after the restart.

Usage: crash_test.py PATH/TO/couloir [--cycles 5] [--tallies 2000] [--devices 4] [--backend sqlite|postgres]
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

from databases import backend_argument, new_database, rows

OPERATION = "81a1e60b-caec-4727-b4fc-5ece7f5570d0"  # the demo's Aleppo operation

arguments = argparse.ArgumentParser()
arguments.add_argument("binary")
arguments.add_argument("--cycles", type=int, default=5, help="how many times to kill -9 the server")
arguments.add_argument("--tallies", type=int, default=2000)
arguments.add_argument("--devices", type=int, default=4)
arguments.add_argument("--seed", type=int, default=2016)
backend_argument(arguments)
options = arguments.parse_args()
random.seed(options.seed)

options.binary = os.path.abspath(options.binary)
workdir = tempfile.mkdtemp(prefix="couloir-crash-")
# The audit key is made beside an SQLite file, or in the current folder for PostgreSQL.
os.chdir(workdir)
database = new_database(options.backend, workdir, "crash")
print(f"crash test on {options.backend}: {database.split('@')[-1]}")
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
base = f"http://127.0.0.1:{port}/api/v1/operations/{OPERATION}"


# Every request is sent with an administrator's token, issued before the first start.
issued = subprocess.run(
    [options.binary, "token", "issue", "--database", database, "--organisation", "OCHA Aleppo access cell", "--role", "admin",
     "--label", "crash test"], capture_output=True, text=True)
if issued.returncode != 0:
    sys.exit("crash test: couloir token issue failed: " + issued.stderr)
SECRET = issued.stdout.strip().splitlines()[-1]
AUTHORIZATION = "Bearer " + SECRET
# Each device sends its own way: one tally a request, ten a batch, or as ODK Collect.
MODES = ["single", "batch", "openrosa", "batch"]
# What OpenRosa submissions are counted with: the same tally sent by JSON is a replay.
OPENROSA_SOURCE = {"name": "Field monitoring (ODK Collect)", "kind": "monitor"}


def start():
    log = open(os.path.join(workdir, "server.log"), "a")
    server = subprocess.Popen(
        [options.binary, "demo", "--database", database, "--port", str(port), "--log-level", "warning"],
        stdout=log, stderr=log)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.05)
    sys.exit("crash test: the server did not come up; see " + workdir)


def get(url):
    request = urllib.request.Request(url, headers={"Authorization": AUTHORIZATION})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


server = start()
checkpoints = [c["id"] for c in get(f"{base}/checkpoints?limit=200")["items"]]


def tally(index):
    people = random.randint(0, 400)
    minute = index % (11 * 60)
    start_at = f"2016-10-20T{8 + minute // 60:02d}:{minute % 60:02d}:00+03:00"
    end_minute = minute + 1
    end_at = f"2016-10-20T{8 + end_minute // 60:02d}:{end_minute % 60:02d}:00+03:00"
    return {
        "id": str(uuid.UUID(int=random.getrandbits(128), version=4)),
        "checkpointId": random.choice(checkpoints),
        "interval": {"start": start_at, "end": end_at},
        "direction": "outbound",
        "counts": [{"group": "civilians", "people": people}],
        "source": {"name": "Crash test device", "kind": "monitor", "illustrative": True},
    }


sent = [tally(i) for i in range(options.tallies)]
by_id = {t["id"]: t for t in sent}
queues = [sent[d::options.devices] for d in range(options.devices)]
for d, queue in enumerate(queues):
    if MODES[d % len(MODES)] == "openrosa":
        for body in queue:
            body["source"] = OPENROSA_SOURCE
acknowledged = set()
outcomes = {"created": 0, "replayed": 0, "cut": 0, "refused": 0}
lock = threading.Lock()
running = threading.Event()
running.set()


def submit(connection, body):
    """Sends one tally; the answer's status, or None when the connection was cut."""
    try:
        connection.request("POST", f"/api/v1/operations/{OPERATION}/tallies", body=json.dumps(body),
                           headers={"Content-Type": "application/json", "Authorization": AUTHORIZATION})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None


def submit_batch(connection, bodies):
    """Sends a queue's head as one batch; each item's outcome, or None when cut."""
    try:
        connection.request("POST", f"/api/v1/operations/{OPERATION}/tallies/batch",
                           body=json.dumps({"items": bodies}), headers={"Content-Type": "application/json", "Authorization": AUTHORIZATION})
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            return ["refused"] * len(bodies)
        return [item["outcome"] for item in json.loads(answer)["results"]]
    except (OSError, http.client.HTTPException, ValueError):
        return None


def instance(body):
    """The tally as ODK Collect would send it: an instance of the served XForm."""
    count = body["counts"][0]
    return (f'<?xml version="1.0" ?><data id="couloir-tally-{OPERATION}" version="crash">'
            f'<checkpoint>{body["checkpointId"]}</checkpoint><start>{body["interval"]["start"]}</start>'
            f'<end>{body["interval"]["end"]}</end><direction>{body["direction"]}</direction>'
            f'<people><group>{count["group"]}</group><count>{count["people"]}</count><observed>no</observed>'
            f'<unaccompanied/></people><vehicles><cars/><buses/><ambulances/></vehicles>'
            f'<meta><instanceID>uuid:{body["id"]}</instanceID></meta></data>')


def submit_openrosa(connection, body):
    """Sends one tally as a multipart OpenRosa submission; its outcome, or None when cut."""
    boundary = uuid.uuid4().hex
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
               f"filename=\"tally.xml\"\r\nContent-Type: text/xml\r\n\r\n{instance(body)}\r\n--{boundary}--\r\n")
    try:
        connection.request("POST", f"/openrosa/key/{SECRET}/submission", body=payload.encode(), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-OpenRosa-Version": "1.0"})
        response = connection.getresponse()
        answer = response.read().decode()
        if response.status != 201:
            return "refused"
        return "replayed" if "already received" in answer else "created"
    except (OSError, http.client.HTTPException):
        return None


def device(queue, mode):
    """Empties a queue one tally at a time, ten at a time as a phone syncing, or as ODK Collect."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while queue and running.is_set():
        if mode == "batch":
            answers = submit_batch(connection, queue[:10])
        elif mode == "openrosa":
            outcome = submit_openrosa(connection, queue[0])
            answers = None if outcome is None else [outcome]
        else:
            status = submit(connection, queue[0])
            answers = None if status is None else [{201: "created", 200: "replayed"}.get(status, "refused")]
        with lock:
            if answers is None:
                outcomes["cut"] += 1
            for answer in answers or []:
                if answer in ("created", "replayed"):
                    acknowledged.add(queue[0]["id"])
                    outcomes[answer] += 1
                else:
                    outcomes["refused"] += 1
                queue.pop(0)
        if answers is None:
            connection.close()
            time.sleep(0.05)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)


def stored_ids():
    return {row[0] for row in rows(database, "SELECT id FROM tallies")}


baseline = stored_ids()  # the demo's own tallies, stored before any device sent one
threads = [threading.Thread(target=device, args=(q, MODES[d % len(MODES)])) for d, q in enumerate(queues)]
for thread in threads:
    thread.start()
for cycle in range(options.cycles):
    # Kill at evenly spread points of the load, whatever its speed, so that every kill
    # lands while devices are sending.
    mark = (cycle + 1) * len(sent) // (options.cycles + 1)
    deadline = time.monotonic() + 60
    while len(acknowledged) < mark and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(random.uniform(0, 0.02))
    server.send_signal(signal.SIGKILL)
    server.wait()
    with lock:
        print(f"crash test: kill -9 #{cycle + 1} after {len(acknowledged)} acknowledged")
    server = start()
for thread in threads:
    thread.join()
running.clear()

# Every device has emptied its queue: each tally was acknowledged at least once. Send a
# sample again by JSON, as a device that lost its bookkeeping would: each must be a
# replay, those ODK Collect sent included.
replays = [submit(http.client.HTTPConnection("127.0.0.1", port, timeout=5), t) for t in random.sample(sent, 50)]
server.send_signal(signal.SIGTERM)
server.wait()

failures = []
if outcomes["refused"]:
    failures.append(f"{outcomes['refused']} submissions refused")
if any(status != 200 for status in replays):
    failures.append(f"resubmissions not answered as replays: {sorted(set(replays), key=str)}")
stored = {row[0]: row[1] for row in rows(
    database, "SELECT id, COUNT(*) FROM tallies WHERE operation_id = ? GROUP BY id", (OPERATION,))}
torn = rows(database,
            "SELECT COUNT(*) FROM tallies t WHERE NOT EXISTS (SELECT 1 FROM tally_counts c WHERE c.tally_seq = t.seq)"
            )[0][0]
people = dict(rows(database,
                   "SELECT t.id, c.people FROM tallies t JOIN tally_counts c ON c.tally_seq = t.seq "
                   "WHERE t.operation_id = ?", (OPERATION,)))
# The rollups that figures read were written in the same transactions: they must hold
# exactly what the tallies that count add up to, and the summary every tally received.
counted = rows(database,
               "SELECT COALESCE(SUM(c.people), 0) FROM tallies t JOIN tally_counts c ON c.tally_seq = t.seq "
               "WHERE t.operation_id = ? AND NOT EXISTS "
               "(SELECT 1 FROM tallies s WHERE s.operation_id = t.operation_id AND s.supersedes = t.id)",
               (OPERATION,))[0][0]
rolled_up = rows(database, "SELECT COALESCE(SUM(people), 0) FROM flow_quarters WHERE operation_id = ?",
                 (OPERATION,))[0][0]
summarised = rows(database, "SELECT COALESCE(SUM(received), 0) FROM tally_summaries WHERE operation_id = ?",
                  (OPERATION,))[0][0]
# Each stored tally wrote its audit entry in its own transaction: one entry a tally.
all_tallies = rows(database, "SELECT COUNT(*) FROM tallies")[0][0]
audited = rows(database, "SELECT COUNT(*) FROM audit_events WHERE entry LIKE '%\"kind\":\"tally\"%'")[0][0]
verified = subprocess.run([options.binary, "audit", "verify", "--database", database], capture_output=True, text=True)
lost = [i for i in acknowledged if i not in stored]
duplicated = [i for i, n in stored.items() if n > 1]
unexpected = [i for i in stored if i not in by_id and i not in baseline]
altered = [i for i in acknowledged if i in people and people[i] != by_id[i]["counts"][0]["people"]]
print(f"crash test: {len(sent)} tallies from {options.devices} devices ({', '.join(MODES[:options.devices])}), "
      f"{options.cycles} kill -9, "
      f"{outcomes['created']} created, {outcomes['replayed']} replayed, {outcomes['cut']} cut by a kill; "
      f"{len(acknowledged)} acknowledged, {len(lost)} lost, {len(duplicated)} duplicated, "
      f"{len(unexpected)} nobody sent, {len(altered)} altered, {torn} without counts; "
      f"rollups hold {rolled_up} of {counted} people counted, the summary {summarised} of {len(stored)} tallies; "
      f"{audited} audit entries for {all_tallies} tallies, the log {'verified' if verified.returncode == 0 else 'BROKEN'}")
if audited != all_tallies:
    failures.append(f"{audited} tally audit entries for {all_tallies} tallies stored")
if verified.returncode != 0:
    failures.append("couloir audit verify: " + verified.stderr.strip())
if rolled_up != counted or summarised != len(stored):
    failures.append("the flow rollups or the tally summary disagree with the tallies stored")
if lost:
    failures.append(f"{len(lost)} acknowledged tallies lost, e.g. {lost[:3]}")
if duplicated:
    failures.append(f"{len(duplicated)} tallies stored twice, e.g. {duplicated[:3]}")
if unexpected:
    failures.append(f"{len(unexpected)} tallies nobody sent, e.g. {unexpected[:3]}")
if altered:
    failures.append(f"{len(altered)} tallies stored with other counts than sent")
if torn:
    failures.append(f"{torn} tallies stored without their counts")
if len(acknowledged) != len(sent):
    failures.append(f"only {len(acknowledged)} of {len(sent)} tallies were ever acknowledged")
for failure in failures:
    print(f"crash test FAILED: {failure}; the server's log is in {workdir}")
sys.exit(1 if failures else 0)
