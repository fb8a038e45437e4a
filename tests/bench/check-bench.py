#!/usr/bin/env python3
"""jinguo-bench as a user runs it, on a tiny data set: the figures it must
print, the options it refuses, and what it does with the PouchDB peer (run,
absent, failing, incomplete), with a stand-in peer so that no Node.js or
../shared is needed.  No timing is judged here: docs/benchmarks.md holds
the real runs.  Prints TAP; exits 1 on any failure.

usage: check-bench.py JINGUO_BENCH
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Small enough to take a second or two; every part of a run still runs.
TINY = ["--records", "200", "--devices", "4", "--rounds", "1", "--list-households", "500"]

KEYS = ["raw_sqlite_rows_per_s", "initial_sync_records_per_s", "first_upload_records_per_s",
        "delta_pull_s", "delta_push_s", "pull_bytes_per_record", "concurrent_p99_ms",
        "concurrent_errors", "local_write_records_per_s", "concurrent_p50_ms",
        "client_peak_rss_mib", "server_peak_rss_mib", "list_open_first_page_ms",
        "list_search_first_page_ms", "raw_log_rows_per_s", "first_upload_ceiling_records_per_s",
        "first_upload_vs_ceiling"]
PEER_KEYS = ["peer_push_docs_per_s", "peer_pull_docs_per_s", "peer_pull_bytes_per_doc",
             "peer_delta_push_s", "peer_delta_pull_s"]

# What the real peer's summarize.js prints, with made-up figures.
FAKE_SUMMARY = """N={n} batch=100 create median_secs=0.5     median_docs_per_s=400    runs=[400] wire_rx=0 wire_tx=0 bytes/doc=0 http_reqs=0 cpu%(client/server)=90/0
N={n} batch=100 push   median_secs=0.8     median_docs_per_s=250    runs=[250] wire_rx=1 wire_tx=1 bytes/doc=300 http_reqs=4 cpu%(client/server)=50/50
N={n} batch=100 pull   median_secs=0.4     median_docs_per_s=500    runs=[500] wire_rx=1 wire_tx=1 bytes/doc=247 http_reqs=4 cpu%(client/server)=50/50
N={n} batch=100 dpush  median_secs=0.321   median_docs_per_s=300    runs=[300] wire_rx=1 wire_tx=1 bytes/doc=300 http_reqs=4 cpu%(client/server)=50/50
N={n} batch=100 dpull  median_secs=0.123   median_docs_per_s=800    runs=[800] wire_rx=1 wire_tx=1 bytes/doc=250 http_reqs=4 cpu%(client/server)=50/50
N={n} counts {ok}"""


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, why=""):
        self.n += 1
        if cond:
            print(f"ok {self.n} - {name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}: {why}", flush=True)


tap = Tap()


def bench(binary, args, env=None):
    proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=600,
                          env=env or os.environ.copy())
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    result = None
    if lines:
        try:
            result = json.loads(lines[-1])
        except ValueError:
            result = None
    return proc.returncode, result, proc.stderr


def fake_peer(root, name, body):
    """A peer directory whose run.sh runs @body (bash) with the bench's arguments."""
    d = os.path.join(root, name)
    os.makedirs(d)
    script = os.path.join(d, "run.sh")
    with open(script, "w") as f:
        f.write("#!/bin/bash\n" + body + "\n")
    os.chmod(script, 0o755)
    return d


def with_node_stubs(root):
    """An environment where `node` and `npm` are found (stubs that fail if
    run): the stand-in peers never call them, and the bench only looks."""
    d = os.path.join(root, "node-stubs")
    os.makedirs(d, exist_ok=True)
    for name in ("node", "npm"):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\necho \"stub $0 should not run\" >&2\nexit 99\n")
        os.chmod(path, 0o755)
    env = os.environ.copy()
    env["PATH"] = d + os.pathsep + env.get("PATH", "")
    return env


