/* The stencil steps of issue 28 item 9. time_tile on the five PolyBench
 * stencils' `skewed` templates: at mini and small, 2 threads, tiles in
 * order and as a wavefront, time tiles that do and do not divide the time
 * steps, the smallest and largest space tiles, skew 1 and 2; time tiles
 * of two and three space loops (`skewed2`, timetile3.te), in order, as a
 * wavefront and in strips. interchange on
 * adi's `swapped` template: column solves, row solves, both, chunk sizes,
 * vectorised or not; and on deriche's `swapped` template, whose
 * interchanges expand the passes' lets into arrays. Every configuration
 * validates against the PolyBench loop nest (the kernel's tolerance). */
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

typedef struct stencil {
  const char *name;
  int xs_min, xs_max; /* the template's smallest and largest space tile */
  int ts_max;         /* and largest time tile */
} stencil;

static const stencil stencils[] = {
    {"jacobi-1d", 64, 2048, 64}, {"jacobi-2d", 8, 256, 32}, {"heat-3d", 2, 32, 16},
    {"fdtd-2d", 8, 256, 32},     {"seidel-2d", 8, 256, 32},
};

/* Runs configuration json of kernel/template at size and requires ok. */
static void expect_ok_in(const char *kernel, const char *tmpl, const char *size, const char *json) {
  tt_job j;
  tt_error err = {0};
  if (tt_job_open(&j, kernel, size, tmpl, &err) != TT_OK) fail_msg("%s: %s", kernel, err.msg);
  j.mopt.threads = 2;
  uint32_t cfg[64];
  if (tt_job_parse_config(&j, json, cfg, &err) != TT_OK)
    fail_msg("%s %s: %s", kernel, json, err.msg);
  tt_measure_result r;
  if (tt_job_measure(&j, cfg, &r, &err) != TT_OK) fail_msg("%s %s: %s", kernel, json, err.msg);
  if (r.outcome != TT_OUTCOME_OK)
    fail_msg("%s/%s %s: %s: %s", kernel, size, json, tt_outcome_name(r.outcome), r.message);
  tt_job_close(&j);
}

/* Runs configuration json of s at size and requires ok. */
static void expect_ok(const stencil *s, const char *size, const char *json) {
  expect_ok_in(s->name, "skewed", size, json);
}

/* The configurations of one stencil at one size. */
static void validate(const stencil *s, const char *size) {
  char json[256];
  expect_ok(s, size, "default");
  for (int wf = 0; wf < 2; wf++) {
    snprintf(json, sizeof json, "{\"wf\": %d, \"ts\": 4, \"sk\": 1, \"xs\": %d}", wf, s->xs_min);
    expect_ok(s, size, json);
    snprintf(json, sizeof json, "{\"wf\": %d, \"ts\": %d, \"sk\": 2, \"xs\": %d}", wf, s->ts_max,
             s->xs_min);
    expect_ok(s, size, json);
    snprintf(json, sizeof json, "{\"wf\": %d, \"ts\": 2, \"sk\": 2, \"xs\": %d}", wf, s->xs_max);
    expect_ok(s, size, json);
  }
}

/* The skewed2 templates (time tiles of i and j) of jacobi-2d, heat-3d,
 * fdtd-2d and seidel-2d, and time tiles of i, j and k of the test kernel
 * timetile3:
 * in order and as a wavefront, the smallest and largest tiles, skew 2. */
