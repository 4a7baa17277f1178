#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ctest conformance.list_rules: `smmu-conformance --list-rules` prints
# ID<TAB>section<TAB>explanation, at least 20 lines, one per rule row of
# docs/conformance.md (rows starting with "| `ID` |" in its rule table).
set -eu
out=$("$1" --list-rules)
n=$(echo "$out" | wc -l)
bad=$(echo "$out" | awk -F'\t' 'NF != 3' | wc -l)
rows=$(grep -c '^| `[A-Z][A-Z0-9_]*` | [0-9]' "$2")
echo "$out"
echo "check_list_rules: $n rules, $rows rule rows in $(basename "$2"), $bad malformed lines"
[ "$n" -ge 20 ] && [ "$bad" -eq 0 ] && [ "$n" -eq "$rows" ]
