# Sourced by the *_large.sh CLI tests: run_large ARGS... runs
# `tetune run ARGS --size large --threads 2` and checks that it finished,
# validated (relative error <= 1e-9) and was timed; prints the speed.
# Needs $T (a scratch directory) and fail().
run_large() {
  local start rc
  start=$(date +%s.%N)
  set +e
  "$TT_CLI" run "$@" --size large --threads 2 --json >"$T/out" 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 0 ] || fail "$* large exited $rc: $(cat "$T/err") $(cat "$T/out")"
  python3 - "$T/out" "$*" "$start" <<'EOF' || fail "$*: $(cat "$T/out")"
import json, sys, time
d = json.load(open(sys.argv[1]))
assert d["status"] == "ok" and d["max_rel_err"] <= 1e-9 and d["time_s"] > 0, d
print("%-30s ok  %8.2f GFLOP/s  %5.1fx over naive  (%.1f s)" % (
    sys.argv[2], d["gflops"], d["reference_time_s"] / d["time_s"], time.time() - float(sys.argv[3])))
EOF
}
