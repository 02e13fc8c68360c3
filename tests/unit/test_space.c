/* Unit tests for search spaces: knobs, indexing, constraints (parsing,
 * binding, errors), lexicographic walking and exact counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/space.h"

/* ti, tj in {1,2,4,...,128}, unroll int 1..8, vec bool, par categorical. */
static tt_space *tiles_space(void) {
  tt_space *s = tt_space_new();
  double p2[] = {1, 2, 4, 8, 16, 32, 64, 128};
  const char *par[] = {"none", "io", "fused"};
  assert_int_equal(tt_space_add_ordinal(s, "ti", p2, 8, NULL), 0);
  assert_int_equal(tt_space_add_ordinal(s, "tj", p2, 8, NULL), 1);
  assert_int_equal(tt_space_add_int(s, "unroll", 1, 8, 1, NULL), 2);
  assert_int_equal(tt_space_add_bool(s, "vec", NULL), 3);
  assert_int_equal(tt_space_add_categorical(s, "par", par, 3, NULL), 4);
  return s;
}

/* Counts valid configurations by brute force over the cartesian product. */
static uint64_t brute_count(const tt_space *s) {
  size_t K = tt_space_num_knobs(s);
  uint32_t cfg[16];
  uint64_t n = 0, total = (uint64_t)tt_space_cartesian_size(s);
  for (uint64_t i = 0; i < total; i++) {
    tt_space_from_index(s, i, cfg);
    n += tt_space_is_valid(s, cfg);
  }
  (void)K;
  return n;
}

static void test_knobs(void **state) {
  (void)state;
  tt_space *s = tiles_space();
  tt_error err = {0};
  assert_int_equal(tt_space_num_knobs(s), 5);
  assert_int_equal(tt_space_knob_card(s, 2), 8);
  assert_true(tt_space_knob_value(s, 0, 3) == 8);
  assert_true(tt_space_knob_value(s, 2, 0) == 1);
  assert_string_equal(tt_space_knob_label(s, 4, 2), "fused");
  assert_null(tt_space_knob_label(s, 0, 0));
  assert_int_equal(tt_space_knob_index(s, "vec"), 3);
  assert_int_equal(tt_space_knob_index(s, "nope"), -1);
  assert_true(tt_space_cartesian_size(s) == 8 * 8 * 8 * 2 * 3);
  assert_int_equal(tt_space_add_bool(s, "vec", &err), -1);
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "duplicate knob 'vec'"));
  tt_error_clear(&err);
  assert_int_equal(tt_space_add_ordinal(s, "empty", NULL, 0, &err), -1);
  assert_non_null(strstr(err.msg, "no values"));
  tt_error_clear(&err);
  assert_int_equal(tt_space_add_int(s, "bad", 5, 1, 1, &err), -1);
  assert_int_equal(tt_space_add_bool(s, "1x", NULL), -1);
  double dup[] = {1, 2, 1};
  assert_int_equal(tt_space_add_ordinal(s, "d", dup, 3, NULL), -1);
  assert_int_equal(tt_space_num_knobs(s), 5);
  tt_space_free(s);
}

static void test_index_roundtrip(void **state) {
  (void)state;
  tt_space *s = tiles_space();
  uint32_t cfg[5], back[5];
  for (uint64_t i = 0; i < (uint64_t)tt_space_cartesian_size(s); i += 7) {
    tt_space_from_index(s, i, cfg);
    assert_int_equal(tt_space_index(s, cfg), i);
    assert_int_equal(tt_space_key(s, cfg), i);
    tt_space_from_index(s, tt_space_index(s, cfg), back);
    assert_memory_equal(cfg, back, sizeof cfg);
  }
  /* lexicographic: first knob most significant */
  tt_space_from_index(s, 1, cfg);
  assert_int_equal(cfg[4], 1);
  assert_int_equal(cfg[0], 0);
  tt_space_free(s);
}

