/* LU and Cholesky (issue 3, items 1 and 4): PolyBench 4.2's datasets, and
 * the default configuration of every template reproduces the reference
 * factorisation (PolyBench's loop nest) at the medium size (N = 400, not a
 * multiple of the default block size: the last diagonal block is partial).
 * Random configurations at mini and small sizes are test_variants.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/job.h"
#include "tetune/target.h"

static const char *const factorisations[] = {"lu", "cholesky"};
static const char *const size_names[] = {"mini", "small", "medium", "large", "extralarge"};
static const int64_t polybench_n[] = {40, 120, 400, 2000, 4000};

static void open_job(tt_job *j, const char *k, const char *size, const char *tmpl) {
  tt_error err = {0};
  if (tt_job_open(j, k, size, tmpl, &err) != TT_OK) fail_msg("open %s: %s", k, err.msg);
  j->mopt.threads = 2;
}

/* Both kernels have one parameter N with PolyBench's five values, and at
 * least the unblocked and blocked templates. */
static void test_datasets_and_templates(void **state) {
  (void)state;
  for (size_t k = 0; k < 2; k++) {
    tt_job j;
    open_job(&j, factorisations[k], "mini", NULL);
    assert_int_equal(j.kernel->nparams, 1);
    assert_int_equal(j.kernel->nsizes, 5);
    for (int s = 0; s < 5; s++) {
      int idx = tt_kernel_size_index(j.kernel, size_names[s]);
      assert_true(idx >= 0);
      assert_int_equal(j.kernel->sizes[idx].values[0], polybench_n[s]);
    }
    assert_non_null(tt_kernel_template(j.kernel, "unblocked"));
    assert_non_null(tt_kernel_template(j.kernel, "blocked"));
    tt_job_close(&j);
  }
}

/* The name of k's template t (heap copy) when the C target can lower it,
 * else NULL. */
static char *c_template(const tt_kernel_def *k, size_t t) {
  tt_error err = {0};
  if (tt_target_check_template(tt_target_find("c"), k, &k->templates[t], &err) != TT_OK)
    return NULL;
  return strdup(k->templates[t].name);
}

/* The default configuration of every template validates at medium. */
static void test_defaults_validate_medium(void **state) {
  (void)state;
  for (size_t k = 0; k < 2; k++) {
    tt_job probe;
    open_job(&probe, factorisations[k], "medium", NULL);
    size_t nt = probe.kernel->ntemplates;
    char **names = calloc(nt, sizeof(char *));
    for (size_t t = 0; t < nt; t++)
      names[t] = c_template(probe.kernel, t);
    tt_job_close(&probe);
    for (size_t t = 0; t < nt; t++) {
      if (!names[t]) continue; /* a GPU template (test_opencl, cli/gpu_*) */
      tt_job j;
      tt_measure_result r;
      tt_error err = {0};
      open_job(&j, factorisations[k], "medium", names[t]);
      if (tt_job_measure(&j, j.defaults, &r, &err) != TT_OK)
        fail_msg("%s/%s: %s", factorisations[k], names[t], err.msg);
      if (r.outcome != TT_OUTCOME_OK)
        fail_msg("%s/%s/medium: %s: %s", factorisations[k], names[t], tt_outcome_name(r.outcome),
                 r.message);
      assert_true(r.max_rel_err >= 0 && r.max_rel_err <= 1e-9);
      tt_job_close(&j);
      free(names[t]);
    }
    free(names);
  }
}

/* Cholesky's trailing update by column panels shared one at a time (par
 * cb), with and without the look-ahead (la: the next diagonal block
 * factored inside the panel loop), also without cb, and syrk's column
 * blocks shared the same way (par cols), validate at medium with 2
 * threads, the last block partial. */
static void test_lookahead_medium(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"cholesky", "{\"par\": \"cb\", \"la\": false, \"W\": 48, \"NB\": 96}"},
      {"cholesky", "{\"par\": \"cb\", \"la\": true, \"W\": 96, \"NB\": 96}"},
      {"cholesky", "{\"par\": \"cb\", \"la\": true, \"W\": 144, \"NB\": 64, \"ps\": \"dynamic\"}"},
      {"cholesky", "{\"par\": \"cb\", \"la\": true, \"W\": 240, \"NB\": 32, \"dvec\": true}"},
      {"cholesky", "{\"par\": \"io\", \"la\": true, \"W\": 384, \"NB\": 128}"},
      {"syrk", "{\"par\": \"cols\", \"NB\": 48}"},
      {"syrk", "{\"par\": \"cols\", \"NB\": 144, \"dpack\": false, \"pack\": false}"},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    tt_job j;
    tt_measure_result r;
    tt_error err = {0};
    uint32_t cfg[64];
    open_job(&j, cases[c][0], "medium", "blocked");
    assert_true(j.nknobs <= 64);
    if (tt_job_parse_config(&j, cases[c][1], cfg, &err) != TT_OK)
      fail_msg("%s %s: %s", cases[c][0], cases[c][1], err.msg);
    if (tt_job_measure(&j, cfg, &r, &err) != TT_OK)
      fail_msg("%s %s: %s", cases[c][0], cases[c][1], err.msg);
    if (r.outcome != TT_OUTCOME_OK)
      fail_msg("%s %s: %s: %s", cases[c][0], cases[c][1], tt_outcome_name(r.outcome), r.message);
    assert_true(r.max_rel_err >= 0 && r.max_rel_err <= 1e-9);
    tt_job_close(&j);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_datasets_and_templates),
      cmocka_unit_test(test_defaults_validate_medium),
      cmocka_unit_test(test_lookahead_medium),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
