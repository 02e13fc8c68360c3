/* Unit tests for the measure layer: compile cache, isolated runs, outcome
 * classification, validation against a reference, timing loop. Kernels are
 * small C sources written here against the ABI in measure.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "measure/measure_impl.h"
#include "tetune/measure.h"

static char *cache;            /* per-run cache directory */
static tt_measure_options opt; /* fast settings for tests */

/* Vector add metadata + init: C = f(A, B), C is out. */
#define VEC_HEAD(ROLE_C, ES, T)                                                                    \
  "#define N 20000\n"                                                                              \
  "const int tt_abi_version = 1;\n"                                                                \
  "const int tt_ntensors = 3;\n"                                                                   \
  "const char *const tt_tensor_names[] = {\"A\", \"B\", \"C\"};\n"                                 \
  "const long tt_tensor_elems[] = {N, N, N};\n"                                                    \
  "const int tt_tensor_elem_size[] = {" ES "," ES "," ES "};\n"                                    \
  "const int tt_tensor_role[] = {0, 0, " ROLE_C "};\n"                                             \
  "void tt_init(void **args) {\n"                                                                  \
  "  " T " *a = args[0], *b = args[1];\n"                                                          \
  "  for (int i = 0; i < N; i++) { a[i] = (i % 7) / 7.0; b[i] = (i % 11) / 11.0 + 1; }\n"          \
  "}\n"
#define VEC_ARGS "  double *a = args[0], *b = args[1], *c = args[2];\n"

static const char *vec_ref_src =
    VEC_HEAD("1", "8", "double") "void tt_kernel(void **args) {\n" VEC_ARGS
                                 "  for (int i = 0; i < N; i++) c[i] = a[i] + b[i];\n}\n";

/* Same result, different loop structure and OpenMP. */
static const char *vec_ok_src = VEC_HEAD(
    "1", "8", "double") "void tt_kernel(void **args) {\n" VEC_ARGS "  #pragma omp parallel for\n"
                        "  for (int i = 0; i < N; i += 4)\n"
                        "    for (int j = i; j < i + 4 && j < N; j++) c[j] = b[j] + a[j];\n}\n";

static const char *vec_off_src = VEC_HEAD(
    "1", "8",
    "double") "void tt_kernel(void **args) {\n" VEC_ARGS
              "  for (int i = 0; i < N; i++) c[i] = (a[i] + b[i]) * (i >= 100 ? 1.01 : 1.0);\n}\n";

static const char *vec_nan_src = VEC_HEAD(
    "1", "8",
    "double") "void tt_kernel(void **args) {\n" VEC_ARGS "  volatile double zero = 0.0;\n"
              "  for (int i = 0; i < N; i++) c[i] = i == 5 ? zero / zero : a[i] + b[i];\n}\n";

static const char *vec_segv_src =
    VEC_HEAD("1", "8", "double") "void tt_kernel(void **args) {\n"
                                 "  volatile double *p = (double *)0; (void)args;\n"
                                 "  *p = 1.0;\n}\n";

static const char *vec_exit_src = VEC_HEAD(
    "1", "8", "double") "#include <stdio.h>\n#include <stdlib.h>\n"
                        "void tt_kernel(void **args) {\n"
                        "  (void)args; fprintf(stderr, \"giving up here\\n\"); exit(3);\n}\n";

static const char *vec_loop_src =
    VEC_HEAD("1", "8", "double") "void tt_kernel(void **args) {\n"
                                 "  volatile unsigned long x = 0; (void)args;\n"
                                 "  for (;;) x++;\n}\n";

static const char *vec_nokernel_src = VEC_HEAD("1", "8", "double");

static const char *syntax_error_src = "void tt_kernel(void **args) { int x = ; }\n";

/* In-place kernel: X = 2 * X, X inout. Without a restore before every call
 * the result would double on every repeat. */
