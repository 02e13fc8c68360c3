#!/usr/bin/env bash
# Bad input to tune, compare, history, report and export: one line
# "tetune: ...", exit status 2, and the database file byte for byte as it
# was (or still absent).
set -eu
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/good.db"
"$TT_CLI" tune gemm --size mini --strategy random --trials 2 --db "$db" --out "$T/o" >/dev/null 2>&1
cp "$db" "$T/saved.db"

# expect_bad SUBSTRING DBFILE -- command...: exit 2, one line, file unchanged.
expect_bad() {
  local msg=$1 file=$2; shift 3
  local before=absent
  [ -e "$file" ] && { cp "$file" "$T/before"; before=present; }
  set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "$* exited $rc, want 2: $(cat "$T/err")"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "$*: not one line: $(cat "$T/err")"
  grep -q '^tetune: ' "$T/err" || fail "$*: $(cat "$T/err")"
  grep -qF -- "$msg" "$T/err" || fail "$*: stderr lacks '$msg': $(cat "$T/err")"
  if [ "$before" = present ]; then cmp -s "$file" "$T/before" || fail "$*: $file changed"
  else [ ! -e "$file" ] || fail "$*: $file was created"; fi
}

for cmd in tune compare; do
  expect_bad "unknown kernel 'nosuch'" "$db" -- "$TT_CLI" $cmd nosuch --db "$db"
  expect_bad "unknown size 'huge'" "$db" -- "$TT_CLI" $cmd gemm --size huge --db "$db"
  expect_bad "no template" "$db" -- "$TT_CLI" $cmd gemm --size mini --template nosuch --db "$db"
  expect_bad "unknown option" "$db" -- "$TT_CLI" $cmd gemm --bogus --db "$db"
  expect_bad "non-negative integer" "$db" -- "$TT_CLI" $cmd gemm --trials many --db "$db"
  expect_bad "--timeout" "$db" -- "$TT_CLI" $cmd gemm --timeout -1 --db "$db"
done
expect_bad "unknown strategy 'nosuch'" "$db" -- "$TT_CLI" tune gemm --size mini --strategy nosuch --db "$db"
# A bad strategy option is found before a new database is created.
expect_bad "bo: unknown option 'zz'" "$T/new.db" -- "$TT_CLI" tune gemm --size mini --strategy 'bo(zz=1)' --db "$T/new.db"
expect_bad "unknown option 'zz'" "$T/new.db" -- "$TT_CLI" compare gemm --size mini --strategies 'random,bo(zz=1)' --db "$T/new.db"
# A NUL byte does not silently end a kernel file.
mkdir "$T/kp"
printf 'kernel k(N) f64\n  sizes s(8)\n  in X[N]\n  \0out Y[N]\n' >"$T/kp/k.te"
expect_bad "k.te:4:3: a NUL byte in a kernel file" "$db" -- env TETUNE_KERNEL_PATH="$T/kp" "$TT_CLI" show k --size s
touch "$T/plainfile"
expect_bad "--out: cannot create directory" "$db" -- "$TT_CLI" tune gemm --size mini --out "$T/plainfile/sub" --db "$db"
expect_bad "compare: --out: cannot write a file in the directory of" "$db" -- "$TT_CLI" compare gemm --size mini --out "$T/plainfile/r.html" --db "$db"
expect_bad "CPUs (more threads than CPUs only measures" "$db" -- "$TT_CLI" tune gemm --size mini --threads 100000 --db "$db"
expect_bad "bo: unknown option 'foo'" "$db" -- "$TT_CLI" tune gemm --size mini --strategy 'bo(foo=1)' --db "$db"
expect_bad "options go in one pair of parentheses" "$db" -- "$TT_CLI" tune gemm --size mini --strategy 'bo(init=3' --db "$db"
expect_bad "bo: bad value 'x' for option 'init'" "$db" -- "$TT_CLI" compare gemm --size mini --strategies 'random,bo(init=x,acq=ei)' --db "$db"
expect_bad "--config" "$db" -- "$TT_CLI" tune gemm --size mini --config '{"nc":' --db "$db"
expect_bad "'zz'" "$db" -- "$TT_CLI" tune gemm --size mini --config '{"zz": 1}' --db "$db"
expect_bad "--config" "$db" -- "$TT_CLI" tune gemm --size mini --config '{"mr": 5}' --db "$db"
expect_bad "malformed --strategies" "$db" -- "$TT_CLI" compare gemm --size mini --strategies 'random,,grid' --db "$db"
expect_bad "malformed --strategies" "$db" -- "$TT_CLI" compare gemm --size mini --strategies '' --db "$db"
expect_bad "unknown strategy 'nosuch'" "$db" -- "$TT_CLI" compare gemm --size mini --strategies random,nosuch --db "$db"
expect_bad "named twice" "$db" -- "$TT_CLI" compare gemm --size mini --strategies random,random --db "$db"
expect_bad "at least 1" "$db" -- "$TT_CLI" compare gemm --size mini --seeds 0 --db "$db"
expect_bad "missing KERNEL" "$db" -- "$TT_CLI" tune --db "$db"

