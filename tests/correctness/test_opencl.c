/* The OpenCL target on this machine's OpenCL device (PoCL in CI): GPU
 * templates validate against the same C reference as the C target's;
 * device failures are classified and the next trial still runs; illegal
 * bindings and staging are rejected with their messages. Skipped when no
 * OpenCL device is usable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/job.h"

#define RANDOM_CONFIGS 3

static const tt_target *opencl(void) {
  char why[300];
  const tt_target *t = tt_target_find("opencl");
  return t && tt_target_usable(t, why, sizeof why) ? t : NULL;
}

static void open_job(tt_job *j, const char *k, const char *size, const char *tmpl,
                     const tt_target *t) {
  tt_error err = {0};
  if (tt_job_open_target(j, k, size, tmpl, t, &err) != TT_OK) fail_msg("open %s: %s", k, err.msg);
  j->mopt.run_timeout_s = 60;
  j->mopt.budget_s = 0.05;
}

static tt_measure_result measure(tt_job *j, const uint32_t *cfg) {
  tt_measure_result r;
  tt_error err = {0};
  if (tt_job_measure(j, cfg, &r, &err) != TT_OK) fail_msg("%s: %s", j->kernel->name, err.msg);
  return r;
}

/* PoCL 3.1's work-group pass aborts on some kernels with a barrier inside
 * a loop of two trips (docs/gpu.md): a fault of the OpenCL implementation,
 * which a session records as runtime_error and gets past. */
static int pocl_barrier_abort(const tt_measure_result *r) {
  return r->outcome == TT_OUTCOME_RUNTIME_ERROR && strstr(r->message, "pocl::ParallelRegion");
}

/* cfg validates; with pocl_ok, PoCL's abort above is reported, not failed. */
static void expect_ok_or(tt_job *j, const uint32_t *cfg, int pocl_ok) {
  tt_measure_result r = measure(j, cfg);
  char *cj = tt_space_config_to_json(j->space, cfg);
  if (pocl_ok && pocl_barrier_abort(&r)) {
    print_message("%s %s: PoCL's barrier pass aborted (runtime_error)\n", j->kernel->name, cj);
    free(cj);
    return;
  }
  if (r.outcome != TT_OUTCOME_OK)
    fail_msg("%s/%s %s on %s: %s: %s", j->kernel->name, j->tmpl->name, cj, j->target->name,
             tt_outcome_name(r.outcome), r.message);
  assert_true(r.max_rel_err >= 0 && r.max_rel_err <= 1e-9);
  assert_true(r.time_median_s > 0);
  free(cj);
}

static void expect_ok(tt_job *j, const uint32_t *cfg) {
  expect_ok_or(j, cfg, 0);
}

/* Every GPU template of each kernel: its default and random valid
 * configurations validate on OpenCL (gemm at small, 3mm, lu and cholesky at
 * mini, the others at small; few: PoCL builds each program for seconds).
 * A random configuration PoCL itself cannot compile is reported. */
