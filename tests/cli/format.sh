#!/usr/bin/env bash
# Formatting is not a discussion: every C file in the source tree must match
# the repository's .clang-format exactly (clang-format --dry-run --Werror).
set -eu
cd "$TT_SOURCE_DIR"
files=$(find include src tests examples bench -name '*.[ch]' 2>/dev/null | sort)
[ -n "$files" ] || { echo "FAIL: no C files found under $TT_SOURCE_DIR" >&2; exit 1; }
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files 2>"${TMPDIR:-/tmp}/tt-format.$$"; then
  grep -o '^[^:]*\.[ch]' "${TMPDIR:-/tmp}/tt-format.$$" | sort -u | sed 's/^/drift: /' >&2
  rm -f "${TMPDIR:-/tmp}/tt-format.$$"
  echo "FAIL: files differ from .clang-format; run 'make format'" >&2
  exit 1
fi
rm -f "${TMPDIR:-/tmp}/tt-format.$$"
