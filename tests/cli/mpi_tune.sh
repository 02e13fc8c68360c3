#!/usr/bin/env bash
# Distributed tuning over MPI (docs/engine-mpi.md): `tetune tune --mpi`
# without tetune-mpi exits 2 with one line; `mpirun -np 3 tetune-mpi tune`
# completes a session whose trials name the worker rank that measured them
# and whose task carries the workers' fingerprint; a worker killed with
# kill -9 mid-session loses only its trial in flight (stored as 'lost'),
# the session ends completed under --enable-recovery, and --resume goes on;
# without --enable-recovery mpirun aborts, every finished trial stays
# stored and --resume completes the session. Skips (exit 0) only when
# tetune-mpi was not built (no MPI found by CMake).
set -eu
T=$(mktemp -d)
mpid=
trap '[ -n "$mpid" ] && kill -9 "$mpid" 2>/dev/null; rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }

# --mpi in the plain CLI: exit 2, one line, nothing created.
set +e; "$TT_CLI" tune gesummv --size mini --mpi --db "$T/no.db" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q '^tetune: tune --mpi: ' "$T/err" &&
  [ ! -e "$T/no.db" ] || fail "tune --mpi in tetune: $rc $(cat "$T/err")"

MPI=$(dirname "$TT_CLI")/tetune-mpi
if [ ! -x "$MPI" ]; then
  echo "skip: tetune-mpi not built (CMake found no MPI; scripts/setup.sh installs OpenMPI)"
  exit 0
fi
command -v mpirun >/dev/null || fail "tetune-mpi is built but mpirun is missing"
# OpenMPI refuses root without these (CI runs as root); small messages need
# no single-copy mechanism (containers forbid ptrace); OpenMPI's own
# allocations at exit are not tetune's leaks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
run() { timeout 120 mpirun --oversubscribe "$@"; }
q() { sqlite3 "$1" "$2"; }

# One rank is no distribution: exit 2.
set +e; run -np 1 "$MPI" tune gesummv --size mini >"$T/out" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'at least 2 MPI ranks' "$T/err" || fail "np 1: $rc $(cat "$T/err")"

# --workers is for the local evaluator: under MPI the ranks are the workers.
set +e; run -np 2 "$MPI" tune gesummv --size mini --workers 2 --db "$T/w.db" >"$T/out" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q '^tetune: tune: --workers does not apply to --mpi' "$T/err" && [ ! -e "$T/w.db" ] ||
  fail "--workers under MPI: $rc $(cat "$T/err")"

# A session over two workers. The 1-thread sessions run gesummv at small:
# at mini its space at 1 thread (par fixed) holds 8 configurations, fewer
# than the trials asked below.
db="$T/a.db"
run -np 3 "$MPI" tune gesummv --size small --trials 6 --threads 1 --strategy random --seed 3 \
  --db "$db" --out "$T/o" --json >"$T/out" 2>"$T/err" || fail "np 3: $(cat "$T/err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["trials"]==6 and d["best"]["time_s"]>0, d' \
  "$T/out" || fail "summary: $(cat "$T/out")"
[ "$(q "$db" "select count(*), sum(outcome='ok') from trials")" = "6|6" ] || fail "trials: $(q "$db" 'select * from trials')"
[ "$(q "$db" "select count(distinct worker) from trials where worker glob 'rank [12]@*'")" = 2 ] ||
  fail "workers: $(q "$db" 'select worker from trials')"
[ "$(q "$db" "select count(*) from trials where measure_end >= measure_start and measure_start > 0")" = 6 ] ||
  fail "timestamps: $(q "$db" 'select measure_start, measure_end from trials')"
[ "$(q "$db" 'select status from sessions')" = completed ] || fail "status"
q "$db" 'select fingerprint from tasks' | grep -q '"threads":1' || fail "fingerprint: $(q "$db" 'select fingerprint from tasks')"
grep -q 'rank 2@.* ready' "$T/err" || fail "no ready line: $(cat "$T/err")"

