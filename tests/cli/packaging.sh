#!/usr/bin/env bash
# Packaging: tetune --version matches the headers' TT_VERSION_STRING; an
# installed tree serves a tiny consumer through CMake's find_package(tetune)
# and through pkg-config, each built against the installed headers and
# library and run: it prints the version it was compiled with, the one it
# runs with, and the size of a space built through the library.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
build=$PWD # ctest runs CLI tests in the build directory
want=$(sed -n 's/^#define TT_VERSION_STRING "\(.*\)"$/\1/p' "$TT_SOURCE_DIR/include/tetune/version.h")
[ -n "$want" ] || fail "no TT_VERSION_STRING in version.h"
[ "$("$TT_CLI" --version)" = "tetune $want" ] || fail "--version: $("$TT_CLI" --version)"

cmake --install "$build" --prefix "$T/p" >/dev/null || fail "install"
flags=""
grep -q '^TT_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && flags="-fsanitize=address,undefined"

mkdir "$T/app"
cat >"$T/app/main.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <tetune/space.h>
#include <tetune/version.h>
int main(void) {
  tt_space *s = tt_space_new();
  double v[] = {1, 2, 4, 8};
  if (tt_space_add_ordinal(s, "tile", v, 4, NULL) < 0) return 1;
  int exact;
  printf("%s %s %.0f\n", TT_VERSION_STRING, tt_version(), tt_space_valid_size(s, &exact));
  tt_space_free(s);
  return strcmp(TT_VERSION_STRING, tt_version()) != 0;
}
C
cat >"$T/app/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(tetune 0.2 REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE tetune::tetune)
add_executable(consumer_static main.c)
target_link_libraries(consumer_static PRIVATE tetune::tetune_static)
CM
cmake -S "$T/app" -B "$T/app/b" -DCMAKE_PREFIX_PATH="$T/p" -DCMAKE_C_FLAGS="$flags" \
  >"$T/log" 2>&1 || fail "find_package(tetune): $(tail -20 "$T/log")"
cmake --build "$T/app/b" >"$T/log" 2>&1 || fail "consumer build: $(tail -20 "$T/log")"
for exe in consumer consumer_static; do
  out=$("$T/app/b/$exe") || fail "$exe: $out"
  [ "$out" = "$want $want 4" ] || fail "$exe printed '$out'"
done
ldd "$T/app/b/consumer" | grep -q "$T/p/.*libtetune.so" || fail "consumer does not use the installed libtetune.so"

# pkg-config, from the same installed tree.
pc=$(find "$T/p" -name tetune.pc)
[ -n "$pc" ] || fail "no tetune.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
[ "$(pkg-config --modversion tetune)" = "$want" ] || fail "pkg-config version"
# shellcheck disable=SC2046
cc $flags -o "$T/pc" "$T/app/main.c" $(pkg-config --cflags --libs tetune) -Wl,-rpath,"$(pkg-config --variable=libdir tetune)" \
  || fail "pkg-config build"
[ "$("$T/pc")" = "$want $want 4" ] || fail "pkg-config consumer"

# The man page and the bash completion are installed.
[ -s "$T/p/share/man/man1/tetune.1" ] || fail "no man page installed"
[ -s "$T/p/share/bash-completion/completions/tetune" ] || fail "no bash completion installed"
echo ok
