#!/usr/bin/env bash
# Benchmark on a machine with an NVIDIA GPU (issue 26, not a timed test), in
# one go, within about ten minutes (TT_GPU_BUDGET seconds, default 570):
#
#   bench/gpu.sh DIR
#
#  1. the machine (nvidia-smi, nvcc, CPU) into DIR/machine.txt;
#  2. what the build needs: missing Debian packages are installed with
#     scripts/setup.sh where apt-get can reach its mirrors; TT_CLI=PATH
#     uses a tetune built elsewhere instead of building;
#  3. builds tetune (DIR/build, Release) unless TT_CLI is given;
#  4. the CUDA tests: every GPU template's default configuration at small
#     runs on the GPU and validates against the C reference (DIR/cuda_tests.txt);
#  4b. the GPU knobs of the matrix-vector and stencil templates: default
#     and without the reduction across work-items, vector loads or halo
#     staging, at medium (DIR/knobs.txt, and in the table's notes);
#  5. the baselines (bench/gpu_baselines.cu, FP64): cuBLAS dgemm (3mm as three
#     dgemm), cuSOLVER dgetrf without pivoting and dpotrf, PolyBench-GPU-style
#     naive kernels (DIR/baselines.txt);
#  6. tunes 3mm, lu and cholesky at large, then extralarge (TT_GPU_SIZES; FP64, bo,
#     TT_GPU_TRIALS trials, default 16 at large and 8 at extralarge), each
#     bounded by the time left; the C references are computed on the CPU in
#     the background meanwhile (they are cached and reused by the tunes);
#  7. the table DIR/results.md: each kernel and size, tetune's best against
#     the vendor library and the naive kernels, and the issue's targets
#     (3mm >= 0.5x cuBLAS, lu and cholesky >= 0.3x cuSOLVER, >= 10x naive).
# A step that no longer fits the budget is skipped and says so in the table.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: bench/gpu.sh DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1" || exit 2
dir=$(cd "$1" && pwd)
exec > >(tee "$dir/log.txt") 2>&1
start=$(date +%s)
budget=${TT_GPU_BUDGET:-570}
left() { echo $((budget - ($(date +%s) - start))); }
say() { printf '[%4ds] %s\n' "$(($(date +%s) - start))" "$*"; }
export TETUNE_CACHE_DIR=$dir/cache
mkdir -p "$TETUNE_CACHE_DIR" && chmod 700 "$TETUNE_CACHE_DIR"
NVCC=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
PATH=$(dirname "$NVCC"):$PATH
export PATH
jobs=$(nproc)

# 1. the machine
{
  date -u
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv 2>&1
  "$NVCC" --version | tail -2
  grep -m1 'model name' /proc/cpuinfo
  echo "cores: $jobs"
} > "$dir/machine.txt"
cat "$dir/machine.txt"
[ -e /dev/nvidia0 ] || say "warning: no /dev/nvidia0: the CUDA runs will fail"

# 2. dependencies
need_pkgs() {
  for p in cmake pkg-config; do command -v "$p" > /dev/null || return 0; done
  pkg-config --exists sqlite3 libcjson zlib || return 0
  return 1
}
if [ -z "${TT_CLI:-}" ] && need_pkgs; then
  say "installing the build dependencies (scripts/setup.sh)"
  bash "$root/scripts/setup.sh" || { say "cannot install the dependencies"; exit 1; }
fi

# 3. build
cli=${TT_CLI:-$dir/build/tetune}
if [ -z "${TT_CLI:-}" ]; then
  say "building tetune"
  cmake -S "$root" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release > "$dir/build.log" 2>&1 &&
    cmake --build "$dir/build" --target tetune -j "$jobs" >> "$dir/build.log" 2>&1 ||
    { tail -20 "$dir/build.log"; say "build failed"; exit 1; }
fi
"$cli" list --targets | tee "$dir/targets.txt"
cuda_flags="-O3 -x cu -shared -Xcompiler -fPIC -lineinfo -diag-suppress 177 -arch=native"

