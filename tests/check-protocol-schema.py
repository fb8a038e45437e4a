#!/usr/bin/python3
"""check-protocol-schema.py: a real jinguo-server's answers against
schemas/protocol.schema.json (docs/protocol.md).

Usage: check-protocol-schema.py JINGUO_SERVER SOURCE_ROOT

Creates a server store in a temporary directory with a county reviewer
(331082) and a village staff member (331082004240), starts `jinguo-server
serve --listen 127.0.0.1:0`, and talks to it with urllib on loopback only:
health, login (right and wrong password), pushes (accepted, one rejected,
duplicates), pulls with a cursor and a limit, a record moving out of the
village (removed), error answers, and a second laptop's first sync (a
snapshot).  Every request sent is validated against its request definition
and every answer against its response definition, twice: as the schema is
written, and "closed" (every object with "properties" refusing members it
does not name), so that a member the server sends but the schema forgot is
reported too.  Prints TAP; exits 1 on any failure.

Run with Debian's /usr/bin/python3 (python3-jsonschema).
"""

import copy
import gzip
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

try:
    import jsonschema
except ImportError:  # pragma: no cover - reported as TAP, not a traceback
    print("1..0 # SKIP python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(0)

COUNTY = "331082"
VILLAGE_A = "331082004240"
VILLAGE_B = "331082004241"
PASSWORD = "secret-pass-123"
REPLICA_VILLAGE = "0123456789abcdef0123456789abcdef"
REPLICA_REVIEWER = "fedcba9876543210fedcba9876543210"
REPLICA_NEW_LAPTOP = "00112233445566778899aabbccddeeff"
REPLICA_FORK = "aabbccddeeff00112233445566778899"
HTTP_TIMEOUT = 15      # seconds, each request
START_TIMEOUT = 20     # seconds, for the port line
CMD_TIMEOUT = 60       # seconds, init and user-add


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, reason=""):
        self.n += 1
        if cond:
            print(f"ok {self.n} - {name}", flush=True)
        else:
            self.failed += 1
            reason = " ".join(str(reason).split())
            print(f"not ok {self.n} - {name}: {reason}", flush=True)
        return cond

    def diag(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)


tap = Tap()


# ---- the schema ----------------------------------------------------------------

def close_objects(node, in_condition=False):
    """Every object schema with "properties" gets additionalProperties: false
    unless it says otherwise; the if/then/else/not of a definition are left
    alone (closing an "if" would change what it selects)."""
    if isinstance(node, list):
        for item in node:
            close_objects(item, in_condition)
        return
    if not isinstance(node, dict):
        return
    if (not in_condition and "properties" in node and "additionalProperties" not in node
            and "unevaluatedProperties" not in node and "patternProperties" not in node):
        node["additionalProperties"] = False
    for key, value in node.items():
        if key in ("properties", "$defs", "patternProperties"):
            for sub in value.values():
                close_objects(sub, in_condition)
        elif key in ("if", "then", "else", "not"):
            close_objects(value, True)
        elif key in ("items", "prefixItems", "allOf", "anyOf", "oneOf", "additionalProperties",
                     "contains", "propertyNames"):
            close_objects(value, in_condition)


class Schemas:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.root = json.load(f)
        self.closed_root = copy.deepcopy(self.root)
        for definition in self.closed_root.get("$defs", {}).values():
            close_objects(definition)
        self.cls = jsonschema.validators.validator_for(self.root)

    def check_schema(self):
        self.cls.check_schema(self.root)

    def _validator(self, root, name):
        schema = {k: v for k, v in root.items() if k not in ("oneOf", "title")}
        schema["$ref"] = "#/$defs/" + name
        return self.cls(schema)

    def errors(self, name, instance, closed=False):
        if name not in self.root.get("$defs", {}):
            return [f"the schema has no $defs/{name}"]
        v = self._validator(self.closed_root if closed else self.root, name)
        out = []
        for e in sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            where = "/" + "/".join(str(p) for p in e.absolute_path)
            out.append(f"at {where}: {e.message} (schema {'/'.join(str(p) for p in e.absolute_schema_path)})")
        return out


# ---- the server ----------------------------------------------------------------