# --resume of a task that does not exist (other size, other thread count).
expect_bad "no stored task for gemm at size small" "$db" -- "$TT_CLI" tune gemm --size small --resume --db "$db"
expect_bad "no stored task" "$db" -- "$TT_CLI" tune gemm --size mini --threads 1 --resume --db "$db"
expect_bad "no database" "$T/none.db" -- "$TT_CLI" tune gemm --size mini --resume --db "$T/none.db"

# Database paths that cannot be written.
expect_bad "nodir/sub/t.db" "$T/nodir/sub/t.db" -- "$TT_CLI" tune gemm --size mini --db "$T/nodir/sub/t.db"
[ ! -e "$T/nodir" ] || fail "a directory was created"
mkdir "$T/dir.db"
expect_bad "dir.db" "$T/dir.db/x" -- "$TT_CLI" tune gemm --size mini --db "$T/dir.db"
expect_bad "dir.db" "$T/dir.db/x" -- "$TT_CLI" compare gemm --size mini --strategies random --db "$T/dir.db"
if [ "$(id -u)" != 0 ]; then
  mkdir "$T/ro" && chmod a-w "$T/ro"
  expect_bad "ro/t.db" "$T/ro/t.db" -- "$TT_CLI" tune gemm --size mini --db "$T/ro/t.db"
fi

# Files that are not tetune databases, and a corrupted one.
head -c 8192 /dev/urandom >"$T/garbage.db"
sqlite3 "$T/foreign.db" 'create table notes(x); insert into notes values (1);'
cp "$db" "$T/corrupt.db"
printf 'this is not the SQLite header' | dd of="$T/corrupt.db" bs=1 seek=0 conv=notrunc 2>/dev/null
for f in garbage foreign corrupt; do
  file="$T/$f.db"
  expect_bad "$f.db" "$file" -- "$TT_CLI" tune gemm --size mini --strategy random --trials 2 --db "$file"
  expect_bad "$f.db" "$file" -- "$TT_CLI" tune gemm --size mini --resume --db "$file"
  expect_bad "$f.db" "$file" -- "$TT_CLI" compare gemm --size mini --strategies random --trials 2 --seeds 1 --db "$file"
  expect_bad "$f.db" "$file" -- "$TT_CLI" history --db "$file"
  expect_bad "$f.db" "$file" -- "$TT_CLI" report --db "$file" --out "$T/r.html"
  expect_bad "$f.db" "$file" -- "$TT_CLI" export gemm --db "$file" --out "$T/x"
done
[ ! -e "$T/r.html" ] && [ ! -e "$T/x" ] || fail "output written for a bad database"

# An ok trial without a positive time (the search models log time).
for bad in 0 NULL -1; do
  cp "$db" "$T/notime.db"
  id=$(sqlite3 "$T/notime.db" "select min(id) from trials where outcome = 'ok'")
  sqlite3 "$T/notime.db" "update trials set time_median_s = $bad where id = $id"
  want="notime.db is corrupted: trial $id is ok with time"
  expect_bad "$want" "$T/notime.db" -- "$TT_CLI" tune gemm --size mini --resume --db "$T/notime.db"
done

# history, report and export never create a database.
expect_bad "none.db" "$T/none.db" -- "$TT_CLI" history --db "$T/none.db"
expect_bad "none.db" "$T/none.db" -- "$TT_CLI" report --db "$T/none.db" --out "$T/r.html"
expect_bad "none.db" "$T/none.db" -- "$TT_CLI" export gemm --db "$T/none.db"
expect_bad "no tuning sessions of nosuch" "$db" -- "$TT_CLI" report nosuch --db "$db" --out "$T/r.html"
expect_bad "no validated configuration of gemm at size large" "$db" -- "$TT_CLI" export gemm --size large --db "$db"

cmp -s "$db" "$T/saved.db" || fail "the good database changed"
echo ok
