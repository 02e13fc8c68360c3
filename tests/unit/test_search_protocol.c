/* Unit tests for the ask/tell protocol shared by every strategy: no
 * duplicate, pending or invalid proposal (also with ask(n > 1) and tells
 * out of order), determinism under a seed, failures never stopping a
 * strategy, resume from told history, registry and options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"
#include "tetune/search.h"

/* 8 x 8 x 4 x 2 = 512 points; a * b <= 64 leaves 28 * 8 = 224. */
static tt_space *small_space(void) {
  tt_space *s = tt_space_new();
  double p2[] = {1, 2, 4, 8, 16, 32, 64, 128};
  const char *cat[] = {"x", "y", "z", "w"};
  tt_space_add_ordinal(s, "a", p2, 8, NULL);
  tt_space_add_ordinal(s, "b", p2, 8, NULL);
  tt_space_add_categorical(s, "c", cat, 4, NULL);
  tt_space_add_bool(s, "d", NULL);
  assert_int_equal(tt_space_add_constraint(s, "a * b <= 64", NULL), TT_OK);
  return s;
}

/* A smooth objective on small_space: minimum at a = 4, b = 4, c = y, d. */
static double objective(const tt_space *s, const uint32_t *cfg) {
  double a = log2(tt_space_knob_value(s, 0, cfg[0])) - 2;
  double b = log2(tt_space_knob_value(s, 1, cfg[1])) - 2;
  return 1 + a * a + b * b + (cfg[2] != 1) + 0.5 * (cfg[3] == 0);
}

/* 1 for the cheap baselines, which get the full batch-size matrix. */
static int is_baseline(const char *name) {
  return !strcmp(name, "random") || !strcmp(name, "grid") || !strcmp(name, "ga");
}

/* Asks in batches of `batch`, tells out of order (every third result held
 * back a round), failing every fifth configuration; checks every proposal
 * against a set of everything proposed so far. Returns proposals made. */
static size_t drive(const char *name, uint64_t seed, size_t batch, uint64_t *trace) {
  tt_space *s = small_space();
  tt_error err = {0};
  tt_strategy *st = tt_strategy_new(name, s, seed, "", &err);
  assert_non_null(st);
  tt_keymap seen = {0};
  uint32_t out[64 * 4], held[64 * 4];
  size_t nheld = 0, total = 0;
  int exact;
  size_t valid = (size_t)tt_space_valid_size(s, &exact);
  for (;;) {
    size_t got = tt_strategy_ask(st, batch, out);
    for (size_t i = 0; i < got; i++) {
      uint32_t *cfg = out + 4 * i;
      assert_true(tt_space_is_valid(s, cfg));
      uint64_t key = tt_space_key(s, cfg);
      assert_false(tt_keymap_get(&seen, key, NULL));
      tt_keymap_put(&seen, key, 1);
      if (trace) trace[total] = key;
      total++;
    }
    assert_int_equal(tt_strategy_num_pending(st), got + nheld);
    size_t keep = 0;
    for (size_t i = 0; i < nheld; i++) /* last round's held-back results */
      tt_strategy_tell(st, held + 4 * i, TT_OUTCOME_OK, objective(s, held + 4 * i));
    for (size_t i = 0; i < got; i++) {
      uint32_t *cfg = out + 4 * i;
      if (i % 3 == 2) {
        memcpy(held + 4 * keep++, cfg, 4 * sizeof *cfg);
      } else if (tt_space_key(s, cfg) % 5 == 0) {
        tt_strategy_tell(st, cfg, TT_OUTCOME_RUNTIME_ERROR, 0);
      } else {
        tt_strategy_tell(st, cfg, TT_OUTCOME_OK, objective(s, cfg));
      }
    }
    nheld = keep;
    if (got == 0 && nheld == 0) break;
  }
  assert_int_equal(total, valid); /* exhausts the space, failures or not */
  assert_int_equal(tt_strategy_num_told(st), valid);
  assert_int_equal(tt_strategy_ask(st, 3, out), 0);
  tt_keymap_free(&seen);
  tt_strategy_free(st);
  tt_space_free(s);
  return total;
}

static void test_no_duplicates(void **state) {
  (void)state;
  /* every registered strategy, model-based ones included */
  const char *const *strategies = tt_strategy_names();
  size_t batches[] = {1, 3, 17, 64};
  for (int i = 0; strategies[i]; i++)
    for (size_t b = 0; b < 4; b++)
      if (is_baseline(strategies[i]) || b % 2 == 1) drive(strategies[i], 42 + b, batches[b], NULL);
}

static void test_deterministic(void **state) {
  (void)state;
  /* every registered strategy, model-based ones included */
  const char *const *strategies = tt_strategy_names();
  uint64_t t1[512], t2[512], t3[512];
  for (int i = 0; strategies[i]; i++) {
    size_t n1 = drive(strategies[i], 7, 5, t1);
    size_t n2 = drive(strategies[i], 7, 5, t2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1 * sizeof *t1);
    drive(strategies[i], 8, 5, t3);
    if (strcmp(strategies[i], "grid") != 0) assert_true(memcmp(t1, t3, n1 * sizeof *t1) != 0);
  }
}

