#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check.sh RC PATTERN CMD REPLAY TRACE CASES
# Runs CMD with sh -c in a fresh temporary directory, with $R (smmu-replay),
# $T (smmu-trace) and $C (the cases directory) set. Passes when the exit
# status is RC and the combined stdout+stderr matches the extended regular
# expression PATTERN (every line of PATTERN separated by '&&' must match).
rc_want=$1
pat=$2
cmd=$3
R=$4
T=$5
C=$6
export R T C
dir=$(mktemp -d "${TMPDIR:-/tmp}/smmu-tool-test.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
sh -c "$cmd" >out.txt 2>&1
rc=$?
ok=1
if [ "$rc" != "$rc_want" ]; then
    echo "exit status $rc, expected $rc_want"
    ok=0
fi
old_ifs=$IFS
IFS='&'
for p in $pat; do
    [ -z "$p" ] && continue
    if ! grep -Eq -- "$p" out.txt; then
        echo "output does not match: $p"
        ok=0
    fi
done
IFS=$old_ifs
if [ $ok = 0 ]; then
    echo "---- command: $cmd"
    echo "---- output:"
    cat out.txt
    exit 1
fi
exit 0