def run_cmd(server, args, password=None):
    env = dict(os.environ)
    if password is not None:
        env["JINGUO_PASSWORD"] = password
    proc = subprocess.run([server] + args, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=CMD_TIMEOUT)
    return proc.returncode, proc.stderr.strip()


def start_server(server, db):
    proc = subprocess.Popen([server, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_TIMEOUT
    buf = b""
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or not sel.select(left):
            break
        chunk = os.read(proc.stdout.fileno(), 64)
        if not chunk:
            break
        buf += chunk
    sel.close()
    line = buf.split(b"\n", 1)[0].strip()
    # cmd_serve prints the bound port alone on the first line when given port 0.
    if not line.isdigit() or int(line) == 0:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        return None, None, f"no port on stdout (got {buf!r}; stderr {err.decode(errors='replace')!r})"
    return proc, int(line), ""


def stop_server(proc):
    if proc is None or proc.poll() is not None:
        return proc.returncode if proc else None
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    return proc.returncode


class Client:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        # Loopback only: never through a proxy from the environment.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method, path, body=None, token=None, content_type="application/json",
                gzip_reply=False):
        """(status, headers, parsed JSON or None, raw text)."""
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            if content_type:
                headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = "Bearer " + token
        if gzip_reply:
            headers["Accept-Encoding"] = "gzip"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=HTTP_TIMEOUT) as resp:
                status, hdrs, raw = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            status, hdrs, raw = e.code, e.headers, e.read()
        if (hdrs.get("Content-Encoding") or "").lower() == "gzip":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        return status, hdrs, parsed, text


# ---- the checks ----------------------------------------------------------------

def check_body(schemas, name, definition, body):
    """The schema as written, then closed: two TAP lines."""
    errs = schemas.errors(definition, body)
    tap.ok(not errs, f"{name}: matches $defs/{definition}", "; ".join(errs[:5]))
    errs = schemas.errors(definition, body, closed=True)
    tap.ok(not errs, f"{name}: no member $defs/{definition} does not name", "; ".join(errs[:5]))


def check_request(schemas, name, definition, body):
    errs = schemas.errors(definition, body)
    tap.ok(not errs, f"{name}: request matches $defs/{definition}", "; ".join(errs[:5]))


def expect_status(name, status, want, text):
    return tap.ok(status == want, f"{name}: HTTP {want}", f"got HTTP {status}: {text[:300]}")


def expect_json_type(name, hdrs):
    ctype = (hdrs.get("Content-Type") or "").split(";")[0].strip()
    tap.ok(ctype == "application/json", f"{name}: Content-Type application/json", f"got {ctype!r}")


def hlc_now(offset=0):
    return (int(time.time() * 1000) << 16) + offset


class Replica:
    """Numbers a replica's changes from 1, as a device does."""

    def __init__(self, replica_id):
        self.id = replica_id
        self.n = 0
        self.last_hlc = 0

    def change(self, entity, record, field, value):
        self.n += 1
        hlc = max(hlc_now(), self.last_hlc + 1)
        self.last_hlc = hlc
        return {"replica": self.id, "n": self.n, "entity": entity, "record": record,
                "field": field, "value": value, "hlc": hlc, "base": 0, "rbase": 0}


