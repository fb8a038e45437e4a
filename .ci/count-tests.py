#!/usr/bin/env python3
"""Counts TAP results in meson's testlog.json files: prints 'N passed, M failed'.

A test program that crashed or timed out without printing all its TAP lines
counts as one more failure, so a crash is never hidden.
"""
import json
import re
import sys

passed = failed = skipped = 0
args = sys.argv[1:]
# --extra-failed N: failures of checks that are not meson tests (the fuzz run).
if len(args) >= 2 and args[0] == "--extra-failed":
    failed += int(args[1])
    args = args[2:]
for path in args:
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except FileNotFoundError:
        failed += 1
        print(f"missing test log {path}", file=sys.stderr)
        continue
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        out = entry.get("stdout") or ""
        p = f = s = 0
        for l in out.splitlines():
            if re.match(r"^ok\b", l):
                if re.search(r"#\s*skip", l, re.I):
                    s += 1
                else:
                    p += 1
            elif re.match(r"^not ok\b", l):
                if re.search(r"#\s*todo", l, re.I):
                    s += 1
                else:
                    f += 1
        result = entry.get("result", "")
        if result not in ("OK", "EXPECTEDFAIL", "SKIP") and f == 0:
            f += 1
            print(f"{entry.get('name')}: {result}", file=sys.stderr)
        if p + f + s == 0 and result == "OK":
            p = 1
        passed += p
        failed += f
        skipped += s
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
