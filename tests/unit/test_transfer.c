/* Unit tests for transfer (search.h, objective.h, space.h): seed
 * configurations are proposed first by every strategy; the prior's
 * calibration; a prior from the same data earns weight, a shuffled one
 * loses it; configurations map between related spaces by knob name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/prior.h"
#include "tetune/objective.h"
#include "tetune/search.h"

/* 8 x 8 x 4 ordinal knobs, a * b <= 64. */
static tt_space *small_space(void) {
  tt_space *s = tt_space_new();
  double p2[] = {1, 2, 4, 8, 16, 32, 64, 128}, u[] = {1, 2, 4, 8};
  tt_space_add_ordinal(s, "a", p2, 8, NULL);
  tt_space_add_ordinal(s, "b", p2, 8, NULL);
  tt_space_add_ordinal(s, "u", u, 4, NULL);
  assert_int_equal(tt_space_add_constraint(s, "a * b <= 64", NULL), TT_OK);
  return s;
}

/* Every strategy proposes the seeds first, in order, skipping the invalid
 * one and the one already told, in single asks and in a batch. */
static void test_seeds_first(void **state) {
  (void)state;
  tt_space *s = small_space();
  uint32_t seeds[] = {2, 2, 1, /* valid */ 7,      7, 0, /* 128 * 128: invalid */
                      0, 0, 0, /* told below */ 3, 1, 2, 1, 4, 3};
  for (const char *const *n = tt_strategy_names(); *n; n++) {
    for (size_t batch = 1; batch <= 4; batch += 3) {
      tt_error err = {0};
      tt_strategy *st = tt_strategy_new(*n, s, 5, NULL, &err);
      assert_non_null(st);
      uint32_t zero[3] = {0, 0, 0}, out[4 * 3];
      tt_strategy_tell(st, zero, TT_OUTCOME_OK, 1.0);
      tt_strategy_seed(st, seeds, 5);
      size_t got = 0;
      uint32_t all[6 * 3];
      while (got < 6) {
        size_t k = tt_strategy_ask(st, batch, out);
        assert_true(k > 0);
        for (size_t i = 0; i < k && got < 6; i++)
          memcpy(all + 3 * got++, out + 3 * i, sizeof(uint32_t) * 3);
      }
      assert_memory_equal(all, seeds, sizeof(uint32_t) * 3);
      assert_memory_equal(all + 3, seeds + 9, sizeof(uint32_t) * 6);
      /* then the strategy's own, none of them a seed */
      for (size_t i = 3; i < 6; i++)
        for (size_t j = 0; j < 5; j++)
          assert_false(memcmp(all + 3 * i, seeds + 3 * j, sizeof(uint32_t) * 3) == 0);
      tt_strategy_free(st);
    }
  }
  tt_space_free(s);
}

/* Seeds go on while they earn it: a first seed slower than the median
 * observation drops the rest of the queue; a fast one lets the next one
 * through. */
static void test_seeds_dropped_when_slow(void **state) {
  (void)state;
  tt_space *s = small_space();
  uint32_t seeds[] = {2, 2, 1, 3, 1, 2, 1, 4, 3}, out[3];
  uint32_t told[][3] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
  for (int fast = 0; fast <= 1; fast++) {
    tt_error err = {0};
    tt_strategy *st = tt_strategy_new("random", s, 3, NULL, &err);
    for (int i = 0; i < 3; i++)
      tt_strategy_tell(st, told[i], TT_OUTCOME_OK, 1.0 + i);
    tt_strategy_seed(st, seeds, 3);
    assert_int_equal(tt_strategy_ask(st, 1, out), 1);
    assert_memory_equal(out, seeds, sizeof out);
    tt_strategy_tell(st, out, TT_OUTCOME_OK, fast ? 0.5 : 10.0);
    assert_int_equal(tt_strategy_ask(st, 1, out), 1);
    assert_int_equal(memcmp(out, seeds + 3, sizeof out) == 0, fast);
    assert_int_equal(tt_strategy_num_seeded(st), 1 + fast);
    tt_strategy_free(st);
  }
  /* compile-ahead: the second seed goes out before the first is told;
   * the first told slow, the third is not served */
  tt_error err = {0};
  tt_strategy *st = tt_strategy_new("random", s, 3, NULL, &err);
  for (int i = 0; i < 3; i++)
    tt_strategy_tell(st, told[i], TT_OUTCOME_OK, 1.0 + i);
  tt_strategy_seed(st, seeds, 3);
  uint32_t first[3], second[3];
  assert_int_equal(tt_strategy_ask(st, 1, first), 1);
  assert_int_equal(tt_strategy_ask(st, 1, second), 1);
  assert_memory_equal(second, seeds + 3, sizeof second);
  tt_strategy_tell(st, first, TT_OUTCOME_OK, 10.0);
  assert_int_equal(tt_strategy_ask(st, 1, out), 1);
  assert_false(memcmp(out, seeds + 6, sizeof out) == 0);
  assert_int_equal(tt_strategy_num_seeded(st), 2);
  tt_strategy_free(st);
  tt_space_free(s);
}