static void test_gpu_templates_validate(void **state) {
  (void)state;
  static const struct {
    const char *kernel, *size;
    int random;
    const char *config; /* a chosen configuration besides the default, or NULL */
  } cases[] = {
      {"gemm", "small", RANDOM_CONFIGS, NULL},
      {"3mm", "mini", 2, NULL},
      {"lu", "mini", 2, NULL},
      {"cholesky", "mini", 2, NULL},
      /* tiles with their halos staged, partial at the edges (16 rows, 64 columns of 88) */
      {"jacobi-2d", "small", 1, "{\"ti\":4,\"tj\":64,\"ri\":4,\"halo\":true}"},
      /* a work-item per row, its slices of A, B and x staged */
      {"gesummv", "small", 1, "{\"tp\":32,\"tr\":1,\"tk\":16,\"sa\":true,\"uk\":4}"},
      /* trees across threads along both rows (x) and columns (y), A staged */
      {"mvt", "small", 1,
       "{\"tp\":2,\"tr\":16,\"tq\":16,\"tc\":8,\"tk\":32,\"sa\":true,\"sx\":false,\"uk\":1}"},
      /* no tree on either product, no vector loads */
      {"atax", "small", 1, "{\"tp\":64,\"tr\":1,\"tq\":32,\"tc\":1,\"tk\":16,\"vw\":1}"},
      {"bicg", "small", 1, NULL},
      {"gemver", "small", 1, NULL}};
  const tt_target *t = opencl();
  if (!t) skip();
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    tt_job j;
    open_job(&j, cases[k].kernel, cases[k].size, NULL, t);
    expect_ok(&j, j.defaults);
    if (cases[k].config) {
      uint32_t chosen[64];
      tt_error err = {0};
      if (tt_job_parse_config(&j, cases[k].config, chosen, &err) != TT_OK)
        fail_msg("%s %s: %s", cases[k].kernel, cases[k].config, err.msg);
      expect_ok(&j, chosen);
    }
    tt_rng rng;
    tt_rng_seed(&rng, 77 + (uint64_t)k);
    uint32_t cfg[64];
    for (int r = 0; r < cases[k].random; r++) {
      assert_int_equal(tt_space_sample(j.space, &rng, cfg), 0);
      expect_ok_or(&j, cfg, 1);
    }
    tt_job_close(&j);
  }
}

/* The same kernel and size validated on C and on OpenCL against one
 * reference file (the C loop nest). */
static void test_same_reference_on_c_and_opencl(void **state) {
  (void)state;
  const tt_target *t = opencl();
  if (!t) skip();
  tt_job c, g;
  open_job(&c, "gemm", "small", NULL, NULL);
  open_job(&g, "gemm", "small", NULL, t);
  expect_ok(&c, c.defaults);
  expect_ok(&g, g.defaults);
  assert_string_equal(c.ref_path, g.ref_path);
  assert_string_equal(g.tmpl->name, "gpu");
  tt_job_close(&c);
  tt_job_close(&g);
}

/* A device variant that writes out of bounds, hangs or answers wrongly is
 * classified, and the next one still runs. */
static void test_device_faults_classified(void **state) {
  (void)state;
  static const tt_outcome want[] = {TT_OUTCOME_OK, TT_OUTCOME_RUNTIME_ERROR, TT_OUTCOME_TIMEOUT,
                                    TT_OUTCOME_WRONG_RESULT};
  const tt_target *t = opencl();
  if (!t) skip();
  tt_job j;
  open_job(&j, "faulty", "mini", "gpu_faults", t);
  j.mopt.run_timeout_s = 20; /* PoCL builds the program in the child first */
  for (int f = 0; f < 4; f++) {
    char json[64];
    uint32_t cfg[8];
    tt_error err = {0};
    snprintf(json, sizeof json, "{\"fault\": %d}", f);
    assert_int_equal(tt_job_parse_config(&j, json, cfg, &err), TT_OK);
    tt_measure_result r = measure(&j, cfg);
    if (r.outcome != want[f])
      fail_msg("fault %d: %s (%s)", f, tt_outcome_name(r.outcome), r.message);
  }
  tt_job_close(&j);
}

/* Measures gemm's default OpenCL variant at mini with `from` replaced by
 * `to` in its source (a broken device program, a huge buffer, a bad launch). */
