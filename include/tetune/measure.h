/* tetune measure layer: compile a generated variant (cached by a hash of
 * source, compiler and flags), run it in an isolated child process with a
 * timeout, validate its output against a reference, time it with warm-up
 * and repeats, and classify the outcome (outcome.h).
 *
 * ---- The kernel ABI -------------------------------------------------------
 * Every variant and every reference is one C translation unit, compiled to a
 * shared object, that defines exactly these symbols:
 *
 *   const int tt_abi_version = 1;
 *   const int tt_ntensors = 3;
 *   const char *const tt_tensor_names[] = {"A", "B", "C"};
 *   const long tt_tensor_elems[] = {...};      element counts
 *   const int tt_tensor_elem_size[] = {8,8,8}; 4 = float, 8 = double
 *   const int tt_tensor_role[] = {0,0,2};      0 in, 1 out, 2 inout, 3 temp
 *   void tt_init(void **args);   deterministic initialisation of the in and
 *                                inout tensors (args[i] is tensor i)
 *   void tt_kernel(void **args); the computation
 *
 * The runner allocates every tensor 64-byte aligned and zero-filled, calls
 * tt_init once, and before every call of tt_kernel restores all out and
 * inout tensors to their state after tt_init (untimed), so in-place kernels
 * (LU, Cholesky) start from the same input each time. A variant and its
 * reference must agree on tt_ntensors, element sizes and counts.
 *
 * ---- Validation -----------------------------------------------------------
 * For each out/inout tensor, element i has the error
 *     |x[i] - r[i]| / max(|r[i]|, floor),  floor = 1e-3 * max_j |r[j]|
 * (floor = 1 when the reference tensor is all zeros), so elements near zero
 * are judged against the tensor's scale instead of blowing up. NaN or Inf
 * where the reference has a finite value is an infinite error. max_rel_err
 * is the maximum over elements and tensors; a tensor fails when its error
 * exceeds the tolerance of its element type (f64 1e-9, f32 1e-4 by default).
 *
 * ---- Timing ---------------------------------------------------------------
 * One untimed warm-up call (its output is validated), then timed calls
 * (CLOCK_MONOTONIC, one call each) until one of:
 *   - the last min_repeats times have (max - min) / median <= target_spread
 *     (a negative target_spread never stops here: equal times, as a coarse
 *     clock gives a fast kernel, have spread 0);
 *   - the kernel time spent in timed calls reaches budget_s and at least
 *     min_repeats calls were made;
 *   - the time spent reaches TT_MEASURE_SLOW_BUDGETS (5) times budget_s, so
 *     a variant slower than that is timed once or twice, never more (it is
 *     far from the best, and repeating it costs more than it tells);
 *   - max_repeats calls were made.
 * A call shorter than the clock's resolution counts as one tick, so times
 * are always > 0 (the search models log time).
 * `spread` is that windowed (max - min) / median at the stop (over all timed
 * calls when fewer than min_repeats were made). Median, min, mean and
 * standard deviation are over all timed calls. The output after the last
 * timed call is validated again, which catches racy parallel kernels.
 *
 * ---- Disturbed timings ----------------------------------------------------
 * Around the timing loop the child sums how long its threads waited on a
 * run queue (Linux schedstat). When that exceeds TT_MEASURE_DISTURBED of
 * the loop's wall time, the loop runs again (at most
 * TT_MEASURE_DISTURBED_TRIES loops), the least disturbed one is kept, and
 * if it is still disturbed the result is ok with disturbed = 1 and a
 * message that says so. The reference is timed the same way. */
#ifndef TETUNE_MEASURE_H
#define TETUNE_MEASURE_H

/* Timed calls stop once this many budgets are spent (see above). */
#define TT_MEASURE_SLOW_BUDGETS 5
/* A timing is disturbed when the kernel's threads together waited on a run
 * queue for more than this share of its wall time (another process had the
 * cores); it is timed again, up to this many times in all, the least
 * disturbed attempt kept, and a still disturbed one says so (see
 * "Disturbed timings" above). */
#define TT_MEASURE_DISTURBED 0.10
#define TT_MEASURE_DISTURBED_TRIES 2

/* How long an OpenMP thread that waits (at a barrier, for work) spins
 * before it sleeps, as libgomp's GOMP_SPINCOUNT: the measuring child sets
 * it unless the environment says GOMP_SPINCOUNT or OMP_WAIT_POLICY itself.
 * libgomp's own default (300,000 spins: milliseconds on CPUs with a slow
 * `pause`) keeps a waiting thread on its core for most of a scheduler time
 * slice, so that on a shared machine every barrier costs slices; a bound
 * this short costs one futex wake-up only where a thread waited longer than
 * it (docs/reliability.md, "Contention"). */
