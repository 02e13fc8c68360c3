/* Unit tests for bo's components taken one at a time (src/search/bo_*.h,
 * history.h): the history tracker's one definition of "improved". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_history_improved),
      cmocka_unit_test(test_history_margin_zero),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
