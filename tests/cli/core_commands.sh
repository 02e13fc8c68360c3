#!/usr/bin/env bash
# The compiler-core commands (list, space, show, run): JSON shapes, exit
# statuses, and every CLI diagnostic as a one-line message with exit 2.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cli() { "$TT_CLI" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_error STATUS SUBSTRING -- command...: exit status and one-line stderr.
expect_error() {
  local want=$1 msg=$2; shift 3
  set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || fail "$* exited $rc, want $want: $(cat "$T/err")"
  grep -qF -- "$msg" "$T/err" || fail "$*: stderr lacks '$msg': $(cat "$T/err")"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "$*: error is not one line: $(cat "$T/err")"
}
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); $1"; }

# list
cli list --json >"$T/out"
json 'names=[k["name"] for k in d]; assert "gemm" in names and "3mm" in names, names; g=[k for k in d if k["name"]=="gemm"][0]; assert g["sizes"]==["mini","small","medium","large","extralarge"], g'
cli list | grep -q '^gemm'
cli list --help | grep -q 'usage: tetune list'

# space
cli space gemm --size large --json >"$T/out"
json 'k={x["name"]:x for x in d["knobs"]}; assert "mc" in k and k["mr"]["values"]==[1,2,3,4,6,8,12], k; assert d["size"]>1000, d'
cli space 3mm --template staged | grep -q 'constraint at + fz <= 1'

# show: readable C with OpenMP pragmas, and the naive reference
cli show gemm --size mini >"$T/out"
grep -Eq '#pragma omp (parallel )?for' "$T/out" || fail "show: no OpenMP"
grep -q 'double C\[restrict NI\]\[NJ\]' "$T/out" || fail "show: no restrict array parameter"
cli show gemm --size mini --config reference | grep -q 'naive reference'
cli show gemm --size mini --config reference >"$T/ref.c"
cp "$T/out" "$T/v.c"
cc -c -Wall -Wextra -Werror -fopenmp -o "$T/v.o" "$T/v.c" || fail "generated code has warnings"
cc -c -Wall -Wextra -Werror -fopenmp -o "$T/r.o" "$T/ref.c" || fail "reference code has warnings"
# show --passes: the loop program after each lowering pass, in the
# driver's order (lu's template has in-place loop steps), and as JSON
cli show lu --size mini --passes | grep '^# after' >"$T/passes"
printf '# after %s\n' time_tile loop_steps chunk_reductions check_unroll stages "init: stages" | diff - "$T/passes" ||
  fail "show --passes: passes out of order"
cli show lu --size mini --config reference --passes | grep -c '^# after' | grep -qx 2 ||
  fail "show --passes: the reference runs stages and init only"
cli show lu --size mini --passes --json >"$T/out"
json 'assert d["passes"].startswith("# after time_tile\n"), d["passes"][:80]'
# Every kernel's default variant and reference: also tensors a function
# does not touch (3mm's init never writes E) must not warn. (faulty writes
# out of bounds on purpose, and GCC says so.)
for k in $(ls "$TT_SOURCE_DIR/kernels" | sed -n 's/\.te$//p' | grep -vx faulty); do
  for c in default reference; do
    cli show "$k" --size mini --config $c >"$T/k.c"
    cc -c -Wall -Wextra -Werror -fopenmp -o "$T/k.o" "$T/k.c" || fail "show $k --config $c has warnings"
  done
done

# run: JSON fields, partial config takes defaults
cli run gemm --size mini --config '{"mr": 4}' --threads 1 --json >"$T/out"
json 'assert d["status"]=="ok" and d["time_s"]>0 and d["gflops"]>0 and d["max_rel_err"]<1e-9, d; assert d["config"]["mr"]==4 and d["config"]["mc"]==12, d["config"]'
cli run faulty --size mini --config '{"fault": 3}' --json >"$T/out" && fail "wrong result exited 0" || true
json 'assert d["status"]=="wrong_result", d'

# compiler and flags are configurable
cli run gemm --size mini --cc cc --cflags "-O1 -fopenmp -fPIC -shared" --json >"$T/out"
json 'assert d["status"]=="ok", d'
expect_error 1 "cannot run nosuchcc" -- cli run gemm --size mini --cc nosuchcc

# diagnostics
expect_error 2 "unknown command 'bogus'" -- cli bogus
expect_error 2 "unknown kernel 'nosuch'" -- cli run nosuch
expect_error 2 "unknown size 'huge' for kernel gemm" -- cli space gemm --size huge
expect_error 2 "has no template 'nope'" -- cli space gemm --template nope
expect_error 2 "unknown option '--frob'" -- cli run gemm --frob
expect_error 2 "option '--size' needs a value" -- cli run gemm --size
expect_error 2 "needs a non-negative integer" -- cli run gemm --threads many
expect_error 2 "missing KERNEL" -- cli run
expect_error 2 "unexpected argument 'extra'" -- cli space gemm extra
expect_error 2 "bogus" -- cli run gemm --size mini --config '{"bogus": 1}'
expect_error 2 "mc" -- cli run gemm --size mini --config '{"mc": 7}'
expect_error 2 "JSON" -- cli run gemm --size mini --config '{"mc": '
expect_error 2 "violates a constraint" -- cli show 3mm --size mini --template staged --config '{"at": true, "fz": true}'
printf 'kernel k(N) f64\n  sizes mini(4)\n  in A[N]\n  out B[N]\n  compute B[i] = Z[i]\n' >"$T/bad.te"
expect_error 2 "bad.te:5:18: unknown tensor 'Z'" -- cli space "$T/bad.te"
printf 'kernel k(N) f64\n  sizes mini(4)\n  in A[N]\n  out B[N]\n  init A[i] = i\n  compute B[i] = sum(k: A[k])\ntemplate t\n  schedule B\n    parallel k\n' >"$T/sched.te"
expect_error 2 "cannot parallelize reduction loop 'k'" -- cli show "$T/sched.te"
# a template whose defaults its own constraints reject: one line naming the constraint
printf 'kernel k(N) f64\n  sizes mini(4)\n  in A[N]\n  out B[N]\n  init A[i] = i\n  compute B[i] = 2.0 * A[i]\ntemplate t\n  knob u = [1, 2, 4] default 1\n  constraint u >= 2\n  schedule B\n    unroll i by u\n' >"$T/defc.te"
expect_error 2 "defc.te:9:14: the default configuration violates constraint 'u >= 2' (size mini)" -- cli tune "$T/defc.te" --trials 2 --db "$T/defc.db"
[ ! -e "$T/defc.db" ] || fail "tune with invalid defaults created a database"
echo ok
