/* Unit tests for the baseline strategies' own behaviour: grid order and
 * coverage, random uniformity without replacement, the genetic search's
 * generations (budget below the population, elitism, learning) and its
 * population scaled to a small budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/search.h"

/* x, y in 0..19, z categorical of 3; x + y <= 30: 400 - 36 = 364 per z. */
static tt_space *grid_space(void) {
  tt_space *s = tt_space_new();
  const char *z[] = {"p", "q", "r"};
  tt_space_add_int(s, "x", 0, 19, 1, NULL);
  tt_space_add_int(s, "y", 0, 19, 1, NULL);
  tt_space_add_categorical(s, "z", z, 3, NULL);
  tt_space_add_constraint(s, "x + y <= 30", NULL);
  return s;
}

/* A bowl with its minimum 1 at x = 13, y = 5, z = r. */
static double bowl(const uint32_t *c) {
  double dx = (double)c[0] - 13, dy = (double)c[1] - 5;
  return 1 + dx * dx + dy * dy + 10.0 * (c[2] != 2);
}

static void test_grid_order_and_coverage(void **state) {
  (void)state;
  tt_space *s = grid_space();
  tt_strategy *st = tt_strategy_new("grid", s, 1, NULL, NULL);
  uint32_t cfg[3], batch[7 * 3];
  uint64_t last = 0;
  size_t n = 0;
  /* tell two points up front (resume): grid must skip them */
  uint32_t pre1[3] = {0, 0, 1}, pre2[3] = {19, 11, 2};
  tt_strategy_tell(st, pre1, TT_OUTCOME_OK, 3);
  tt_strategy_tell(st, pre2, TT_OUTCOME_COMPILE_ERROR, 0);
  size_t got;
  while ((got = tt_strategy_ask(st, 7, batch)) > 0) {
    for (size_t i = 0; i < got; i++) {
      memcpy(cfg, batch + 3 * i, sizeof cfg);
      assert_true(tt_space_is_valid(s, cfg));
      uint64_t idx = tt_space_index(s, cfg);
      assert_true(n == 0 || idx > last); /* strictly increasing */
      assert_int_not_equal(idx, tt_space_index(s, pre1));
      assert_int_not_equal(idx, tt_space_index(s, pre2));
      last = idx;
      n++;
      tt_strategy_tell(st, cfg, TT_OUTCOME_OK, bowl(cfg));
    }
  }
  assert_int_equal(n, 3 * 364 - 2);
  assert_int_equal(tt_strategy_ask(st, 1, cfg), 0);
  assert_int_equal(tt_strategy_ask(st, 5, batch), 0);
  tt_strategy_free(st);
  /* the first proposal is the first valid index */
  st = tt_strategy_new("grid", s, 9, NULL, NULL);
  assert_int_equal(tt_strategy_ask(st, 1, cfg), 1);
  assert_int_equal(tt_space_index(s, cfg), 0);
  tt_strategy_free(st);
  tt_space_free(s);
}

/* grid(order=autotvm): every valid point once, the first knob changing
 * fastest (AutoTVM's index order); a bad order is refused by name. */
static void test_grid_autotvm_order(void **state) {
  (void)state;
  tt_space *s = grid_space();
  tt_strategy *st = tt_strategy_new("grid", s, 1, "order=autotvm", NULL);
  assert_non_null(st);
  uint32_t batch[5 * 3];
  uint64_t last = 0, n = 0;
  size_t got;
  while ((got = tt_strategy_ask(st, 5, batch)) > 0)
    for (size_t i = 0; i < got; i++) {
      const uint32_t *c = batch + 3 * i;
      assert_true(tt_space_is_valid(s, c));
      uint64_t idx = (uint64_t)c[0] + 20 * ((uint64_t)c[1] + 20 * c[2]); /* x fastest */
      if (n == 0) assert_int_equal(idx, 0);
      if (n == 1) assert_true(c[0] == 1 && c[1] == 0 && c[2] == 0);
      assert_true(n == 0 || idx > last);
      last = idx;
      n++;
      tt_strategy_tell(st, c, TT_OUTCOME_OK, bowl(c));
    }
  assert_int_equal(n, 3 * 364);
  tt_strategy_free(st);
  tt_error err = {0};
  assert_null(tt_strategy_new("grid", s, 1, "order=snake", &err));
  assert_string_equal(err.msg, "grid: bad value 'snake' for option 'order' (lex|autotvm)");
  tt_space_free(s);
}

