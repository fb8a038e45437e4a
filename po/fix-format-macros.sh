#!/usr/bin/env bash
# xgettext cannot see through G_GINT64_FORMAT and friends, so a translatable
# string using them is cut short in the catalogue and never translated.
# PRId64 and PRIu64 from <inttypes.h> are understood by gettext; %zu for gsize.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(grep -rlE 'G_G(U?INT64|SIZE)_FORMAT' --include='*.c' common client-gtk sync-server tests || true)
for f in $files; do
  sed -i -e 's/%" G_GINT64_FORMAT "/%" PRId64 "/g' \
         -e 's/%" G_GUINT64_FORMAT "/%" PRIu64 "/g' \
         -e 's/%" G_GSIZE_FORMAT "/%zu/g' \
         -e 's/G_GINT64_FORMAT/PRId64/g' -e 's/G_GUINT64_FORMAT/PRIu64/g' "$f"
  grep -q '<inttypes.h>' "$f" || sed -i '0,/^#include "config.h"/s//#include "config.h"\n\n#include <inttypes.h>/' "$f"
done
