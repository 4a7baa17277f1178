#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ctest abi.exports_public_only: the functions libsmmu.so defines and exports
# (nm -D --defined-only) must be exactly those the public headers declare
# with SMMU_API. Usage: check_exports.sh LIBSMMU_SO INCLUDE_DIR...
# (the source headers and the generated ones, e.g. smmu_version.h).
set -eu
lib=$1; shift
tmp=${TMPDIR:-/tmp}/check_exports.$$
trap 'rm -f "$tmp".*' EXIT
nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWwDdBbRr]$/ { print $3 }' | sort -u >"$tmp.lib"
# SMMU_API <type> [*]name( on one line.
for d in "$@"; do cat "$d"/*.h; done | sed -n 's/^SMMU_API .*[ *]\(smmu_[a-z0-9_]*\)(.*/\1/p' | sort -u >"$tmp.hdr"
if [ ! -s "$tmp.hdr" ]; then echo "check_exports: no SMMU_API declarations in $*" >&2; exit 1; fi
if ! diff "$tmp.hdr" "$tmp.lib" >"$tmp.diff"; then
    echo "check_exports: exported symbols differ from the public headers (< header only, > library only):" >&2
    cat "$tmp.diff" >&2
    exit 1
fi
echo "check_exports: $(wc -l <"$tmp.lib") symbols, all declared in $*"