/* The first draw of random search is uniform over valid points, and the
 * full sequence is a permutation of them. */
static void test_random_uniform(void **state) {
  (void)state;
  tt_space *s = grid_space();
  size_t total = 20 * 20 * 3;
  double *first = calloc(total, sizeof *first);
  enum { RUNS = 3000 };
  for (uint64_t seed = 0; seed < RUNS; seed++) {
    tt_strategy *st = tt_strategy_new("random", s, seed, NULL, NULL);
    uint32_t cfg[3];
    assert_int_equal(tt_strategy_ask(st, 1, cfg), 1);
    first[tt_space_index(s, cfg)]++;
    tt_strategy_free(st);
  }
  /* bin by x: expected proportional to the valid points with that x */
  double counts[20] = {0}, expected[20] = {0}, chi = 0;
  uint32_t cfg[3];
  for (uint64_t i = 0; i < total; i++) {
    tt_space_from_index(s, i, cfg);
    counts[cfg[0]] += first[i];
    if (tt_space_is_valid(s, cfg))
      expected[cfg[0]] += (double)RUNS / (3 * 364);
    else
      assert_true(first[i] == 0);
  }
  for (int x = 0; x < 20; x++)
    chi += (counts[x] - expected[x]) * (counts[x] - expected[x]) / expected[x];
  assert_true(chi < 19 + 5 * sqrt(38.0));
  free(first);
  tt_space_free(s);
}

/* Runs strategy name sequentially (ask(1), tell) for budget evaluations
 * of bowl, telling it the budget when hint; returns the best value found
 * and writes the asked configurations to asked (budget x 3) when not NULL. */
static double run_hinted(const tt_space *s, const char *name, const char *opts, uint64_t seed,
                         size_t budget, int hint, uint32_t *asked) {
  tt_strategy *st = tt_strategy_new(name, s, seed, opts, NULL);
  assert_non_null(st);
  if (hint) tt_strategy_set_budget(st, budget);
  double best = INFINITY;
  uint32_t cfg[3];
  for (size_t i = 0; i < budget && tt_strategy_ask(st, 1, cfg) == 1; i++) {
    double v = bowl(cfg);
    best = fmin(best, v);
    tt_strategy_tell(st, cfg, TT_OUTCOME_OK, v);
    if (asked) memcpy(asked + 3 * i, cfg, sizeof cfg);
  }
  tt_strategy_free(st);
  return best;
}

/* run_hinted without the budget hint or the record of asks. */
static double run(const tt_space *s, const char *name, const char *opts, uint64_t seed,
                  size_t budget) {
  return run_hinted(s, name, opts, seed, budget, 0, NULL);
}

/* With a budget below the population the genetic search is random search
 * (its first generation), so it cannot do worse than random; with a large
 * budget, breeding finds better points than random on average. */
static void test_ga_generations(void **state) {
  (void)state;
  tt_space *s = grid_space();
  double ga_small = 0, rnd_small = 0, ga_big = 0, rnd_big = 0;
  for (uint64_t seed = 0; seed < 20; seed++) {
    ga_small += run(s, "ga", NULL, seed, 30);
    rnd_small += run(s, "random", NULL, seed, 30);
    ga_big += run(s, "ga", "pop=20", seed, 120);
    rnd_big += run(s, "random", NULL, seed, 120);
  }
  assert_true(ga_small == rnd_small); /* same seed, same random draws */
  assert_true(ga_big < rnd_big);
  tt_space_free(s);
}

/* Told a budget of 32 (under two generations of 100), ga evolves a
 * population of max(8, 32 / 4) = 8: its first 8 asks are random search's,
 * the rest are bred, and it beats random search on average. An explicit
 * pop is kept, and a budget of two generations keeps AutoTVM's 100. */
