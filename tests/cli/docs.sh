#!/usr/bin/env bash
# The generated man page and bash completion (scripts/gen_docs.sh, run by
# the build): the man page renders without groff warnings and names every
# command and every option of each command's table (tetune CMD
# --list-options); the completion completes commands, each command's
# options, and files after an option that takes a value.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
man1=$PWD/tetune.1
comp=$PWD/tetune.bash-completion
[ -s "$man1" ] && [ -s "$comp" ] || fail "the build did not generate tetune.1 and the completion"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

groff -K utf8 -man -ww -z "$man1" 2>"$T/warn" || fail "groff failed"
[ ! -s "$T/warn" ] || fail "groff warnings: $(cat "$T/warn")"
MANWIDTH=100 man -l "$man1" >"$T/man" 2>/dev/null || fail "man -l"
grep -q "^TETUNE(1)" "$T/man" || fail "man header"
cmds=$("$TT_CLI" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo "$cmds" | wc -l)" -ge 10 ] || fail "commands: $cmds"
. "$comp"
complete_words() { # completes the last word of "$@"; prints COMPREPLY
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _tetune
  printf '%s\n' "${COMPREPLY[@]}"
}
for c in $cmds; do
  grep -q "^   $c\$" "$T/man" || fail "man page has no section for $c"
  [ "$(complete_words tetune "${c:0:3}" | grep -c "^$c\$")" = 1 ] || fail "completing ${c:0:3}"
  n=0
  while read -r opt arg; do
    n=$((n + 1))
    # the section of c in the rendered page lists the option
    awk -v c="$c" '$0 == "   " c {on = 1; next} /^   [a-z]/ {on = 0} on' "$T/man" \
      | grep -q -- "$opt${arg:+ $arg}" || fail "man page: $c has no $opt"
    complete_words tetune "$c" "$opt" | grep -qx -- "$opt" || fail "completion: $c $opt"
  done < <("$TT_CLI" "$c" --list-options)
  [ "$n" -ge 1 ] || fail "$c lists no options"
done
# After an option that takes a value: files.
touch "$T/some.db"
complete_words tetune export --db "$T/so" | grep -qx "$T/some.db" || fail "completion of --db FILE"
complete_words tetune --ver | grep -qx -- "--version" || fail "completion of --version"
echo ok
