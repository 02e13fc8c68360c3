/* Unit tests for bo's components taken one at a time (src/search/bo_*.h,
 * history.h): the history tracker's one definition of "improved", the
 * registries of candidate sources and policies, and the pool each source
 * adds to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "search/bo_policy.h"
#include "search/bo_source.h"
#include "search/history.h"
#include "search/obs_table.h"
#include "tetune/space.h"

/* One integer knob x in 0..99. */
static tt_space *line_space(void) {
  tt_space *s = tt_space_new();
  assert_int_equal(tt_space_add_int(s, "x", 0, 99, 1, NULL), 0);
  return s;
}

/* Tells x = i with outcome o and value v. */
static void put(tt_obs_table *t, uint32_t i, tt_outcome o, double v) {
  uint32_t cfg[1] = {i};
  tt_obs_table_put(t, cfg, o, v);
}

/* With a 2% margin and a design of two: the first ok row improves, a 1%
 * gain does not, nor does a failure; two 1% gains that add up to 2% do
 * (the reference moves only at an improvement); the stall counts the rows
 * after the design since the last improvement, failures included. Rows
 * told in two steps are judged the same as in one. */
static void test_history_improved(void **state) {
  (void)state;
  tt_space *s = line_space();
  static const double v[] = {10, 12, 9.9, 9.0, 8.9, 8.8, 0, 8.7};
  static const int ok[] = {1, 1, 1, 1, 1, 1, 0, 1};
  static const int want[] = {1, 0, 0, 1, 0, 1, 0, 0};
  static const size_t stall[] = {0, 1, 2, 0, 1, 0, 1, 2};
  for (int split = 0; split < 2; split++) {
    tt_obs_table t;
    tt_obs_table_init(&t, s, TT_ENCODE_LOG);
    tt_history h;
    tt_history_init(&h, 0.02, 1);
    for (uint32_t i = 0; i < 8; i++) {
      put(&t, i, ok[i] ? TT_OUTCOME_OK : TT_OUTCOME_TIMEOUT, v[i]);
      if (!split || i % 3 == 2 || i == 7) tt_history_update(&h, &t);
      if (split && !(i % 3 == 2 || i == 7)) continue;
      assert_int_equal(tt_history_stall(&h), stall[i]);
    }
    assert_int_equal(h.n, 8);
    for (size_t i = 0; i < 8; i++)
      assert_int_equal(tt_history_improved(&h, i), want[i]);
    tt_history_free(&h);
    tt_obs_table_free(&t);
  }
  tt_space_free(s);
}

/* Margin 0: any lower ok value improves; the design rows never count into
 * the stall, even when they do not improve. */
static void test_history_margin_zero(void **state) {
  (void)state;
  tt_space *s = line_space();
  tt_obs_table t;
  tt_obs_table_init(&t, s, TT_ENCODE_LOG);
  tt_history h;
  tt_history_init(&h, 0, 3);
  put(&t, 0, TT_OUTCOME_OK, 5);
  put(&t, 1, TT_OUTCOME_OK, 6);
  put(&t, 2, TT_OUTCOME_OK, 7);
  tt_history_update(&h, &t);
  assert_int_equal(tt_history_stall(&h), 0);
  put(&t, 3, TT_OUTCOME_OK, 4.999999);
  put(&t, 4, TT_OUTCOME_OK, 4.999999);
  tt_history_update(&h, &t);
  assert_true(tt_history_improved(&h, 3) && !tt_history_improved(&h, 4));
  assert_int_equal(tt_history_stall(&h), 1);
  tt_history_free(&h);
  tt_obs_table_free(&t);
  tt_space_free(s);
}

/* 1 when the key of option (up to '=') is one of bo's options. */
static int is_bo_option(const char *option) {
  size_t len = strcspn(option, "=");
  for (const tt_option *o = tt_bo_option_table; o->name; o++)
    if (strlen(o->name) == len && strncmp(o->name, option, len) == 0) return 1;
  return 0;
}

/* Every registered source and policy names an option of bo's that sizes
 * or removes it; the sources of the global quota come first, together
 * (tt_bo_pool_build judges an empty pool where they end). */
