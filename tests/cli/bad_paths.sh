#!/usr/bin/env bash
# Small input defects of the reliability issue (item 10): an option value
# with a newline still gives one line on stderr; --db '' and --db :memory:
# are refused (they ran a whole session and kept nothing); a FIFO or a
# device as a kernel file is refused at once (a FIFO hung list forever,
# /dev/zero grew until OOM); a broken kernel file does not hide the others.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect RC PATTERN cmd...: exit RC and one stderr line matching PATTERN
  local want=$1 pat=$2
  shift 2
  set +e
  timeout 20 "$@" >/dev/null 2>err
  local rc=$?
  set -e
  [ "$rc" = "$want" ] && [ "$(wc -l <err)" = 1 ] && grep -q "$pat" err || fail "$*: rc $rc, $(cat err)"
}
expect 2 "unknown option '--si.nze'" "$TT_CLI" run gemm "$(printf -- '--si\nze')" mini
expect 2 "keeps nothing" "$TT_CLI" tune gemm --size mini --trials 2 --db ''
expect 2 "keeps nothing" "$TT_CLI" tune gemm --size mini --trials 2 --db :memory:
# A disk that fills while the database is created (here: a file size limit
# with SIGXFSZ ignored, so writes fail with EFBIG) is not bad input: exit 1.
(
  trap '' XFSZ
  ulimit -f 2
  expect 1 "new.db" "$TT_CLI" tune gemm --size mini --trials 1 --db new.db
)
mkfifo k.te
expect 2 "not a regular file" "$TT_CLI" run "$T/k.te"
expect 2 "not a regular file" "$TT_CLI" run /dev/zero
mkdir kp
cp "$TT_SOURCE_DIR/kernels/gemm.te" kp/
printf 'kernel bad(N)\n  sizes mini(4)\n' >kp/bad.te
mkfifo kp/fifo.te
TETUNE_KERNEL_PATH="$T/kp" timeout 20 "$TT_CLI" list >out 2>err || fail "list: $(cat err)"
grep -q '^gemm' out || fail "list lost gemm: $(cat out)"
grep -q 'bad.te:1:8: .*(skipped)' err && grep -q 'fifo.te is not a regular file' err ||
  fail "list warnings: $(cat err)"
echo ok