#define SCALE_SRC(EXTRA)                                                                           \
  "#define N 4096\n"                                                                               \
  "const int tt_abi_version = 1;\n"                                                                \
  "const int tt_ntensors = 1;\n"                                                                   \
  "const char *const tt_tensor_names[] = {\"X\"};\n"                                               \
  "const long tt_tensor_elems[] = {N};\n"                                                          \
  "const int tt_tensor_elem_size[] = {4};\n"                                                       \
  "const int tt_tensor_role[] = {2};\n"                                                            \
  "void tt_init(void **args) {\n"                                                                  \
  "  float *x = args[0];\n"                                                                        \
  "  for (int i = 0; i < N; i++) x[i] = 1.0f + i % 13;\n"                                          \
  "}\n"                                                                                            \
  "void tt_kernel(void **args) {\n"                                                                \
  "  float *x = args[0];\n" EXTRA "  for (int i = 0; i < N; i++) x[i] = x[i] * 2.0f;\n"            \
  "}\n"

/* GEMM C = C + A*B, C inout; a naive reference and a tiled variant. */
#define GEMM_HEAD                                                                                  \
  "#define M 64\n"                                                                                 \
  "const int tt_abi_version = 1;\n"                                                                \
  "const int tt_ntensors = 3;\n"                                                                   \
  "const char *const tt_tensor_names[] = {\"A\", \"B\", \"C\"};\n"                                 \
  "const long tt_tensor_elems[] = {M*M, M*M, M*M};\n"                                              \
  "const int tt_tensor_elem_size[] = {8, 8, 8};\n"                                                 \
  "const int tt_tensor_role[] = {0, 0, 2};\n"                                                      \
  "void tt_init(void **args) {\n"                                                                  \
  "  double *a = args[0], *b = args[1], *c = args[2];\n"                                           \
  "  for (int i = 0; i < M * M; i++) {\n"                                                          \
  "    a[i] = (i * 7 % M) / (double)M; b[i] = (i % 5) - 2; c[i] = i % 3; }\n"                      \
  "}\n"

static const char *gemm_ref_src =
    GEMM_HEAD "void tt_kernel(void **args) {\n"
              "  double *a = args[0], *b = args[1], *c = args[2];\n"
              "  for (int i = 0; i < M; i++) for (int j = 0; j < M; j++)\n"
              "    for (int k = 0; k < M; k++) c[i*M+j] += a[i*M+k] * b[k*M+j];\n}\n";

static const char *gemm_tiled_src =
    GEMM_HEAD "void tt_kernel(void **args) {\n"
              "  double *a = args[0], *b = args[1], *c = args[2];\n"
              "  #pragma omp parallel for\n"
              "  for (int io = 0; io < M; io += 16) for (int ko = 0; ko < M; ko += 8)\n"
              "    for (int i = io; i < io + 16; i++) for (int k = ko; k < ko + 8; k++)\n"
              "      for (int j = 0; j < M; j++) c[i*M+j] += a[i*M+k] * b[k*M+j];\n}\n";

/* Compiles src, failing the test unless it compiles; caller frees. */
static char *compile_ok(const char *src) {
  char *so = NULL;
  tt_measure_result res;
  tt_error err = {0};
  assert_int_equal(tt_compile(src, &opt, &so, &res, &err), TT_OK);
  if (res.outcome != TT_OUTCOME_OK) fail_msg("compile failed: %s", res.message);
  assert_non_null(so);
  return so;
}

/* Builds the reference file for src under key; caller frees the path. */
static char *reference(const char *src, const char *key) {
  char *so = compile_ok(src), *ref = NULL;
  tt_measure_result res;
  tt_error err = {0};
  if (tt_measure_reference(so, key, &opt, &ref, &res, &err) != TT_OK)
    fail_msg("reference failed: %s", err.msg);
  assert_int_equal(res.outcome, TT_OUTCOME_OK);
  assert_true(res.time_median_s > 0);
  free(so);
  return ref;
}