/* A strategy told only failures keeps proposing. */
static void test_failures_do_not_stop(void **state) {
  (void)state;
  /* every registered strategy, model-based ones included */
  const char *const *strategies = tt_strategy_names();
  tt_space *s = small_space();
  for (int i = 0; strategies[i]; i++) {
    tt_strategy *st = tt_strategy_new(strategies[i], s, 1, NULL, NULL);
    uint32_t cfg[4];
    for (int t = 0; t < 150; t++) {
      assert_int_equal(tt_strategy_ask(st, 1, cfg), 1);
      tt_strategy_tell(st, cfg, (tt_outcome)(1 + t % 5), 0);
    }
    tt_strategy_free(st);
  }
  tt_space_free(s);
}

/* Telling stored history to a fresh strategy: never proposed again. */
static void test_resume(void **state) {
  (void)state;
  /* every registered strategy, model-based ones included */
  const char *const *strategies = tt_strategy_names();
  tt_space *s = small_space();
  for (int i = 0; strategies[i]; i++) {
    tt_strategy *a = tt_strategy_new(strategies[i], s, 3, NULL, NULL);
    uint32_t hist[120 * 4];
    assert_int_equal(tt_strategy_ask(a, 120, hist), 120);
    tt_strategy *b = tt_strategy_new(strategies[i], s, 4, NULL, NULL);
    tt_keymap told = {0};
    for (int t = 0; t < 120; t++) {
      tt_strategy_tell(b, hist + 4 * t, TT_OUTCOME_OK, objective(s, hist + 4 * t));
      tt_keymap_put(&told, tt_space_key(s, hist + 4 * t), 1);
    }
    tt_strategy_tell(b, hist, TT_OUTCOME_TIMEOUT, 0); /* latest wins */
    assert_int_equal(tt_strategy_num_told(b), 120);
    assert_int_equal(tt_strategy_obs(b, 0)->outcome, TT_OUTCOME_TIMEOUT);
    uint32_t cfg[4];
    while (tt_strategy_ask(b, 1, cfg) == 1) {
      assert_false(tt_keymap_get(&told, tt_space_key(s, cfg), NULL));
      tt_keymap_put(&told, tt_space_key(s, cfg), 1);
      tt_strategy_tell(b, cfg, TT_OUTCOME_OK, objective(s, cfg));
    }
    assert_int_equal(told.len, 224);
    tt_keymap_free(&told);
    tt_strategy_free(a);
    tt_strategy_free(b);
  }
  tt_space_free(s);
}

static void test_registry_and_options(void **state) {
  (void)state;
  tt_space *s = small_space();
  tt_error err = {0};
  const char *const *names = tt_strategy_names();
  int have_random = 0, n = 0;
  for (; names[n]; n++)
    have_random |= strcmp(names[n], "random") == 0;
  assert_true(have_random && n >= 3);
  if (!tt_strategy_ops_find("bo")) {
    assert_null(tt_strategy_new("bo", s, 1, NULL, &err));
    assert_int_equal(err.status, TT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "unknown strategy 'bo'"));
  } else {
    assert_string_equal(names[0], "bo"); /* the default comes first */
  }
  tt_error_clear(&err);
  assert_null(tt_strategy_new("nope", s, 1, NULL, &err));
  assert_non_null(strstr(err.msg, "unknown strategy 'nope'"));
  tt_error_clear(&err);
  assert_null(tt_strategy_new("ga", s, 1, "pop=10,colour=red", &err));
  assert_non_null(strstr(err.msg, "unknown option 'colour'"));
  tt_error_clear(&err);
  assert_null(tt_strategy_new("ga", s, 1, "mutation=2", &err));
  assert_non_null(strstr(err.msg, "bad value '2'"));
  tt_error_clear(&err);
  assert_null(tt_strategy_new("random", s, 1, "novalue", &err));
  assert_non_null(strstr(err.msg, "not key=value"));
  tt_strategy *st = tt_strategy_new("ga", s, 1, " pop = 10 , elites=2,", &err);
  assert_non_null(st);
  assert_string_equal(tt_strategy_name(st), "ga");
  tt_strategy_free(st);
  tt_space_free(s);
}

static void test_keymap(void **state) {
  (void)state;
  tt_keymap m = {0};
  uint32_t v;
  assert_false(tt_keymap_get(&m, 5, &v));
  for (uint64_t k = 0; k < 10000; k++)
    tt_keymap_put(&m, k * 7919, (uint32_t)k);
  for (uint64_t k = 0; k < 10000; k += 2)
    assert_true(tt_keymap_del(&m, k * 7919));
  assert_int_equal(m.len, 5000);
  for (uint64_t k = 0; k < 10000; k++) {
    int has = tt_keymap_get(&m, k * 7919, &v);
    assert_int_equal(has, k % 2);
    if (has) assert_int_equal(v, k);
  }
  for (uint64_t k = 0; k < 20000; k++) /* reuses tombstones, grows */
    tt_keymap_put(&m, k * 31 + 1, 7);
  assert_true(tt_keymap_get(&m, 31 * 19999 + 1, &v) && v == 7);
  tt_keymap_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keymap),        cmocka_unit_test(test_no_duplicates),
      cmocka_unit_test(test_deterministic), cmocka_unit_test(test_failures_do_not_stop),
      cmocka_unit_test(test_resume),        cmocka_unit_test(test_registry_and_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
