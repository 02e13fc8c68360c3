/* Unit tests for uniform sampling of valid configurations: chi-square
 * checks on a small constrained space, exact marginals on a sparse 10^10
 * space (variable elimination), the rejection fallback, and speed on a
 * 10^9 space that must never be enumerated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/space.h"

/* Chi-square statistic of counts[0..n) against expected[0..n). */
static double chi_square(const double *counts, const double *expected, size_t n) {
  double x = 0;
  for (size_t i = 0; i < n; i++)
    x += (counts[i] - expected[i]) * (counts[i] - expected[i]) / expected[i];
  return x;
}

/* Fails unless x is within 5 standard deviations of a chi-square with df
 * degrees of freedom (mean df, variance 2 df); seeds are fixed. */
static void assert_chi_ok(double x, size_t df) {
  if (x > (double)df + 5 * sqrt(2.0 * (double)df))
    fail_msg("chi-square %.1f too large for %zu degrees of freedom", x, df);
}

/* Every valid point of a space where 69% of the product is invalid and
 * constraints couple three knobs is drawn equally often. */
static void test_uniform_small(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  double p2[] = {1, 2, 4, 8, 16, 32};
  const char *par[] = {"none", "outer", "fused"};
  tt_space_add_ordinal(s, "ti", p2, 6, NULL);
  tt_space_add_ordinal(s, "tj", p2, 6, NULL);
  tt_space_add_int(s, "u", 1, 4, 1, NULL);
  tt_space_add_categorical(s, "par", par, 3, NULL);
  assert_int_equal(tt_space_add_constraint(s, "ti * tj <= 32 and u <= tj", NULL), TT_OK);
  assert_int_equal(tt_space_add_constraint(s, "par != fused or ti >= 4", NULL), TT_OK);
  int exact = 0;
  size_t n = (size_t)tt_space_valid_size(s, &exact), total = 6 * 6 * 4 * 3;
  assert_true(exact);
  uint32_t cfg[4];
  size_t brute = 0;
  for (uint64_t i = 0; i < total; i++) {
    tt_space_from_index(s, i, cfg);
    brute += tt_space_is_valid(s, cfg);
  }
  assert_int_equal(n, brute);
  assert_true(n < total / 3);
  double *counts = calloc(total, sizeof *counts), *expected = calloc(n, sizeof *expected);
  double *valid_counts = calloc(n, sizeof *valid_counts);
  tt_rng rng;
  tt_rng_seed(&rng, 11);
  size_t draws = 200 * n;
  for (size_t d = 0; d < draws; d++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
    counts[tt_space_index(s, cfg)]++;
  }
  size_t j = 0;
  for (uint64_t i = 0; i < total; i++) {
    tt_space_from_index(s, i, cfg);
    if (tt_space_is_valid(s, cfg)) {
      expected[j] = (double)draws / (double)n;
      valid_counts[j++] = counts[i];
    }
  }
  assert_chi_ok(chi_square(valid_counts, expected, n), n - 1);
  free(counts);
  free(expected);
  free(valid_counts);
  tt_space_free(s);
}

/* 10 knobs 1..10, k_i * k_{i+1} <= 12: about 10^6 of 10^10 points valid.
 * The marginal of k0 and k5 must match the exact one (by dynamic
 * programming over the chain). */
static void test_uniform_sparse_chain(void **state) {
  (void)state;
  enum { K = 10, V = 10 };
  tt_space *s = tt_space_new();
  char name[8], expr[64];
  for (int i = 0; i < K; i++) {
    snprintf(name, sizeof name, "k%d", i);
    tt_space_add_int(s, name, 1, V, 1, NULL);
  }
  for (int i = 0; i + 1 < K; i++) {
    snprintf(expr, sizeof expr, "k%d * k%d <= 12", i, i + 1);
    tt_space_add_constraint(s, expr, NULL);
  }
  /* fwd[i][v]: valid prefixes k0..ki ending in v; bwd[i][v]: suffixes. */
  double fwd[K][V + 1], bwd[K][V + 1];
  for (int v = 1; v <= V; v++)
    fwd[0][v] = bwd[K - 1][v] = 1;
  for (int i = 1; i < K; i++)
    for (int v = 1; v <= V; v++) {
      fwd[i][v] = bwd[K - 1 - i][v] = 0;
      for (int w = 1; w <= V; w++)
        if (v * w <= 12) {
          fwd[i][v] += fwd[i - 1][w];
          bwd[K - 1 - i][v] += bwd[K - i][w];
        }
    }
  double total = 0;
  for (int v = 1; v <= V; v++)
    total += fwd[K - 1][v];
  int exact = 0;
  assert_true(fabs(tt_space_valid_size(s, &exact) - total) < 0.5);
  assert_true(exact);
  assert_true(tt_space_cartesian_size(s) > 1e9);
  tt_rng rng;
  tt_rng_seed(&rng, 5);
  enum { DRAWS = 40000 };
  double c0[V] = {0}, c5[V] = {0}, e0[V], e5[V];
  uint32_t cfg[K];
  for (int d = 0; d < DRAWS; d++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
    c0[cfg[0]]++;
    c5[cfg[5]]++;
  }
  for (int v = 1; v <= V; v++) {
    e0[v - 1] = DRAWS * bwd[0][v] / total;
    e5[v - 1] = DRAWS * fwd[5][v] * bwd[5][v] / total;
  }
  assert_chi_ok(chi_square(c0, e0, V), V - 1);
  assert_chi_ok(chi_square(c5, e5, V), V - 1);
  tt_space_free(s);
}

