#!/usr/bin/env bash
# Strategy options as data: `tetune list --strategies` documents every
# option of bo's table (each accepted with its documented default),
# profile=plain is its documented list of options, the README's copy of
# every strategy's table is the generated one, and a bad value is
# refused with what the option takes.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$TT_CLI" list --strategies > "$T/list" || fail "list --strategies"
grep -q '^bo$' "$T/list" || fail "no bo section: $(head -3 "$T/list")"
# every documented option, set to its documented default, is accepted
opts=$(sed -n '/^bo$/,/^[a-z]/s/^  \([a-z_]*\) .*(default \([^)]*\)).*/\1=\2/p' "$T/list" | paste -sd, -)
[ "$(echo "$opts" | tr ',' '\n' | wc -l)" -ge 30 ] || fail "bo options: $opts"
"$TT_CLI" replay synthetic:branin --strategies "bo($opts)" --budget 8 --seeds 1 --json > "$T/a.json" \
  || fail "defaults refused: $opts"
"$TT_CLI" replay synthetic:branin --strategies bo --budget 8 --seeds 1 --json > "$T/b.json"
python3 -c 'import json, sys
a, b = (json.load(open(f))["strategies"] for f in sys.argv[1:])
assert list(a.values()) == list(b.values()), (a, b)' "$T/a.json" "$T/b.json" \
  || fail "the documented defaults are not the defaults"
# profile=plain is the reference BO: the same runs as its documented
# options spelled out, and not the default's
plain=$(sed -n 's/^  profile .*every extra off (\([^)]*\)).*/\1/p' "$T/list")
[ -n "$plain" ] || fail "profile's doc lists no options"
for s in "bo(profile=plain)" "bo($plain)"; do
  "$TT_CLI" replay synthetic:tiles --strategies "$s" --budget 30 --seeds 2 --json |
    python3 -c 'import json, sys; print(list(json.load(sys.stdin)["strategies"].values()))'
done > "$T/plain"
[ "$(sort -u "$T/plain" | wc -l)" = 1 ] || fail "profile=plain differs from $plain"
"$TT_CLI" replay synthetic:tiles --strategies bo --budget 30 --seeds 2 --json |
  python3 -c 'import json, sys; print(list(json.load(sys.stdin)["strategies"].values()))' > "$T/dflt"
! cmp -s "$T/dflt" <(head -1 "$T/plain") || fail "profile=plain runs as the default"
# the README carries the generated tables
"$TT_CLI" list --strategies --markdown | sed '/^$/d' > "$T/gen"
sed -n '/<!-- strategy options: begin -->/,/<!-- strategy options: end -->/p' \
  "$TT_SOURCE_DIR/README.md" | sed '1d;$d;/^$/d' > "$T/readme"
diff "$T/gen" "$T/readme" > "$T/diff" ||
  fail "README's option tables differ from tetune list --strategies --markdown: $(cat "$T/diff")"
# a bad value: one line naming what the option takes
set +e
"$TT_CLI" replay synthetic:branin --strategies "bo(tr=3)" --budget 8 --seeds 1 > /dev/null 2> "$T/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "bo(tr=3): exit $rc"
grep -q "bo: bad value '3' for option 'tr' (a count in 0..2)" "$T/err" || fail "bo(tr=3): $(cat "$T/err")"
echo ok
