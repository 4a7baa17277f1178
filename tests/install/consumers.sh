#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest install.consumers: install BUILD_DIR into a temporary prefix, then build
# and run consumer.c three ways against it: find_package (static and shared
# targets) and pkg-config. Nothing is installed outside the temporary prefix.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/p" >/dev/null
cmake -S "$src" -B "$tmp/b" -DCMAKE_PREFIX_PATH="$tmp/p" >/dev/null
cmake --build "$tmp/b" >/dev/null
"$tmp/b/consumer_static" find_package-static
LD_LIBRARY_PATH="$tmp/p/lib" "$tmp/b/consumer_shared" find_package-shared
export PKG_CONFIG_PATH="$tmp/p/lib/pkgconfig"
cc -std=c11 -o "$tmp/pc" "$src/consumer.c" $(pkg-config --cflags --libs smmuv3-sim)
LD_LIBRARY_PATH="$tmp/p/lib" "$tmp/pc" pkg-config
# the installed tools run from the prefix, on the installed scenarios
"$tmp/p/bin/smmu-replay" --version
"$tmp/p/bin/smmu-replay" -q "$tmp/p/share/smmuv3-sim/traces/default.yaml" | tail -1