# The C references of the tuned tasks, on the CPU, in the background.
sizes=${TT_GPU_SIZES:-"large extralarge"}
kernels="3mm lu cholesky"
(
  for s in $sizes; do
    for k in $kernels; do
      { "$cli" run "$k" --size "$s" --threads 1 > "$dir/ref-$k-$s.txt" 2>&1
        touch "$dir/ref-$k-$s.done"; } &
    done
    wait
  done
) &
refs=$!

# 4. the CUDA tests: every GPU template validated on the GPU
say "CUDA tests"
gpu_kernels="gemm 3mm lu cholesky jacobi-2d gesummv mvt atax bicg gemver"
for k in $gpu_kernels; do echo "$k"; done |
  xargs -P 4 -I{} sh -c '"$1" run {} --size small --target cuda --cflags "$2" > "$3/test-{}.txt" 2>&1; echo "{}: $(grep -E "^(status|max relative)" "$3/test-{}.txt" | tr "\n" " ")"' \
    _ "$cli" "$cuda_flags" "$dir" | sort | tee "$dir/cuda_tests.txt"
ok=$(grep -c "status: ok" "$dir/cuda_tests.txt")
say "CUDA tests: $ok of $(echo $gpu_kernels | wc -w) ok"

# 4b. the GPU knobs of the matrix-vector and stencil templates, each on and
# off at medium (docs/gpu.md): a reduction across work-items (tr, tc), vector
# loads (vw), a stencil tile staged with its halo (halo)
say "GPU knobs"
knob_runs=(
  gesummv default
  gesummv '{"tp":128,"tr":1,"tk":16,"sa":true,"vw":1}'
  gesummv '{"vw":1}'
  mvt default
  mvt '{"tp":128,"tr":1,"tq":128,"tc":1,"tk":16,"sa":true,"vw":1}'
  gemver default
  gemver '{"tp":128,"tr":1,"tq":128,"tc":1,"tk":16,"sa":true,"vw":1}'
  jacobi-2d default
  jacobi-2d '{"halo":false}'
)
: > "$dir/knobs.txt"
for ((r = 0; r < ${#knob_runs[@]}; r += 2)); do
  [ "$(left)" -gt 400 ] || { say "GPU knobs: the rest skipped (budget)"; break; }
  k=${knob_runs[r]} cfg=${knob_runs[r + 1]}
  timeout -k 5 60 "$cli" run "$k" --size medium --target cuda --config "$cfg" \
    --cflags "$cuda_flags" > "$dir/knob-$r.txt" 2>&1
  echo "$k medium $cfg: $(grep -E "^(status|time)" "$dir/knob-$r.txt" | tr "\n" " ")" |
    tee -a "$dir/knobs.txt"
done

# 5. the baselines
say "baselines"
: > "$dir/baselines.txt"
if "$NVCC" -O3 -std=c++17 -arch=native "$root/bench/gpu_baselines.cu" -o "$dir/gpu_baselines" \
  -lcublas -lcusolver > "$dir/baselines_build.log" 2>&1; then
  for s in $sizes; do
    case $s in
    mini) dims3=(16 18 20 22 24) n=40 ;;
    small) dims3=(40 50 60 70 80) n=120 ;;
    medium) dims3=(180 190 200 210 220) n=400 ;;
    large) dims3=(800 900 1000 1100 1200) n=2000 ;;
    extralarge) dims3=(1600 1800 2000 2200 2400) n=4000 ;;
    esac
    { "$dir/gpu_baselines" 3mm "${dims3[@]}"; "$dir/gpu_baselines" lu "$n"
      "$dir/gpu_baselines" cholesky "$n"; } 2>&1 | sed "s/^/$s /" | tee -a "$dir/baselines.txt"
  done
else
  say "gpu_baselines does not build: $(head -3 "$dir/baselines_build.log")"
