/* `vectorize L by W` (issue 31: the vector width as a knob): the width,
 * literal or a knob's value, reaches the generated C as OpenMP's simdlen
 * clause on that loop only, on a compute stage's loop and on an in-place
 * reduction loop alike; without `by` the pragma is unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen_case.h"

/* A dot product per row (in-place, vectorized with width %s) and a
 * product stage whose j loop is vectorized with the knob vl's width. */
static const char kernel[] = "kernel k(N) f64\n"
                             "  sizes mini(16)\n"
                             "  inout A[N, N], C[N, N]\n"
                             "  inout x[N]\n"
                             "  init A[i, j] = (i + j + 1) / N\n"
                             "  init C[i, j] = 0\n"
                             "  init x[i] = i\n"
                             "  for i in 0..N {\n"
                             "    let s = 0.0\n"
                             "    dk: for k in 0..N {\n"
                             "      s += A[i, k] * A[k, i]\n"
                             "    }\n"
                             "    x[i] = s\n"
                             "  }\n"
                             "  compute C[i, j] = C[i, j] + sum(k: A[i, k] * A[k, j])\n"
                             "template t\n"
                             "  knob vl = [4, 8] default 8\n"
                             "  schedule loops\n"
                             "    vectorize dk%s\n"
                             "  schedule C\n"
                             "    reorder i, k, j\n"
                             "    vectorize j%s\n";

/* The C printed for the kernel with the dot product's step suffix dk and
 * the stage's suffix cj, knob vl = vl (heap; NULL with *err set when
 * lowering fails). */
static char *generated(const char *dk, const char *cj, int64_t vl, tt_error *err) {
  tt_str text = {0};
  tt_str_printf(&text, kernel, dk, cj);
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_env_set_int(&cfg.env, "vl", vl);
  char *c = codegen_case(tt_str_cstr(&text), &cfg, err);
  tt_sched_config_free(&cfg);
  tt_str_free(&text);
  return c;
}

/* Number of occurrences of needle in s. */
static int count(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

static void test_width_reaches_the_pragma(void **state) {
  (void)state;
  tt_error err = {0};
  char *c = generated(" by 4", " by vl", 8, &err);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  assert_int_equal(count(c, "#pragma omp simd reduction(+:s) simdlen(4)\n"), 1);
  assert_int_equal(count(c, "#pragma omp simd simdlen(8)\n"), 1);
  free(c);
  c = generated(" by 2", " by vl", 4, &err);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  assert_int_equal(count(c, "reduction(+:s) simdlen(2)\n"), 1);
  assert_int_equal(count(c, "#pragma omp simd simdlen(4)\n"), 1);
  assert_int_equal(count(c, "simdlen(8)"), 0);
  free(c);
}

static void test_no_width_no_clause(void **state) {
  (void)state;
  tt_error err = {0};
  char *c = generated("", "", 8, &err);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  assert_int_equal(count(c, "simdlen"), 0);
  assert_int_equal(count(c, "#pragma omp simd reduction(+:s)\n"), 1);
  assert_true(count(c, "#pragma omp simd\n") >= 1);
  free(c);
}

static void test_bad_width_from_a_knob(void **state) {
  (void)state;
  tt_error err = {0};
  char *c = generated("", " by vl", 3, &err);
  assert_null(c);
  assert_non_null(strstr(err.msg, "case.te:22:5: ")); /* the step's line */
  assert_non_null(
      strstr(err.msg, "vector width of 'j' must be a power of two from 1 to 64 lanes, not 3"));
}

/* A register tile (cache_write) and a pack (cache_read) of a stage whose
 * j loop is vectorized by 8: the loops the lowering adds over j (the
 * tile's initialisation and write-back, the pack's copy) take the same
 * width. Left to the compiler they were 256-bit where the stage's loop is
 * 512-bit (GCC prefers 256-bit vectors on AVX-512 machines): trmm's
 * write-backs of short-depth tiles cost twice the instructions. */
static const char tiled[] = "kernel k(N) f64\n"
                            "  sizes mini(64)\n"
                            "  inout C[N, N]\n"
                            "  in A[N, N], B[N, N]\n"
                            "  init C[i, j] = 0\n"
                            "  init A[i, j] = (i + j + 1) / N\n"
                            "  init B[i, j] = (i * j + 1) / N\n"
                            "  compute C[i, j] += sum(k: A[i, k] * B[k, j])\n"
                            "template t\n"
                            "  schedule C\n"
                            "    split i by 4\n"
                            "    split j by 16\n"
                            "    split k by 16\n"
                            "    reorder ko, io, jo, k, i, j\n"
                            "    cache_read B at ko\n"
                            "    cache_write at jo\n"
                            "    unroll i by 4\n"
                            "    vectorize j by 8\n";

static void test_added_loops_take_the_width(void **state) {
  (void)state;
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_error err = {0};
  char *c = codegen_case(tiled, &cfg, &err);
  tt_sched_config_free(&cfg);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  const char *f = strstr(c, "void tt_k(");
  assert_non_null(f);
  /* the pack's copy (a full micro-panel and a partial one), the tile's
   * initialisation, the stage's loop and the write-back (N divides the
   * tiles: no partial-tile copy) */
  assert_int_equal(count(f, "#pragma omp simd simdlen(8)\n"), 5);
  assert_int_equal(count(f, "#pragma omp simd\n"), 0);
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_width_reaches_the_pragma),
      cmocka_unit_test(test_no_width_no_clause),
      cmocka_unit_test(test_bad_width_from_a_knob),
      cmocka_unit_test(test_added_loops_take_the_width),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
