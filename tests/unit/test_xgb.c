/* Unit tests for the cost-model tuner (AutoTVM's XGBTuner): options,
 * determinism, both losses, failures learned as the worst label, and
 * sample efficiency against random search on the tiles landscape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/objective.h"
#include "tetune/search.h"
#include "tetune/tune.h"

/* ti, tj, tk in 1..256 (powers of two), unroll 1..8, vec; ti * tj <= 4096. */
static tt_space *tile_space(void) {
  tt_space *s = tt_space_new();
  double p2[] = {1, 2, 4, 8, 16, 32, 64, 128, 256}, u[] = {1, 2, 4, 8};
  tt_space_add_ordinal(s, "ti", p2, 9, NULL);
  tt_space_add_ordinal(s, "tj", p2, 9, NULL);
  tt_space_add_ordinal(s, "tk", p2, 9, NULL);
  tt_space_add_ordinal(s, "unroll", u, 4, NULL);
  tt_space_add_bool(s, "vec", NULL);
  assert_int_equal(tt_space_add_constraint(s, "ti * tj <= 4096", NULL), TT_OK);
  return s;
}

/* Minimum 1 at ti = 32, tj = 64, tk = 16, unroll 2, vec; unroll 8 fails. */
static tt_outcome tile_eval(const uint32_t *cfg, double *v) {
  if (cfg[3] == 3) return TT_OUTCOME_RUNTIME_ERROR;
  double a = cfg[0] - 5.0, b = cfg[1] - 6.0, c = cfg[2] - 4.0, u = cfg[3] - 1.0;
  *v = (1 + 0.05 * (a * a + b * b + c * c) + 0.1 * fabs(u)) * (cfg[4] ? 1 : 1.3);
  return TT_OUTCOME_OK;
}

/* Runs name for budget trials; returns failures, writes asked keys and the
 * best value found. */
static size_t run_tile(const char *name, const char *opts, uint64_t seed, size_t budget,
                       uint64_t *keys, double *best) {
  tt_space *s = tile_space();
  tt_error err = {0};
  tt_strategy *st = tt_strategy_new(name, s, seed, opts, &err);
  assert_non_null(st);
  uint32_t cfg[5];
  size_t fails = 0;
  *best = INFINITY;
  for (size_t i = 0; i < budget; i++) {
    assert_int_equal(tt_strategy_ask(st, 1, cfg), 1);
    assert_true(tt_space_is_valid(s, cfg));
    if (keys) keys[i] = tt_space_key(s, cfg);
    double v = 0;
    tt_outcome o = tile_eval(cfg, &v);
    fails += o != TT_OUTCOME_OK;
    if (o == TT_OUTCOME_OK) *best = fmin(*best, v);
    tt_strategy_tell(st, cfg, o, v);
  }
  tt_strategy_free(st);
  tt_space_free(s);
  return fails;
}

static void test_options(void **state) {
  (void)state;
  tt_space *s = tile_space();
  const char *good[] = {"loss=rank", "loss=reg,plan=32,init=8", "eps=0,chains=16,iters=100", ""};
  const char *bad[] = {"loss=huber", "plan=0", "eps=2", "chains=-1", "iters=x", "temp=1"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    tt_strategy *st = tt_strategy_new("xgb", s, 1, good[i], NULL);
    assert_non_null(st);
    tt_strategy_free(st);
  }
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    tt_error err = {0};
    assert_null(tt_strategy_new("xgb", s, 1, bad[i], &err));
    assert_int_equal(err.status, TT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "xgb:"));
  }
  tt_space_free(s);
}

static void test_determinism(void **state) {
  (void)state;
  uint64_t a[60], b[60], c[60];
  double best;
  run_tile("xgb", NULL, 4, 60, a, &best);
  run_tile("xgb", NULL, 4, 60, b, &best);
  run_tile("xgb", NULL, 5, 60, c, &best);
  assert_memory_equal(a, b, sizeof a);
  assert_memory_not_equal(a, c, sizeof a);
}

/* Both losses find better configurations than random search with the same
 * budget, and failures (label 0) are proposed less often. */
static void test_losses_beat_random(void **state) {
  (void)state;
  const char *opts[] = {"loss=rank", "loss=reg"};
  double rnd_best = 0, b;
  size_t rnd_fails = 0;
  for (uint64_t seed = 1; seed <= 4; seed++) {
    rnd_fails += run_tile("random", NULL, seed, 80, NULL, &b);
    rnd_best += b / 4;
  }
  for (int l = 0; l < 2; l++) {
    double best = 0;
    size_t fails = 0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
      fails += run_tile("xgb", opts[l], seed, 80, NULL, &b);
      best += b / 4;
    }
    print_message("xgb %s: mean best %.4f (random %.4f), failures %zu (random %zu)\n", opts[l],
                  best, rnd_best, fails, rnd_fails);
    assert_true(best < rnd_best);
    assert_true(fails < rnd_fails);
  }
}

/* Evaluations to within 5% of the optimum of synthetic:tiles, median over
 * 5 seeds (budget + 1 when not reached): xgb needs fewer than random. */
static void test_tiles_efficiency(void **state) {
  (void)state;
  tt_objective *o = tt_objective_synthetic("tiles", NULL);
  assert_non_null(o);
  enum { BUDGET = 150, SEEDS = 5 };
  double med[2];
  const char *names[2] = {"xgb", "random"};
  for (int k = 0; k < 2; k++) {
    double *curves = malloc(BUDGET * SEEDS * sizeof *curves), e[SEEDS];
    assert_int_equal(tt_replay_run(o, names[k], NULL, BUDGET, SEEDS, curves, NULL), TT_OK);
    for (int s = 0; s < SEEDS; s++) {
      e[s] = BUDGET + 1;
      for (int n = 0; n < BUDGET; n++)
        if (curves[s * BUDGET + n] <= 1.05 * tt_objective_optimum(o)) {
          e[s] = n + 1;
          break;
        }
    }
    for (int i = 1; i < SEEDS; i++)
      for (int j = i; j > 0 && e[j - 1] > e[j]; j--) {
        double t = e[j];
        e[j] = e[j - 1];
        e[j - 1] = t;
      }
    med[k] = e[SEEDS / 2];
    free(curves);
  }
  print_message("tiles, median evaluations to 5%%: xgb %.0f, random %.0f (%d = not reached)\n",
                med[0], med[1], BUDGET + 1);
  assert_true(med[0] < med[1]);
  tt_objective_free(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_determinism),
      cmocka_unit_test(test_losses_beat_random),
      cmocka_unit_test(test_tiles_efficiency),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