fi

# best time of a task in seconds: from tune --json, else the stored trials
best_s() { # kernel size json
  local t
  t=$(grep -o '"time_s":[[:space:]]*[0-9.e+-]*' "$3" 2>/dev/null | head -1 | grep -o '[0-9.e+-]*$')
  if [ -z "$t" ]; then
    t=$("$cli" export "$1" --size "$2" --target cuda --db "$dir/gpu.db" --format csv 2>/dev/null |
      awk -F, 'NR > 1 && $NF ~ /^[0-9.e+-]+$/ { if (m == "" || $NF + 0 < m) m = $NF + 0 }
               END { if (m != "") printf "%.6e", m / 1000 }')
  fi
  echo "$t"
}

# 6. tuning
for s in $sizes; do
  trials=${TT_GPU_TRIALS:-$([ "$s" = large ] && echo 16 || echo 8)}
  for k in $kernels; do
    t=$(($(left) - 20))
    [ $t -gt 150 ] && t=150
    if [ $t -lt 30 ]; then
      say "tune $k $s: skipped (budget)"
      echo "skipped" > "$dir/tune-$k-$s.json"
      continue
    fi
    # its reference comes from the background job, not computed twice
    while [ ! -e "$dir/ref-$k-$s.done" ] && kill -0 "$refs" 2> /dev/null && [ "$(left)" -gt 60 ]; do
      sleep 1
    done
    t=$(($(left) - 20))
    [ $t -gt 150 ] && t=150
    say "tune $k $s: $trials trials, at most $t s"
    timeout -k 10 --signal=INT "$t" "$cli" tune "$k" --size "$s" --target cuda --trials "$trials" \
      --threads 1 --db "$dir/gpu.db" --out "$dir/out-$k-$s" --cflags "$cuda_flags" --json \
      > "$dir/tune-$k-$s.json" 2> "$dir/tune-$k-$s.err"
    say "tune $k $s: exit $?, best $(best_s "$k" "$s" "$dir/tune-$k-$s.json") s"
  done
done
pkill -P "$refs" 2> /dev/null
kill "$refs" 2> /dev/null

# 7. the table
base() { awk -v s="$1" -v k="$2" -v i="$3" '$1 == s && $2 == k && $3 == i { print $4 }' \
  "$dir/baselines.txt"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# bench/gpu.sh, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "GPU: $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1);" \
    "$("$NVCC" --version | tail -1); FP64; CUDA tests $ok/$(echo $gpu_kernels | wc -w) ok."
  echo "Times are device times (cudaEvents, copies excluded), medians."
  echo
  echo "| kernel | size | tetune s | vendor s | x vendor | target | naive s | x naive | target |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for s in $sizes; do
    for k in $kernels; do
      tt=$(best_s "$k" "$s" "$dir/tune-$k-$s.json")
      v=$(base "$s" "$k" "$([ "$k" = 3mm ] && echo cublas || echo cusolver)")
      nv=$(base "$s" "$k" naive)
      rv=$(ratio "$v" "$tt") rn=$(ratio "$nv" "$tt")
      want=$([ "$k" = 3mm ] && echo 0.5 || echo 0.3)
      mv=$([ -n "$rv" ] && awk -v r="$rv" -v w="$want" 'BEGIN { print (r >= w) ? "met" : "missed" }')
      mn=$([ -n "$rn" ] && awk -v r="$rn" 'BEGIN { print (r >= 10) ? "met" : "missed" }')
      echo "| $k | $s | ${tt:-–} | ${v:-–} | ${rv:-–} | >= $want ${mv:-} | ${nv:-–} |" \
        "${rn:-–} | >= 10 ${mn:-} |"
    done
  done
  echo
  echo "GPU knobs at medium (bench/gpu.sh step 4b):"
  echo
  sed 's/^/    /' "$dir/knobs.txt"
} > "$dir/results.md"
cat "$dir/results.md"
say "done"