/* Measures src against ref; returns the result. */
static tt_measure_result measure(const char *src, const char *ref) {
  tt_measure_result res;
  tt_error err = {0};
  if (tt_measure_source(src, ref, &opt, &res, &err) != TT_OK) fail_msg("measure: %s", err.msg);
  return res;
}

static int setup(void **state) {
  (void)state;
  tt_error err = {0};
  cache = tt_mkdtemp("tt-measure-test-", &err);
  opt = tt_measure_options_default();
  opt.cache_dir = cache;
  opt.threads = 2;
  opt.budget_s = 0.05;
  opt.max_repeats = 10;
  opt.run_timeout_s = 20;
  return cache == NULL;
}

static int teardown(void **state) {
  (void)state;
  tt_rmtree(cache);
  free(cache);
  return 0;
}

static void test_vec_ok(void **state) {
  (void)state;
  char *ref = reference(vec_ref_src, "vec-ok");
  tt_measure_result res = measure(vec_ok_src, ref);
  if (res.outcome != TT_OUTCOME_OK) fail_msg("%s", res.message);
  assert_true(res.max_rel_err == 0.0);
  assert_true(res.time_median_s > 0 && res.time_min_s > 0);
  assert_true(res.time_min_s <= res.time_median_s);
  assert_true(res.repeats >= 1 && res.repeats <= opt.max_repeats);
  assert_true(res.spread >= 0);
  free(ref);
}

static void test_gemm_tiled_ok(void **state) {
  (void)state;
  char *ref = reference(gemm_ref_src, "gemm-64");
  tt_measure_result res = measure(gemm_tiled_src, ref);
  if (res.outcome != TT_OUTCOME_OK) fail_msg("%s", res.message);
  assert_true(res.max_rel_err >= 0 && res.max_rel_err < 1e-12);
  free(ref);
}

static void test_off_by_one_percent(void **state) {
  (void)state;
  char *ref = reference(vec_ref_src, "vec-off");
  tt_measure_result res = measure(vec_off_src, ref);
  assert_int_equal(res.outcome, TT_OUTCOME_WRONG_RESULT);
  assert_true(res.max_rel_err > 0.009 && res.max_rel_err < 0.011);
  assert_non_null(strstr(res.message, "C: max relative error"));
  assert_non_null(strstr(res.message, "exceeds tolerance 1e-09"));
  assert_non_null(strstr(res.message, "first bad element 100"));
  free(ref);
}

static void test_nan_is_wrong(void **state) {
  (void)state;
  char *ref = reference(vec_ref_src, "vec-nan");
  tt_measure_result res = measure(vec_nan_src, ref);
  assert_int_equal(res.outcome, TT_OUTCOME_WRONG_RESULT);
  assert_true(isinf(res.max_rel_err));
  assert_non_null(strstr(res.message, "first bad element 5: got "));
  assert_non_null(strstr(res.message, "nan"));
  free(ref);
}

static void test_segfault(void **state) {
  (void)state;
  tt_measure_result res = measure(vec_segv_src, NULL);
  assert_int_equal(res.outcome, TT_OUTCOME_RUNTIME_ERROR);
  assert_non_null(strstr(res.message, "killed by signal 11 (Segmentation fault)"));
}

static void test_exit_code_and_output(void **state) {
  (void)state;
  tt_measure_result res = measure(vec_exit_src, NULL);
  assert_int_equal(res.outcome, TT_OUTCOME_RUNTIME_ERROR);
  assert_non_null(strstr(res.message, "exited with status 3"));
  assert_non_null(strstr(res.message, "giving up here"));
}