def new_household(rep, record, org_unit, head_name, created_by):
    return [
        rep.change("household", record, "org_unit", org_unit),
        rep.change("household", record, "created_by", created_by),
        rep.change("household", record, "created_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        rep.change("household", record, "review_state", "submitted"),
        rep.change("household", record, "head_name", head_name),
    ]


def run(server, source_root):
    schemas = Schemas(os.path.join(source_root, "schemas", "protocol.schema.json"))
    try:
        schemas.check_schema()
        tap.ok(True, "protocol.schema.json is a valid JSON Schema")
    except jsonschema.exceptions.SchemaError as e:
        tap.ok(False, "protocol.schema.json is a valid JSON Schema", e.message)
        return

    tmp = tempfile.mkdtemp(prefix="jg-protocol-schema-")
    proc = None
    try:
        db = os.path.join(tmp, "server.db")
        rc, err = run_cmd(server, ["init", "--db", db])
        if not tap.ok(rc == 0, "jinguo-server init", err):
            return
        rc1, err1 = run_cmd(server, ["user-add", "--db", db, "--username", "rv", "--role", "county_reviewer",
                                     "--org", COUNTY], PASSWORD)
        rc2, err2 = run_cmd(server, ["user-add", "--db", db, "--username", "va", "--role", "village_staff",
                                     "--org", VILLAGE_A], PASSWORD)
        if not tap.ok(rc1 == 0 and rc2 == 0, "jinguo-server user-add (county_reviewer, village_staff)",
                      f"{err1} {err2}"):
            return
        proc, port, err = start_server(server, db)
        if not tap.ok(proc is not None, "jinguo-server serve prints its port", err):
            return
        exercise(schemas, Client(port))
        rc = stop_server(proc)
        proc = None
        tap.ok(rc == 0, "jinguo-server stops cleanly on SIGTERM", f"exit status {rc}")
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def sync(schemas, client, name, token, body, want=200, definition="sync_response", gzip_reply=False):
    check_request(schemas, name, "sync_request", body)
    status, hdrs, reply, text = client.request("POST", "/api/v1/sync", body, token=token,
                                               gzip_reply=gzip_reply)
    expect_status(name, status, want, text)
    check_body(schemas, name, definition, reply)
    if want == 200 and definition == "sync_response":
        # Optional in the schema (an older server leaves it out: 1000);
        # this server always says how many changes a push may hold.
        max_push = (reply or {}).get("max_push")
        tap.ok(isinstance(max_push, int) and not isinstance(max_push, bool) and max_push >= 1000,
               f"{name}: max_push is at least 1000", f"got {max_push!r}")
    return reply or {}


def login(schemas, client, name, body, want=200, definition="login_response"):
    check_request(schemas, name, "login_request", body)
    status, hdrs, reply, text = client.request("POST", "/api/v1/login", body)
    expect_status(name, status, want, text)
    check_body(schemas, name, definition, reply)
    return reply or {}


def exercise(schemas, client):
    # -- health
    status, hdrs, reply, text = client.request("GET", "/api/v1/health")
    expect_status("health", status, 200, text)
    expect_json_type("health", hdrs)
    check_body(schemas, "health", "health_response", reply)

    # -- login
    reply = login(schemas, client, "login (village_staff)",
                  {"username": "va", "password": PASSWORD, "replica": REPLICA_VILLAGE,
                   "device": "village-laptop"})
    va_token = reply.get("token")
    tap.ok(reply.get("user") == {"username": "va", "role": "village_staff", "org_unit": VILLAGE_A},
           "login (village_staff): user, role and org unit", f"got {reply.get('user')!r}")
    reply = login(schemas, client, "login with a wrong password",
                  {"username": "va", "password": "not-the-password", "replica": REPLICA_VILLAGE},
                  want=401, definition="error")
    tap.ok(reply.get("error", {}).get("code") == "bad_credentials", "login with a wrong password: bad_credentials",
           f"got {reply!r}")
    reply = login(schemas, client, "login (county_reviewer)",
                  {"username": "rv", "password": PASSWORD, "replica": REPLICA_REVIEWER,
                   "device": "county-laptop"})
    rv_token = reply.get("token")
    if not tap.ok(bool(va_token) and bool(rv_token), "both logins returned a token", ""):
        return

    # -- push: two new households of the village
    va = Replica(REPLICA_VILLAGE)
    rec1 = "018f2a6c-8f00-7000-8000-000000000001"
    rec2 = "018f2a6c-8f00-7000-8000-000000000002"
    rec3 = "018f2a6c-8f00-7000-8000-000000000003"
    first = new_household(va, rec1, VILLAGE_A, "王芳", "va") + new_household(va, rec2, VILLAGE_A, "李梅", "va")
    reply = sync(schemas, client, "push of 10 valid changes", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": 0, "limit": 500, "changes": first})
    results = reply.get("results", [])
    tap.ok(len(results) == 10 and all(r.get("status") == "accepted" and r.get("server_seq", 0) > 0
                                      for r in results),
           "push of 10 valid changes: all accepted with a server_seq", f"got {results!r}")
    tap.ok(reply.get("changes") == [], "push of 10 valid changes: the pull leaves out the device's own changes",
           f"got {reply.get('changes')!r}")
    va_cursor = reply.get("cursor", 0)

    # -- pull by another replica, a page at a time
    reply = sync(schemas, client, "pull with cursor 0, limit 3", rv_token,
                 {"protocol": 1, "replica": REPLICA_REVIEWER, "cursor": 0, "limit": 3})
    changes = reply.get("changes", [])
    tap.ok(len(changes) == 3 and reply.get("more") is True and reply.get("cursor") == changes[-1].get("seq"),
           "pull with limit 3: 3 changes, more, cursor = last seq",
           f"got {len(changes)} changes, more {reply.get('more')!r}, cursor {reply.get('cursor')!r}")
    tap.ok(all(c.get("author") == "va" and c.get("seq", 0) > 0 for c in changes),
           "pulled changes carry author and seq", f"got {changes!r}")
    rv_cursor = reply.get("cursor", 0)
    reply = sync(schemas, client, "pull with the returned cursor, limit 1000", rv_token,
                 {"protocol": 1, "replica": REPLICA_REVIEWER, "cursor": rv_cursor, "limit": 1000},
                 gzip_reply=True)
    tap.ok(len(reply.get("changes", [])) == 7 and reply.get("more") is False,
           "pull of the rest: 7 changes, no more",
           f"got {len(reply.get('changes', []))} changes, more {reply.get('more')!r}")
    rv_cursor = reply.get("cursor", rv_cursor)

    # -- a push with one rejected change among accepted ones
    batch = [va.change("household", rec3, "org_unit", VILLAGE_B),
             va.change("household", rec1, "address", "大田刘村 12 号")]
    village_address = batch[1]
    reply = sync(schemas, client, "push with one change out of scope", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 500, "changes": batch})
    results = reply.get("results", [])
    tap.ok(len(results) == 2 and results[0].get("status") == "rejected"
           and results[0].get("code") == "out_of_scope" and results[0].get("field") == "org_unit"
           and results[1].get("status") == "accepted",
           "push with one change out of scope: rejected (out_of_scope, org_unit), the other accepted",
           f"got {results!r}")
    tap.ok(results and "current" not in results[0],
           "a rejection of a record the server does not hold has no current", f"got {results!r}")

    # -- a rejected move of a record the server holds: the rejection says
    #    what the server holds, so that the device takes it back
    reply = sync(schemas, client, "push moving a held record out of scope", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0,
                  "changes": [va.change("household", rec1, "org_unit", VILLAGE_B)]})
    results = reply.get("results", [])
    current = results[0].get("current", {}) if results else {}
    tap.ok(len(results) == 1 and results[0].get("code") == "out_of_scope"
           and current.get("value") == VILLAGE_A and current.get("hlc", 0) > 0
           and current.get("replica") == REPLICA_VILLAGE
           and isinstance(current.get("base"), int) and isinstance(current.get("rbase"), int),
           "the rejection carries the field's current value and version on the server",
           f"got {results!r}")
    va_cursor = reply.get("cursor", va_cursor)

    # -- the same changes again
    reply = sync(schemas, client, "push of changes already stored", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0,
                  "changes": first[:3]})
    results = reply.get("results", [])
    tap.ok(len(results) == 3 and all(r.get("status") == "duplicate" and r.get("server_seq", 0) > 0
                                     for r in results),
           "push of changes already stored: duplicate with server_seq", f"got {results!r}")

    # -- a run of acknowledgements as one result, when the device asks
    rec4 = "018f2a6c-8f00-7000-8000-000000000004"
    run = new_household(va, rec4, VILLAGE_A, "赵兰", "va")
    body = {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0,
            "result_runs": True, "changes": run}
    reply = sync(schemas, client, "push with result_runs", va_token, body)
    results = reply.get("results", [])
    tap.ok(len(results) == 1 and results[0].get("n") == run[0]["n"] and results[0].get("count") == len(run)
           and results[0].get("status") == "accepted" and results[0].get("server_seq", 0) > 0,
           "push with result_runs: one accepted result with count 5", f"got {results!r}")
    first_seq = results[0].get("server_seq") if len(results) == 1 else None
    reply = sync(schemas, client, "push with result_runs of changes already stored", va_token, body)
    results = reply.get("results", [])
    tap.ok(len(results) == 1 and results[0].get("status") == "duplicate" and results[0].get("count") == len(run)
           and results[0].get("server_seq") == first_seq,
           "push with result_runs of changes already stored: one duplicate result, same server_seq",
           f"got {results!r}")
    mixed = [va.change("household", rec4, "address", "大田刘村 4 号"),
             va.change("household", rec4, "member_count", 3),
             va.change("household", rec3, "org_unit", VILLAGE_B),
             va.change("household", rec4, "head_name", "赵兰英")]
    reply = sync(schemas, client, "push with result_runs and a rejected change", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0,
                  "result_runs": True, "changes": mixed})
    got = [(r.get("n"), r.get("count"), r.get("status")) for r in reply.get("results", [])]
    want = [(mixed[0]["n"], 2, "accepted"), (mixed[2]["n"], None, "rejected"), (mixed[3]["n"], None, "accepted")]
    tap.ok(got == want, "push with result_runs and a rejected change: the run ends at the rejection",
           f"got {got!r}")
    # a new record whose unit comes last: the server judges the unit first,
    # so its server_seq comes before the others' and it is a run of its own
    rec5 = "018f2a6c-8f00-7000-8000-000000000005"
    fields = [va.change("household", rec5, "created_by", "va"),
              va.change("household", rec5, "created_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
              va.change("household", rec5, "review_state", "submitted"),
              va.change("household", rec5, "head_name", "钱梅"),
              va.change("household", rec5, "org_unit", VILLAGE_A)]
    reply = sync(schemas, client, "push with result_runs, the unit last", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0,
                  "result_runs": True, "changes": fields})
    results = reply.get("results", [])
    got = [(r.get("n"), r.get("count"), r.get("status")) for r in results]
    want = [(fields[0]["n"], 4, "accepted"), (fields[4]["n"], None, "accepted")]
    tap.ok(got == want and results[1].get("server_seq", 0) + 1 == results[0].get("server_seq"),
           "push with result_runs, the unit last: the unit (judged first) is a result of its own",
           f"got {results!r}")
    status, hdrs, reply, text = client.request("POST", "/api/v1/sync",
                                               {"protocol": 1, "replica": REPLICA_VILLAGE, "limit": 0,
                                                "result_runs": "yes"}, token=va_token)
    expect_status("result_runs that is not a boolean", status, 400, text)
    tap.ok((reply or {}).get("error", {}).get("code") == "malformed"
           and (reply or {}).get("error", {}).get("field") == "result_runs",
           "result_runs that is not a boolean: malformed, field result_runs", f"got {text[:200]}")

    # -- changes the server cannot read: the results still follow $defs/result
    # (the request breaks $defs/change on purpose, so it is not checked)
    other = Replica(REPLICA_REVIEWER).change("household", rec1, "address", "x")
    bad = va.change("household", rec1, "member_count", "many")
    body = {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0,
            "changes": ["not a change", other, bad]}
    tap.ok(bool(schemas.errors("sync_request", body)), "a change that is a string breaks $defs/sync_request", "")
    status, hdrs, reply, text = client.request("POST", "/api/v1/sync", body, token=va_token)
    expect_status("push of changes the server cannot take", status, 200, text)
    check_body(schemas, "push of changes the server cannot take", "sync_response", reply)
    codes = [(r.get("status"), r.get("code"), r.get("field")) for r in (reply or {}).get("results", [])]
    tap.ok(codes == [("rejected", "malformed", None), ("rejected", "permission_denied", "replica"),
                     ("rejected", "wrong_type", "member_count")],
           "push of changes the server cannot take: malformed, permission_denied, wrong_type",
           f"got {codes!r}")

    # -- a newer protocol than the server's
    reply = sync(schemas, client, "sync with protocol 2", va_token,
                 {"protocol": 2, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0},
                 want=400, definition="error")
    tap.ok(reply.get("error", {}).get("code") == "protocol_version", "sync with protocol 2: code protocol_version",
           f"got {reply!r}")

    # -- a reviewer moves a household to another village: it leaves the village's scope
    rv = Replica(REPLICA_REVIEWER)
    reply = sync(schemas, client, "push of a move to another village", rv_token,
                 {"protocol": 1, "replica": REPLICA_REVIEWER, "cursor": rv_cursor, "limit": 1000,
                  "changes": [rv.change("household", rec2, "org_unit", VILLAGE_B)]})
    tap.ok([r.get("status") for r in reply.get("results", [])] == ["accepted"],
           "push of a move to another village: accepted", f"got {reply.get('results')!r}")
    reply = sync(schemas, client, "pull after the move", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 1000})
    tap.ok(reply.get("removed") == [{"entity": "household", "record": rec2}],
           "pull after the move: the household is in removed", f"got removed {reply.get('removed')!r}")

    # -- error answers
    status, hdrs, reply, text = client.request("POST", "/api/v1/sync", b"{\"protocol\": 1, ", token=va_token)
    expect_status("malformed body", status, 400, text)
    expect_json_type("malformed body", hdrs)
    check_body(schemas, "malformed body", "error", reply)
    tap.ok((reply or {}).get("error", {}).get("code") == "malformed", "malformed body: code malformed",
           f"got {text[:300]}")

    body = {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": 0, "limit": 10}
    check_request(schemas, "sync without a token", "sync_request", body)
    status, hdrs, reply, text = client.request("POST", "/api/v1/sync", body)
    expect_status("sync without a token", status, 401, text)
    check_body(schemas, "sync without a token", "error", reply)
    tap.ok((reply or {}).get("error", {}).get("code") == "unauthorized", "sync without a token: code unauthorized",
           f"got {text[:300]}")

    body = {"protocol": 1, "replica": REPLICA_VILLAGE, "limit": 5000}
    tap.ok(bool(schemas.errors("sync_request", body)), "a limit above 1000 breaks $defs/sync_request", "")
    status, hdrs, reply, text = client.request("POST", "/api/v1/sync", body, token=va_token)
    expect_status("sync with limit 5000", status, 400, text)
    check_body(schemas, "sync with limit 5000", "error", reply)
    tap.ok((reply or {}).get("error", {}).get("field") == "limit", "sync with limit 5000: field limit",
           f"got {text[:300]}")

    status, hdrs, reply, text = client.request("POST", "/api/v1/sync", body, token=va_token,
                                               content_type="text/plain")
    expect_status("body sent as text/plain", status, 415, text)
    check_body(schemas, "body sent as text/plain", "error", reply)

    status, hdrs, reply, text = client.request("GET", "/api/v1/nowhere")
    expect_status("unknown endpoint", status, 404, text)
    check_body(schemas, "unknown endpoint", "error", reply)

    status, hdrs, reply, text = client.request("GET", "/api/v1/sync")
    expect_status("GET /api/v1/sync", status, 405, text)
    check_body(schemas, "GET /api/v1/sync", "error", reply)

    # -- the reviewer edits the address the village set, not having seen it: a hard conflict
    edit = rv.change("household", rec1, "address", "村委会旁")
    edit["base"] = village_address["hlc"] - 1
    reply = sync(schemas, client, "push of an edit made without seeing the field's version", rv_token,
                 {"protocol": 1, "replica": REPLICA_REVIEWER, "cursor": rv_cursor, "limit": 0, "changes": [edit]})
    tap.ok([r.get("status") for r in reply.get("results", [])] == ["accepted"],
           "push of an edit made without seeing the field's version: accepted", f"got {reply.get('results')!r}")

    # -- a second laptop's first sync: a snapshot
    reply = login(schemas, client, "login (county_reviewer, new laptop)",
                  {"username": "rv", "password": PASSWORD, "replica": REPLICA_NEW_LAPTOP,
                   "device": "county-laptop-2"})
    new_token = reply.get("token")
    reply = sync(schemas, client, "first sync of a new laptop (snapshot 0:0)", new_token,
                 {"protocol": 1, "replica": REPLICA_NEW_LAPTOP, "cursor": 0, "limit": 1000,
                  "snapshot": "0:0"}, gzip_reply=True)
    records = reply.get("records", [])
    ids = sorted(r.get("id") for r in records)
    tap.ok(ids == [rec1, rec2, rec4, rec5] and reply.get("cursor") == 0 and reply.get("changes") == [],
           "snapshot: the four households, cursor 0, no changes", f"got ids {ids!r}, cursor {reply.get('cursor')!r}")
    snap = reply.get("snapshot") or {}
    replicas = reply.get("replicas", [])
    ok_refs = all(0 <= s[3] < len(replicas) for r in records for s in r.get("s", []))
    ok_refs = ok_refs and all(0 <= f[2] < len(r.get("s", [])) for r in records for f in r.get("f", []))
    tap.ok(ok_refs, "snapshot: every version points into replicas, every field into s", f"got {records!r}")
    tap.ok(isinstance(snap.get("seq"), int) and snap.get("seq", 0) > 0,
           "snapshot: seq is the newest server_seq", f"got {snap!r}")
    if snap.get("next") is not None:
        reply = sync(schemas, client, "snapshot, next page", new_token,
                     {"protocol": 1, "replica": REPLICA_NEW_LAPTOP, "cursor": 0, "limit": 1000,
                      "snapshot": snap["next"]})
    tap.ok((reply.get("snapshot") or {}).get("next") is None, "snapshot: the last page has next null",
           f"got {reply.get('snapshot')!r}")
    conflicts = reply.get("conflicts")
    address = [c for c in conflicts or [] if c[1] == "hard" and c[3] == rec1 and c[4] == "address"]
    tap.ok(isinstance(conflicts, list) and len(address) == 1 and address[0][16] is None
           and {address[0][6], address[0][11]} == {'"村委会旁"', '"大田刘村 12 号"'},
           "snapshot: the last page lists the open hard conflict on the address, with both values",
           f"got {conflicts!r}")
    reply = sync(schemas, client, "new laptop, pull after the snapshot", new_token,
                 {"protocol": 1, "replica": REPLICA_NEW_LAPTOP, "cursor": snap.get("seq", 0), "limit": 1000})
    tap.ok(reply.get("changes") == [] and reply.get("more") is False,
           "new laptop, pull after the snapshot: nothing new", f"got {reply!r}")

    # -- a laptop restored from a backup: the server holds more of its replica than it made
    reply = sync(schemas, client, "pull of a laptop whose store is older than its replica", va_token,
                 {"protocol": 1, "replica": REPLICA_VILLAGE, "cursor": va_cursor, "limit": 0})
    last_n = reply.get("last_n")
    tap.ok(isinstance(last_n, int) and last_n >= fields[4]["n"],
           "sync answer: last_n is the highest n held of the replica", f"got {last_n!r}")
    body = {"protocol": 1, "replica": REPLICA_VILLAGE, "new_replica": REPLICA_FORK, "after": 1}
    check_request(schemas, "fork", "fork_request", body)
    status, hdrs, reply, text = client.request("POST", "/api/v1/fork", body, token=va_token)
    expect_status("fork", status, 200, text)
    check_body(schemas, "fork", "fork_response", reply)
    fork_token = (reply or {}).get("token")
    reply = sync(schemas, client, "first sync as the new replica", fork_token,
                 {"protocol": 1, "replica": REPLICA_FORK, "cursor": (reply or {}).get("cursor", 0), "limit": 1000})
    tap.ok(any(c.get("replica") == REPLICA_VILLAGE for c in reply.get("changes", [])),
           "first sync as the new replica: the old replica's changes come", f"got {reply.get('changes')!r}")
    status, hdrs, reply, text = client.request("POST", "/api/v1/fork", body, token=va_token)
    expect_status("fork to a replica the server knows", status, 400, text)
    tap.ok((reply or {}).get("error", {}).get("code") == "conflict", "fork to a replica the server knows: code conflict",
           f"got {text[:300]}")
    check_body(schemas, "fork to a replica the server knows", "error", reply)


def main():
    if len(sys.argv) != 3:
        print("usage: check-protocol-schema.py JINGUO_SERVER SOURCE_ROOT", file=sys.stderr)
        return 2
    os.environ.pop("http_proxy", None)
    os.environ.pop("HTTP_PROXY", None)
    try:
        run(sys.argv[1], sys.argv[2])
    except Exception as e:  # a crash is a failure, reported as TAP
        import traceback
        tap.ok(False, "the check ran to its end", f"{type(e).__name__}: {e}")
        tap.diag(traceback.format_exc())
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