static void test_ga_small_budget(void **state) {
  (void)state;
  tt_space *s = grid_space();
  uint32_t ga[3 * 200], rnd[3 * 200];
  double ga_sum = 0, rnd_sum = 0;
  for (uint64_t seed = 0; seed < 20; seed++) {
    ga_sum += run_hinted(s, "ga", NULL, seed, 32, 1, ga);
    rnd_sum += run_hinted(s, "random", NULL, seed, 32, 1, rnd);
    assert_memory_equal(ga, rnd, 3 * 8 * sizeof *ga);
    assert_memory_not_equal(ga + 3 * 8, rnd + 3 * 8, 3 * 24 * sizeof *ga);
    run_hinted(s, "ga", "pop=100", seed, 32, 1, ga);
    assert_memory_equal(ga, rnd, 3 * 32 * sizeof *ga);
  }
  assert_true(ga_sum < rnd_sum);
  run_hinted(s, "ga", NULL, 3, 200, 1, ga);
  run_hinted(s, "random", NULL, 3, 200, 1, rnd);
  assert_memory_equal(ga, rnd, 3 * 100 * sizeof *ga);
  assert_memory_not_equal(ga + 3 * 100, rnd + 3 * 100, 3 * 100 * sizeof *ga);
  tt_space_free(s);
}

/* Failures have fitness 0: a space where most points fail still breeds,
 * and the parents that succeed dominate the next generation. */
static void test_ga_failures(void **state) {
  (void)state;
  tt_space *s = grid_space();
  tt_strategy *st = tt_strategy_new("ga", s, 5, "pop=10,elites=2", NULL);
  uint32_t cfg[3];
  size_t z_r = 0;
  for (int i = 0; i < 300; i++) {
    assert_int_equal(tt_strategy_ask(st, 1, cfg), 1);
    if (cfg[2] == 2) { /* only z = r succeeds */
      tt_strategy_tell(st, cfg, TT_OUTCOME_OK, bowl(cfg));
      z_r += i >= 100;
    } else {
      tt_strategy_tell(st, cfg, TT_OUTCOME_RUNTIME_ERROR, 0);
    }
  }
  /* random search would give 67 +- 7; repairs of duplicate children
   * (AutoTVM's: resample random knobs) keep it well below 200 */
  assert_true(z_r > 90);
  tt_strategy_free(st);
  tt_space_free(s);
}

/* Resume: history told to a fresh ga counts as its first generation, so
 * it breeds at once. Of 45 random configurations only z = r succeeded;
 * the next 15 asks (a generation at budget 60) are children of those and
 * mostly z = r, where a random first generation would give a third. */
static void test_ga_resume_breeds(void **state) {
  (void)state;
  tt_space *s = grid_space();
  tt_strategy *rnd = tt_strategy_new("random", s, 7, NULL, NULL);
  tt_strategy *ga = tt_strategy_new("ga", s, 7, NULL, NULL);
  tt_strategy_set_budget(ga, 60);
  uint32_t cfg[3];
  for (int i = 0; i < 45; i++) {
    assert_int_equal(tt_strategy_ask(rnd, 1, cfg), 1);
    int ok = cfg[2] == 2;
    tt_strategy_tell(ga, cfg, ok ? TT_OUTCOME_OK : TT_OUTCOME_RUNTIME_ERROR, ok ? bowl(cfg) : 0);
  }
  size_t z_r = 0;
  for (int i = 0; i < 15; i++) {
    assert_int_equal(tt_strategy_ask(ga, 1, cfg), 1);
    z_r += cfg[2] == 2;
    tt_strategy_tell(ga, cfg, TT_OUTCOME_OK, bowl(cfg));
  }
  assert_true(z_r >= 10);
  tt_strategy_free(ga);
  tt_strategy_free(rnd);
  tt_space_free(s);
}

/* Asking far more than a generation at once, with nothing told. */
static void test_ga_big_batches(void **state) {
  (void)state;
  tt_space *s = grid_space();
  tt_strategy *st = tt_strategy_new("ga", s, 5, "pop=8", NULL);
  uint32_t *batch = malloc(3 * 1100 * sizeof *batch);
  assert_int_equal(tt_strategy_ask(st, 50, batch), 50);
  for (int i = 0; i < 50; i += 2)
    tt_strategy_tell(st, batch + 3 * i, TT_OUTCOME_OK, bowl(batch + 3 * i));
  assert_int_equal(tt_strategy_ask(st, 1100, batch), 3 * 364 - 50);
  assert_int_equal(tt_strategy_ask(st, 1, batch), 0);
  free(batch);
  tt_strategy_free(st);
  tt_space_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grid_order_and_coverage), cmocka_unit_test(test_random_uniform),
      cmocka_unit_test(test_ga_generations),          cmocka_unit_test(test_ga_failures),
      cmocka_unit_test(test_ga_big_batches),          cmocka_unit_test(test_ga_small_budget),
      cmocka_unit_test(test_ga_resume_breeds),        cmocka_unit_test(test_grid_autotvm_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
