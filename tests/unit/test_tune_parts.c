/* Unit tests of the tuning application's parts that need no measurement:
 * knob importance, runs and their statistics (charged wall time of reused
 * trials), the reuse convention, the core split for compile-ahead and the
 * exported header. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/importance.h"
#include "app/job.h"
#include "app/runs.h"
#include "app/session.h"
#include "kernel_tune/cpuset.h"

/* A knob that decides the time gets most of the importance; a knob that
 * does not, almost none. */
static void test_importance_finds_the_knob(void **state) {
  (void)state;
  enum { N = 40 };
  char *configs[N];
  double times[N];
  const char *labels[] = {"none", "io", "jo"};
  for (int i = 0; i < N; i++) {
    int a = 1 << (i % 5), b = i % 3, c = (i / 3) % 2;
    configs[i] = malloc(128);
    snprintf(configs[i], 128, "{\"tile\":%d,\"par\":\"%s\",\"vec\":%s,\"order\":[\"x\",\"y\"]}", a,
             labels[b], c ? "true" : "false");
    times[i] = 1e-3 * a * (1 + 0.01 * c);
  }
  tt_importance imp;
  tt_error err = {0};
  assert_int_equal(tt_importance_compute((const char *const *)configs, times, N, 3, &imp, &err),
                   TT_OK);
  assert_int_equal(imp.nknobs, 4);
  assert_string_equal(imp.knobs[0], "tile");
  assert_true(imp.share[0] > 0.8);
  assert_true(imp.share[1] < 0.1);
  assert_true(imp.share[3] < 1e-9); /* one value only */
  assert_true(imp.r2 > 0.5);
  double sum = 0;
  for (size_t j = 0; j < imp.nknobs; j++)
    sum += imp.share[j];
  assert_true(fabs(sum - 1) < 1e-9);
  tt_importance_free(&imp);
  for (int i = 0; i < N; i++)
    free(configs[i]);
}