/* seed_best queues the best distinct valid ok rows. */
static void test_seed_best(void **state) {
  (void)state;
  tt_space *s = small_space();
  uint32_t cfgs[] = {1, 1, 1, 7, 7, 0, 2, 2, 2, 1, 1, 1, 3, 3, 3, 0, 0, 0};
  tt_outcome out[] = {TT_OUTCOME_OK, TT_OUTCOME_OK,      TT_OUTCOME_OK,
                      TT_OUTCOME_OK, TT_OUTCOME_TIMEOUT, TT_OUTCOME_OK};
  double v[] = {2.0, 0.1 /* invalid */, 1.0, 2.0 /* again */, 0.01 /* failed */, 5.0};
  tt_error err = {0};
  tt_strategy *st = tt_strategy_new("random", s, 1, NULL, &err);
  assert_int_equal(tt_strategy_seed_best(st, cfgs, out, v, 6, 3), 3);
  uint32_t got[3 * 3], want[] = {2, 2, 2, 1, 1, 1, 0, 0, 0};
  assert_int_equal(tt_strategy_ask(st, 3, got), 3);
  assert_memory_equal(got, want, sizeof want);
  assert_true(isnan(tt_strategy_prior_weight(st))); /* random has no model */
  assert_int_equal(tt_strategy_set_prior(st, cfgs, out, v, 6), 0);
  tt_strategy_free(st);
  tt_space_free(s);
}

/* Calibration: a monotone prior gets the least-squares map and a weight
 * near 1; a reversed or constant one gets 0; so do fewer than 3 rows. */
static void test_calibrate(void **state) {
  (void)state;
  double p[40], y[40], r[40];
  for (int i = 0; i < 40; i++) {
    p[i] = i;
    y[i] = 3 + 0.5 * i;
    r[i] = -i;
  }
  tt_prior_cal c;
  tt_prior_calibrate(p, y, 40, &c);
  assert_true(fabs(c.a - 3) < 1e-9 && fabs(c.b - 0.5) < 1e-9);
  assert_true(c.w > 0.85 && c.w <= 1);
  assert_true(fabs(tt_prior_mean(&c, 10) - (c.w * 8 + (1 - c.w) * c.ybar)) < 1e-9);
  tt_prior_calibrate(r, y, 40, &c);
  assert_true(c.w == 0);
  assert_true(fabs(tt_prior_mean(&c, 5) - c.ybar) < 1e-12);
  double flat[40] = {0};
  tt_prior_calibrate(flat, y, 40, &c);
  assert_true(c.w == 0);
  tt_prior_calibrate(p, y, 2, &c);
  assert_true(c.w == 0);
}

/* Runs bo on branin for n evaluations with related rows r as its prior
 * (no seeds); returns the prior's weight at the end. */
static double weight_after(const tt_objective *o, const tt_related_rows *r, size_t n,
                           uint64_t seed) {
  tt_error err = {0};
  const tt_space *s = tt_objective_space(o);
  tt_strategy *st = tt_strategy_new("bo", s, seed, NULL, &err);
  assert_int_equal(tt_strategy_set_prior(st, r->cfgs, r->outcomes, r->values, r->n), 1);
  assert_true(tt_strategy_prior_weight(st) == 0); /* before the first proposal */
  uint32_t cfg[8];
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(tt_strategy_ask(st, 1, cfg), 1);
    double v;
    tt_outcome out = tt_objective_eval(o, cfg, &v);
    tt_strategy_tell(st, cfg, out, v);
  }
  double w = tt_strategy_prior_weight(st);
  tt_strategy_free(st);
  return w;
}

