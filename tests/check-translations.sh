#!/usr/bin/env bash
# Every source file with translatable strings is in po/POTFILES.in, and
# po/zh_CN.po translates every one of those strings (no untranslated, no fuzzy).
set -euo pipefail
src=${1:?source root}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"

status=0
# 1. Files that use _(), N_() or translatable="yes" but are missing from POTFILES.in.
while IFS= read -r f; do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f"
    status=1
  fi
done < <(grep -rlE '(^|[^A-Za-z0-9_])N?_\(|translatable="yes"' --include='*.c' --include='*.ui' common client-gtk sync-server | sort)

# 2. Every string in those files is translated.
grep -v '^#' po/POTFILES.in | sed '/^\s*$/d' > "$work/files"
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  -f "$work/files" -o "$work/jinguo.pot" 2>"$work/xgettext.err" || { cat "$work/xgettext.err"; exit 1; }
if [ ! -f "$work/jinguo.pot" ]; then
  echo "no translatable strings found"
  exit $status
fi
msgmerge --quiet --no-fuzzy-matching po/zh_CN.po "$work/jinguo.pot" -o "$work/merged.po"
msgfmt --check --statistics -o /dev/null "$work/merged.po" 2>"$work/stats" || { cat "$work/stats"; exit 1; }
cat "$work/stats"
if grep -qE 'untranslated|fuzzy' "$work/stats"; then
  echo "po/zh_CN.po is not complete; untranslated:"
  msgattrib --untranslated --no-obsolete "$work/merged.po" | grep '^msgid' | head -40
  status=1
fi
exit $status