# A compiler that takes a second, so that a worker is busy most of the time.
cat >"$T/slowcc" <<'SH'
#!/bin/sh
[ "$1" = --version ] && exec cc --version
sleep 1
exec cc "$@"
SH
chmod +x "$T/slowcc"
# kill_busy_rank2 ERR: kill -9 rank 2 (its pid from its ready line) while
# it is measuring (it has a child: the compiler or the measuring process).
kill_busy_rank2() {
  local pid=
  for _ in $(seq 300); do
    pid=$(sed -n 's/.*rank 2@[^ ]* (pid \([0-9]*\)) ready.*/\1/p' "$1")
    [ -n "$pid" ] && grep -q 'trial 2/' "$1" && pgrep -P "$pid" >/dev/null && break
    sleep 0.05
  done
  [ -n "$pid" ] || fail "rank 2 never got ready: $(cat "$1")"
  kill -9 "$pid"
}

# Killed under --enable-recovery: the session goes on and completes.
db="$T/k.db"
export TETUNE_MPI_SILENCE=3
run -np 3 --enable-recovery "$MPI" tune gesummv --size small --trials 8 --threads 1 \
  --strategy random --seed 5 --cc "$T/slowcc" --db "$db" --out "$T/o" >"$T/out" 2>"$T/err" &
mpid=$!
kill_busy_rank2 "$T/err"
wait "$mpid" || fail "the session did not end well: $(cat "$T/err")"
mpid=
[ "$(q "$db" "select count(*), sum(outcome='ok'), sum(outcome='lost') from trials")" = "8|7|1" ] ||
  fail "after the kill: $(q "$db" 'select seq, outcome, worker, message from trials')"
q "$db" "select worker, message from trials where outcome='lost'" | grep -q '^rank 2@.*|rank 2@.* silent' ||
  fail "the lost trial: $(q "$db" "select * from trials where outcome='lost'")"
[ "$(q "$db" 'select status from sessions')" = completed ] || fail "status after the kill"
grep -q 'lost with its trial in flight' "$T/err" || fail "no note: $(cat "$T/err")"
# ... and resumes over the remaining worker count.
run -np 2 "$MPI" tune gesummv --size small --trials 10 --threads 1 --cc "$T/slowcc" --resume \
  --db "$db" --out "$T/o" >"$T/out" 2>"$T/err" || fail "resume: $(cat "$T/err")"
[ "$(q "$db" "select count(*), count(distinct seq), sum(outcome='lost') from trials")" = "10|10|1" ] ||
  fail "after resume: $(q "$db" 'select seq, outcome, worker from trials')"

# Killed without --enable-recovery: mpirun aborts the job, nothing
# finished is lost, and tune --resume completes the session.
db="$T/n.db"
run -np 3 "$MPI" tune gesummv --size small --trials 8 --threads 1 --strategy random --seed 7 \
  --cc "$T/slowcc" --db "$db" --out "$T/o" >"$T/out" 2>"$T/err" &
mpid=$!
kill_busy_rank2 "$T/err"
set +e; wait "$mpid"; rc=$?; set -e
mpid=
[ "$rc" != 0 ] || fail "mpirun went on without --enable-recovery"
shown=$(grep -c 'trial [0-9]*/8' "$T/err" || true)
stored=$(q "$db" "select count(*) from trials where outcome='ok'")
[ "$stored" -ge "$shown" ] && [ "$stored" -lt 8 ] || fail "stored $stored, shown $shown"
"$TT_CLI" tune gesummv --size small --threads 1 --cc "$T/slowcc" --resume --db "$db" \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "resume after abort: $(cat "$T/err")"
[ "$(q "$db" "select count(*), sum(outcome='ok') from trials")" = "8|8" ] &&
  [ "$(q "$db" 'select status from sessions')" = completed ] || fail "after resume: $(q "$db" 'select * from trials')"
echo "mpi_tune: ok"
