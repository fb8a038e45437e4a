#!/usr/bin/env bash
# Rewrites po/POTFILES.in from the sources that have translatable strings.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Files with translatable strings; regenerate with po/update-potfiles.sh"
  grep -rlE '(^|[^A-Za-z0-9_])(N|C|NC)?_\(|translatable="yes"' --include='*.c' --include='*.ui' common client-gtk sync-server | sort
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} > po/POTFILES.in
