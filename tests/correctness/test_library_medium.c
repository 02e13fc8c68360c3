/* The PolyBench linear-algebra and stencil library (issue 3, items 2 and 4):
 * every kernel has PolyBench 4.2's five datasets with their exact values,
 * and the default configuration of each of its templates reproduces the
 * reference (PolyBench's loop nest) at the medium size. Random
 * configurations at mini and small sizes are test_variants.c's. */
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

enum { NSIZES = 5, MAXP = 4 };

/* A kernel (by the name `tetune run` takes) and PolyBench 4.2's datasets,
 * mini to extralarge, in the kernel's parameter order. */
typedef struct library_kernel {
  const char *name;
  const char *kernel_name; /* the name inside the file */
  size_t nparams;
  int64_t sizes[NSIZES][MAXP];
} library_kernel;

static const char *const size_names[NSIZES] = {"mini", "small", "medium", "large", "extralarge"};

static const library_kernel library[] = {
    {"2mm",
     "2mm",
     4,
     {{16, 18, 22, 24},
      {40, 50, 70, 80},
      {180, 190, 210, 220},
      {800, 900, 1100, 1200},
      {1600, 1800, 2200, 2400}}},
    {"syrk", "syrk", 2, {{20, 30}, {60, 80}, {200, 240}, {1000, 1200}, {2000, 2600}}},
    {"syr2k", "syr2k", 2, {{20, 30}, {60, 80}, {200, 240}, {1000, 1200}, {2000, 2600}}},
    {"symm", "symm", 2, {{20, 30}, {60, 80}, {200, 240}, {1000, 1200}, {2000, 2600}}},
    {"trmm", "trmm", 2, {{20, 30}, {60, 80}, {200, 240}, {1000, 1200}, {2000, 2600}}},
    {"gemver", "gemver", 1, {{40}, {120}, {400}, {2000}, {4000}}},
    {"gesummv", "gesummv", 1, {{30}, {90}, {250}, {1300}, {2800}}},
    {"atax", "atax", 2, {{38, 42}, {116, 124}, {390, 410}, {1900, 2100}, {1800, 2200}}},
    {"bicg", "bicg", 2, {{38, 42}, {116, 124}, {390, 410}, {1900, 2100}, {1800, 2200}}},
    {"mvt", "mvt", 1, {{40}, {120}, {400}, {2000}, {4000}}},
    /* (NR, NQ, NP), the order of kernel_doitgen's arguments */
    {"doitgen",
     "doitgen",
     3,
     {{10, 8, 12}, {25, 20, 30}, {50, 40, 60}, {150, 140, 160}, {250, 220, 270}}},
    {"trisolv", "trisolv", 1, {{40}, {120}, {400}, {2000}, {4000}}},
    {"jacobi-2d", "jacobi-2d", 2, {{20, 30}, {40, 90}, {100, 250}, {500, 1300}, {1000, 2800}}},
};

enum { NLIBRARY = sizeof library / sizeof library[0] };

static void open_job(tt_job *j, const char *k, const char *size, const char *tmpl) {
  tt_error err = {0};
  if (tt_job_open(j, k, size, tmpl, &err) != TT_OK) fail_msg("open %s: %s", k, err.msg);
  j->mopt.threads = 2;
}

/* Each kernel is found under its PolyBench name, with PolyBench's sizes. */
static void test_polybench_sizes(void **state) {
  (void)state;
  for (size_t k = 0; k < NLIBRARY; k++) {
    const library_kernel *lk = &library[k];
    tt_job j;
    open_job(&j, lk->name, "mini", NULL);
    const tt_kernel_def *def = j.kernel;
    if (strcmp(def->name, lk->kernel_name) != 0)
      fail_msg("%s: found kernel '%s'", lk->name, def->name);
    assert_int_equal(def->nparams, lk->nparams);
    assert_int_equal(def->nsizes, NSIZES);
    for (int s = 0; s < NSIZES; s++) {
      int idx = tt_kernel_size_index(def, size_names[s]);
      if (idx < 0) fail_msg("%s: no size %s", lk->name, size_names[s]);
      for (size_t p = 0; p < lk->nparams; p++)
        if (def->sizes[idx].values[p] != lk->sizes[s][p])
          fail_msg("%s %s: %s = %lld, PolyBench has %lld", lk->name, size_names[s], def->params[p],
                   (long long)def->sizes[idx].values[p], (long long)lk->sizes[s][p]);
    }
    assert_true(def->ntemplates >= 1);
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
  for (size_t k = 0; k < NLIBRARY; k++) {
    const char *name = library[k].name;
    tt_job probe;
    open_job(&probe, name, "medium", NULL);
    size_t nt = probe.kernel->ntemplates;
    char **tn = calloc(nt + 1, sizeof(char *));
    for (size_t t = 0; t < nt; t++)
      tn[t] = c_template(probe.kernel, t);
    tt_job_close(&probe);
    for (size_t t = 0; t < nt; t++) {
      if (!tn[t]) continue; /* a GPU template (test_opencl, cli/gpu_*) */
      tt_job j;
      tt_measure_result r;
      tt_error err = {0};
      open_job(&j, name, "medium", tn[t]);
      if (tt_job_measure(&j, j.defaults, &r, &err) != TT_OK)
        fail_msg("%s/%s: %s", name, tn[t], err.msg);
      if (r.outcome != TT_OUTCOME_OK)
        fail_msg("%s/%s/medium default: %s: %s", name, tn[t], tt_outcome_name(r.outcome),
                 r.message);
      assert_true(r.max_rel_err >= 0 && r.max_rel_err <= 1e-9);
      assert_true(r.time_median_s > 0);
      tt_job_close(&j);
      free(tn[t]);
    }
    free(tn);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_polybench_sizes),
      cmocka_unit_test(test_defaults_validate_medium),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
