#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each one.
#   tests/fuzz/run.sh [SECONDS] [BUILDDIR]   (default: 60 s each, _build-fuzz)
# Fails when a target finds a crash; the input is left in BUILDDIR/fuzz-artifacts.
# New corpus entries go to a scratch copy; add an input to
# tests/fuzz/corpus/<target>/ only when it found a bug (it becomes a test).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
builddir=${2:-_build-fuzz}
opts=(-Dfuzz=true -Dgui=false -Db_sanitize=address,undefined -Db_lundef=false
      -Dc_args=-fsanitize=fuzzer-no-link)

if [ -d "$builddir" ]; then
  meson configure "$builddir" "${opts[@]}" >/dev/null
else
  CC=clang meson setup "$builddir" "${opts[@]}" >/dev/null
fi
ninja -C "$builddir" tests/fuzz/fuzz-bundle tests/fuzz/fuzz-request tests/fuzz/fuzz-snapshot

mkdir -p "$builddir/fuzz-artifacts"
status=0
for target in bundle request snapshot; do
  scratch=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$scratch/"
  echo "fuzz-$target: ${seconds}s"
  if ! "$builddir/tests/fuzz/fuzz-$target" -max_total_time="$seconds" -max_len=16384 \
       -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$builddir/fuzz-artifacts/$target-" "$scratch" 2>"$builddir/fuzz-$target.log"; then
    echo "fuzz-$target FAILED: see $builddir/fuzz-$target.log and $builddir/fuzz-artifacts/"
    tail -n 40 "$builddir/fuzz-$target.log"
    status=1
  fi
  grep -E "stat::number_of_executed_units" "$builddir/fuzz-$target.log" || true
  rm -rf "$scratch"
done
exit $status
