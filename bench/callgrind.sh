#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions per translation (or per TLBI operation) of every smmu-bench
# case, counted by valgrind --tool=callgrind, plus the native rates.
#
# Usage: bench/callgrind.sh [--json] [--check] [--cases A,B,...] [smmu-bench] [N] [native N]
#
#   smmu-bench  path of the binary (default build/smmu-bench)
#   N           translations for callgrind (default 20000); TLBI cases run
#               N/100 operations (at least 20)
#   native N    translations of the native run that gives the rates
#               (default 2000000); TLBI cases run native N/100 operations
#   --json      one JSON line per case: smmu-bench --json's fields plus
#               instructions, goal, pass (human table otherwise)
#   --check     exit 1 when a goal fails (default: report it, exit 0)
#   --cases     run only these cases (comma-separated)
#
# Method: each case runs twice under callgrind, with N and 3N translations
# (operations), collecting only inside the measured function: smmu_translate
# for translation cases, smmu_mmio_write for the tlbi-* cases (where the
# only counted write is the CMDQ_PROD write of each operation once the boot
# is done). instructions = (Ir(3N) - Ir(N)) / 2N, so setup, the correctness
# checks and the warm-up cancel. The benchmark loop itself is not counted.
# The two runs of a case go in parallel (2 cores).
#
# Goals (IHI 0070 G.b model, 10x QEMU's translate path; see README):
#   s1-tlbhit <= 120, s1-hit <= 60, s1-miss <= 340, s2-miss <= 340,
#   nested-miss <= 680, s1-cfgmiss <= 400 instructions per translation;
#   s1-4sid-utlb: utlb_hit_rate >= 0.90;
#   tlbi-va-64k <= 2 x tlbi-va-1k, tlbi-asid-64k <= 2 x tlbi-asid-1k
#   instructions per operation. Other cases have no goal (null).
#
# Exit status: 0 every case ran (goals reported pass/fail), 1 a case failed
# its correctness check (or, with --check, a goal failed), 2 bad arguments
# or valgrind missing. VALGRIND overrides the valgrind binary.
set -uo pipefail

json=0 check=0 only=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=1 ;;
    --check) check=1 ;;
    --cases) [ $# -ge 2 ] || { echo "callgrind.sh: --cases needs a list" >&2; exit 2; }
             only=$2; shift ;;
    --cases=*) only=${1#--cases=} ;;
    -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "callgrind.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ ${#args[@]} -le 3 ] || { echo "callgrind.sh: too many arguments (see --help)" >&2; exit 2; }
bench=${args[0]:-build/smmu-bench}
n=${args[1]:-20000}
native_n=${args[2]:-2000000}
for v in "$n" "$native_n"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "callgrind.sh: N must be a positive integer, got '$v'" >&2; exit 2; }
done
[ -x "$bench" ] || { echo "callgrind.sh: $bench: not an executable (build it: bash scripts/build.sh)" >&2; exit 2; }
valgrind=${VALGRIND:-valgrind}
command -v "$valgrind" >/dev/null 2>&1 || {
  echo "callgrind.sh: valgrind not found; install the Debian package 'valgrind' (apt-get install valgrind)" >&2
  exit 2
}
ops=$(( n / 100 )); [ "$ops" -ge 20 ] || ops=20
native_ops=$(( native_n / 100 )); [ "$native_ops" -ge 20 ] || native_ops=20

all="s1 s1-nocfg s2 nested s1-wc nested-wc s1-hit s2-hit nested-hit s1-tlbhit nested-tlbhit
     s1-miss s2-miss nested-miss s1-cfgmiss s1-4sid-utlb tlbi-va-1k tlbi-va-64k tlbi-asid-1k tlbi-asid-64k"
cases=""
if [ -n "$only" ]; then
  for c in ${only//,/ }; do
    [[ " $(echo $all) " == *" $c "* ]] || { echo "callgrind.sh: unknown case '$c'; cases: $(echo $all)" >&2; exit 2; }
    cases="$cases $c"
  done
else
  cases=$all
fi

# goal kind and bound per case: "ir MAX", "utlb MIN", "ratio BASECASE FACTOR"
goal_of() {
  case "$1" in
    s1-tlbhit) echo "ir 120" ;;
    s1-hit) echo "ir 60" ;;
    s1-miss|s2-miss) echo "ir 340" ;;
    nested-miss) echo "ir 680" ;;
    s1-cfgmiss) echo "ir 400" ;;
    s1-4sid-utlb) echo "utlb 0.90" ;;
    tlbi-va-64k) echo "ratio tlbi-va-1k 2" ;;
    tlbi-asid-64k) echo "ratio tlbi-asid-1k 2" ;;
    *) echo "none" ;;
  esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir_of() { grep -E '^(summary|totals):' "$1" | head -1 | awk '{print $2}'; }

