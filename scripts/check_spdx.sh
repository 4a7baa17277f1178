#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ctest license.spdx_headers: every tracked source, header, script and CMake
# file under the code directories carries "SPDX-License-Identifier: Apache-2.0"
# in its first five lines (after a shebang, or inside the first comment).
# Data files (scenarios, traces, expected outputs, JSON, Markdown) are exempt.
# Usage: check_spdx.sh [SOURCE_DIR]; lists each file without one and fails.
set -eu
cd "${1:-.}"
dirs="csrc tools model bindings bench examples tests scripts cmake"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files -- $dirs CMakeLists.txt)
else # an unpacked release without .git
    files=$(find $dirs CMakeLists.txt -type f 2>/dev/null | sort)
fi
missing=0 checked=0
for f in $files; do
    [ -f "$f" ] || continue
    case "$f" in
        *.c|*.h|*.cc|*.cpp|*.hpp|*.py|*.sh|*.sv|*.in|*.cmake|*.toml|*/CMakeLists.txt|CMakeLists.txt) ;;
        *) head -c 2 "$f" | grep -q '^#!' || continue ;;
    esac
    checked=$((checked + 1))
    if ! head -n 5 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0'; then
        echo "no SPDX-License-Identifier: Apache-2.0 line: $f"
        missing=$((missing + 1))
    fi
done
if [ "$missing" -ne 0 ]; then
    echo "check_spdx: $missing of $checked files lack the licence line (LICENSE; issue [packaging])"
    exit 1
fi
echo "check_spdx: $checked files, all with SPDX-License-Identifier: Apache-2.0"
