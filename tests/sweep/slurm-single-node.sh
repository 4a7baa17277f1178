#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ctest sweep.slurm: a throwaway single-node Slurm cluster in a temporary
# directory (munged + slurmctld + slurmd, SLURM_CONF there, never /etc/slurm),
# a 12-run sweep through it with MaxArraySize=5 (3 arrays: 5+5+2), and the
# results compared with the same sweep run locally (rate aside).
# Usage: slurm-single-node.sh PYTHON SMMU-SWEEP EXAMPLES_DIR
# Without slurmctld: exit 77 (ctest SKIP_RETURN_CODE), or 1 when
# SMMU_REQUIRE_SLURM=1 (CI).
set -u
PY=$1 SWEEP=$2 E=$3
skip() {
    echo "SKIP: $*"
    if [ "${SMMU_REQUIRE_SLURM:-0}" = 1 ]; then echo "SMMU_REQUIRE_SLURM=1: failing"; exit 1; fi
    exit 77
}
for c in slurmctld slurmd munged mungekey sbatch squeue sinfo scontrol; do
    command -v "$c" >/dev/null 2>&1 || skip "slurm not installed: run scripts/deps.sh ($c missing)"
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/smmu-slurm.XXXXXX") || exit 1
chmod 755 "$TMP"   # munged refuses a socket directory others cannot search
stop() {
    for p in slurmd slurmctld munged; do
        [ -f "$TMP/$p.pid" ] && kill "$(cat "$TMP/$p.pid")" 2>/dev/null
    done
    sleep 1
    for p in slurmd slurmctld munged; do
        [ -f "$TMP/$p.pid" ] && kill -9 "$(cat "$TMP/$p.pid")" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap stop EXIT
trap 'exit 1' INT TERM
fail() {
    echo "FAIL: $*"
    for f in "$TMP"/*.log; do echo "---- $f"; tail -n 20 "$f"; done
    exit 1
}
mungekey -c -k "$TMP/munge.key" || fail "mungekey"
munged --key-file="$TMP/munge.key" --socket="$TMP/munge.sock" --pid-file="$TMP/munged.pid" \
       --seed-file="$TMP/munge.seed" --log-file="$TMP/munged.log" || fail "munged did not start"
# Two free TCP ports.
set -- $("$PY" -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
mkdir -p "$TMP/state" "$TMP/spool"
export SLURM_CONF="$TMP/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=smmutest
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$TMP/munge.sock
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$1
SlurmdPort=$2
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MaxArraySize=5
MinJobAge=300
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
i=0
until sinfo -h -o '%t' 2>/dev/null | grep -q idle; do
    i=$((i + 1))
    [ $i -gt 60 ] && fail "the node is not idle after 30 s: $(sinfo 2>&1)"
    sleep 0.5
done
cd "$TMP" || exit 1
printf 'base: {preset: mmu600}\nvary: {utlb_entries: [4, 8, 16, 32], ptw_slots: [1, 2, 4]}\ntraces: [%s/hot.yaml]\nmetrics: [latency.p99, tlb_hits, rate]\n' "$E" > s.yaml
"$PY" "$SWEEP" run s.yaml --out slurm-out --backend slurm || fail "submission"
echo "jobs: $(cut -f1,4 slurm-out/slurm/jobs.txt | tr '\t\n' ': ')"
[ "$(cut -f4 slurm-out/slurm/jobs.txt | tr '\n' ' ')" = "5 5 2 " ] || fail "arrays are not 5+5+2"
SMMU_SWEEP_POLL=1 timeout 120 "$PY" "$SWEEP" collect slurm-out --wait || fail "collect"
[ "$(ls slurm-out/runs/*/result.json | wc -l)" = 12 ] || fail "not 12 markers"
"$PY" "$SWEEP" run s.yaml --out local-out --jobs 2 >/dev/null 2>&1 || fail "the local sweep"
# results equal but for rate (column 7)
cut -d, -f1-6,8- slurm-out/results.csv > a.csv
cut -d, -f1-6,8- local-out/results.csv > b.csv
cmp a.csv b.csv || { diff a.csv b.csv; fail "slurm and local results differ"; }
echo "sweep.slurm: 12 runs in 3 arrays, 12 markers, results equal to the local ones"