static void validate_2d(const char *size) {
  static const char *const cfgs[][2] = {
      {"jacobi-2d", "default"},
      {"jacobi-2d", "{\"wf\": 1, \"ts\": 2, \"xs\": 8, \"ys\": 16}"},
      {"jacobi-2d", "{\"wf\": 0, \"ts\": 32, \"sk\": 2, \"xs\": 8, \"ys\": 16}"},
      {"heat-3d", "default"},
      {"heat-3d", "{\"wf\": 1, \"ts\": 2, \"xs\": 2, \"ys\": 4}"},
      {"heat-3d", "{\"wf\": 0, \"ts\": 16, \"sk\": 2, \"xs\": 4, \"ys\": 64}"},
      {"fdtd-2d", "default"},
      {"fdtd-2d", "{\"wf\": 1, \"ts\": 2, \"xs\": 8, \"ys\": 16}"},
      {"fdtd-2d", "{\"wf\": 0, \"ts\": 32, \"sk\": 2, \"xs\": 8, \"ys\": 16}"},
  };
  for (size_t i = 0; i < sizeof cfgs / sizeof *cfgs; i++)
    expect_ok_in(cfgs[i][0], "skewed2", size, cfgs[i][1]);
  /* columns skewed by rows (inner skew 1): seidel-2d, and seidel_nl.te,
   * whose rough data fails validation when the inner skew is left out */
  static const char *const sd[] = {
      "default",
      "{\"wf\": 1, \"ts\": 2, \"xs\": 8, \"ys\": 16}",
      "{\"wf\": 0, \"ts\": 32, \"sk\": 3, \"xs\": 8, \"ys\": 16}",
  };
  for (size_t i = 0; i < sizeof sd / sizeof *sd; i++)
    expect_ok_in("seidel-2d", "skewed2", size, sd[i]);
  static const char *const nl[] = {
      "default",
      "{\"wf\": 1}",
      "{\"ts\": 5, \"xs\": 1, \"ys\": 1, \"sk\": 3, \"wf\": 1}",
      "{\"ts\": 3, \"xs\": 7, \"ys\": 8, \"wf\": 0}",
      "{\"ts\": 3, \"xs\": 1, \"ys\": 8, \"sk\": 3, \"wf\": 0, \"st\": 1}",
  };
  for (size_t i = 0; i < sizeof nl / sizeof *nl; i++)
    expect_ok_in(TT_SOURCE_DIR "/tests/data/kernels/seidel_nl.te", "tiles", size, nl[i]);
  static const char *const t3[] = {
      "default",
      "{\"wf\": 1}",
      "{\"ts\": 4, \"xs\": 1, \"ys\": 1, \"zs\": 2, \"sk\": 2, \"wf\": 1}",
      "{\"ts\": 3, \"xs\": 5, \"ys\": 7, \"zs\": 8, \"wf\": 0}",
      "{\"d3\": 0, \"ts\": 3, \"xs\": 2, \"ys\": 1}",
      "{\"ts\": 3, \"xs\": 1, \"ys\": 2, \"zs\": 3, \"st\": 1}",
      "{\"d3\": 0, \"ts\": 4, \"xs\": 2, \"ys\": 7, \"st\": 1}",
  };
  for (size_t i = 0; i < sizeof t3 / sizeof *t3; i++)
    expect_ok_in(TT_SOURCE_DIR "/tests/data/kernels/timetile3.te", "tiles", size, t3[i]);
}

/* adi's interchanged column and row solves. */
static void validate_adi(const char *size) {
  static const char *const cfgs[] = {
      "default",
      "{\"xc\": 1, \"xr\": 1, \"tc\": 8, \"tr\": 64}",
      "{\"xc\": 0, \"xr\": 1, \"tr\": 1, \"vec\": 0}",
      "{\"xc\": 1, \"xr\": 0, \"tc\": 256, \"par\": 0}",
      /* serial chunks: GCC's unroll-and-jam met vectorized row solves */
      "{\"xc\": 1, \"xr\": 1, \"tr\": 4, \"par\": 0}",
  };
  for (size_t i = 0; i < sizeof cfgs / sizeof *cfgs; i++)
    expect_ok_in("adi", "swapped", size, cfgs[i]);
}

/* deriche's swapped template: the reference's vertical passes
 * interchanged, their lets expanded into arrays over a chunk of columns
 * (chunks larger than the image, one column a chunk of 64 at mini), in
 * parallel or not, vectorised or not. */
static void validate_deriche(const char *size) {
  static const char *const cfgs[] = {
      "default",
      "{\"tc\": 64, \"par\": 0, \"vec\": 1}",
      "{\"tc\": 4096, \"par\": 1, \"vec\": 0}",
  };
  for (size_t i = 0; i < sizeof cfgs / sizeof *cfgs; i++)
    expect_ok_in("deriche", "swapped", size, cfgs[i]);
}

static void test_mini(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof stencils / sizeof *stencils; k++)
    validate(&stencils[k], "mini");
  validate_2d("mini");
  validate_adi("mini");
  validate_deriche("mini");
}

static void test_small(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof stencils / sizeof *stencils; k++)
    validate(&stencils[k], "small");
  validate_2d("small");
  validate_adi("small");
  validate_deriche("small");
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_mini), cmocka_unit_test(test_small)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