static void test_timeout(void **state) {
  (void)state;
  tt_measure_options saved = opt;
  opt.run_timeout_s = 1.0;
  double t0 = tt_now();
  tt_measure_result res = measure(vec_loop_src, NULL);
  opt = saved;
  assert_int_equal(res.outcome, TT_OUTCOME_TIMEOUT);
  assert_non_null(strstr(res.message, "1 s time limit"));
  /* The loop never ends: returning at all shows the kill. The bound is
   * loose because the compile is inside and CI machines are loaded. */
  assert_true(tt_now() - t0 < 60.0);
}

static void test_compile_error(void **state) {
  (void)state;
  tt_measure_result res = measure(syntax_error_src, NULL);
  assert_int_equal(res.outcome, TT_OUTCOME_COMPILE_ERROR);
  assert_non_null(strstr(res.message, "error"));
  assert_non_null(strstr(res.message, ".c:1:"));
}

static void test_missing_symbol(void **state) {
  (void)state;
  tt_measure_result res = measure(vec_nokernel_src, NULL);
  assert_int_equal(res.outcome, TT_OUTCOME_RUNTIME_ERROR);
  assert_non_null(strstr(res.message, "lacks symbol tt_kernel"));
}

static void test_cache_hit(void **state) {
  (void)state;
  const char *src = VEC_HEAD("1", "8", "double") "void tt_kernel(void **args) { (void)args; }\n"
                                                 "/* cache test */\n";
  char *so1 = NULL, *so2 = NULL;
  tt_measure_result r1, r2;
  assert_int_equal(tt_compile(src, &opt, &so1, &r1, NULL), TT_OK);
  assert_int_equal(tt_compile(src, &opt, &so2, &r2, NULL), TT_OK);
  assert_int_equal(r1.outcome, TT_OUTCOME_OK);
  assert_int_equal(r2.outcome, TT_OUTCOME_OK);
  assert_false(r1.cached);
  assert_true(r1.compile_s > 0);
  assert_true(r2.cached);
  assert_true(r2.compile_s == 0);
  assert_string_equal(so1, so2);
  /* Different flags: a different object. */
  const char *flags[] = {"-O1", "-fPIC", "-shared", NULL};
  tt_measure_options o = opt;
  o.flags = flags;
  char *so3 = NULL;
  assert_int_equal(tt_compile(src, &o, &so3, &r1, NULL), TT_OK);
  assert_false(r1.cached);
  assert_string_not_equal(so1, so3);
  free(so1);
  free(so2);
  free(so3);
}

static void test_inplace_restore(void **state) {
  (void)state;
  char *ref = reference(SCALE_SRC(""), "scale-inplace");
  tt_measure_options saved = opt;
  opt.min_repeats = 5;
  opt.max_repeats = 8;
  opt.target_spread = -1.0; /* never satisfied (0 is, by equal times): run all 8 */
  opt.budget_s = 100;
  tt_measure_result res = measure(SCALE_SRC("  (void)0;\n"), ref);
  opt = saved;
  if (res.outcome != TT_OUTCOME_OK) fail_msg("%s", res.message);
  assert_int_equal(res.repeats, 8);
  assert_true(res.max_rel_err == 0.0);
  free(ref);
}

static void test_reference_reused(void **state) {
  (void)state;
  char *so = compile_ok(gemm_ref_src);
  char *p1 = NULL, *p2 = NULL;
  tt_measure_result r1, r2;
  assert_int_equal(tt_measure_reference(so, "reuse-key", &opt, &p1, &r1, NULL), TT_OK);
  assert_false(r1.cached);
  assert_int_equal(tt_measure_reference(so, "reuse-key", &opt, &p2, &r2, NULL), TT_OK);
  assert_true(r2.cached);
  assert_true(r1.time_median_s == r2.time_median_s);
  assert_string_equal(p1, p2);
  tt_error err = {0};
  char *p3 = NULL;
  assert_int_equal(tt_measure_reference(so, "../escape", &opt, &p3, &r1, &err), TT_ERR_USAGE);
  assert_null(p3);
  free(so);
  free(p1);
  free(p2);
}

