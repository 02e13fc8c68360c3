#!/usr/bin/env bash
# CUDA target without a GPU: every CUDA template's default and another
# configuration build with nvcc (the host runner with its cudaEvent timing
# included) and export tetune's loader ABI; `run`, `tune` and `compare
# --target cuda` on a machine without a GPU exit 2 with one line. Skips the builds when nvcc is absent.
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
n=0
for cfg in default '{"ti":8,"tj":32,"tk":8,"stage":false,"uk":2}'; do
  "$TT_CLI" show gemm --size small --target cuda --config "$cfg" > "$T/k$n.c"
  "$NVCC" -O3 -x cu -shared -Xcompiler -fPIC "$T/k$n.c" -o "$T/k$n.so" 2> "$T/log$n" ||
    fail "nvcc failed on gemm $cfg: $(head -5 "$T/log$n")"
  for sym in tt_abi_version tt_init tt_kernel tt_device_prepare tt_device_time_s; do
    nm -D "$T/k$n.so" | grep -q " $sym\$" || fail "gemm $cfg: no symbol $sym"
  done
  n=$((n + 1))
done
echo "cuda: $n variants built with $("$NVCC" --version | tail -1)"
