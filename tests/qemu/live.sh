#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# live.sh MODE RECORD IMPORT REPLAY CHECK_IMPORT: record a real boot with
# smmu-record --mode MODE, import it and replay it (check_import.sh, 0
# unexplained). Exit 77 (ctest SKIP) naming what is missing when
# qemu-system-aarch64 or the arm64 packages in $SMMU_QEMU_CACHE are absent.
mode=$1 record=$2 imp=$3 replay=$4 check=$5
cache=${SMMU_QEMU_CACHE:-$HOME/.cache/smmuv3-sim}
if ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
  echo "SKIP: qemu-system-aarch64 not installed (bash scripts/deps.sh --qemu)"
  exit 77
fi
if ! ls "$cache"/linux-image-[0-9]*-arm64_*_arm64.deb >/dev/null 2>&1 ||
   ! ls "$cache"/busybox-static_*_arm64.deb >/dev/null 2>&1; then
  echo "SKIP: the arm64 kernel or busybox-static package is not in $cache (bash scripts/deps.sh --qemu)"
  exit 77
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/smmu-qemu-live.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
python3 "$record" -o "$dir/rec" --mode "$mode" || { echo "smmu-record failed"; cat "$dir/rec/console.log" 2>/dev/null | tail -20; exit 1; }
sh "$check" "$imp" "$replay" "$dir/rec" 1 0
