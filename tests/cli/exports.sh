#!/usr/bin/env bash
# The shared library exports what the public headers declare, and nothing
# else: libtetune is built with -fvisibility=hidden and the declarations of
# include/tetune/*.h carry TT_API (export.h). Every function the headers
# declare (as GCC's -aux-info lists them, static inline ones left out) and
# every extern variable must be a dynamic symbol that libtetune.so defines
# (nm -D), and every such symbol must be declared there.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
lib=$(dirname "$TT_CLI")/libtetune.so
[ -f "$lib" ] || { echo "FAIL: $lib not built" >&2; exit 1; }
inc="$TT_SOURCE_DIR/include"

for h in "$inc"/tetune/*.h; do echo "#include \"tetune/$(basename "$h")\""; done >"$T/all.c"
gcc -std=c11 -D_GNU_SOURCE -I"$inc" -fsyntax-only -aux-info "$T/aux" "$T/all.c"
grep -F "$inc/tetune/" "$T/aux" | grep -F ' */ extern ' |
  sed -E 's/^.* \*\/ extern .*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*$/\1/' >"$T/declared"
grep -h '^extern [^"]' "$inc"/tetune/*.h |
  sed -E 's/^.*[ *]([A-Za-z_][A-Za-z0-9_]*)(\[[^]]*\])?;$/\1/' >>"$T/declared"
sort -u -o "$T/declared" "$T/declared"
[ "$(wc -l <"$T/declared")" -gt 100 ] || { echo "FAIL: only $(wc -l <"$T/declared") declarations found" >&2; exit 1; }

# Symbols the linker itself defines, and the sanitizers' ODR indicators
# (ASan builds: __odr_asan.<global>), are not the library's API.
nm -D --defined-only "$lib" | awk '{print $3}' |
  grep -vxE '_init|_fini|_edata|_end|__bss_start|__odr_asan\..*|_*(asan|ubsan|sancov)_.*' |
  sort -u >"$T/exported"

missing=$(comm -23 "$T/declared" "$T/exported")
extra=$(comm -13 "$T/declared" "$T/exported")
[ -z "$missing" ] || {
  printf 'declared, not exported: %s\n' $missing >&2
  echo "FAIL: public declarations that libtetune.so does not export (TT_API missing, or never defined)" >&2
  exit 1
}
[ -z "$extra" ] || {
  printf 'exported, not declared: %s\n' $extra >&2
  echo "FAIL: libtetune.so exports symbols no public header declares (build with -fvisibility=hidden)" >&2
  exit 1
}
echo "libtetune.so exports $(wc -l <"$T/exported") symbols, each declared in include/tetune"
