/* Language features end to end: each case builds one configuration of a
 * kernel in tests/correctness/kernels, validates it against the naive
 * reference and checks the outcome (and, for a rejected configuration,
 * the reason). Kernels are written so that a feature the reference got
 * wrong fails validation: a template computes the same values another
 * way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/job.h"

typedef struct feature_case {
  const char *file; /* under tests/correctness/kernels */
  const char *tmpl;
  const char *config;
  tt_outcome outcome;
  const char *message; /* a substring of the outcome's message, or NULL */
} feature_case;

static const feature_case CASES[] = {
    /* negative steps: the reference's reverse loops against forward ones */
    {"reverse.te", "forward", NULL, TT_OUTCOME_OK, NULL},
    {"reverse.te", "reversed", "{\"un\": 4, \"ts\": 8}", TT_OUTCOME_OK, NULL},
    {"reverse.te", "reversed", "{\"un\": 1, \"ts\": 2}", TT_OUTCOME_OK, NULL},
    /* user names never collide with generated ones or the C library's */
    {"names.te", NULL, NULL, TT_OUTCOME_OK, NULL},
    /* vectorised min/max: a running max in a loop, a min reduction, f32 */
    {"minmax.te", "vec", NULL, TT_OUTCOME_OK, NULL},
    {"minmax.te", "vec", "{\"v\": 0, \"cv\": 0}", TT_OUTCOME_OK, NULL},
    /* integer and byte tensors, validated exactly */
    {"ints.te:ints", "order", NULL, TT_OUTCOME_OK, NULL},
    {"ints.te:ints", "wrong", NULL, TT_OUTCOME_WRONG_RESULT,
     "path: 1 of 3600 integer elements differ (integers are compared exactly); first bad element "
     "185: got"},
    /* tolerances written in the kernel */
    {"ints.te:tolerances", "within", NULL, TT_OUTCOME_OK, NULL},
    {"ints.te:tolerances", "beyond", NULL, TT_OUTCOME_WRONG_RESULT,
     "Z: max relative error 1e-06 exceeds tolerance 1e-07"},
    /* writes at a fixed outer index */
    {"fixed.te", "stores", NULL, TT_OUTCOME_OK, NULL},
    {"fixed.te", "tiled", NULL, TT_OUTCOME_OK, NULL},
    /* an assigning stage split outside its tile: the first slice assigns */
    {"firstslice.te", "tiled", NULL, TT_OUTCOME_OK, NULL},
    {"firstslice.te", "tiled", "{\"kc\": 16}", TT_OUTCOME_OK, NULL},
    /* a division after a reduction is applied once, after the sum */
    {"divsum.te", "rows", NULL, TT_OUTCOME_OK, NULL},
    /* a compute reading its own output elsewhere keeps the reference's order */
    {"selfdep.te", "sched", NULL, TT_OUTCOME_OK, NULL},
    {"selfdep.te", "sched", "{\"pj\": 1, \"vj\": 1}", TT_OUTCOME_OK, NULL},
    {"selfdep.te", "sched", "{\"px\": 1}", TT_OUTCOME_INVALID,
     "stage x: cannot parallelize loop 'io': the stage reads x[i - 1], written by another "
     "iteration"},
    {"selfdep.te", "sched", "{\"pi\": 1}", TT_OUTCOME_INVALID,
     "stage Y: cannot parallelize loop 'io': the stage reads Y[i - 1, j]"},
    {"selfdep.te", "sched", "{\"tile\": 1}", TT_OUTCOME_INVALID,
     "stage Y: cannot move loop 'jo' outside loop 'i': the stage reads Y[i - 1, j]"},
    {"selfdep.te", "sched", "{\"vz\": 1}", TT_OUTCOME_INVALID,
     "stage z: cannot vectorize loop 'j': the stage reads z[j]"},
    {"selfdep.te", "sched", "{\"cw\": 1}", TT_OUTCOME_INVALID,
     "stage z: cannot cache_write: the stage reads z[j]"},
    /* axis ranges using another axis: lowered while the loops stay inside */
    {"triangle.te", "tiles", NULL, TT_OUTCOME_OK, NULL},
    {"triangle.te", "tiles", "{\"par\": 1, \"cw\": 1}", TT_OUTCOME_OK, NULL},
    {"triangle.te", "tiles", "{\"out\": 1}", TT_OUTCOME_INVALID,
     "stage T: loop 'jo' runs outside loop 'i', but the range of 'j' uses 'i': keep every loop "
     "of 'j' inside loop 'i'"},
};

/* Measures one case with 2 threads and checks its outcome. */
static void run_case(const feature_case *c) {
  tt_job j;
  tt_error err = {0};
  char path[512];
  snprintf(path, sizeof path, "%s/tests/correctness/kernels/%s", TT_SOURCE_DIR, c->file);
  if (tt_job_open(&j, path, NULL, c->tmpl, &err)) fail_msg("%s: %s", c->file, err.msg);
  j.mopt.threads = 2;
  uint32_t cfg[32];
  tt_measure_result r;
  assert_int_equal(tt_job_parse_config(&j, c->config, cfg, &err), TT_OK);
  assert_int_equal(tt_job_measure(&j, cfg, &r, &err), TT_OK);
  if (r.outcome != c->outcome || (c->message && !strstr(r.message, c->message)))
    fail_msg("%s %s %s: %s %s", c->file, c->tmpl, c->config ? c->config : "default",
             tt_outcome_name(r.outcome), r.message);
  tt_job_close(&j);
}

static void test_features(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
    run_case(&CASES[i]);
}

/* An f32 kernel's generated code computes in float: f32 math functions
 * (GCC's builtins, no header: no library name can meet a user's), float
 * literals, compare-and-select min/max. */
static void test_f32_source(void **state) {
  (void)state;
  tt_job j;
  tt_error err = {0};
  char *src = NULL;
  if (tt_job_open(&j, TT_SOURCE_DIR "/tests/correctness/kernels/minmax.te", NULL, NULL, &err))
    fail_msg("%s", err.msg);
  assert_int_equal(tt_job_source(&j, NULL, 1, 0, &src, &err), TT_OK);
  assert_non_null(strstr(src, "G[j] = tt_fmaxf(tt_fminf(F[j] * 0.5f, 0.25f), "
                              "__builtin_sqrtf(F[j]) - 0.5f);"));
  assert_null(strstr(src, "#include"));
  assert_null(strstr(src, " fmax("));
  assert_null(strstr(src, "(fmax("));
  free(src);
  tt_job_close(&j);
}

/* The rows-outer column mean divides once per column, not once per term. */
static void test_division_once(void **state) {
  (void)state;
  tt_job j;
  tt_error err = {0};
  char *src = NULL;
  uint32_t cfg[4];
  if (tt_job_open(&j, TT_SOURCE_DIR "/tests/correctness/kernels/divsum.te", NULL, NULL, &err))
    fail_msg("%s", err.msg);
  assert_int_equal(tt_job_parse_config(&j, NULL, cfg, &err), TT_OK);
  assert_int_equal(tt_job_source(&j, cfg, 1, 0, &src, &err), TT_OK);
  assert_null(strstr(src, "D[i][j] / N"));
  assert_non_null(strstr(src, "/ N;"));
  free(src);
  tt_job_close(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_features),
                                     cmocka_unit_test(test_f32_source),
                                     cmocka_unit_test(test_division_once)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
