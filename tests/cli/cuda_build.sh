#!/usr/bin/env bash
# CUDA target without a GPU: every CUDA template's default (and another
# configuration of gemm, 3mm, lu, cholesky and mvt) build with nvcc without
# warnings (the host runner with its cudaEvent timing included) and export
# tetune's loader ABI; `run`, `tune` and `compare --target cuda` on a
# machine without a GPU exit 2 with one line. Skips the
# builds when nvcc is absent. TT_CUDA_LOG=FILE keeps the build log.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
NVCC=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
# Without a GPU, every command that runs variants refuses --target cuda in
# one line, before it touches the database.
no_gpu() {
  set +e
  "$TT_CLI" "$@" --target cuda > "$T/out" 2> "$T/err"
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$1 --target cuda without a GPU: exit $rc, want 2"
  [ "$(wc -l < "$T/err")" -eq 1 ] || fail "$1: want one line on stderr: $(cat "$T/err")"
  grep -q "target cuda cannot run here: no NVIDIA GPU" "$T/err" || fail "$1: $(cat "$T/err")"
  [ ! -e "$T/c.db" ] || fail "$1 --target cuda created the database"
}
if [ ! -e /dev/nvidia0 ]; then
  no_gpu run gemm --size mini
  no_gpu tune gemm --size mini --trials 2 --db "$T/c.db" --out "$T/o"
  no_gpu compare gemm --size mini --trials 2 --seeds 1 --db "$T/c.db" --out "$T/c.html"
fi
[ -x "$NVCC" ] || { echo "nvcc not found: CUDA builds skipped"; exit 0; }
# kernel, size, a configuration other than the default ('' : the default
# only; nvcc takes 2-6 s a build here)
cases=(
  gemm small '{"ti":4,"tj":32,"ri":4,"rj":1,"tk":8,"stage":false,"uk":2}'
  3mm small '{"ti":16,"tj":16,"ri":1,"rj":2,"tk":8,"stage":true,"uk":1}'
  lu small '{"NB":16,"tp":128,"ti":4,"tj":32,"ri":4,"rj":1,"stage":false,"tk":8,"uk":4}'
  cholesky small '{"NB":64,"tp":32,"ti":16,"tj":8,"ri":1,"rj":4,"stage":true,"tk":32,"uk":1}'
  jacobi-2d small '{"ti":4,"tj":64,"ri":4,"halo":false}'
  gesummv small ''
  mvt small '{"tp":32,"tr":1,"tq":64,"tc":1,"tk":16,"sa":true,"sx":true,"uk":4,"vw":1}'
  atax small ''
  bicg small ''
  gemver small ''
)
# build N K SIZE CFG: one variant, checked; its log line into $T/line$N
build() {
  local n=$1 k=$2 size=$3 cfg=$4 t0
  "$TT_CLI" show "$k" --size "$size" --target cuda --config "$cfg" > "$T/k$n.cu" ||
    { echo "show $k --target cuda --config $cfg failed" > "$T/fail$n"; return; }
  t0=$(date +%s.%N)
  if ! "$NVCC" -O3 -x cu -shared -Xcompiler -fPIC -diag-suppress 177 "$T/k$n.cu" \
    -o "$T/k$n.so" 2> "$T/log$n"; then
    echo "nvcc failed on $k $cfg: $(grep -m5 error "$T/log$n")" > "$T/fail$n"
    return
  fi
  if grep -q "warning" "$T/log$n"; then
    echo "nvcc warns on $k $cfg: $(grep -m5 warning "$T/log$n")" > "$T/fail$n"
    return
  fi
  for sym in tt_abi_version tt_init tt_kernel tt_device_prepare tt_device_time_s; do
    nm -D "$T/k$n.so" | grep -q " $sym\$" || echo "$k $cfg: no symbol $sym" >> "$T/fail$n"
  done
  printf '%s %s %s: built in %.1f s, %d warnings\n' "$k" "$size" "$cfg" \
    "$(echo "$(date +%s.%N) - $t0" | bc)" "$(grep -c "warning #" "$T/log$n" || true)" > "$T/line$n"
}
# as many builds at once as there are CPUs
n=0
par=$(nproc)
for ((c = 0; c < ${#cases[@]}; c += 3)); do
  k=${cases[c]} size=${cases[c + 1]}
  for cfg in default ${cases[c + 2]:+"${cases[c + 2]}"}; do
    build "$n" "$k" "$size" "$cfg" &
    n=$((n + 1))
    while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n; done
  done
done
wait
log=${TT_CUDA_LOG:-$T/cuda.log}
: > "$log"
for ((i = 0; i < n; i++)); do
  [ ! -e "$T/fail$i" ] || fail "$(cat "$T/fail$i")"
  cat "$T/line$i" >> "$log"
done
echo "cuda: $n variants of $((${#cases[@]} / 3)) kernels built with $("$NVCC" --version | tail -1)"