static tt_measure_result measure_edited(const char *from, const char *to) {
  tt_job j;
  open_job(&j, "gemm", "mini", NULL, opencl());
  j.mopt.run_timeout_s = 20;
  tt_error err = {0};
  char *src = NULL;
  if (tt_job_reference(&j, &err) != TT_OK || tt_job_source(&j, j.defaults, 1, 0, &src, &err))
    fail_msg("gemm: %s", err.msg);
  char *at = strstr(src, from);
  if (!at) fail_msg("no '%s' in the OpenCL variant", from);
  size_t head = (size_t)(at - src), fl = strlen(from), tl = strlen(to);
  char *edited = malloc(strlen(src) - fl + tl + 1);
  memcpy(edited, src, head);
  memcpy(edited + head, to, tl);
  strcpy(edited + head + tl, at + fl);
  tt_measure_result r;
  if (tt_measure_source(edited, j.ref_path, &j.mopt, &r, &err) != TT_OK) fail_msg("%s", err.msg);
  free(edited);
  free(src);
  tt_job_close(&j);
  return r;
}

static void expect_class(const tt_measure_result *r, tt_outcome o, const char *msg) {
  if (r->outcome != o || !strstr(r->message, msg))
    fail_msg("want %s '%s', got %s: %s", tt_outcome_name(o), msg, tt_outcome_name(r->outcome),
             r->message);
}

/* A device program that does not build is a compile_error with the build
 * log; a buffer the device cannot hold is "out of device memory"; a launch
 * the device refuses (work-group too large) is a "launch error". */
static void test_runtime_failures_classified(void **state) {
  (void)state;
  if (!opencl()) skip();
  tt_measure_result r = measure_edited("__kernel void", "__kernel void tt_broken(");
  expect_class(&r, TT_OUTCOME_COMPILE_ERROR, "opencl build error");
  r = measure_edited("tt_tensor_elems[] = {", "tt_tensor_elems[] = {(1L << 42) + 0 * ");
  expect_class(&r, TT_OUTCOME_RUNTIME_ERROR, "out of device memory");
  r = measure_edited("tt_dev_local[][3] = {{", "tt_dev_local[][3] = {{1 << 20, 1, 1}, {");
  expect_class(&r, TT_OUTCOME_RUNTIME_ERROR, "launch error");
}

/* A kernel file with one GPU template whose schedule comes from `steps`
 * after i, j split by 4 and k by ksplit. */
static char *write_kernel_split(const char *ksplit, const char *steps) {
  char *path = strdup("/tmp/tt_opencl_XXXXXX.te");
  int fd = mkstemps(path, 3);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fprintf(f,
          "kernel mm(N) f64\n  sizes mini(16)\n  inout C[N, N]\n  in A[N, N], B[N, N]\n"
          "  init A[i, j] = (i + j) / N\n  init B[i, j] = (i * j %% N) / N\n"
          "  compute C[i, j] += sum(k: A[i, k] * B[k, j])\n\n"
          "template g\n  schedule C\n    split i by 4\n    split j by 4\n    split k by %s\n"
          "%s",
          ksplit, steps);
  fclose(f);
  return path;
}

static char *write_kernel(const char *steps) {
  return write_kernel_split("4", steps);
}

static void expect_invalid(const char *steps, const char *msg) {
  const tt_target *t = tt_target_find("opencl");
  char *path = write_kernel(steps);
  tt_job j;
  open_job(&j, path, "mini", NULL, t);
  tt_error err = {0};
  char *src = NULL;
  tt_status st = tt_job_source(&j, j.defaults, 1, 0, &src, &err);
  if (st == TT_OK || !strstr(err.msg, msg))
    fail_msg("steps\n%swanted '%s', got '%s'", steps, msg, st == TT_OK ? "ok" : err.msg);
  free(src);
  tt_job_close(&j);
  unlink(path);
  free(path);
}