static void test_permutation(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  const char *items[] = {"io", "jo", "ko", "lo"};
  assert_int_equal(tt_space_add_permutation(s, "order", items, 4, NULL), 0);
  assert_int_equal(tt_space_knob_card(s, 0), 24);
  assert_int_equal(tt_space_perm_len(s, 0), 4);
  int perm[4], prev[4] = {-1, -1, -1, -1};
  for (uint32_t v = 0; v < 24; v++) {
    tt_space_perm_decode(s, 0, v, perm);
    assert_int_equal(tt_space_perm_encode(s, 0, perm), v);
    if (v > 0) /* ranks follow lexicographic order */
      assert_true(memcmp(prev, perm, sizeof perm) < 0);
    memcpy(prev, perm, sizeof perm);
  }
  tt_space_perm_decode(s, 0, 0, perm);
  assert_int_equal(perm[0], 0);
  assert_int_equal(perm[3], 3);
  tt_space_perm_decode(s, 0, 23, perm);
  assert_int_equal(perm[0], 3);
  assert_int_equal(perm[3], 0);
  assert_string_equal(tt_space_knob_label(s, 0, 2), "ko");
  const char *many[13] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"};
  assert_int_equal(tt_space_add_permutation(s, "big", many, 13, NULL), -1);
  assert_int_equal(tt_space_add_permutation(s, "big", many, 12, NULL), 1);
  assert_int_equal(tt_space_knob_card(s, 1), 479001600u);
  tt_space_free(s);
}

static void test_constraints_eval(void **state) {
  (void)state;
  tt_space *s = tiles_space();
  tt_error err = {0};
  assert_int_equal(tt_space_add_constraint(s, "ti * tj <= 256", &err), TT_OK);
  assert_int_equal(tt_space_add_constraint(s, "par != fused || vec", &err), TT_OK);
  assert_int_equal(tt_space_add_constraint(s, "not (par == 'io' and unroll % 2 == 1)", &err),
                   TT_OK);
  uint32_t cfg[5] = {4, 4, 0, 0, 0}; /* 16*16, unroll 1, no vec, par none */
  assert_true(tt_space_is_valid(s, cfg));
  cfg[0] = 5; /* 32*16 = 512 */
  assert_false(tt_space_is_valid(s, cfg));
  cfg[0] = 4;
  cfg[4] = 2; /* fused without vec */
  assert_false(tt_space_is_valid(s, cfg));
  cfg[3] = 1;
  assert_true(tt_space_is_valid(s, cfg));
  cfg[4] = 1; /* io with odd unroll */
  assert_false(tt_space_is_valid(s, cfg));
  cfg[2] = 1; /* unroll 2 */
  assert_true(tt_space_is_valid(s, cfg));
  cfg[2] = 99; /* out of range */
  assert_false(tt_space_is_valid(s, cfg));
  tt_space_free(s);
}