def main():
    if len(sys.argv) != 2:
        print("usage: check-bench.py JINGUO_BENCH", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    root = tempfile.mkdtemp(prefix="jinguo-check-bench-")
    stubs = with_node_stubs(root)

    # A plain run: one JSON line with every figure, all of them measured.
    code, r, err = bench(binary, TINY + ["--json"])
    tap.ok(code == 0 and r is not None, "a run exits 0 and prints one JSON line", f"exit {code}: {err[-500:]}")
    r = r or {}
    missing = [k for k in KEYS if k not in r]
    tap.ok(not missing, "the JSON has every figure the issue names", f"missing {missing}")
    tap.ok(all(r.get(k, 0) > 0 for k in KEYS if k != "concurrent_errors"),
           "every figure was measured (above zero)", f"got {r!r}")
    tap.ok(r.get("concurrent_errors") == 0 and r.get("delta_ok") is True and r.get("initial_sync_complete") is True,
           "no device failed; the delta and the new device's first sync arrived whole", f"got {r!r}")
    tap.ok(r.get("records", 0) > 100 and r.get("changes", 0) > r.get("records", 0),
           "about the asked number of records, each with its changes", f"got {r!r}")
    tap.ok(r.get("list_households") == 500 and 0 < r.get("list_search_matches", 0) < 500,
           "the list model holds the asked households, and a search narrows it", f"got {r!r}")
    tap.ok(not any(k in r for k in PEER_KEYS), "no peer figures without --peer", f"got {r!r}")
    tap.ok(r.get("initial_sync_vs_raw_sqlite", 0) > 0, "the first sync is compared with raw SQLite",
           f"got {r!r}")
    # The ceiling: the records' rows and the log's rows, inserted raw, take
    # longer than the records' rows alone; the first upload does more.
    tap.ok(r.get("first_upload_ceiling_records_per_s", 0) < r.get("raw_sqlite_rows_per_s", 0)
           and abs(r.get("first_upload_vs_ceiling", 0)
                   - round(r.get("first_upload_records_per_s", 0) / r.get("first_upload_ceiling_records_per_s", 1), 3)) < 0.002,
           "the first upload is compared with the ceiling of a per-field change log", f"got {r!r}")

    # The peer, standing in: its arguments and records file checked, its
    # figures read, the ratios made with them.
    peer = fake_peer(root, "peer-ok",
                     '[ "$2" = 100 ] && [ "$3" = 1 ] || exit 3\n'
                     '[ "$(wc -l < "$4")" = "$1" ] || exit 4\n'
                     'head -1 "$4" | grep -q \'"id"\' || exit 5\n'
                     "cat <<EOF\n" + FAKE_SUMMARY.format(n="$1", ok="ok: true (1 runs)") + "\nEOF")
    code, r, err = bench(binary, TINY + ["--json", "--peer", "--peer-dir", peer], env=stubs)
    r = r or {}
    tap.ok(code == 0, "--peer with a peer that ran exits 0", f"exit {code}: {err[-500:]}")
    tap.ok(r.get("peer_push_docs_per_s") == 250 and r.get("peer_pull_docs_per_s") == 500
           and r.get("peer_pull_bytes_per_doc") == 247 and r.get("peer_delta_push_s") == 0.321
           and r.get("peer_delta_pull_s") == 0.123,
           "the peer's push, pull, bytes and deltas are read from its summary", f"got {r!r}")
    tap.ok(abs(r.get("first_upload_vs_peer_push", 0) - round(r.get("first_upload_records_per_s", 0) / 250, 3)) < 0.002
           and abs(r.get("initial_sync_vs_peer_pull", 0) - round(r.get("initial_sync_records_per_s", 0) / 500, 3)) < 0.002
           and abs(r.get("first_upload_ceiling_vs_peer_push", 0)
                   - round(r.get("first_upload_ceiling_records_per_s", 0) / 250, 3)) < 0.002,
           "the ratios to the peer are made from the same run's figures", f"got {r!r}")

    # The peer fails: said, no figures, exit 3, the rest still printed.
    peer = fake_peer(root, "peer-fails", "echo 'npm ERR! network' >&2; exit 7")
    code, r, err = bench(binary, TINY + ["--json", "--peer", "--peer-dir", peer], env=stubs)
    r = r or {}
    tap.ok(code == 3 and "exit status 7" in err and "first_upload_records_per_s" in r
           and not any(k in r for k in PEER_KEYS) and "first_upload_vs_peer_push" not in r,
           "a failing peer: exit 3, said why, our figures printed, none of its",
           f"exit {code}, stderr {err[-500:]!r}, keys {sorted(r)}")

    # The peer ran but did not replicate everything: its figures are not used.
    peer = fake_peer(root, "peer-short", "cat <<EOF\n" + FAKE_SUMMARY.format(n="$1", ok="ok: false (1 runs)") + "\nEOF")
    code, r, err = bench(binary, TINY + ["--json", "--peer", "--peer-dir", peer], env=stubs)
    r = r or {}
    tap.ok(code == 3 and "counts ok: true" in err and not any(k in r for k in PEER_KEYS),
           "a peer whose stores did not end with every record: its figures are not used",
           f"exit {code}, stderr {err[-500:]!r}")

    # One run of three whose peer fails: no run's peer figures are printed.
    peer = fake_peer(root, "peer-once", 'if [ -e "$0.ran" ]; then exit 7; fi; touch "$0.ran"\n'
                     "cat <<EOF\n" + FAKE_SUMMARY.format(n="$1", ok="ok: true (1 runs)") + "\nEOF")
    code, r, err = bench(binary, TINY + ["--json", "--runs", "2", "--peer", "--peer-dir", peer], env=stubs)
    r = r or {}
    tap.ok(code == 3 and r.get("runs") == 2 and not any(k in r for k in PEER_KEYS)
           and "first_upload_vs_peer_push" not in r,
           "a peer that fails in one run of two: none of its figures", f"exit {code}, keys {sorted(r)}")

    # The default peer directory (<source>/../shared) absent: skipped with a
    # message, as the issue asks.  It may be present here, so this is run
    # only where it is not.
    default = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "..", "shared", "peer-pouchdb", "run.sh")
    if not os.path.exists(default):
        code, r, err = bench(binary, TINY + ["--json", "--peer"])
        r = r or {}
        tap.ok(code == 0 and "skipping --peer" in err and not any(k in r for k in PEER_KEYS),
               "no peer where it should be: skipped with a message", f"exit {code}, stderr {err[-500:]!r}")
    # A --peer-dir that is not one: refused before anything runs.
    code, r, err = bench(binary, TINY + ["--json", "--peer", "--peer-dir", os.path.join(root, "nowhere")])
    tap.ok(code == 2 and "no executable run.sh" in err and r is None,
           "a --peer-dir without run.sh is refused", f"exit {code}, stderr {err[-500:]!r}")

    # No Node.js: said, with what to install.
    peer = fake_peer(root, "peer-unreached", "exit 0")
    env = os.environ.copy()
    env["PATH"] = os.path.join(root, "empty-path")
    code, r, err = bench(binary, TINY + ["--json", "--peer", "--peer-dir", peer], env=env)
    r = r or {}
    tap.ok(code == 3 and "apt-get install nodejs npm" in err and "first_upload_records_per_s" in r
           and not any(k in r for k in PEER_KEYS),
           "no Node.js: the message says what to install; our figures, none of the peer's",
           f"exit {code}, stderr {err[-500:]!r}")

    # Options out of range or unknown: refused before anything runs.
    for args, says in ((["--records", "-5"], "--records must be"),
                       (["--records", "0"], "--records must be"),
                       (["--runs", "0"], "--runs must be"),
                       (["--devices", "100000"], "--devices must be"),
                       (["--records", "many"], "--records"),
                       (["--no-such-option"], "no-such-option"),
                       (["surplus"], "unexpected argument")):
        code, r, err = bench(binary, args)
        tap.ok(code == 2 and says in err and r is None, f"refused: {' '.join(args)}",
               f"exit {code}, stderr {err[-300:]!r}")

    shutil.rmtree(root, ignore_errors=True)
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
