#!/usr/bin/env bash
# Installs what is missing, builds, and starts Jinguo on demo data:
#   - a sync server (jinguo-server) on its embedded SQLite store, on 127.0.0.1:8765,
#     with three users: a county reviewer, a township reviewer and a village worker;
#   - a county laptop that made a demo county (a year of records) and synced it up;
#   - the desktop app, opened on the village worker's laptop after its first sync.
# Everything lives in $JINGUO_DEMO_DIR (default ~/.local/share/jinguo-demo); delete it
# to start over.  The server stops when the app is closed.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

.ci/deps.sh
[ -d _build ] || meson setup _build >/dev/null
ninja -C _build >/dev/null

cli=$root/_build/client-gtk/jinguo-cli
server=$root/_build/sync-server/jinguo-server
app=$root/_build/client-gtk/jinguo
demo=${JINGUO_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jinguo-demo}
port=${JINGUO_DEMO_PORT:-8765}
url=http://127.0.0.1:$port
password=jinguo-demo
mkdir -p "$demo"

export GSETTINGS_SCHEMA_DIR=$root/_build/data
export JINGUO_LOCALEDIR=$root/_build/po
: "${GSETTINGS_BACKEND:=keyfile}"
export GSETTINGS_BACKEND

step () { printf '\n== %s\n' "$*"; }
summary () {
  python3 -c 'import json,sys; s=json.load(sys.stdin); print("   ", ", ".join(f"{k} {s[k]}" for k in ("pushed","accepted","rejected","snapshot","pulled","conflicts") if k in s))'
}

if [ ! -f "$demo/server.db" ]; then
  step "Creating the server store (the 临海市 org units)"
  "$server" init --db "$demo/server.db"
  JINGUO_PASSWORD=$password "$server" user-add --db "$demo/server.db" \
    --username county --role county_reviewer --org 331082
fi

step "Starting the sync server on $url"
"$server" serve --db "$demo/server.db" --listen "127.0.0.1:$port" > "$demo/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "$url/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

if [ ! -f "$demo/county.db" ]; then
  step "The county laptop makes a demo county and syncs it to the server"
  "$cli" --db "$demo/county.db" init >/dev/null
  JINGUO_PASSWORD=$password "$cli" --db "$demo/county.db" login "$url" county >/dev/null
  "$cli" --compact --db "$demo/county.db" demo --households 300 \
    | python3 -c 'import json,sys; s=json.load(sys.stdin); print("   ", s["households"], "households,", s["activities"], "activities,", s["inspections"], "inspections,", s["volunteers"], "volunteers")'
  "$cli" --compact --db "$demo/county.db" sync | summary
fi

if [ ! -f "$demo/village.db" ]; then
  # The village worker of the first village the demo filled.
  village=$("$cli" --compact --db "$demo/county.db" list household \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["org_unit"])')
  township=${village:0:9}
  step "Adding users for village $village and its township $township"
  JINGUO_PASSWORD=$password "$server" user-add --db "$demo/server.db" \
    --username village --role village_staff --org "$village"
  JINGUO_PASSWORD=$password "$server" user-add --db "$demo/server.db" \
    --username township --role township_staff --org "$township"
  step "The village laptop signs in and pulls its village's records"
  "$cli" --db "$demo/village.db" init >/dev/null
  JINGUO_PASSWORD=$password "$cli" --db "$demo/village.db" login "$url" village >/dev/null
  "$cli" --compact --db "$demo/village.db" sync | summary
fi

cat <<EOF

Jinguo is running on demo data.
  server:  $url (store $demo/server.db, log $demo/server.log)
  users:   county / township / village, password "$password"
  stores:  $demo/village.db (opened now), $demo/county.db
  CLI:     $cli --db $demo/village.db list activity
Close the window to stop the server.
EOF

"$app" --store "$demo/village.db"