/* Operators, precedence and Python/C spellings. */
static void test_constraint_syntax(void **state) {
  (void)state;
  struct {
    const char *expr;
    int valid; /* at x = 6, y = 4 */
  } cases[] = {
      {"x / y == 1", 1},
      {"x // y == 1", 1},
      {"x % y == 2", 1},
      {"-x % y == 2", 1},
      {"x ** 2 == 36", 1},
      {"1 < y < x", 1},
      {"1 < x < y", 0},
      {"x in [1, 6, 9]", 1},
      {"y not in (4, 5)", 0},
      {"!(x == 6) || y == 4", 1},
      {"not x == 6 or y == 3", 0},
      {"min(x, y) == 4 and max(x, y, 7) == 7", 1},
      {"abs(y - x) == 2", 1},
      {"x / 0 == 1", 0},
      {"True", 1},
      {"x * 1.5 == 9", 1},
      {"(x + y) * 2 == 20", 1},
      {"x - y - 1 == 1", 1},
      {"x >= 6 && y <= 4 && x != y", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tt_space *s = tt_space_new();
    tt_space_add_int(s, "x", 0, 10, 1, NULL);
    tt_space_add_int(s, "y", 0, 10, 1, NULL);
    tt_error err = {0};
    assert_int_equal(tt_space_add_constraint(s, cases[i].expr, &err), TT_OK);
    uint32_t cfg[2] = {6, 4};
    if (tt_space_is_valid(s, cfg) != cases[i].valid)
      fail_msg("'%s' should be %d", cases[i].expr, cases[i].valid);
    tt_space_free(s);
  }
}

static void test_constraint_errors(void **state) {
  (void)state;
  struct {
    const char *expr, *msg;
  } cases[] = {
      {"ti * ", "unexpected end at column 6"},
      {"ti * tq <= 4", "unknown knob 'tq'"},
      {"par == 'zz'", "'zz' is not a value of knob 'par'"},
      {"ti == 'io'", "string 'io' is not compared"},
      {"foo(ti) == 1", "unknown function 'foo'"},
      {"ti $ 2", "bad character"},
      {"(ti < 2", "expected ')'"},
      {"ti < 2)", "unexpected token"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tt_space *s = tiles_space();
    tt_error err = {0};
    assert_int_equal(tt_space_add_constraint(s, cases[i].expr, &err), TT_ERR_USAGE);
    if (!strstr(err.msg, cases[i].msg))
      fail_msg("'%s': got '%s', want '%s'", cases[i].expr, err.msg, cases[i].msg);
    tt_space_free(s);
  }
  /* Nesting beyond the bound is an error at its column, not a stack
   * overflow (found by tests/fuzz's config target); 200 levels parse. */
  const char *nest[] = {"(", "-", "min(ti, "};
  for (size_t i = 0; i < sizeof nest / sizeof *nest; i++) {
    for (int depth = 199; depth <= 20000; depth = depth == 199 ? 20000 : 20001) {
      tt_str e = {0};
      for (int d = 0; d < depth; d++)
        tt_str_append(&e, nest[i]);
      tt_str_append(&e, "ti");
      for (int d = 0; d < depth; d++)
        if (i != 1) tt_str_append(&e, ")");
      tt_str_append(&e, " > 1");
      tt_space *s = tiles_space();
      tt_error err = {0};
      tt_status st = tt_space_add_constraint(s, e.data, &err);
      if (depth == 199)
        assert_int_equal(st, TT_OK);
      else if (!strstr(err.msg, "nesting deeper than 200 levels at column"))
        fail_msg("depth %d of '%s': got '%s'", depth, nest[i], err.msg);
      tt_space_free(s);
      tt_str_free(&e);
    }
  }
}

/* Bare labels work too, and are bound to the knob they are compared to. */
static void test_constraint_labels(void **state) {
  (void)state;
  tt_space *s = tiles_space();
  assert_int_equal(tt_space_add_constraint(s, "par == io or par in ('fused')", NULL), TT_OK);
  uint32_t cfg[5] = {0, 0, 0, 0, 0};
  assert_false(tt_space_is_valid(s, cfg));
  cfg[4] = 1;
  assert_true(tt_space_is_valid(s, cfg));
  cfg[4] = 2;
  assert_true(tt_space_is_valid(s, cfg));
  tt_space_free(s);
}

/* Index with the first knob least significant (AutoTVM's order), and its
 * inverse. */
static uint64_t rev_index(const tt_space *s, const uint32_t *cfg) {
  uint64_t idx = 0;
  for (size_t k = tt_space_num_knobs(s); k-- > 0;)
    idx = idx * tt_space_knob_card(s, k) + cfg[k];
  return idx;
}

static void rev_from_index(const tt_space *s, uint64_t idx, uint32_t *cfg) {
  for (size_t k = 0; k < tt_space_num_knobs(s); k++) {
    cfg[k] = (uint32_t)(idx % tt_space_knob_card(s, k));
    idx /= tt_space_knob_card(s, k);
  }
}

/* One order of walking: the walk under test and its brute-force index. */
typedef struct walk_order {
  int (*next)(const tt_space *, uint32_t *, int);
  uint64_t (*index)(const tt_space *, const uint32_t *);
  void (*from_index)(const tt_space *, uint64_t, uint32_t *);
} walk_order;

/* Checks that the walk visits exactly the valid points of a constrained
 * space in increasing index order; returns how many. The constraints span
 * knobs at both ends, so pruning by prefix and by suffix are exercised. */
static uint64_t check_walk(const walk_order *o) {
  tt_space *s = tiles_space();
  tt_space_add_constraint(s, "ti * tj <= 64", NULL);
  tt_space_add_constraint(s, "unroll <= tj", NULL);
  tt_space_add_constraint(s, "par != fused || vec", NULL);
  uint32_t cfg[5] = {0}, probe[5];
  uint64_t expect = 0, n = 0, total = (uint64_t)tt_space_cartesian_size(s);
  for (int after = 0; o->next(s, cfg, after) == 0; after = 1, n++) {
    while (1) { /* the brute-force next valid index */
      o->from_index(s, expect, probe);
      if (tt_space_is_valid(s, probe)) break;
      expect++;
    }
    assert_int_equal(o->index(s, cfg), expect);
    expect++;
  }
  while (expect < total) {
    o->from_index(s, expect++, probe);
    assert_false(tt_space_is_valid(s, probe));
  }
  int exact = 0;
  assert_true(tt_space_valid_size(s, &exact) == (double)n);
  assert_true(exact);
  assert_int_equal(brute_count(s), n);
  assert_true(n > 0 && n < total);
  /* starting mid-way from an invalid point */
  o->from_index(s, total - 1, cfg);
  assert_int_equal(o->next(s, cfg, 1), -1);
  tt_space_free(s);
  return n;
}

/* next_valid walks exactly the valid points in index order, and
 * next_valid_rev the same points with the first knob fastest. */
static void test_next_valid(void **state) {
  (void)state;
  walk_order lex = {tt_space_next_valid, tt_space_index, tt_space_from_index};
  walk_order rev = {tt_space_next_valid_rev, rev_index, rev_from_index};
  assert_int_equal(check_walk(&lex), check_walk(&rev));
}

/* A space with no valid point, and one with a false constant constraint. */
static void test_empty_space(void **state) {
  (void)state;
  tt_space *s = tiles_space();
  tt_space_add_constraint(s, "ti > 1000", NULL);
  uint32_t cfg[5] = {0};
  tt_rng rng;
  tt_rng_seed(&rng, 1);
  assert_int_equal(tt_space_sample(s, &rng, cfg), -1);
  assert_int_equal(tt_space_next_valid(s, cfg, 0), -1);
  int exact;
  assert_true(tt_space_valid_size(s, &exact) == 0);
  tt_space_free(s);
  s = tiles_space();
  tt_space_add_constraint(s, "1 > 2", NULL);
  assert_int_equal(tt_space_sample(s, &rng, cfg), -1);
  tt_space_free(s);
}

/* Exact counting on a chain of pairwise constraints over a 10^10 space:
 * variable elimination, checked against a dynamic-programming count. */
static void test_count_large_chain(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  char name[8], expr[64];
  for (int i = 0; i < 10; i++) {
    snprintf(name, sizeof name, "k%d", i);
    tt_space_add_int(s, name, 1, 10, 1, NULL);
  }
  for (int i = 0; i + 1 < 10; i++) {
    snprintf(expr, sizeof expr, "k%d * k%d <= 20", i, i + 1);
    assert_int_equal(tt_space_add_constraint(s, expr, NULL), TT_OK);
  }
  /* count[v] = completions of k_i..k_9 with k_i = v */
  double count[11], next[11];
  for (int v = 1; v <= 10; v++)
    count[v] = 1;
  for (int i = 8; i >= 0; i--) {
    for (int v = 1; v <= 10; v++) {
      next[v] = 0;
      for (int w = 1; w <= 10; w++)
        next[v] += v * w <= 20 ? count[w] : 0;
    }
    memcpy(count, next, sizeof count);
  }
  double total = 0;
  for (int v = 1; v <= 10; v++)
    total += count[v];
  int exact = 0;
  assert_true(fabs(tt_space_valid_size(s, &exact) - total) < 0.5);
  assert_true(exact);
  tt_rng rng;
  tt_rng_seed(&rng, 3);
  uint32_t cfg[10];
  for (int i = 0; i < 1000; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
  }
  tt_space_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_knobs),
      cmocka_unit_test(test_index_roundtrip),
      cmocka_unit_test(test_permutation),
      cmocka_unit_test(test_constraints_eval),
      cmocka_unit_test(test_constraint_syntax),
      cmocka_unit_test(test_constraint_errors),
      cmocka_unit_test(test_constraint_labels),
      cmocka_unit_test(test_next_valid),
      cmocka_unit_test(test_empty_space),
      cmocka_unit_test(test_count_large_chain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