/* The reference runs under its own limit, not the variants' one. */
static void test_reference_timeout(void **state) {
  (void)state;
  char *so = compile_ok(vec_loop_src), *ref = NULL;
  tt_measure_options o = opt;
  o.run_timeout_s = 0.001;
  o.ref_timeout_s = 1.0;
  tt_measure_result res;
  tt_error err = {0};
  assert_int_equal(tt_measure_reference(so, "endless-ref", &o, &ref, &res, &err), TT_ERR_ENV);
  assert_null(ref);
  assert_non_null(strstr(err.msg, "1 s time limit"));
  free(so);
}

static void test_missing_paths(void **state) {
  (void)state;
  tt_measure_result res;
  tt_error err = {0};
  assert_int_equal(tt_measure_run("/nonexistent/k.so", NULL, &opt, &res, &err), TT_ERR_IO);
  assert_int_equal(res.outcome, TT_OUTCOME_RUNTIME_ERROR);
  assert_non_null(strstr(err.msg, "kernel library not found"));
  char *so = compile_ok(vec_ref_src);
  tt_error_clear(&err);
  assert_int_equal(tt_measure_run(so, "/nonexistent/ref.bin", &opt, &res, &err), TT_ERR_IO);
  assert_non_null(strstr(err.msg, "reference file not found"));
  char *ref = NULL;
  tt_error_clear(&err);
  assert_int_equal(tt_measure_reference("/nonexistent/r.so", "missing-ref", &opt, &ref, &res, &err),
                   TT_ERR_IO);
  assert_null(ref);
  free(so);
}

static void test_compiler_missing(void **state) {
  (void)state;
  tt_measure_options o = opt;
  o.compiler = "/nonexistent/tetune-cc";
  char *so = NULL;
  tt_measure_result res;
  tt_error err = {0};
  assert_int_equal(tt_compile(vec_ref_src, &o, &so, &res, &err), TT_ERR_ENV);
  assert_null(so);
  assert_non_null(strstr(err.msg, "tetune-cc"));
}

static void test_reference_crash_is_env_error(void **state) {
  (void)state;
  char *so = compile_ok(vec_segv_src), *ref = NULL;
  tt_measure_result res;
  tt_error err = {0};
  assert_int_equal(tt_measure_reference(so, "crashing-ref", &opt, &ref, &res, &err), TT_ERR_ENV);
  assert_int_equal(res.outcome, TT_OUTCOME_RUNTIME_ERROR);
  assert_null(ref);
  free(so);
}

static void test_cache_dir_env(void **state) {
  (void)state;
  tt_measure_options o = tt_measure_options_default();
  char *saved = getenv("TETUNE_CACHE_DIR") ? tt_xstrdup(getenv("TETUNE_CACHE_DIR")) : NULL;
  tt_str want;
  tt_str_init(&want);
  tt_str_printf(&want, "%s/from-env", cache);
  setenv("TETUNE_CACHE_DIR", want.data, 1);
  char *dir = tt_measure_cache_dir(&o, NULL);
  assert_string_equal(dir, want.data);
  assert_true(tt_file_exists(dir));
  free(dir);
  o.cache_dir = cache;
  dir = tt_measure_cache_dir(&o, NULL);
  assert_string_equal(dir, cache);
  free(dir);
  if (saved != NULL)
    setenv("TETUNE_CACHE_DIR", saved, 1);
  else
    unsetenv("TETUNE_CACHE_DIR");
  free(saved);
  tt_str_free(&want);
}

static void test_fingerprint(void **state) {
  (void)state;
  char *json = tt_machine_fingerprint(&opt, NULL);
  assert_non_null(strstr(json, "\"cpu_model\":\""));
  assert_non_null(strstr(json, "\"compiler_version\":\""));
  assert_non_null(strstr(json, "\"flags\":[\"-O3\""));
  assert_null(strstr(json, "\"cores\":0"));
  free(json);
}

