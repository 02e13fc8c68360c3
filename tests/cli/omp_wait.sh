#!/usr/bin/env bash
# The measuring child's OpenMP environment: GOMP_SPINCOUNT bounded by
# default (TT_MEASURE_OMP_SPIN), threads bound to cores; the user's
# GOMP_SPINCOUNT, OMP_WAIT_POLICY or OMP_PROC_BIND left as they are; the
# setting part of the stored measurement settings (a trial measured under
# another one is not reused).
# The variant is built by a compiler wrapper that links in a constructor
# which compares the environment the variant runs in with TT_EXPECT and
# aborts on a difference (outcome runtime_error instead of ok).
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
unset GOMP_SPINCOUNT OMP_WAIT_POLICY OMP_PROC_BIND OMP_PLACES
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$T/envcheck.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Aborts unless GOMP_SPINCOUNT, OMP_WAIT_POLICY and OMP_PROC_BIND read as
 * TT_EXPECT says. */
__attribute__((constructor)) static void tt_test_envcheck(void) {
  const char *s = getenv("GOMP_SPINCOUNT"), *w = getenv("OMP_WAIT_POLICY");
  const char *b = getenv("OMP_PROC_BIND");
  char got[256];
  snprintf(got, sizeof got, "spin=%s policy=%s bind=%s", s ? s : "-", w ? w : "-", b ? b : "-");
  const char *want = getenv("TT_EXPECT");
  if (want == NULL || strcmp(got, want) != 0) abort();
}
C
cat >"$T/cc" <<EOF2
#!/bin/sh
exec ${CC:-cc} "\$@" "$T/envcheck.c"
EOF2
chmod +x "$T/cc"

run() { "$TT_CLI" run gesummv --size mini --threads 2 --cc "$T/cc" --json >"$T/out" 2>"$T/err"; }
status() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$T/out"; }

TT_EXPECT="spin=10000 policy=- bind=close" run || fail "default: $(cat "$T/err")"
[ "$(status)" = ok ] || fail "default spin: $(cat "$T/out")"
# The check itself works: a wrong expectation fails the variant.
TT_EXPECT="spin=300000 policy=- bind=close" run && fail "a wrong expectation passed"
[ "$(status)" = runtime_error ] || fail "wrong expectation: $(cat "$T/out")"
GOMP_SPINCOUNT=777 TT_EXPECT="spin=777 policy=- bind=close" run || fail "user spin: $(cat "$T/err")"
OMP_WAIT_POLICY=passive TT_EXPECT="spin=- policy=passive bind=close" run || fail "user policy: $(cat "$T/err")"
OMP_PROC_BIND=false TT_EXPECT="spin=10000 policy=- bind=false" run || fail "user binding: $(cat "$T/err")"

# Stored settings carry the wait; a session under another one measures again.
db="$T/w.db"
"$TT_CLI" tune gesummv --size mini --threads 2 --strategy grid --trials 2 --db "$db" >/dev/null 2>&1 ||
  fail "tune"
got=$(sqlite3 "$db" "select distinct settings from trials")
case $got in *" OMP_PROC_BIND=close OMP_PLACES=cores GOMP_SPINCOUNT=10000 source="*) ;; *) fail "settings: $got" ;; esac
GOMP_SPINCOUNT=5000 "$TT_CLI" tune gesummv --size mini --threads 2 --strategy grid --trials 2 \
  --db "$db" >"$T/out" 2>&1 || fail "second tune: $(cat "$T/out")"
grep -q '2 measured, 0 from the database' "$T/out" || fail "reuse across waits: $(cat "$T/out")"
[ "$(sqlite3 "$db" "select count(*) from trials where settings like '% GOMP_SPINCOUNT=5000 source=%'")" = 2 ] ||
  fail "second settings"
OMP_PROC_BIND=false GOMP_SPINCOUNT=100 "$TT_CLI" tune gesummv --size mini --threads 2 --strategy grid \
  --trials 1 --db "$db" >/dev/null 2>&1 || fail "third tune"
[ "$(sqlite3 "$db" "select count(*) from trials where settings like \
  '% tol=1e-09,0.0001 OMP_PROC_BIND=false GOMP_SPINCOUNT=100 source=%'")" = 1 ] || fail "unbound settings"
echo ok