/* A prior from the objective's own data earns a large weight; the same
 * data shuffled among the configurations has lost it after 50
 * evaluations, on every seed. */
static void test_shuffled_prior_loses_weight(void **state) {
  (void)state;
  tt_error err = {0};
  tt_objective *o = tt_objective_synthetic("branin", &err);
  assert_non_null(o);
  tt_related_rows same, shuffled;
  assert_int_equal(tt_objective_related(o, tt_objective_space(o), 0, &same, &err), TT_OK);
  assert_int_equal(tt_objective_related(o, tt_objective_space(o), 9, &shuffled, &err), TT_OK);
  assert_int_equal(same.n, shuffled.n);
  for (uint64_t seed = 1; seed <= 4; seed++) {
    double good = weight_after(o, &same, 50, seed), bad = weight_after(o, &shuffled, 50, seed);
    assert_true(good > 0.4);
    assert_true(bad < 0.05);
  }
  tt_related_rows_free(&same);
  tt_related_rows_free(&shuffled);
  tt_objective_free(o);
}

/* Batches with a prior: bo conditions the GP on the residuals of the
 * points proposed since its fit; with branin's own data as the prior it
 * reaches the optimum within 40 evaluations asked 4 at a time. */
static void test_prior_batches(void **state) {
  (void)state;
  tt_error err = {0};
  tt_objective *o = tt_objective_synthetic("branin", &err);
  tt_related_rows same;
  assert_int_equal(tt_objective_related(o, tt_objective_space(o), 0, &same, &err), TT_OK);
  tt_strategy *st = tt_strategy_new("bo", tt_objective_space(o), 2, NULL, &err);
  assert_int_equal(tt_strategy_set_prior(st, same.cfgs, same.outcomes, same.values, same.n), 1);
  uint32_t cfg[4 * 2];
  double best = INFINITY;
  for (int round = 0; round < 10; round++) {
    assert_int_equal(tt_strategy_ask(st, 4, cfg), 4);
    for (int i = 0; i < 4; i++) {
      double v;
      tt_outcome out = tt_objective_eval(o, cfg + 2 * i, &v);
      tt_strategy_tell(st, cfg + 2 * i, out, v);
      if (out == TT_OUTCOME_OK) best = fmin(best, v);
    }
  }
  assert_true(best <= 1.05 * tt_objective_optimum(o));
  assert_true(tt_strategy_prior_weight(st) > 0.2);
  tt_strategy_free(st);
  tt_related_rows_free(&same);
  tt_objective_free(o);
}

/* Mapping between related spaces: listed values kept, others snapped to
 * the nearest on a log scale, unknown knobs ignored, missing ones and
 * unmappable labels default. */
static void test_map_json(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  double t[] = {8, 16, 32, 64};
  const char *ord[] = {"ij", "ji"};
  tt_space_add_ordinal(s, "t", t, 4, NULL);
  tt_space_add_categorical(s, "order", ord, 2, NULL);
  tt_space_add_bool(s, "vec", NULL);
  uint32_t def[] = {1, 1, 1}, cfg[3];
  assert_int_equal(
      tt_space_config_map_json(s, "{\"t\":32,\"order\":\"ij\",\"vec\":false}", def, cfg), 3);
  assert_true(cfg[0] == 2 && cfg[1] == 0 && cfg[2] == 0);
  assert_int_equal(tt_space_config_map_json(s, "{\"t\":44,\"x\":3}", def, cfg), 1);
  assert_true(cfg[0] == 2 && cfg[1] == 1 && cfg[2] == 1); /* 44 is nearer 32 than 64 in log */
  assert_int_equal(tt_space_config_map_json(s, "{\"t\":1000,\"order\":\"kj\"}", def, cfg), 1);
  assert_true(cfg[0] == 3 && cfg[1] == 1);
  assert_int_equal(tt_space_config_map_json(s, "[1]", def, cfg), -1);
  assert_int_equal(tt_space_config_map_json(s, "{\"y\":1}", def, cfg), 0);
  tt_space_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_seeds_first),
      cmocka_unit_test(test_seeds_dropped_when_slow),
      cmocka_unit_test(test_seed_best),
      cmocka_unit_test(test_calibrate),
      cmocka_unit_test(test_shuffled_prior_loses_weight),
      cmocka_unit_test(test_prior_batches),
      cmocka_unit_test(test_map_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