/* The child sets the OpenMP environment from opt.threads before loading:
 * the thread count, threads bound to cores, waits bounded by
 * TT_MEASURE_OMP_SPIN (the user's GOMP_SPINCOUNT wins, tested by
 * cli/omp_wait). */
static void test_omp_env(void **state) {
  (void)state;
  const char *src =
      VEC_HEAD("1", "8", "double") "#include <omp.h>\n#include <stdlib.h>\n#include <string.h>\n"
                                   "void tt_kernel(void **args) {\n"
                                   "  (void)args; const char *b = getenv(\"OMP_PROC_BIND\");\n"
                                   "  const char *s = getenv(\"GOMP_SPINCOUNT\");\n"
                                   "  if (omp_get_max_threads() != 3) exit(5);\n"
                                   "  if (!b || strcmp(b, \"close\") != 0) exit(6);\n"
                                   "  if (!s || strcmp(s, \"10000\") != 0) exit(7);\n}\n";
  unsetenv("OMP_PROC_BIND");
  unsetenv("OMP_PLACES");
  unsetenv("OMP_WAIT_POLICY");
  unsetenv("GOMP_SPINCOUNT");
  tt_measure_options saved = opt;
  opt.threads = 3;
  char env[512];
  tt_measure_omp_env(&opt, env, sizeof env);
  assert_string_equal(env, "OMP_PROC_BIND=close OMP_PLACES=cores GOMP_SPINCOUNT=10000");
  tt_measure_result res = measure(src, NULL);
  opt = saved;
  if (res.outcome != TT_OUTCOME_OK) fail_msg("%s", res.message);
  assert_true(res.max_rel_err == -1.0); /* no reference: not validated */
  tt_measure_options as_is = opt;
  as_is.threads = 0; /* environment as is */
  tt_measure_omp_env(&as_is, env, sizeof env);
  assert_string_equal(env, "");
}

/* f32 outputs are judged with tol_f32. */
static void test_f32_tolerance(void **state) {
  (void)state;
  char *ref = reference(SCALE_SRC(""), "scale-f32");
  tt_measure_result res =
      measure(SCALE_SRC("  for (int i = 0; i < N; i++) x[i] *= 1.000002f;\n"), ref);
  if (res.outcome != TT_OUTCOME_OK) fail_msg("%s", res.message);
  assert_true(res.max_rel_err > 1e-7 && res.max_rel_err < 1e-4);
  res = measure(SCALE_SRC("  for (int i = 0; i < N; i++) x[i] *= 1.001f;\n"), ref);
  assert_int_equal(res.outcome, TT_OUTCOME_WRONG_RESULT);
  assert_non_null(strstr(res.message, "X: max relative error"));
  assert_non_null(strstr(res.message, "(f32)"));
  free(ref);
}

/* A call slower than TT_MEASURE_SLOW_BUDGETS budgets is timed once. */
static void test_budget_stops(void **state) {
  (void)state;
  tt_measure_options saved = opt;
  opt.budget_s = 1e-12;
  opt.min_repeats = 3;
  tt_measure_result res = measure(vec_ref_src, NULL);
  opt = saved;
  assert_int_equal(res.outcome, TT_OUTCOME_OK);
  assert_int_equal(res.repeats, 1);
  assert_true(res.spread == 0.0);
}

/* A 2 ms call with a 3 ms budget: the budget is spent after two calls,
 * but min_repeats (3) calls are made before it stops the timing (the
 * slow-variant cap, 15 ms, is far). */
