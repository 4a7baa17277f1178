#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check_import.sh IMPORT REPLAY RECDIR MIN_COMPARED MIN_EVT_CLASS
# Imports RECDIR (smmu-import-qemu) into a temporary directory, replays the
# scenario (smmu-replay --json --agreement) and checks the agreement_summary:
# 0 unexplained, at least MIN_COMPARED DMAs compared and MIN_EVT_CLASS
# divergences explained by qemu-evt-class (docs/qemu.md).
imp=$1 replay=$2 rec=$3 min_compared=$4 min_evt=$5
dir=$(mktemp -d "${TMPDIR:-/tmp}/smmu-qemu-test.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
python3 "$imp" "$rec" -o "$dir/f.yaml" || { echo "import failed"; exit 1; }
"$replay" --json --agreement "$dir/a.csv" "$dir/f.yaml" > "$dir/out.json"
rc=$?
grep -v '"type":"agreement"' "$dir/out.json" | grep -v '"type":"write"' | tail -5
grep '"verdict":"unexplained"' "$dir/out.json" | head -5
sum=$(grep '"type":"agreement_summary"' "$dir/out.json")
[ -n "$sum" ] || { echo "no agreement_summary line"; exit 1; }
num() { echo "$sum" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
compared=$(num compared) unexplained=$(num unexplained)
evt=$(echo "$sum" | sed -n 's/.*"qemu-evt-class":\([0-9]*\).*/\1/p')
evt=${evt:-0}
echo "compared $compared, unexplained $unexplained, qemu-evt-class $evt, replay exit $rc"
[ "$rc" = 0 ] || { echo "smmu-replay exit $rc, expected 0"; exit 1; }
[ "$unexplained" = 0 ] || { echo "unexplained divergences"; exit 1; }
[ "$compared" -ge "$min_compared" ] || { echo "fewer than $min_compared DMAs compared"; exit 1; }
[ "$evt" -ge "$min_evt" ] || { echo "fewer than $min_evt qemu-evt-class divergences"; exit 1; }
# the CSV has a header and one row per DMA
[ "$(head -1 "$dir/a.csv")" = "index,line,sid,ssid,addr,access,expected,model,verdict,rule" ] || exit 1
exit 0
