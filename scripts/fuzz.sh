#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the libFuzzer target with clang (ASan + UBSan) and run it.
#   bash scripts/fuzz.sh [seconds]    default 30; the corpus lives in build-fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
mkdir -p build-fuzz/corpus
# Every core source but version.c, whose smmu/smmu_version.h CMake generates
# (the target does not call smmu_version()).
srcs=()
for f in csrc/src/*.c; do
  [ "$f" = csrc/src/version.c ] || srcs+=("$f")
done
clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Icsrc/include -Icsrc/src "${srcs[@]}" tests/fuzz/fuzz_smmu.c -o build-fuzz/fuzz_smmu
echo "fuzz.sh: running for ${secs}s (seed printed by libFuzzer as 'Seed:')" >&2
build-fuzz/fuzz_smmu -max_total_time="$secs" -print_final_stats=1 build-fuzz/corpus
