#!/usr/bin/env python3
"""Verifies a `couloir audit export` file on its own, as anyone holding the file and the
public key can: every entry in its place, the root beside each, every signed tree head.
Needs the `cryptography` package for Ed25519. Usage:
    verify_audit_export.py EXPORT.jsonl [--public-key HEX]
Prints the size and root and exits 0, or names the first bad entry and exits 1."""
import hashlib, json, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

def sha256(*parts): return hashlib.sha256(b"".join(parts)).digest()

def root(subtrees):  # RFC 9162: the perfect subtrees of the log, folded from the right
    if not subtrees: return sha256(b"")
    node = subtrees[-1][1]
    for _, left in reversed(subtrees[:-1]): node = sha256(b"\x01", left, node)
    return node

def verify(lines, trusted):
    header = json.loads(lines[0])
    if header.get("format") != "couloir-audit-export" or header.get("version") != 1: return 0, "not a Couloir audit export"
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(trusted or header["publicKey"]))
    subtrees, size, vouched = [], 0, 0  # subtrees: (leaf count, hash), largest first
    for line in lines[1:]:
        try: record = json.loads(line); record["head"] if "head" in record else (record["entry"], record["index"], record["root"])
        except (ValueError, KeyError, TypeError): return size, "is not a well-formed export line"
        if "head" in record:
            head = record["head"]
            message = f"couloir-audit-tree-head-v1\n{head['size']}\n{head['root']}\n{head['signedAt']}".encode()
            try: key.verify(bytes.fromhex(head["signature"]), message); signed = head["publicKey"] == key.public_bytes_raw().hex()
            except Exception: signed = False
            if head["size"] != size or head["root"] != root(subtrees).hex() or not signed:
                return vouched, f"the tree head at {head['size']} entries does not hold: one of entries {vouched}…{head['size'] - 1} was changed, added or removed"
            vouched = size
            continue
        text = record["entry"]
        try: entry = json.loads(text)
        except ValueError: return size, "is not a well-formed audit entry"
        if record["index"] != size or entry.get("index") != size: return size, f"is missing or out of place (found index {entry.get('index')})"
        node, count = sha256(b"\x00", text.encode("utf-8")), 1
        while subtrees and subtrees[-1][0] == count: node, count = sha256(b"\x01", subtrees.pop()[1], node), count * 2
        subtrees.append((count, node)); size += 1
        if record["root"] != root(subtrees).hex(): return size - 1, "does not match the root recorded beside it"
    return None, f"{size} entries, root {root(subtrees).hex()}, {size - vouched} after the last signed head"

if __name__ == "__main__":
    trusted = sys.argv[sys.argv.index("--public-key") + 1] if "--public-key" in sys.argv else None
    with open(sys.argv[1], encoding="utf-8") as export: lines = export.read().splitlines()
    bad, message = verify(lines, trusted)
    print(f"The export holds up: {message}" if bad is None else f"The export does not hold up: entry {bad}: {message}")
    sys.exit(0 if bad is None else 1)
