#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ctest conformance.checker.<ID>[-ok]: `smmu-replay --checker --json FILE`
# exits 0; for ID.yaml at least one violation line of rule ID and none of
# another rule; for ID-ok.yaml no violation line (docs/conformance.md).
set -u
replay=$1
file=$2
stem=$(basename "$file" .yaml)
out=$("$replay" --checker --json "$file" 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
    echo "$out"
    echo "check_rule: $file: exit $rc, expected 0" >&2
    exit 1
fi
rules=$(echo "$out" | grep '"type":"violation"' | sed 's/.*"rule":"\([A-Z0-9_]*\)".*/\1/' | sort -u)
case $stem in
*-ok)
    if [ -n "$rules" ]; then
        echo "$out" | grep '"type":"violation"'
        echo "check_rule: $file: the correct twin fires $rules" >&2
        exit 1
    fi ;;
*)
    if [ "$rules" != "$stem" ]; then
        echo "$out" | grep '"type":"violation"'
        echo "check_rule: $file: expected exactly rule $stem, got: ${rules:-none}" >&2
        exit 1
    fi ;;
esac
echo "check_rule: $file: OK (${rules:-no violation})"