#define TT_MEASURE_OMP_SPIN 10000

#include <signal.h>

#include "tetune/export.h"
#include "tetune/outcome.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { TT_MEASURE_ABI_VERSION = 1, TT_MEASURE_MSG_MAX = 1024 };

/* Tensor roles as the ABI numbers them (the same numbers as tt_role in
 * ir.h; measure does not depend on the IR). */
typedef enum tt_abi_role {
  TT_ABI_ROLE_IN = 0,
  TT_ABI_ROLE_OUT = 1,
  TT_ABI_ROLE_INOUT = 2,
  TT_ABI_ROLE_TEMP = 3
} tt_abi_role;

/* How to compile and measure. Strings are borrowed, never freed by tetune.
 * Every function below accepts opt == NULL for the defaults. */
typedef struct tt_measure_options {
  const char *compiler;          /* NULL: $CC, else "cc" */
  const char *const *flags;      /* NULL-terminated; NULL: the defaults,
                                    -O3 -march=native -fopenmp -fPIC -shared -Wall */
  const char *cache_dir;         /* NULL: $TETUNE_CACHE_DIR, else
                                    $XDG_CACHE_HOME/tetune, else ~/.cache/tetune */
  int threads;                   /* > 0: OMP_NUM_THREADS=threads in the child, and
                                    unless the environment says otherwise
                                    OMP_PROC_BIND=close, OMP_PLACES=cores and omp_spin
                                    (tt_measure_omp_env); 0: environment as is */
  double compile_timeout_s;      /* 120 */
  double run_timeout_s;          /* 60: whole child, from fork to result; <= 0: none */
  double ref_timeout_s;          /* 1800: the naive reference's child (it runs
                                    once and is cached; at large sizes it is far
                                    slower than any variant); <= 0: none */
  int min_repeats;               /* 3 */
  int max_repeats;               /* 50 */
  double target_spread;          /* 0.03 */
  double budget_s;               /* 1.0 s of timed kernel calls */
  double tol_f64;                /* 1e-9 */
  double tol_f32;                /* 1e-4 */
  volatile sig_atomic_t *cancel; /* NULL, or a flag (set by a SIGINT handler):
                                    once non-zero, a running child is killed
                                    at once (runtime_error "interrupted") */
  int64_t tensor_bytes;          /* bytes of all tensors the kernel declares; > 0:
                                    the measuring child's address space is limited
                                    to what it holds plus 3x this plus a margin
                                    (1 GiB + 192 MiB a thread); 0: no limit */
  long omp_spin;                 /* threads > 0: the child's GOMP_SPINCOUNT unless the
                                    environment sets GOMP_SPINCOUNT or OMP_WAIT_POLICY;
                                    0: TT_MEASURE_OMP_SPIN; < 0: libgomp's default */
  int spawn_ok;                  /* 1: the measuring child may start processes (an
                                    OpenCL runtime's linker); they are in its process
                                    group and killed with it. 0: refused (default) */
} tt_measure_options;

/* The result of compiling and/or measuring one variant. */
typedef struct tt_measure_result {
  tt_outcome outcome;
  char message[TT_MEASURE_MSG_MAX]; /* why it failed; compiler warnings on an
                                       ok compile; "" otherwise */
  double time_median_s;
  double time_min_s;
  double time_mean_s;
  double time_stddev_s;
  double spread;      /* see "Timing" above */
  int repeats;        /* timed calls made */
  double max_rel_err; /* see "Validation" above; -1 when not validated */
  double compile_s;   /* wall time of the compiler, 0 on a cache hit */
  int cached;         /* 1 when the .so (or reference file) came from the cache */
  double wait_share;  /* run-queue wait of the kernel's threads / timed wall
                         time; -1 unknown (see "Disturbed timings") */
  int disturbed;      /* wait_share >= TT_MEASURE_DISTURBED */
} tt_measure_result;

/* The defaults documented above. */
TT_API tt_measure_options tt_measure_options_default(void);

/* Resolves the cache directory as documented for opt->cache_dir (creating
 * it). Caller frees. NULL and err filled when it cannot be created. */
TT_API char *tt_measure_cache_dir(const tt_measure_options *opt, tt_error *err);

