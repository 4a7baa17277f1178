#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# README command 2: build and run the whole test suite (ctest).
#   --sanitize   the same suite built with AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
dir=build
[ "${1:-}" = "--sanitize" ] && dir=build-san
bash scripts/build.sh "$@"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"
