#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# conformance_scenarios.sh REPLAY DIR
# Runs every scenario of the driver-sequence groups under DIR
# (tests/conformance/{linux-6.1,linux-6.9,nested-v16,iommufd}) through
# smmu-replay and fails if any scenario fails or a group has fewer scenarios
# than issue [conformance] asks for (linux-6.1 >= 20, nested-v16 >= 8,
# iommufd >= 5; linux-6.9 is optional). The checker/ group is not run here:
# it needs the driver-checker (smmu-conformance).
R=$1
D=$2
status=0
for g in linux-6.1:20 linux-6.9:0 nested-v16:8 iommufd:5; do
    group=${g%%:*}
    min=${g#*:}
    n=0
    for f in "$D/$group"/*.yaml; do
        [ -e "$f" ] || continue
        n=$((n + 1))
        if ! out=$("$R" -q "$f" 2>&1); then
            printf '%s\n' "$out"
            echo "FAIL: $f"
            status=1
        fi
    done
    echo "$group: $n scenarios (minimum $min)"
    if [ "$n" -lt "$min" ]; then
        echo "FAIL: $group has $n scenarios, fewer than $min"
        status=1
    fi
done
exit $status
