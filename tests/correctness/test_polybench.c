/* The PolyBench kernels added for issue 28 (integer types, reverse loops,
 * stencils, statistics, solvers; ludcmp's blocked LU): at mini and small, each C template's
 * default configuration and three random ones validate against the
 * PolyBench loop nest (within the kernel's tolerance; integers exactly). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/job.h"
#include "tetune/support.h"

static const char *const kernels[] = {"floyd-warshall", "nussinov",  "jacobi-1d",  "heat-3d",
                                      "fdtd-2d",        "seidel-2d", "covariance", "correlation",
                                      "gramschmidt",    "durbin",    "ludcmp",     NULL};

/* Measures cfg of j and requires ok. */
static void expect_ok(tt_job *j, const uint32_t *cfg) {
  tt_measure_result r;
  tt_error err = {0};
  char *cj = tt_space_config_to_json(j->space, cfg);
  if (tt_job_measure(j, cfg, &r, &err) != TT_OK)
    fail_msg("%s %s: %s", j->kernel->name, cj, err.msg);
  if (r.outcome != TT_OUTCOME_OK)
    fail_msg("%s/%s/%s %s: %s: %s", j->kernel->name, j->tmpl->name, j->size_name, cj,
             tt_outcome_name(r.outcome), r.message);
  free(cj);
}

static void validate(const char *name, const char *size) {
  tt_job probe;
  tt_error err = {0};
  if (tt_job_open(&probe, name, size, NULL, &err) != TT_OK) fail_msg("%s: %s", name, err.msg);
  size_t nt = probe.kernel->ntemplates;
  tt_job_close(&probe);
  for (size_t t = 0; t < nt; t++) {
    tt_job j;
    if (tt_job_open(&j, name, size, NULL, &err) != TT_OK) fail_msg("%s: %s", name, err.msg);
    const char *tn = tt_xstrdup(j.kernel->templates[t].name);
    tt_job_close(&j);
    if (tt_job_open(&j, name, size, tn, &err) != TT_OK) fail_msg("%s: %s", name, err.msg);
    j.mopt.threads = 2;
    uint32_t cfg[64];
    memcpy(cfg, j.defaults, sizeof(uint32_t) * j.nknobs);
    expect_ok(&j, cfg);
    tt_rng rng;
    tt_rng_seed(&rng, 77 + t);
    for (int r = 0; r < 3; r++) {
      assert_int_equal(tt_space_sample(j.space, &rng, cfg), 0);
      expect_ok(&j, cfg);
    }
    tt_job_close(&j);
    free((void *)tn);
  }
}

static void test_mini(void **state) {
  (void)state;
  for (int k = 0; kernels[k]; k++)
    validate(kernels[k], "mini");
}

static void test_small(void **state) {
  (void)state;
  for (int k = 0; kernels[k]; k++)
    validate(kernels[k], "small");
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_mini), cmocka_unit_test(test_small)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