rc=0
declare -A instr native
for c in $cases; do
  if [[ $c == tlbi-* ]]; then fn=smmu_mmio_write; k=$ops; kn=$native_ops; flag=--ops
  else fn=smmu_translate; k=$n; kn=$native_n; flag=--n; fi
  # native rates and the correctness check
  if ! "$bench" --json --case "$c" $flag "$kn" >"$tmp/$c.native" 2>"$tmp/$c.native.err"; then
    cat "$tmp/$c.native.err" >&2
    echo "callgrind.sh: $c: correctness check failed (native run)" >&2
    rc=1
  fi
  native[$c]=$(head -1 "$tmp/$c.native")
  # callgrind at N and 3N, in parallel
  for m in 1 3; do
    "$valgrind" --tool=callgrind --toggle-collect="$fn" --callgrind-out-file="$tmp/$c.$m.out" \
      "$bench" --case "$c" $flag $(( m * k )) --quiet >"$tmp/$c.$m.log" 2>&1 &
  done
  ok=1
  for m in 1 3; do wait -n || ok=0; done
  if [ $ok = 0 ]; then
    cat "$tmp/$c.1.log" "$tmp/$c.3.log" >&2
    echo "callgrind.sh: $c: correctness check failed under callgrind" >&2
    rc=1
    instr[$c]=""
    continue
  fi
  ir1=$(ir_of "$tmp/$c.1.out"); ir3=$(ir_of "$tmp/$c.3.out")
  instr[$c]=$(awk -v a="$ir1" -v b="$ir3" -v k="$k" 'BEGIN { printf "%.1f", (b - a) / (2 * k) }')
done

nfail=0
[ $json = 1 ] || printf '%-14s %14s %12s %12s %10s  %s\n' case "M per s" "instr/op" "utlb hits" "TLB hits" "goal"
for c in $cases; do
  line=${native[$c]:-}
  ins=${instr[$c]:-}
  read -r kind a b <<<"$(goal_of "$c")"
  goal=null pass=null
  utlb=$(printf '%s' "$line" | sed -n 's/.*"utlb_hit_rate":\([0-9.]*\).*/\1/p')
  tlb=$(printf '%s' "$line" | sed -n 's/.*"tlb_hit_rate":\([0-9.]*\).*/\1/p')
  rate=$(printf '%s' "$line" | sed -n 's/.*_per_s":\([0-9.]*\).*/\1/p')
  case "$kind" in
    ir) goal="\"instructions <= $a\""
        [ -n "$ins" ] && pass=$(awk -v x="$ins" -v g="$a" 'BEGIN { print (x <= g) ? "true" : "false" }') ;;
    utlb) goal="\"utlb_hit_rate >= $a\""
          [ -n "$utlb" ] && pass=$(awk -v x="$utlb" -v g="$a" 'BEGIN { print (x >= g) ? "true" : "false" }') ;;
    ratio) base=${instr[$a]:-}
           if [ -n "$base" ]; then
             lim=$(awk -v x="$base" -v f="$b" 'BEGIN { printf "%.1f", x * f }')
             goal="\"instructions <= $b x $a ($lim)\""
             [ -n "$ins" ] && pass=$(awk -v x="$ins" -v g="$lim" 'BEGIN { print (x <= g) ? "true" : "false" }')
           else
             goal="\"instructions <= $b x $a (not run)\""
           fi ;;
  esac
  [ "$pass" = false ] && nfail=$((nfail + 1))
  if [ $json = 1 ]; then
    [ -n "$line" ] || line="{\"name\":\"$c\",\"check\":\"fail\"}"
    printf '%s,"instructions":%s,"goal":%s,"pass":%s}\n' "${line%\}}" "${ins:-null}" "$goal" "$pass"
  else
    g=$(printf '%s' "$goal" | tr -d '"'); [ "$goal" = null ] && g=""
    [ "$pass" = true ] && g="$g: pass"; [ "$pass" = false ] && g="$g: FAIL"
    awk -v c="$c" -v r="${rate:-0}" -v i="${ins:--}" -v u="${utlb:-0}" -v t="${tlb:-0}" -v g="$g" \
      'BEGIN { printf "%-14s %14.3f %12s %11.1f%% %9.1f%%  %s\n", c, r / 1e6, i, u * 100, t * 100, g }'
  fi
done
if [ $json = 0 ]; then
  echo "(instr/op: callgrind Ir inside smmu_translate per translation, inside smmu_mmio_write per"
  echo " TLBI operation for tlbi-*; (Ir at 3N - Ir at N) / 2N with N = $n, $ops operations)"
fi
[ $nfail = 0 ] || echo "callgrind.sh: $nfail goal(s) not met" >&2
[ $rc = 0 ] || exit $rc
[ $check = 1 ] && [ $nfail -gt 0 ] && exit 1
exit 0