/* One constraint over four knobs of 100 values (10^8 table entries: too
 * big for variable elimination) falls back to rejection, still uniform:
 * P(a = v) is proportional to the solutions of b + c + d < 100 - v. */
static void test_rejection_fallback(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  const char *names[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 4; i++)
    tt_space_add_int(s, names[i], 0, 99, 1, NULL);
  tt_space_add_constraint(s, "a + b + c + d < 100", NULL);
  int exact = 1;
  double est = tt_space_valid_size(s, &exact), truth = 4421275; /* C(103, 4) */
  assert_false(exact);
  assert_true(fabs(est - truth) / truth < 0.05);
  enum { BINS = 10, DRAWS = 20000 };
  double counts[BINS] = {0}, expected[BINS] = {0};
  for (int v = 0; v < 100; v++) /* C(102 - v, 3) solutions with a = v */
    expected[v / 10] += (102.0 - v) * (101.0 - v) * (100.0 - v) / 6 / truth * DRAWS;
  tt_rng rng;
  tt_rng_seed(&rng, 9);
  uint32_t cfg[4];
  for (int i = 0; i < DRAWS; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
    counts[cfg[0] / 10]++;
  }
  assert_chi_ok(chi_square(counts, expected, BINS), BINS - 1);
  tt_space_free(s);
}

/* Conjunctions are split into separate constraints, so a needle made of
 * pairwise equalities is counted and sampled exactly. */
static void test_needle_exact(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  const char *names[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 4; i++)
    tt_space_add_int(s, names[i], 0, 99, 1, NULL);
  tt_space_add_constraint(s, "a == b and b == c and c == d and a % 7 == 3", NULL);
  int exact = 0;
  assert_true(tt_space_valid_size(s, &exact) == 14 && exact);
  tt_rng rng;
  tt_rng_seed(&rng, 2);
  uint32_t cfg[4];
  for (int i = 0; i < 100; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
  }
  tt_space_free(s);
}

/* One unsplittable constraint with 21 solutions among 2.2e6 points (too
 * many for a table, too rare for rejection): the DFS still finds them. */
static void test_needle_dfs(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  const char *names[] = {"a", "b", "c"};
  for (int i = 0; i < 3; i++)
    tt_space_add_int(s, names[i], 0, 129, 1, NULL);
  tt_space_add_constraint(s, "a + b + c == 5", NULL);
  int exact = 1;
  assert_true(tt_space_valid_size(s, &exact) > 0);
  assert_false(exact);
  tt_rng rng;
  tt_rng_seed(&rng, 2);
  uint32_t cfg[3];
  for (int i = 0; i < 3; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
  }
  tt_space_free(s);
}

/* 10^9 points with pairwise constraints: counting and sampling are quick
 * (this test would time out if anything enumerated the space). */
static void test_huge_space(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  double sizes[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  char name[8];
  for (int i = 0; i < 9; i++) {
    snprintf(name, sizeof name, "t%d", i);
    tt_space_add_ordinal(s, name, sizes, 10, NULL);
  }
  tt_space_add_constraint(s, "t0 * t1 * t2 <= 4096", NULL);
  tt_space_add_constraint(s, "t3 >= t4", NULL);
  tt_space_add_constraint(s, "t6 * t7 <= 1024 or t8 == 1", NULL);
  double t0 = tt_now();
  int exact = 0;
  double n = tt_space_valid_size(s, &exact);
  assert_true(exact && n > 1e6 && n < 1e9);
  tt_rng rng;
  tt_rng_seed(&rng, 1);
  uint32_t cfg[9];
  for (int i = 0; i < 10000; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_true(tt_space_is_valid(s, cfg));
  }
  assert_true(tt_now() - t0 < 10);
  tt_space_free(s);
}

/* Unconstrained knobs and a space without constraints. */
static void test_unconstrained(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  const char *items[] = {"i", "j", "k"};
  tt_space_add_permutation(s, "order", items, 3, NULL);
  tt_space_add_bool(s, "v", NULL);
  int exact = 0;
  assert_true(tt_space_valid_size(s, &exact) == 12 && exact);
  double counts[12] = {0}, expected[12];
  tt_rng rng;
  tt_rng_seed(&rng, 4);
  uint32_t cfg[2];
  for (int i = 0; i < 12000; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    counts[tt_space_index(s, cfg)]++;
  }
  for (int i = 0; i < 12; i++)
    expected[i] = 1000;
  assert_chi_ok(chi_square(counts, expected, 12), 11);
  tt_space_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_uniform_small),      cmocka_unit_test(test_uniform_sparse_chain),
      cmocka_unit_test(test_rejection_fallback), cmocka_unit_test(test_needle_exact),
      cmocka_unit_test(test_needle_dfs),         cmocka_unit_test(test_huge_space),
      cmocka_unit_test(test_unconstrained),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
