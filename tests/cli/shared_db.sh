#!/usr/bin/env bash
# Processes sharing one database (reliability issue, items 3 and 4):
# a result obtained under other measurement settings is not reused; a
# session running in one process cannot be resumed in another; two
# sessions of one task at once measure each configuration once.
set -eu
T=$(mktemp -d)
pids=
trap 'for p in $pids; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { sqlite3 "$1" "$2"; }

# 1. Timeouts under --timeout 0.0001 are not reused by a run at the default
#    limit (before: 'no configuration validated').
"$TT_CLI" tune gesummv --size mini --trials 4 --strategy grid --timeout 0.0001 --db a.db \
  --out o >out1 2>&1 || true
grep -q 'no configuration validated' out1 || fail "tiny timeout validated something: $(cat out1)"
"$TT_CLI" tune gesummv --size mini --trials 4 --strategy grid --db a.db --out o >out2 2>&1 ||
  fail "second run: $(cat out2)"
grep -q '^best: ' out2 || fail "second run reused the timeouts: $(cat out2)"

# 2. A second --resume while the session runs is refused with one line.
"$TT_CLI" tune gemm --size small --trials 30 --strategy random --db b.db --out o >log1 2>&1 &
pids="$!"
for _ in $(seq 400); do
  [ "$(grep -c 'trial' log1 2>/dev/null || true)" -ge 2 ] && break
  sleep 0.05
done
set +e
"$TT_CLI" tune gemm --size small --trials 30 --strategy random --db b.db --resume --out o 2>err
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q '^tetune: session 1 is running in another process (pid' err ||
  fail "concurrent resume: rc $rc, $(cat err)"
kill -9 $pids
wait 2>/dev/null || true
pids=
# a killed owner frees the session at once
"$TT_CLI" tune gemm --size small --trials 3 --strategy random --db b.db --resume --out o >/dev/null 2>err ||
  fail "resume after kill: $(cat err)"

# 3. Two sessions of one task at once: every configuration measured once.
"$TT_CLI" tune gemm --size mini --trials 8 --strategy grid --db c.db --out o1 >/dev/null 2>&1 &
pids="$!"
"$TT_CLI" tune gemm --size mini --trials 8 --strategy grid --db c.db --out o2 >/dev/null 2>&1
wait $pids
pids=
[ "$(q c.db 'select count(*) from trials')" = 16 ] || fail "trials stored: $(q c.db 'select count(*) from trials')"
measured=$(q c.db "select count(*) from trials where message not like 'reused from trial%'")
[ "$measured" = 8 ] || fail "$measured measurements of 8 configurations"
echo "ok"
