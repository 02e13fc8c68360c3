/* Unit tests for the surrogate component (src/search/surrogate.h and its
 * registry, surrogates.c): lookup by name, unknown names and settings
 * refused with a message, settings routed to the model that takes them,
 * the unfitted prediction, batch conditioning only where a model has it,
 * and mix as the average of the GP and the forest it composes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "search/surrogate.h"
#include "search/surrogate_impl.h"

enum { N = 30, D = 2 };

/* N points in [0,1]^2 with a smooth target. */
static void make_data(double *X, double *y) {
  tt_rng r;
  tt_rng_seed(&r, 5);
  for (size_t i = 0; i < N; i++) {
    X[i * D] = tt_rng_uniform(&r);
    X[i * D + 1] = tt_rng_uniform(&r);
    y[i] = X[i * D] * X[i * D] + 2 * X[i * D + 1];
  }
}

/* Every name of tt_surrogate_names is registered under that name, in the
 * same order bo's surrogate= option indexes; a model's name reads back. */
static void test_lookup(void **state) {
  (void)state;
  const char *expect[] = {"rf", "et", "gbt", "gp", "mix"};
  size_t n = 0;
  for (; tt_surrogate_names[n]; n++) {
    assert_true(n < 5);
    assert_string_equal(tt_surrogate_names[n], expect[n]);
    const tt_surrogate_ops *ops = tt_surrogate_ops_find(expect[n]);
    assert_non_null(ops);
    assert_string_equal(ops->name, expect[n]);
    tt_error err = {0};
    tt_surrogate *s = tt_surrogate_new(expect[n], &err);
    assert_non_null(s);
    assert_int_equal(err.status, TT_OK);
    assert_string_equal(tt_surrogate_model(s), expect[n]);
    tt_surrogate_free(s);
  }
  assert_int_equal(n, 5);
}

/* An unknown or missing name is refused with a one-line message naming
 * what is registered. */
static void test_unknown_name(void **state) {
  (void)state;
  tt_error err = {0};
  assert_null(tt_surrogate_new("svm", &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_string_equal(err.msg, "unknown surrogate 'svm' (takes rf, et, gbt, gp, mix)");
  assert_null(tt_surrogate_ops_find("GP"));
  assert_null(tt_surrogate_ops_find(NULL));
  tt_error err2 = {0};
  assert_null(tt_surrogate_new(NULL, &err2));
  assert_int_equal(err2.status, TT_ERR_USAGE);
  assert_null(tt_surrogate_new("", NULL));
}

/* Fits a new model of name on the data with a fixed seed and predicts x. */
static void fit_predict(const char *name, const tt_surrogate_setting *set, size_t nset,
                        const double *X, const double *y, const double *x, double *m, double *sd) {
  tt_surrogate *s = tt_surrogate_new(name, NULL);
  assert_int_equal(tt_surrogate_configure(s, set, nset, D, NULL), 0);
  tt_rng r;
  tt_rng_seed(&r, 11);
  tt_surrogate_fit(s, X, y, N, D, &r);
  tt_surrogate_predict(s, x, m, sd);
  tt_surrogate_free(s);
}

/* A key no model takes is refused (and nothing applied); the GP's keys
 * change the GP and are ignored by the forest and boosting. */
static void test_settings(void **state) {
  (void)state;
  double X[N * D], y[N], x[D] = {0.3, 0.6}, m0, s0, m1, s1;
  make_data(X, y);
  tt_surrogate *s = tt_surrogate_new("rf", NULL);
  tt_surrogate_setting bad[] = {{"noise_max", 0.5, NULL}, {"noise", 0.5, NULL}};
  tt_error err = {0};
  assert_int_equal(tt_surrogate_configure(s, bad, 2, D, &err), -1);
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_string_equal(err.msg, "surrogate: unknown setting 'noise'");
  tt_surrogate_free(s);
  unsigned char mask[D] = {1, 0};
  tt_surrogate_setting gp[] = {{"noise_max", 1, NULL}, {"additive", 1, mask}};
  for (size_t k = 0; k < 3; k++) {
    const char *name = k == 0 ? "rf" : k == 1 ? "gbt" : "gp";
    fit_predict(name, NULL, 0, X, y, x, &m0, &s0);
    fit_predict(name, gp, 2, X, y, x, &m1, &s1);
    if (k < 2)
      assert_true(m0 == m1 && s0 == s1);
    else
      assert_true(m0 != m1 || s0 != s1);
    assert_true(fabs(m0 - (0.09 + 1.2)) < 0.5);
  }
}

/* Unfitted (and fitted on no rows), every model predicts 0 +- 1; only
 * the GP conditions a tracked pool, and only after tracking it. */
static void test_unfitted_and_condition(void **state) {
  (void)state;
  double X[N * D], y[N], x[D] = {0.3, 0.6}, mean[3], sd[3];
  make_data(X, y);
  for (size_t i = 0; tt_surrogate_names[i]; i++) {
    tt_surrogate *s = tt_surrogate_new(tt_surrogate_names[i], NULL);
    tt_rng r;
    tt_rng_seed(&r, 3);
    for (int k = 0; k < 2; k++) {
      if (k) tt_surrogate_fit(s, X, y, 0, D, &r);
      tt_surrogate_predict(s, x, mean, sd);
      assert_true(mean[0] == 0 && sd[0] == 1);
    }
    assert_int_equal(tt_surrogate_condition(s, x, 1.0, mean, sd), -1);
    tt_surrogate_fit(s, X, y, N, D, &r);
    tt_surrogate_predict_track(s, X, 3, D, mean, sd);
    int is_gp = strcmp(tt_surrogate_names[i], "gp") == 0;
    assert_int_equal(tt_surrogate_condition(s, x, 1.0, mean, sd), is_gp ? 0 : -1);
    tt_surrogate_free(s);
  }
}

/* mix's mean is the average of the GP's and the random forest's, each
 * fitted in turn from the same random stream, and its variance their mean
 * variance plus their disagreement. */
static void test_mix_composes(void **state) {
  (void)state;
  double X[N * D], y[N], x[D] = {0.7, 0.2}, mg, sg, mf, sf, mm, sm;
  make_data(X, y);
  tt_rng r;
  tt_rng_seed(&r, 17);
  tt_surrogate *gp = tt_surrogate_new("gp", NULL), *rf = tt_surrogate_new("rf", NULL);
  tt_surrogate *mix = tt_surrogate_new("mix", NULL);
  tt_surrogate_fit(gp, X, y, N, D, &r);
  tt_surrogate_fit(rf, X, y, N, D, &r);
  tt_rng_seed(&r, 17);
  tt_surrogate_fit(mix, X, y, N, D, &r);
  tt_surrogate_predict(gp, x, &mg, &sg);
  tt_surrogate_predict(rf, x, &mf, &sf);
  tt_surrogate_predict(mix, x, &mm, &sm);
  assert_true(mm == 0.5 * (mg + mf));
  double h = 0.5 * (mg - mf);
  assert_true(fabs(sm * sm - (0.5 * (sg * sg + sf * sf) + h * h)) < 1e-9);
  tt_surrogate_free(gp);
  tt_surrogate_free(rf);
  tt_surrogate_free(mix);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lookup),       cmocka_unit_test(test_unknown_name),
      cmocka_unit_test(test_settings),     cmocka_unit_test(test_unfitted_and_condition),
      cmocka_unit_test(test_mix_composes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