/* Compiles source to a shared object in the cache, named
 * <hash of source, compiler, compiler version, CPU model, flags>.so; an
 * existing one is reused (res->cached = 1). The source is kept next to it
 * as <hash>.c. The compiler runs from an argument vector (no shell),
 *   <compiler> <flags...> <cache>/<hash>.c -o <tmp>/k.so -lm
 * into a private temporary directory inside the cache, and the result is
 * renamed into place, so parallel compiles of the same source are safe.
 * Returns TT_OK when the compiler could be run: res->outcome is then
 * TT_OUTCOME_OK with *so_path set (caller frees), or
 * TT_OUTCOME_COMPILE_ERROR with the first lines of the compiler's output in
 * res->message (also on compiler timeout) and *so_path NULL.
 * Returns TT_ERR_ENV / TT_ERR_IO (err filled) when the compiler cannot be
 * started, the disk is full, or the cache is unusable (a directory owned by
 * someone else or writable by others is refused). A cached .so is used only
 * when it matches the record written with it (<hash>.sum: what it was
 * built from, its size and checksum); otherwise it is built again. */
TT_API tt_status tt_compile(const char *source, const tt_measure_options *opt, char **so_path,
                            tt_measure_result *res, tt_error *err);

/* Runs the reference shared object ref_so in a child, timed like a variant
 * (a warm-up call, then the timing loop above; a first call longer than
 * TT_MEASURE_SLOW_BUDGETS budgets is the only timed one), and stores its
 * out/inout tensors, the timing and a checksum in <cache>/ref2-<key>.bin.
 * An existing file is reused (res->cached = 1) only when it reads back
 * intact and was timed with the same settings (repeats, spread target,
 * budget, threads); otherwise it is measured again. key names the kernel
 * and problem size (the caller's hash); [A-Za-z0-9_.-].
 * On success *ref_path is set (caller frees) and res->time_median_s,
 * spread and repeats describe the reference's timing. Returns TT_ERR_IO
 * when ref_so does not exist or the file cannot be written, TT_ERR_ENV when
 * the reference itself fails (res says how); *ref_path is NULL then. */
TT_API tt_status tt_measure_reference(const char *ref_so, const char *key,
                                      const tt_measure_options *opt, char **ref_path,
                                      tt_measure_result *res, tt_error *err);

/* Runs so_path in an isolated child: validates against ref_path (NULL: no
 * validation, max_rel_err = -1) and times it (see above). Returns TT_OK
 * whenever the variant was classified: res->outcome is ok, runtime_error
 * ("killed by signal 11 (Segmentation fault)", "exited with status 3", load
 * failures), timeout or wrong_result (max error, tolerance, first bad
 * element). Returns TT_ERR_IO (err filled, res->outcome runtime_error) when
 * so_path or ref_path is missing or unreadable, or the child cannot be
 * started, and TT_ERR_ENV (err filled) when the reference file is damaged:
 * failures of the environment are never the variant's outcome. res->compile_s and res->cached are
 * left untouched. */
TT_API tt_status tt_measure_run(const char *so_path, const char *ref_path,
                                const tt_measure_options *opt, tt_measure_result *res,
                                tt_error *err);

/* tt_compile then, if it compiled, tt_measure_run: one trial. */
TT_API tt_status tt_measure_source(const char *source, const char *ref_path,
                                   const tt_measure_options *opt, tt_measure_result *res,
                                   tt_error *err);

/* The settings that decide what a measurement can find, as one line of
 * text ("run_timeout=60 compile_timeout=120 repeats=3..50 spread=0.03
 * budget=1 tol=1e-09,0.0001"): a stored result is reused only under equal
 * settings (a timeout under a 0.1 ms limit says nothing at 60 s). The
 * compiler, flags and threads are in the machine fingerprint already. */
TT_API void tt_measure_settings(const tt_measure_options *opt, char *buf, size_t len);

/* The OpenMP environment the measuring child runs variants under, beyond
 * the thread count, as the assignments a user repeats to get the same
 * behaviour: threads bound to cores (OMP_PROC_BIND=close OMP_PLACES=cores)
 * unless the user's OMP_PROC_BIND says otherwise, the user's OMP_WAIT_POLICY
 * and GOMP_SPINCOUNT, or tetune's spin bound where the user set no wait:
 * "OMP_PROC_BIND=close OMP_PLACES=cores GOMP_SPINCOUNT=10000" by default;
 * "" when the child leaves the environment as is (threads <= 0). */
TT_API void tt_measure_omp_env(const tt_measure_options *opt, char *buf, size_t len);

/* The first line of `<compiler> --version`. Caller frees; NULL and err
 * filled when the compiler cannot be run. */
TT_API char *tt_compiler_version(const char *compiler, tt_error *err);

/* A JSON object describing where measurements were made:
 * {"cpu_model", "cores", "arch", "os", "compiler", "compiler_version",
 *  "flags": [...], "threads"}. Caller frees. Never NULL; fields that cannot
 * be determined are "unknown" (err says why, if given). */
TT_API char *tt_machine_fingerprint(const tt_measure_options *opt, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
