#!/usr/bin/env python3
"""Holds 2,000 connections that send their headers a byte at a time, from twenty client
addresses, and checks that a normal request from another address is answered within a
second meanwhile; that one address cannot hold more than its share of connections; and
that the server closes connections whose headers do not come in time.
Usage: slow_connections_test.py PATH/TO/couloir"""
import os, resource, socket, subprocess, sys, tempfile, time, urllib.request

couloir = sys.argv[1]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))
work = tempfile.mkdtemp(prefix="couloir-slow.")
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = subprocess.Popen([couloir, "serve", "--database", os.path.join(work, "slow.sqlite"), "--port", str(port),
                           "--log-level", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.2)


def slow(source):
    connection = socket.socket()
    connection.bind((source, 0))
    connection.settimeout(5)
    connection.connect(("127.0.0.1", port))
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    return connection


def alive(connection):
    try:
        connection.setblocking(False)
        return connection.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        connection.setblocking(True)


held = []
started = time.monotonic()
for source in range(20):
    for _ in range(100):
        held.append(slow(f"127.0.0.{10 + source}"))
check(len(held) == 2000, f"2,000 slow connections opened from 20 addresses in {time.monotonic() - started:.1f} s")
for connection in held[::10]:
    connection.sendall(b"x")
begun = time.monotonic()
status = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status
elapsed = time.monotonic() - begun
check(status == 200 and elapsed < 1, f"meanwhile a normal request is answered in {elapsed * 1000:.0f} ms")
alive_count = sum(alive(c) for c in held)
check(alive_count == 2000, f"the slow connections are held while within the header timeout ({alive_count})")

crowd = [slow("127.0.0.200") for _ in range(300)]
time.sleep(0.5)
open_from_one = sum(alive(c) for c in crowd)
check(open_from_one <= 256, f"one address holds at most 256 connections ({open_from_one} of 300 open)")

time.sleep(11)
closed = sum(not alive(c) for c in held)
check(closed == len(held), f"after the 10 s header timeout the server has closed them ({closed} of {len(held)})")
for connection in held + crowd:
    connection.close()
server.terminate()
server.wait(timeout=30)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
