#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest tlm.vp_example: run the virtual-platform example; it must exit 0,
# end with its PASS line (N >= 100 transfers, M >= 1 faults, 0 mismatches)
# and write nothing to stderr (no SystemC warning).
set -euo pipefail
exe=$1
err=$(mktemp)
trap 'rm -f "$err"' EXIT
out=$(SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$exe" 2>"$err")
echo "$out"
last=$(echo "$out" | tail -n 1)
if [ -s "$err" ]; then echo "vp_example: stderr not empty:" >&2; cat "$err" >&2; exit 1; fi
echo "$last" | grep -Eq '^smmu-vp-example: ([0-9]+) transfers checked, ([0-9]+) faults as expected, 0 mismatches: PASS$' \
  || { echo "vp_example: no PASS line" >&2; exit 1; }
n=$(echo "$last" | sed -E 's/^smmu-vp-example: ([0-9]+) transfers.*/\1/')
m=$(echo "$last" | sed -E 's/.*checked, ([0-9]+) faults.*/\1/')
[ "$n" -ge 100 ] && [ "$m" -ge 1 ] || { echo "vp_example: N=$n M=$m too small" >&2; exit 1; }
