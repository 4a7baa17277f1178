#!/usr/bin/env bash
# Instructions per translation for each smmu-bench case, counted by
# valgrind --tool=callgrind inside run_case() only (setup excluded).
# Usage: bench/callgrind.sh [path/to/smmu-bench] [N]
set -euo pipefail
bench=${1:-build/smmu-bench}
n=${2:-20000}
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-14s %14s %12s\n' case translations instr/op
for c in s1 s1-nocfg s2 nested s1-wc nested-wc s1-hit s2-hit nested-hit s1-tlbhit nested-tlbhit; do
  valgrind --tool=callgrind --toggle-collect=run_case --callgrind-out-file="$tmp/$c.out" \
    "$bench" --case "$c" --n "$n" --quiet >/dev/null 2>"$tmp/$c.err" || { cat "$tmp/$c.err" >&2; exit 1; }
  ir=$(grep -E '^(summary|totals):' "$tmp/$c.out" | head -1 | awk '{print $2}')
  awk -v c="$c" -v n="$n" -v ir="$ir" 'BEGIN { printf "%-14s %14d %12.1f\n", c, n, ir / n }'
done
