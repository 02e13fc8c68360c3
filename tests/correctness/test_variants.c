/* Every shipped kernel, every template: the default configuration and
 * random configurations at mini and small sizes reproduce the naive
 * reference; every knob changes the generated code; the faulty kernel's
 * failures are classified as designed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/job.h"

#define RANDOM_CONFIGS 3

/* Kernels whose every variant must validate. */
static const char *const kernels[] = {"gemm",    "3mm",     "2mm",       "syrk", "syr2k",    "symm",
                                      "trmm",    "gemver",  "gesummv",   "atax", "bicg",     "mvt",
                                      "doitgen", "trisolv", "jacobi-2d", "lu",   "cholesky", NULL};

static void open_job(tt_job *j, const char *k, const char *size, const char *tmpl) {
  tt_error err = {0};
  tt_status st = tt_job_open(j, k, size, tmpl, &err);
  if (st != TT_OK) fail_msg("open %s: %s", k, err.msg);
  j->mopt.threads = 2;
}

/* 1 when the C target lowers template t of the job's kernel (GPU
 * templates are checked by test_opencl). */
static int c_template(const tt_job *j, size_t t) {
  tt_error e = {0};
  return tt_target_check_template(tt_target_find("c"), j->kernel, &j->kernel->templates[t], &e) ==
         TT_OK;
}

/* Measures cfg and requires ok with a small error. */
static void expect_ok(tt_job *j, const uint32_t *cfg) {
  tt_measure_result r;
  tt_error err = {0};
  char *cj = tt_space_config_to_json(j->space, cfg);
  if (tt_job_measure(j, cfg, &r, &err) != TT_OK)
    fail_msg("%s %s: %s", j->kernel->name, cj, err.msg);
  if (r.outcome != TT_OUTCOME_OK)
    fail_msg("%s/%s/%s %s: %s: %s", j->kernel->name, j->tmpl ? j->tmpl->name : "-", j->size_name,
             cj, tt_outcome_name(r.outcome), r.message);
  assert_true(r.max_rel_err >= 0 && r.max_rel_err <= 1e-9);
  assert_true(r.time_median_s > 0);
  free(cj);
}

static void validate_kernel(const char *name, const char *size) {
  tt_job probe;
  open_job(&probe, name, size, NULL);
  size_t nt = probe.kernel->ntemplates;
  const char **tn = calloc(nt + 1, sizeof(char *));
  for (size_t t = 0; t < nt; t++)
    tn[t] = c_template(&probe, t) ? strdup(probe.kernel->templates[t].name) : NULL;
  tt_job_close(&probe);
  for (size_t t = 0; t < nt; t++) {
    if (!tn[t]) continue;
    tt_job j;
    open_job(&j, name, size, tn[t]);
    uint32_t cfg[64];
    memcpy(cfg, j.defaults, sizeof(uint32_t) * j.nknobs);
    expect_ok(&j, cfg);
    tt_rng rng;
    tt_rng_seed(&rng, 1234 + t);
    for (int r = 0; r < RANDOM_CONFIGS; r++) {
      assert_int_equal(tt_space_sample(j.space, &rng, cfg), 0);
      expect_ok(&j, cfg);
    }
    tt_job_close(&j);
    free((void *)tn[t]);
  }
  free(tn);
}

static void test_kernels_validate_mini(void **state) {
  (void)state;
  for (int k = 0; kernels[k]; k++)
    validate_kernel(kernels[k], "mini");
}

static void test_kernels_validate_small(void **state) {
  (void)state;
  for (int k = 0; kernels[k]; k++)
    validate_kernel(kernels[k], "small");
}

/* Changing any one knob from its default changes the generated source. */
static void test_every_knob_matters(void **state) {
  (void)state;
  for (int k = 0; kernels[k]; k++) {
    tt_job probe;
    open_job(&probe, kernels[k], "medium", NULL);
    size_t nt = probe.kernel->ntemplates;
    tt_job_close(&probe);
    for (size_t t = 0; t < nt; t++) {
      tt_job j;
      tt_error err = {0};
      open_job(&j, kernels[k], "medium", NULL);
      char *tname = c_template(&j, t) ? strdup(j.kernel->templates[t].name) : NULL;
      tt_job_close(&j);
      if (!tname) continue;
      open_job(&j, kernels[k], "medium", tname);
      char *base = NULL;
      assert_int_equal(tt_job_source(&j, j.defaults, 0, 0, &base, &err), TT_OK);
      for (size_t i = 0; i < j.nknobs; i++) {
        int changed = tt_space_knob_card(j.space, i) == 1; /* nothing to change at this size */
        uint32_t cfg[64];
        for (uint32_t v = 0; v < tt_space_knob_card(j.space, i) && !changed; v++) {
          memcpy(cfg, j.defaults, sizeof(uint32_t) * j.nknobs);
          if (v == cfg[i]) continue;
          cfg[i] = v;
          char *src = NULL;
          tt_error e2 = {0};
          if (tt_job_source(&j, cfg, 0, 0, &src, &e2) != TT_OK) continue;
          /* The header comment names the configuration: compare the code after it. */
          changed = strcmp(strstr(src, "*/"), strstr(base, "*/")) != 0;
          free(src);
        }
        if (!changed)
          fail_msg("%s/%s: knob %s does not change the code", kernels[k], tname, j.knobs[i].name);
      }
      free(base);
      free(tname);
      tt_job_close(&j);
    }
  }
}

/* The faulty kernel fails as designed, and each failure is a result. */
static void test_faulty_outcomes(void **state) {
  (void)state;
  static const tt_outcome want[] = {TT_OUTCOME_OK, TT_OUTCOME_RUNTIME_ERROR, TT_OUTCOME_TIMEOUT,
                                    TT_OUTCOME_WRONG_RESULT};
  tt_job j;
  open_job(&j, "faulty", "mini", NULL);
  j.mopt.run_timeout_s = 3;
  for (int f = 0; f < 4; f++) {
    char json[64];
    uint32_t cfg[8];
    tt_measure_result r;
    tt_error err = {0};
    snprintf(json, sizeof json, "{\"fault\": %d}", f);
    assert_int_equal(tt_job_parse_config(&j, json, cfg, &err), TT_OK);
    assert_int_equal(tt_job_measure(&j, cfg, &r, &err), TT_OK);
    if (r.outcome != want[f])
      fail_msg("fault %d: %s (%s)", f, tt_outcome_name(r.outcome), r.message);
    if (f == 1) assert_non_null(strstr(r.message, "signal"));
  }
  tt_job_close(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_knob_matters),
      cmocka_unit_test(test_faulty_outcomes),
      cmocka_unit_test(test_kernels_validate_mini),
      cmocka_unit_test(test_kernels_validate_small),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
