#!/usr/bin/env bash
# Translations per second (native run) and instructions per translation
# (valgrind --tool=callgrind, counting only inside run_case(), so setup is
# excluded) for every smmu-bench case.
# Usage: bench/callgrind.sh [path/to/smmu-bench] [N for callgrind] [N native]
set -euo pipefail
bench=${1:-build/smmu-bench}
n=${2:-20000}
native_n=${3:-2000000}
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --n "$native_n" > "$tmp/native.txt"
printf '%-14s %14s %14s\n' case "M transl./s" "instr/transl."
for c in s1 s1-nocfg s2 nested s1-wc nested-wc s1-hit s2-hit nested-hit s1-tlbhit nested-tlbhit; do
  valgrind --tool=callgrind --toggle-collect=run_case --callgrind-out-file="$tmp/$c.out" \
    "$bench" --case "$c" --n "$n" --quiet >/dev/null 2>"$tmp/$c.err" || { cat "$tmp/$c.err" >&2; exit 1; }
  ir=$(grep -E '^(summary|totals):' "$tmp/$c.out" | head -1 | awk '{print $2}')
  mops=$(awk -v c="$c" '$1 == c { print $2 }' "$tmp/native.txt")
  awk -v c="$c" -v n="$n" -v ir="$ir" -v m="$mops" 'BEGIN { printf "%-14s %14s %14.1f\n", c, m, ir / n }'
done
echo "(instructions include the benchmark loop, about 18 per translation)"