/* Bind and staging legality, by message (no device needed). */
static void test_bind_errors(void **state) {
  (void)state;
  expect_invalid("    bind ko to block.x\n", "cannot bind reduction loop 'ko' to block.x");
  expect_invalid("    reorder io, jo, i, ko, j, k\n    bind io to block.y\n    bind jo to block.x\n"
                 "    bind i to thread.y\n    bind k to thread.x\n",
                 "loop 'j' is inside reduction loop 'ko': a reduction bound to threads ('k')");
  expect_invalid("    reorder io, i, jo, j\n    bind io to block.y\n    bind i to thread.x\n"
                 "    bind jo to block.x\n",
                 "thread loop 'i' must be inside block loop 'jo'");
  expect_invalid("    bind io to block.x\n    bind jo to block.x\n",
                 "block.x is bound to both 'io' and 'jo'");
  expect_invalid("    reorder io, jo, i, j, ko, k\n    bind io to block.y\n    bind jo to block.x\n"
                 "    bind i to thread.y\n    bind j to thread.x\n    cache_read A at j local\n",
                 "cache_read A local at thread loop 'j'");
  expect_invalid("    reorder io, jo, i, j, ko, k\n    bind io to block.y\n    bind jo to block.x\n"
                 "    cache_read A at ko local\n",
                 "cache_read A local needs loops bound to threads");
}

/* A reduction spread over the work-items of a group validates: 6 lanes
 * (not a power of two, the last slice of k only partly filled), a serial
 * loop between the thread loops and the reduction, the tile of A staged. */
static void test_thread_reduction_validates(void **state) {
  (void)state;
  const tt_target *t = opencl();
  if (!t) skip();
  char *path = write_kernel_split("6", "    reorder io, jo, i, j, ko, k\n    bind io to block.y\n"
                                       "    bind jo to block.x\n    bind i to thread.y\n"
                                       "    bind k to thread.x\n    cache_read A at ko local\n");
  tt_job j;
  open_job(&j, path, "mini", NULL, t);
  expect_ok(&j, j.defaults);
  tt_job_close(&j);
  unlink(path);
  free(path);
}

