#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# import_same.sh IMPORT RECDIR: a recording with trace.log gzip'd imports to
# the same scenario as the plain one (comments aside: they name the file).
imp=$1 rec=$2
d=$(mktemp -d "${TMPDIR:-/tmp}/smmu-qemu-gz.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
cp -r "$rec" "$d/rec" && chmod -R u+w "$d/rec" && gzip "$d/rec/trace.log" || exit 1
python3 "$imp" "$d/rec" -o "$d/g.yaml" || exit 1
python3 "$imp" "$rec" -o "$d/f.yaml" || exit 1
sed 's/ *#.*//' "$d/g.mmio" > "$d/g"
sed 's/ *#.*//' "$d/f.mmio" > "$d/f"
cmp "$d/g" "$d/f" && cmp "$d/g.pages" "$d/f.pages" && cmp "$d/g.pidx" "$d/f.pidx"
