#!/bin/sh
# doc_example.sh PAGE CC INCLUDE_DIR LIBSMMU [LDFLAGS]: compile the ```c block of PAGE
# against the public headers and the library, run it, and compare its output
# with the indented "It prints:" block that follows it on the page.
set -u
page=$1 cc=$2 inc=$3 lib=$4 ldflags=${5:-}
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
awk '/^```c$/{f=1;next}/^```$/{f=0}f' "$page" > "$d/ex.c"
awk '/^It prints:$/{f=1;next} f&&/^    /{print substr($0,5);next} f&&NF{exit}' "$page" > "$d/want"
[ -s "$d/ex.c" ] && [ -s "$d/want" ] || { echo "no example or expected output in $page"; exit 1; }
"$cc" -std=c11 -Wall -Wextra -pedantic -Werror -I "$inc" "$d/ex.c" "$lib" $ldflags -o "$d/ex" || exit 1
"$d/ex" > "$d/out" || { echo "example exited with $?"; exit 1; }
diff "$d/want" "$d/out"