static void test_budget_after_min_repeats(void **state) {
  (void)state;
  static const char *src =
      VEC_HEAD("1", "8", "double") "#include <time.h>\n"
                                   "void tt_kernel(void **args) {\n" VEC_ARGS
                                   "  struct timespec ts = {0, 2000000}; nanosleep(&ts, NULL);\n"
                                   "  for (int i = 0; i < N; i++) c[i] = a[i] + b[i];\n}\n";
  tt_measure_options saved = opt;
  opt.budget_s = 0.003;
  opt.min_repeats = 3;
  opt.max_repeats = 10;
  opt.target_spread = -1.0; /* only the budget can stop it */
  tt_measure_result res = measure(src, NULL);
  opt = saved;
  assert_int_equal(res.outcome, TT_OUTCOME_OK);
  /* three calls, unless one alone passed the slow limit (5 budgets, 15 ms:
   * a 2 ms sleep can take that long on a loaded machine) */
  if (res.repeats != 3 && !(res.repeats < 3 && res.time_min_s >= 0.015))
    fail_msg("%d repeats, fastest %g s", res.repeats, res.time_min_s);
}

static void test_stats(void **state) {
  (void)state;
  double t[] = {3, 1, 2, 4};
  tt_mz_report rep;
  memset(&rep, 0, sizeof rep);
  tt_mz_stats(t, 4, 3, &rep);
  assert_int_equal(rep.repeats, 4);
  assert_true(rep.median == 2.5 && rep.min == 1 && rep.mean == 2.5);
  assert_true(fabs(rep.stddev - sqrt(5.0 / 3.0)) < 1e-12);
  assert_true(rep.spread == 1.5); /* last three {1, 2, 4}: (4 - 1) / 2 */
  assert_true(tt_mz_spread(t, 1) == 0.0);
}

/* Two processes compiling the same new source at once both succeed and
 * agree on the cached object (private temp dir + atomic rename). */
static void test_parallel_compile(void **state) {
  (void)state;
  const char *src = VEC_HEAD("1", "8", "double") "void tt_kernel(void **args) { (void)args; }\n"
                                                 "/* parallel compile test */\n";
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    char *so = NULL;
    tt_measure_result r;
    tt_status st = tt_compile(src, &opt, &so, &r, NULL);
    _exit(st == TT_OK && r.outcome == TT_OUTCOME_OK && tt_file_exists(so) ? 0 : 1);
  }
  char *so = NULL;
  tt_measure_result r;
  assert_int_equal(tt_compile(src, &opt, &so, &r, NULL), TT_OK);
  assert_int_equal(r.outcome, TT_OUTCOME_OK);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  tt_measure_result run;
  assert_int_equal(tt_measure_run(so, NULL, NULL, &run, NULL), TT_OK); /* opt NULL: defaults */
  assert_int_equal(run.outcome, TT_OUTCOME_OK);
  /* An empty kernel still takes at least one clock tick (never 0). */
  assert_true(run.time_min_s >= tt_clock_tick() && run.time_median_s >= run.time_min_s);
  free(so);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vec_ok),
      cmocka_unit_test(test_gemm_tiled_ok),
      cmocka_unit_test(test_off_by_one_percent),
      cmocka_unit_test(test_nan_is_wrong),
      cmocka_unit_test(test_segfault),
      cmocka_unit_test(test_exit_code_and_output),
      cmocka_unit_test(test_timeout),
      cmocka_unit_test(test_compile_error),
      cmocka_unit_test(test_missing_symbol),
      cmocka_unit_test(test_cache_hit),
      cmocka_unit_test(test_inplace_restore),
      cmocka_unit_test(test_reference_reused),
      cmocka_unit_test(test_reference_timeout),
      cmocka_unit_test(test_missing_paths),
      cmocka_unit_test(test_compiler_missing),
      cmocka_unit_test(test_reference_crash_is_env_error),
      cmocka_unit_test(test_cache_dir_env),
      cmocka_unit_test(test_fingerprint),
      cmocka_unit_test(test_omp_env),
      cmocka_unit_test(test_f32_tolerance),
      cmocka_unit_test(test_budget_stops),
      cmocka_unit_test(test_budget_after_min_repeats),
      cmocka_unit_test(test_stats),
      cmocka_unit_test(test_parallel_compile),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