/* Too few samples and malformed configurations are reported. */
static void test_importance_errors(void **state) {
  (void)state;
  const char *few[] = {"{\"a\":1}", "{\"a\":2}"};
  double t[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  tt_importance imp;
  tt_error err = {0};
  assert_int_equal(tt_importance_compute(few, t, 2, 1, &imp, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "at least 8"));
  const char *bad[] = {"{\"a\":1}", "{\"a\":2}", "[1]",       "{\"a\":3}",
                       "{\"a\":4}", "{\"a\":5}", "{\"a\":6}", "{\"a\":7}"};
  tt_error_clear(&err);
  assert_int_equal(tt_importance_compute(bad, t, 8, 1, &imp, &err), TT_ERR_USAGE);
  const char *differ[] = {"{\"a\":1}", "{\"a\":2}", "{\"b\":1}", "{\"a\":3}",
                          "{\"a\":4}", "{\"a\":5}", "{\"a\":6}", "{\"a\":7}"};
  tt_error_clear(&err);
  assert_int_equal(tt_importance_compute(differ, t, 8, 1, &imp, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "differ"));
}

/* The reuse message names the measured trial, also through a chain. */
static void test_trial_origin(void **state) {
  (void)state;
  tt_trial t = {.id = 9, .message = ""};
  assert_int_equal(tt_trial_origin(&t), 9);
  t.message = TT_REUSED_PREFIX "4: killed by signal 11";
  assert_int_equal(tt_trial_origin(&t), 4);
  t.message = TT_REUSED_PREFIX "x";
  assert_int_equal(tt_trial_origin(&t), 9);
}

/* Adds a trial with the given outcome, time and duration. */
static int64_t add(tt_store *s, int64_t sid, const char *cfg, double time_s, double start,
                   double dur, const char *msg) {
  tt_trial t = {.session_id = sid,
                .config = cfg,
                .message = msg,
                .outcome = isnan(time_s) ? TT_OUTCOME_RUNTIME_ERROR : TT_OUTCOME_OK,
                .time_median_s = time_s,
                .time_min_s = time_s,
                .time_spread = NAN,
                .max_rel_err = NAN,
                .compile_s = NAN,
                .gflops = NAN,
                .started_at = start,
                .finished_at = start + dur};
  int64_t id = 0;
  assert_int_equal(tt_store_add_trial(s, &t, &id, NULL), TT_OK);
  return id;
}

/* Two strategies on one task: best-so-far, charged wall time (a reused
 * trial costs what its original measurement cost) and the statistics. */
static void test_runs_and_stats(void **state) {
  (void)state;
  char *dir = tt_mkdtemp("tt-runs", NULL);
  char path[512];
  snprintf(path, sizeof path, "%s/r.db", dir);
  tt_store *s = tt_store_open(path, TT_STORE_READ_WRITE, NULL);
  assert_non_null(s);
  tt_task_key key = {"k", "mini", "cpu", "t", "{\"cpu\":\"x\"}"};
  int64_t task, a, b;
  assert_int_equal(tt_store_ensure_task(s, &key, &task, NULL), TT_OK);
  tt_session_spec sa = {task, "random", 1, NULL, 3}, sb = {task, "bo", 1, NULL, 3};
  assert_int_equal(tt_store_add_session(s, &sa, &a, NULL), TT_OK);
  int64_t first = add(s, a, "{\"x\":1}", 4.0, 100, 2, "");
  add(s, a, "{\"x\":2}", NAN, 102, 1, "crash");
  add(s, a, "{\"x\":3}", 2.0, 103, 2, "");
  assert_int_equal(tt_store_add_session(s, &sb, &b, NULL), TT_OK);
  char msg[64];
  snprintf(msg, sizeof msg, TT_REUSED_PREFIX "%lld", (long long)first);
  add(s, b, "{\"x\":1}", 4.0, 200, 0.5, msg);
  add(s, b, "{\"x\":4}", 1.0, 201, 3, "");
  tt_session_list l = {0};
  assert_int_equal(tt_store_list_sessions(s, NULL, &l, NULL), TT_OK);
  tt_task_runs r;
  assert_int_equal(tt_runs_load(s, &l, task, NULL, 0, &r, NULL), TT_OK);
  assert_int_equal(r.nruns, 2);
  const tt_run *ra = &r.runs[0], *rb = &r.runs[1];
  assert_int_equal(ra->n, 3);
  assert_int_equal(ra->failures, 1);
  assert_true(ra->pts[1].best_s == 4.0 && isnan(ra->pts[1].time_s));
  assert_true(ra->pts[2].best_s == 2.0 && fabs(ra->pts[2].wall_s - 5) < 1e-9);
  assert_true(rb->pts[0].reused && fabs(rb->pts[0].wall_s - 2.5) < 1e-9);
  assert_true(fabs(rb->pts[1].wall_s - 5.5) < 1e-9);
  assert_true(tt_runs_best(&r) == 1.0);
  tt_strategy_stats st[4];
  assert_int_equal(tt_runs_stats(&r, 0.05, st, 4), 2);
  assert_string_equal(st[0].strategy, "random");
  assert_int_equal(st[0].reached, 0);
  assert_true(st[0].best_mean_s == 2.0 && st[0].best_sd_s == 0);
  assert_int_equal(st[1].reached, 1);
  assert_true(st[1].trials_median == 2 && fabs(st[1].wall_median_s - 5.5) < 1e-9);
  /* With 100% tolerance random reaches too, at its third trial. */
  assert_int_equal(tt_runs_stats(&r, 1.0, st, 4), 2);
  assert_int_equal(st[0].reached, 1);
  assert_true(st[0].trials_median == 3);
  tt_runs_free(&r);
  /* Only the selected sessions. */
  assert_int_equal(tt_runs_load(s, &l, task, &b, 1, &r, NULL), TT_OK);
  assert_int_equal(r.nruns, 1);
  assert_string_equal(r.runs[0].info->strategy, "bo");
  tt_runs_free(&r);
  tt_session_list_free(&l);
  tt_store_close(s);
  tt_rmtree(dir);
  free(dir);
}

/* The median of odd, even and empty sets. */
static void test_median(void **state) {
  (void)state;
  double v[] = {5, 1, 3, 2};
  assert_true(tt_median(v, 3) == 3);
  double w[] = {5, 1, 3, 2};
  assert_true(tt_median(w, 4) == 2.5);
  assert_true(isnan(tt_median(w, 0)));
}

/* Timing cores and compile cores never overlap and together are what the
 * process may use; no split without spare cores. */
static void test_cpu_plan(void **state) {
  (void)state;
  tt_cpu_plan p;
  tt_cpu_plan_make(0, &p);
  assert_int_equal(p.split, 0);
  assert_true(p.cores >= 1);
  tt_cpu_plan_make(1, &p);
  assert_int_equal(p.split, p.cores > 1);
  if (p.split) {
    cpu_set_t both;
    CPU_AND(&both, &p.measure, &p.compile);
    assert_int_equal(CPU_COUNT(&both), 0);
    CPU_OR(&both, &p.measure, &p.compile);
    assert_true(CPU_EQUAL(&both, &p.original));
    assert_true(CPU_COUNT(&p.measure) >= 1 && CPU_COUNT(&p.compile) >= 1);
  }
  tt_cpu_plan_make(p.cores, &p);
  assert_int_equal(p.split, 0);
}

/* The exported header: size enum, prototypes with the tensors in
 * declaration order, inputs const in the kernel only, the configuration. */
static void test_export_header(void **state) {
  (void)state;
  tt_job j;
  tt_error err = {0};
  assert_int_equal(tt_job_open(&j, "gemm", "mini", NULL, &err), TT_OK);
  char *c = NULL, *h = NULL;
  assert_int_equal(tt_job_export_sources(&j, j.defaults, &c, &h, &err), TT_OK);
  assert_non_null(strstr(h, "enum { TT_GEMM_NI = 20, TT_GEMM_NJ = 25, TT_GEMM_NK = 30 };"));
  assert_non_null(strstr(h, "void tt_gemm_init(double C[restrict TT_GEMM_NI][TT_GEMM_NJ], "
                            "double A[restrict TT_GEMM_NI][TT_GEMM_NK], "
                            "double B[restrict TT_GEMM_NK][TT_GEMM_NJ]);"));
  assert_non_null(strstr(h, "void tt_gemm(double C[restrict TT_GEMM_NI][TT_GEMM_NJ], "
                            "const double A[restrict TT_GEMM_NI][TT_GEMM_NK], "
                            "const double B[restrict TT_GEMM_NK][TT_GEMM_NJ]);"));
  assert_non_null(strstr(h, "template blocked"));
  assert_non_null(strstr(h, "Reads C, A, B; writes C."));
  assert_non_null(strstr(h, "#endif"));
  assert_non_null(strstr(c, "void tt_gemm("));
  assert_null(strstr(c, "tt_abi_version"));
  free(c);
  free(h);
  tt_job_close(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_importance_finds_the_knob),
      cmocka_unit_test(test_importance_errors),
      cmocka_unit_test(test_trial_origin),
      cmocka_unit_test(test_runs_and_stats),
      cmocka_unit_test(test_median),
      cmocka_unit_test(test_cpu_plan),
      cmocka_unit_test(test_export_header),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
