#!/usr/bin/env bash
# The Python package (python/): its pytest suite against the built
# libtetune.so and tetune command.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$TT_SOURCE_DIR/tests/cli/lib/python.sh"
pick_python pytest
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_LIB=$PWD/libtetune.so PYTHONPATH=$TT_SOURCE_DIR/python
if grep -q '^TT_SANITIZE:BOOL=ON' CMakeCache.txt; then
  # The library is instrumented: the sanitizer runtime must come first.
  export LD_PRELOAD="$(cc -print-file-name=libasan.so):$(cc -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0
fi
cd "$T"
"$PY" -m pytest -q -p no:cacheprovider "$TT_SOURCE_DIR/python/tests" || fail "pytest"
