#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest install.deb_contents: build the Debian package with cpack (into a
# temporary directory; the package is not installed) and list what it holds.
set -euo pipefail
build=$1 version=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp" >/dev/null)
deb=$(ls "$tmp"/smmuv3-sim_"$version"_*.deb)
echo "package: $(basename "$deb")"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Maintainer\|Homepage\|Section\):/\1:/p'
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$tmp/list"
found=$(grep -E \
  'include/smmu/smmu.h$|include/smmu/smmu_version.h$|lib/libsmmu.a$|lib/libsmmu.so.[0-9]+$|bin/smmu-replay$|bin/smmu-trace$|cmake/smmuv3sim/smmuv3simConfig.cmake$|pkgconfig/smmuv3-sim.pc$|traces/default.yaml$|doc/smmuv3-sim/LICENSE$' "$tmp/list")
echo "$found"
n=$(echo "$found" | wc -l)
[ "$n" -eq 10 ] || { echo "deb_contents: expected 10 of the listed files, found $n" >&2; exit 1; }
dpkg-deb --info "$deb" | grep -q '^ Depends: .*libc6' || { echo "deb_contents: no Depends on libc6" >&2; exit 1; }
