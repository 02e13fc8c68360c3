/* Unit tests for how bo's proposals see pending points (opt.pending,
 * src/search/bo_pending.c) and how long its design runs with points
 * pending (opt.pdesign, opt.pinit, bo_design.c): with one point at a time
 * (nothing pending) every way proposes exactly what the default (fit)
 * proposes, so one worker's search is unchanged; with 16 pending each
 * gives 16 distinct free points, and the ways differ from each other;
 * with 4 workers the design ends at the first result; a bad value is a
 * usage error naming the option. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pnpoly_space.h"
#include "tetune/search.h"

enum { K = 4, TOLD = 12, BATCH = 16, SEQ = 14 };

static const char *const ways[] = {"pending=fit", "pending=condition", "pending=believer",
                                   "pending=penalise", "pending=thompson"};
enum { WAYS = sizeof ways / sizeof *ways };

/* Options that change only what is asked with points pending. */
static const char *const pending_only[] = {"pdesign=init", "pinit=1", "pinit=3,pdesign=init"};
enum { PENDING_ONLY = sizeof pending_only / sizeof *pending_only };

/* A smooth time with its minimum near block 640, tile 8, between a. */
static double objective(const uint32_t *c) {
  double b = (double)c[0] - 19, t = (double)c[2] - 8;
  return 1 + 0.01 * b * b + 0.05 * t * t + 0.3 * (c[1] != 0) + 0.1 * c[3];
}

/* Asks and tells one point at a time, n times, into out (n x K). */
static void sequential(tt_strategy *st, int n, uint32_t *out) {
  for (int i = 0; i < n; i++) {
    assert_int_equal(tt_strategy_ask(st, 1, out + i * K), 1);
    tt_strategy_tell(st, out + i * K, TT_OUTCOME_OK, objective(out + i * K));
  }
}

/* One worker: every way proposes the default's sequence. */
static void test_sequential_unchanged(void **state) {
  (void)state;
  tt_space *s = pnpoly_shaped_space();
  for (uint64_t seed = 1; seed <= 3; seed++) {
    uint32_t ref[SEQ * K], got[SEQ * K];
    tt_strategy *st = tt_strategy_new("bo", s, seed, NULL, NULL);
    sequential(st, SEQ, ref);
    tt_strategy_free(st);
    for (size_t w = 0; w < WAYS; w++) {
      st = tt_strategy_new("bo", s, seed, ways[w], NULL);
      assert_non_null(st);
      sequential(st, SEQ, got);
      assert_memory_equal(ref, got, sizeof ref);
      tt_strategy_free(st);
    }
    for (size_t w = 0; w < PENDING_ONLY; w++) {
      st = tt_strategy_new("bo", s, seed, pending_only[w], NULL);
      assert_non_null(st);
      sequential(st, SEQ, got);
      assert_memory_equal(ref, got, sizeof ref);
      tt_strategy_free(st);
    }
  }
  tt_space_free(s);
}

/* Asserts that the n configurations of v (n x K) are pairwise distinct. */
static void assert_distinct(const uint32_t *v, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++)
      assert_true(memcmp(v + i * K, v + j * K, K * sizeof *v) != 0);
}

/* 16 asked after TOLD told ones, none told in between, for way w. */
static void batch(const tt_space *s, const char *way, uint32_t *out) {
  tt_strategy *st = tt_strategy_new("bo", s, 7, way, NULL);
  assert_non_null(st);
  uint32_t told[TOLD * K];
  sequential(st, TOLD, told);
  for (int i = 0; i < BATCH; i++) {
    assert_int_equal(tt_strategy_ask(st, 1, out + i * K), 1);
    assert_true(tt_space_is_valid(s, out + i * K));
    for (int j = 0; j < TOLD; j++)
      assert_true(memcmp(out + i * K, told + j * K, K * sizeof *out) != 0);
  }
  assert_distinct(out, BATCH);
  tt_strategy_free(st);
}

/* 16 pending: distinct, never a told point; the ways differ. */
static void test_sixteen_pending(void **state) {
  (void)state;
  tt_space *s = pnpoly_shaped_space();
  uint32_t out[WAYS][BATCH * K];
  for (size_t w = 0; w < WAYS; w++)
    batch(s, ways[w], out[w]);
  for (size_t a = 0; a < WAYS; a++)
    for (size_t b = a + 1; b < WAYS; b++)
      assert_true(memcmp(out[a], out[b], sizeof out[a]) != 0);
  tt_space_free(s);
}

/* Four workers' start under options: four asked, the first told, a
 * fifth asked (out: 5 x K). */
static void four_workers(const tt_space *s, uint64_t seed, const char *opts, uint32_t *out) {
  tt_strategy *st = tt_strategy_new("bo", s, seed, opts, NULL);
  assert_non_null(st);
  for (int i = 0; i < 4; i++)
    assert_int_equal(tt_strategy_ask(st, 1, out + i * K), 1);
  tt_strategy_tell(st, out, TT_OUTCOME_OK, objective(out));
  assert_int_equal(tt_strategy_ask(st, 1, out + 4 * K), 1);
  assert_distinct(out, 5);
  tt_strategy_free(st);
}

/* With 4 workers and init 5 the default's first wave is the hypercube's
 * first 4 points, as pdesign=init's, but its fifth point, asked after the
 * first result, is the model's instead of the hypercube's fifth (which
 * pdesign=init asks, as one worker does); pinit=1 keeps only the first
 * hypercube point and fills the rest of the wave. */
static void test_design_ends_with_first_wave(void **state) {
  (void)state;
  tt_space *s = pnpoly_shaped_space();
  for (uint64_t seed = 1; seed <= 3; seed++) {
    uint32_t wave[5 * K], init[5 * K], one[5 * K], seq[5 * K];
    four_workers(s, seed, NULL, wave);
    four_workers(s, seed, "pdesign=init", init);
    four_workers(s, seed, "pinit=1", one);
    tt_strategy *st = tt_strategy_new("bo", s, seed, NULL, NULL);
    sequential(st, 5, seq); /* one worker: the 5 hypercube points */
    tt_strategy_free(st);
    assert_memory_equal(wave, seq, 4 * K * sizeof *seq);
    assert_memory_equal(init, seq, 5 * K * sizeof *seq);
    assert_true(memcmp(wave + 4 * K, seq + 4 * K, K * sizeof *seq) != 0);
    assert_memory_equal(one, seq, K * sizeof *seq);
    assert_true(memcmp(one + K, seq + K, 3 * K * sizeof *seq) != 0);
  }
  tt_space_free(s);
}

/* pending=x: a usage error naming the option. */
static void test_bad_value(void **state) {
  (void)state;
  tt_space *s = pnpoly_shaped_space();
  tt_error err = {0};
  assert_null(tt_strategy_new("bo", s, 1, "pending=lie", &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "pending"));
  err = (tt_error){0};
  assert_null(tt_strategy_new("bo", s, 1, "pdesign=lhs", &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "pdesign"));
  tt_space_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sequential_unchanged), cmocka_unit_test(test_sixteen_pending),
      cmocka_unit_test(test_design_ends_with_first_wave), cmocka_unit_test(test_bad_value)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
