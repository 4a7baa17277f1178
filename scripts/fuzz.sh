#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build every libFuzzer target tests/fuzz/fuzz_<t>.c with clang (ASan + UBSan)
# and run them (docs/fuzzing.md).
#   bash scripts/fuzz.sh [--build-dir DIR] [--all] [SECONDS]
#     SECONDS     default 30
#     --all       run every target for SECONDS each, one after the other, and
#                 print "fuzz_<t>: <execs> execs, <rate>/s, <n> crashes"
#                 (without it: only fuzz_smmu runs, as before)
#     --build-dir default build-fuzz; the corpus grows in DIR/corpus/<t>,
#                 crash inputs go to DIR/artifacts/<t>/
# Each run also reads the committed seeds in tests/fuzz/corpus/<t>/ and the
# regression inputs in tests/fuzz/regressions/<t>/. Exit 0 only with no crash.
set -euo pipefail
cd "$(dirname "$0")/.."
bd=build-fuzz
all=0
secs=30
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) [ $# -ge 2 ] || { echo "fuzz.sh: --build-dir needs a directory" >&2; exit 2; }
                 bd=$2; shift 2 ;;
    --build-dir=*) bd=${1#--build-dir=}; shift ;;
    --all) all=1; shift ;;
    -h|--help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number, not '$1'" >&2; exit 2; }
       secs=$1; shift ;;
  esac
done
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
mkdir -p "$bd/obj"

# Every core source but version.c, whose smmu/smmu_version.h CMake generates
# (no target calls smmu_version()), compiled once with fuzzer instrumentation
# and linked into each target.
san=address,undefined
cflags=(-std=c11 -O1 -g -fno-sanitize-recover=all -Icsrc/include -Icsrc/src)
objs=()
for f in csrc/src/*.c; do
  [ "$f" = csrc/src/version.c ] && continue
  o="$bd/obj/$(basename "${f%.c}").o"
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find csrc/src csrc/include -newer "$o" -name '*.h' -print -quit)" ]; then
    clang "${cflags[@]}" -fsanitize=fuzzer-no-link,$san -c "$f" -o "$o"
  fi
  objs+=("$o")
done
targets=()
for f in tests/fuzz/fuzz_*.c; do
  t=$(basename "${f%.c}")
  t=${t#fuzz_}
  clang "${cflags[@]}" -fsanitize=fuzzer,$san "${objs[@]}" "$f" -o "$bd/fuzz_$t"
  targets+=("$t")
done
echo "fuzz.sh: built ${targets[*]/#/fuzz_} in $bd" >&2

run() { # run TARGET: prints the summary line; returns the number of crashes (0/1)
  local t=$1 log="$bd/fuzz_$1.log" dirs=("$bd/corpus/$1")
  mkdir -p "$bd/corpus/$t" "$bd/artifacts/$t"
  [ -d "tests/fuzz/corpus/$t" ] && dirs+=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && dirs+=("tests/fuzz/regressions/$t")
  local rc=0
  "$bd/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$bd/artifacts/$t/" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  local execs rate crashes=0
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$rc" -ne 0 ]; then
    crashes=1
    grep -m3 -E 'fuzz invariant|ERROR: |runtime error|Test unit written' "$log" >&2 || true
    echo "fuzz.sh: fuzz_$t failed (exit $rc); log $log" >&2
  fi
  echo "fuzz_$t: ${execs:-0} execs, ${rate:-0}/s, $crashes crashes"
  return "$crashes"
}

fail=0
if [ "$all" = 1 ]; then
  for t in "${targets[@]}"; do
    run "$t" || fail=$((fail + 1))
  done
else
  echo "fuzz.sh: running fuzz_smmu for ${secs}s (seed printed by libFuzzer as 'Seed:'; --all for every target)" >&2
  run smmu || fail=1
fi
[ "$fail" -eq 0 ]
