#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install the Debian 12 packages the project needs, if any are missing.
set -euo pipefail
# --qemu: the setup of smmu-record (docs/qemu.md) instead: qemu-system-arm and
# cpio from apt, dpkg architecture arm64, and the arm64 kernel and busybox
# packages downloaded (never installed) into $SMMU_QEMU_CACHE.
if [ "${1:-}" = "--qemu" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  cache=${SMMU_QEMU_CACHE:-$HOME/.cache/smmuv3-sim}
  kpkg=${SMMU_QEMU_KERNEL_PKG:-linux-image-arm64}
  echo "deps.sh --qemu: qemu-system-arm, cpio; arm64 packages into $cache" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    qemu-system-arm cpio >/dev/null
  dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -qq
  mkdir -p "$cache"
  # linux-image-arm64 is a metapackage: download what it depends on too
  dep=$(apt-cache depends "$kpkg:arm64" | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -1)
  (cd "$cache" && apt-get download "$kpkg:arm64" ${dep:+"$dep"} busybox-static:arm64)
  ls "$cache"
  exit 0
fi
pkgs=(build-essential cmake pkg-config libgtest-dev googletest libyaml-dev valgrind python3 python3-jsonschema python3-pytest python3-venv python3-yaml verilator gnuplot-nox clang libclang-rt-14-dev doxygen libsystemc-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Slurm 22.05 (slurmctld, slurmd, slurm-client) and munge for ctest sweep.slurm
# (docs/sweep.md), without recommends: with them apt adds about 80 packages
# (every plugin's -dev, ImageMagick, Ghostscript). Without systemd (CI as
# root in a container) they start no daemons; the test starts its own.
nr_pkgs=(slurm-wlm munge)
missing=()
for p in "${nr_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]} (--no-install-recommends)" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
