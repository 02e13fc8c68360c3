#!/usr/bin/env bash
# Replays a fuzz target's corpus (tests/fuzz/corpus/NAME) and, for the
# kernel language, generated inputs beyond the parser's depth limits:
# every input must be handled without a crash or a sanitizer report (the
# target asserts that errors are one line).
# Usage: replay.sh TARGET_BINARY NAME
set -eu
bin=$1 name=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=("$here/corpus/$name")
if [ "$name" = lang ]; then
  python3 "$here/gen_deep.py" "$tmp"
  inputs+=("$tmp")
fi
TMPDIR=$tmp "$bin" "${inputs[@]}"