/* A kernel file (text) in a temporary file; the caller unlinks and frees. */
static char *write_text(const char *text) {
  char *path = strdup("/tmp/tt_opencl_XXXXXX.te");
  int fd = mkstemps(path, 3);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

/* Kernel vs: stores and a stencil along i, a 1-D vector of odd length (21)
 * so that the last tile of a split by 8 ends with a partial vector. */
#define VS_KERNEL                                                                                  \
  "kernel vs(N) f64\n  sizes mini(21)\n  in A[N]\n  out B[N], D[N], E[N], F[N]\n"                  \
  "  init A[i] = (i + 1) / N\n"                                                                    \
  "  compute B[i] = A[i - 1] + A[i] for i in 1..N\n"                                               \
  "  compute D[i] = 2.0 * A[i] - A[i] / 3.0 for i in 0..N\n"                                       \
  "  compute E[i] = A[i] * i for i in 0..N\n"                                                      \
  "  compute F[i] = sqrt(A[i]) for i in 0..N\n"                                                    \
  "template v\n"

/* The schedule of every stage of vs but `stage`: a work-item per element. */
static const char VS_OTHERS[] =
    "  schedule %s\n    split i by 8\n    bind io to block.x\n    bind i to thread.x\n";

static char *vs_kernel(const char *stage, const char *steps) {
  tt_str t = {0};
  tt_str_append(&t, VS_KERNEL);
  const char *stages[] = {"B", "D", "E", "F"};
  for (int i = 0; i < 4; i++)
    if (strcmp(stages[i], stage) != 0) tt_str_printf(&t, VS_OTHERS, stages[i]);
  tt_str_printf(&t, "  schedule %s\n%s", stage, steps);
  char *path = write_text(tt_str_cstr(&t));
  tt_str_free(&t);
  return path;
}

/* Lowers vs for OpenCL with `steps` on `stage`: an error with msg, or
 * (msg NULL) a variant that validates on the device. */
static void expect_vs(const char *stage, const char *steps, const char *msg) {
  const tt_target *t = tt_target_find("opencl");
  char *path = vs_kernel(stage, steps);
  tt_job j;
  open_job(&j, path, "mini", NULL, t);
  if (msg) {
    tt_error err = {0};
    char *src = NULL;
    tt_status st = tt_job_source(&j, j.defaults, 1, 0, &src, &err);
    if (st == TT_OK || !strstr(err.msg, msg))
      fail_msg("steps\n%swanted '%s', got '%s'", steps, msg, st == TT_OK ? "ok" : err.msg);
    free(src);
  } else if (opencl()) {
    expect_ok(&j, j.defaults);
  }
  tt_job_close(&j);
  unlink(path);
  free(path);
}

/* vectorize L by W on a GPU target: vector loads and stores where the
 * accesses are aligned, the scalar loop for a partial tile; what cannot
 * be vectorized is refused by message. */
static void test_vector_loads(void **state) {
  (void)state;
  const char *split = "    split i by 8, 2\n    bind io to block.x\n    bind im to thread.x\n";
  char steps[300];
  snprintf(steps, sizeof steps, "%s    vectorize i by 2\n", split);
  expect_vs("D", steps, NULL);
  expect_vs("B", steps,
            "vectorize 'i' on a GPU target: the accesses of 'B' are not provably "
            "aligned to the vector width");
  expect_vs("E", steps,
            "vectorize 'i' on a GPU target: the loop variable as a value has no "
            "vector form");
  expect_vs("F", steps, "vectorize 'i' on a GPU target: an expression of it has no vector form");
  expect_vs("D", "    split i by 8\n    bind io to block.x\n    vectorize i by 2\n",
            "vectorize 'i' on a GPU target: the loop must run at most W iterations");
  /* the widths a template declares are checked when it loads */
  char *path = vs_kernel("D", "    split i by 8, 4\n    bind io to block.x\n    bind im to "
                              "thread.x\n    vectorize i by 4\n");
  tt_job j;
  tt_error err = {0};
  assert_int_equal(tt_job_open_target(&j, path, "mini", "v", tt_target_find("opencl"), &err),
                   TT_ERR_USAGE);
  if (!strstr(err.msg, "cannot be lowered for target opencl: it uses 'vectorize' by 4 lanes of "
                       "f64 (32 bytes"))
    fail_msg("%s", err.msg);
  tt_job_close(&j);
  unlink(path);
  free(path);
  path = vs_kernel("D", "    split i by 8\n    bind io to block.x\n    bind i to thread.x\n"
                        "    vectorize i\n");
  memset(&err, 0, sizeof err);
  assert_int_equal(tt_job_open_target(&j, path, "mini", "v", tt_target_find("cuda"), &err),
                   TT_ERR_USAGE);
  if (!strstr(err.msg, "it uses 'vectorize' without a literal width")) fail_msg("%s", err.msg);
  tt_job_close(&j);
  unlink(path);
  free(path);
}

/* A template the target cannot lower is refused when the job opens, in
 * one line naming the step; --target cuda without a GPU cannot run. */
static void test_template_target_mismatch(void **state) {
  (void)state;
  tt_job j;
  tt_error err = {0};
  assert_int_equal(
      tt_job_open_target(&j, "gemm", "mini", "blocked", tt_target_find("opencl"), &err),
      TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "template 'blocked' of kernel gemm cannot be lowered for target "
                                  "opencl: it uses 'vectorize'"));
  assert_null(strchr(err.msg, '\n'));
  tt_job_close(&j);
  memset(&err, 0, sizeof err);
  assert_int_equal(tt_job_open_target(&j, "gemm", "mini", "gpu", NULL, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "cannot be lowered for target c: it uses 'bind'"));
  tt_job_close(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bind_errors),
      cmocka_unit_test(test_template_target_mismatch),
      cmocka_unit_test(test_thread_reduction_validates),
      cmocka_unit_test(test_vector_loads),
      cmocka_unit_test(test_gpu_templates_validate),
      cmocka_unit_test(test_same_reference_on_c_and_opencl),
      cmocka_unit_test(test_device_faults_classified),
      cmocka_unit_test(test_runtime_failures_classified),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
