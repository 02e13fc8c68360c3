/* Unit tests for bo's first wave (src/search/bo_wave.c): with 16 points
 * asked before any result is told, the points past the 5-point initial
 * design stay space-filling — over 20 seeds the 16-point waves are spread
 * farther apart than random search's, never with a duplicate — and with
 * design=random they are random draws as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/search.h"

enum { WAVE = 16, SEEDS = 20, K = 4 };

/* 31 x 4 x 11 x 3 points, the shape of pnpoly's space. */
static tt_space *wave_space(void) {
  tt_space *s = tt_space_new();
  const char *m[] = {"a", "b", "c", "d"}, *u[] = {"p", "q", "r"};
  tt_space_add_int(s, "block", 32, 992, 32, NULL);
  tt_space_add_categorical(s, "between", m, 4, NULL);
  tt_space_add_int(s, "tile", 0, 10, 1, NULL);
  tt_space_add_categorical(s, "use", u, 3, NULL);
  return s;
}

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
  tt_space *s = wave_space();
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

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_wave_spread)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
