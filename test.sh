#!/usr/bin/env bash
# Builds Jinguo and runs every test suite; the last line says "N passed, M failed".
#   ./test.sh             installs missing Debian packages, builds in _build, runs all tests
#   JINGUO_WERROR=1       warnings are errors (CI)
#   JINGUO_SANITIZE=1     an ASan+UBSan build in _build-asan
set -euo pipefail
cd "$(dirname "$0")"
.ci/deps.sh

builddir=_build
werror=false
[ -z "${JINGUO_WERROR:-}" ] || werror=true
opts=(-Dwerror=$werror)
if [ -n "${JINGUO_SANITIZE:-}" ]; then
  builddir=_build-asan
  opts+=(-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all -Dbuildtype=debug)
  # Full stacks on malloc let .ci/lsan.supp name GLib's own one-time
  # allocations.  GTK allocates so much that full stacks make the UI suite
  # crawl, and the graphics stack keeps one-time buffers LSan cannot name
  # with short stacks: the UI suite runs with ASan and UBSan but without
  # the leak check, which every other suite (the library code) has.
  asan_slow=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
  asan_fast=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/.ci/lsan.supp:print_suppressions=0}
  # Sanitized code runs about three times slower.
  JINGUO_TEST_ARGS="--timeout-multiplier 5 ${JINGUO_TEST_ARGS:-}"
  export JG_TEST_TIME_SCALE=5
fi

if [ -d "$builddir" ]; then
  meson configure "$builddir" "${opts[@]}" >/dev/null
else
  meson setup "$builddir" "${opts[@]}" >/dev/null
fi
ninja -C "$builddir"

status=0
rm -f "$builddir"/meson-logs/testlog*.json
# The ui suite needs a display; xvfb-run provides one.
if [ -n "${JINGUO_SANITIZE:-}" ]; then
  ASAN_OPTIONS=${ASAN_OPTIONS:-$asan_slow} xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C "$builddir" --print-errorlogs --num-processes 2 --no-suite ui ${JINGUO_TEST_ARGS:-} || status=$?
  ASAN_OPTIONS=${ASAN_OPTIONS:-$asan_fast} xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C "$builddir" --print-errorlogs --suite ui --logbase testlog-ui ${JINGUO_TEST_ARGS:-} || status=$?
else
  xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C "$builddir" --print-errorlogs --num-processes 2 ${JINGUO_TEST_ARGS:-} || status=$?
fi
python3 .ci/count-tests.py "$builddir"/meson-logs/testlog*.json
exit $status