static void test_registries(void **state) {
  (void)state;
  size_t n = 0, cands_end = 0;
  for (const tt_bo_source *s = tt_bo_sources; s->name; s++, n++) {
    assert_true(is_bo_option(s->option));
    assert_non_null(s->fill);
    if (s->quota == TT_BO_QUOTA_CANDS) {
      assert_int_equal(cands_end, n);
      cands_end = n + 1;
    }
  }
  assert_true(n >= 4 && cands_end >= 1);
  n = 0;
  for (const tt_bo_policy *p = tt_bo_policies; p->name; p++, n++) {
    assert_true(is_bo_option(p->option));
    assert_true(p->preempt || p->kappa);
  }
  assert_true(n >= 2);
}

/* Four 16-valued ordinal knobs and a bool. */
static tt_space *box_space(void) {
  tt_space *s = tt_space_new();
  double v[16];
  for (int i = 0; i < 16; i++)
    v[i] = i + 1;
  const char *names[] = {"a", "b", "c", "d"};
  for (int k = 0; k < 4; k++)
    tt_space_add_ordinal(s, names[k], v, 16, NULL);
  tt_space_add_bool(s, "f", NULL);
  return s;
}

/* Builds a pool with bo(options) after six told observations (the best
 * {8, 8, 8, 8, 1}) and checks what each source added: every entry free
 * and valid; the global quota filled; the neighbours one knob away from a
 * told point; the perturbations differing from a told point. Returns the
 * pool's length. */
static size_t pool_with(const char *options, size_t cands, size_t local, size_t neighbours) {
  tt_space *s = box_space();
  tt_strategy *st = tt_strategy_new("random", s, 4, NULL, NULL);
  tt_error err = {0};
  tt_bo *b = tt_strategy_ops_find("bo")->create(st, options, &err);
  assert_non_null(b);
  static const uint32_t told[6][5] = {{8, 8, 8, 8, 1},  {0, 0, 0, 0, 0},  {15, 15, 15, 15, 1},
                                      {3, 12, 5, 9, 0}, {12, 3, 9, 5, 1}, {8, 8, 8, 9, 0}};
  for (int i = 0; i < 6; i++) {
    tt_strategy_tell(st, told[i], TT_OUTCOME_OK, 1.0 + i);
    tt_obs_table_put(&b->obs, told[i], TT_OUTCOME_OK, 1.0 + i);
  }
  assert_int_equal(tt_bo_pool_build(st, b), 0);
  size_t len = b->pool.len, near = 0;
  assert_true(len >= cands);
  for (size_t i = 0; i < len; i++) {
    const uint32_t *c = b->pool.cfg + 5 * i;
    assert_true(tt_space_is_valid(s, c) && tt_strategy_is_free(st, c));
    if (i < cands) continue;
    int min_diff = 5;
    for (int t = 0; t < 6; t++) {
      int diff = 0;
      for (int k = 0; k < 5; k++)
        diff += c[k] != told[t][k];
      min_diff = diff < min_diff ? diff : min_diff;
    }
    assert_true(min_diff >= 1);
    near += min_diff == 1;
  }
  if (neighbours && !local) assert_int_equal(near, len - cands);
  assert_true(len <= cands + local + neighbours * TT_BO_MAX_NEIGHBOURS);
  tt_strategy_ops_find("bo")->destroy(b);
  tt_strategy_free(st);
  tt_space_free(s);
  return len;
}

/* Each source alone adds what its options ask: random candidates only;
 * with neighbours, the one-knob neighbourhood of the best point (4 x 15
 * values + the bool's other one, all free); with local, up to local
 * perturbations; with the trust region, the same global quota. */
static void test_pool_sources(void **state) {
  (void)state;
  assert_int_equal(pool_with("tr=0,local=0,neighbours=0,cands=50", 50, 0, 0), 50);
  size_t n = pool_with("tr=0,local=0,neighbours=1,cands=50", 50, 0, 1);
  assert_true(n > 50 && n <= 50 + 61);
  n = pool_with("tr=0,local=30,neighbours=0,cands=50", 50, 30, 0);
  assert_true(n > 50 && n <= 80);
  assert_int_equal(pool_with("tr=0,local=0,neighbours=0,cands=1,probe=0", 1, 0, 0), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_history_improved),
      cmocka_unit_test(test_history_margin_zero),
      cmocka_unit_test(test_registries),
      cmocka_unit_test(test_pool_sources),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
