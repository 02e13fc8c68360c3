/* Unit tests for bo's first wave (src/search/bo_wave.c): with 16 points
 * asked before any result is told, the points past the 5-point initial
 * design stay space-filling — over 20 seeds the 16-point waves are spread
 * farther apart than random search's, never with a duplicate — and with
 * design=random they are random draws as before; with wave=design the
 * points asked before init results are in go on filling space. */
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

enum { WAVE = 16, SEEDS = 20, K = 4 };

/* Least distance between two points of the wave, in value positions. */
static double min_pair(const tt_space *s, const uint32_t *w) {
  double best = INFINITY;
  for (int i = 0; i < WAVE; i++)
    for (int j = i + 1; j < WAVE; j++) {
      double d = 0;
      for (int k = 0; k < K; k++) {
        double t = ((double)w[i * K + k] - (double)w[j * K + k]) / tt_space_knob_card(s, k);
        d += t * t;
      }
      assert_true(d > 0); /* no duplicate */
      best = fmin(best, d);
    }
  return sqrt(best);
}

/* Mean over the seeds of the least pairwise distance of a first wave of
 * `name` with options, asked one point at a time with nothing told. */
static double mean_spread(const char *name, const char *options) {
  tt_space *s = pnpoly_shaped_space();
  double sum = 0;
  for (uint64_t seed = 1; seed <= SEEDS; seed++) {
    tt_strategy *st = tt_strategy_new(name, s, seed, options, NULL);
    assert_non_null(st);
    uint32_t w[WAVE * K];
    for (int i = 0; i < WAVE; i++)
      assert_int_equal(tt_strategy_ask(st, 1, w + i * K), 1);
    sum += min_pair(s, w);
    tt_strategy_free(st);
  }
  tt_space_free(s);
  return sum / SEEDS;
}

/* bo's wave is spread out; random search's and bo(design=random)'s are
 * not (their spreads are alike). */
static void test_wave_spread(void **state) {
  (void)state;
  double bo = mean_spread("bo", NULL), rnd = mean_spread("random", NULL);
  double bo_random = mean_spread("bo", "design=random");
  print_message("mean least distance in a 16-point wave: bo %.3f, bo(design=random) %.3f, "
                "random %.3f\n",
                bo, bo_random, rnd);
  assert_true(bo > 1.5 * rnd);
  assert_true(bo_random < 1.25 * rnd && rnd < 1.25 * bo_random);
}

/* Mean over the seeds of the least distance from the point asked after
 * two of a 16-point wave are told to the other points (pending or told),
 * for bo with options; the waves themselves must be the default's. */
static double next_spread(const char *options) {
  tt_space *s = pnpoly_shaped_space();
  double sum = 0;
  for (uint64_t seed = 1; seed <= SEEDS; seed++) {
    tt_strategy *st = tt_strategy_new("bo", s, seed, options, NULL);
    tt_strategy *ref = tt_strategy_new("bo", s, seed, NULL, NULL);
    uint32_t w[(WAVE + 1) * K], r[K];
    for (int i = 0; i < WAVE; i++) {
      assert_int_equal(tt_strategy_ask(st, 1, w + i * K), 1);
      assert_int_equal(tt_strategy_ask(ref, 1, r), 1);
      assert_memory_equal(w + i * K, r, sizeof r);
    }
    for (int i = 0; i < 2; i++)
      tt_strategy_tell(st, w + i * K, TT_OUTCOME_OK, 1.0 + i);
    assert_int_equal(tt_strategy_ask(st, 1, w + WAVE * K), 1);
    double best = INFINITY;
    for (int i = 0; i < WAVE; i++) {
      double d = 0;
      for (int k = 0; k < K; k++) {
        double t = ((double)w[WAVE * K + k] - (double)w[i * K + k]) / tt_space_knob_card(s, k);
        d += t * t;
      }
      best = fmin(best, sqrt(d));
    }
    sum += best;
    tt_strategy_free(st);
    tt_strategy_free(ref);
  }
  tt_space_free(s);
  return sum / SEEDS;
}

/* wave=design: the first wave is the default's, and with 2 of 5 design
 * results in, the next point goes on filling space (farther from the wave
 * than the model's proposal, which stays near the told points). */
static void test_wave_until_design(void **state) {
  (void)state;
  double first = next_spread(NULL), design = next_spread("wave=design");
  print_message("least distance of the next point: wave=first %.3f, wave=design %.3f\n", first,
                design);
  assert_true(design > first);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_wave_spread),
                                     cmocka_unit_test(test_wave_until_design)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
