/* Unit tests for the surrogate models of src/search: Cholesky, L-BFGS,
 * Gaussian process, random forest / extra-trees, gradient-boosted trees
 * (regression, ranking, quantiles), each on functions with known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/model.h"
#include "search/surrogate.h"

/* A smooth 2-D test function on [0,1]^2. */
static double f2(const double *x) {
  return x[0] * x[0] + 2 * x[1] - x[0] * x[1] + 0.3 * sin(6 * x[0]);
}

/* n uniform points in [0,1]^d with targets f2 (+ noise sd). */
static void make_data(tt_rng *r, size_t n, size_t d, double noise, double *X, double *y) {
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < d; k++)
      X[i * d + k] = tt_rng_uniform(r);
    y[i] = f2(X + i * d) + noise * tt_rng_normal(r);
  }
}

static void test_cholesky(void **state) {
  (void)state;
  double A[9] = {4, 2, 0.4, 2, 5, 1, 0.4, 1, 3}, L[9], b[3] = {1, 2, 3}, x[3];
  memcpy(L, A, sizeof A);
  assert_int_equal(tt_chol(L, 3), 0);
  memcpy(x, b, sizeof b);
  tt_chol_solve_lower(L, 3, x);
  tt_chol_solve_upper(L, 3, x);
  for (int i = 0; i < 3; i++) {
    double s = 0;
    for (int k = 0; k < 3; k++)
      s += A[i * 3 + k] * x[k];
    assert_true(fabs(s - b[i]) < 1e-12);
  }
  double bad[4] = {1, 2, 2, 1};
  assert_int_equal(tt_chol(bad, 2), -1);
}

/* Rosenbrock's function and gradient. */
static double rosen(void *ctx, const double *x, double *g) {
  (void)ctx;
  double a = 1 - x[0], b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  return a * a + 100 * b * b;
}

static void test_lbfgs(void **state) {
  (void)state;
  double x[2] = {-1.2, 1}, lo[2] = {-5, -5}, hi[2] = {5, 5};
  double f = tt_lbfgs_minimize(rosen, NULL, x, 2, lo, hi, 500);
  assert_true(f < 1e-8);
  assert_true(fabs(x[0] - 1) < 1e-3 && fabs(x[1] - 1) < 1e-3);
  double hi2[2] = {0.5, 5}; /* the bound binds: optimum on x0 = 0.5 */
  x[0] = -1.2;
  x[1] = 1;
  tt_lbfgs_minimize(rosen, NULL, x, 2, lo, hi2, 500);
  assert_true(fabs(x[0] - 0.5) < 1e-6 && fabs(x[1] - 0.25) < 1e-2);
}

static void test_gp_interpolates(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 1);
  double X[6], y[6];
  for (int i = 0; i < 6; i++) {
    X[i] = 0.1 * i;
    y[i] = sin(8 * X[i]) + X[i];
  }
  tt_gp_params p;
  tt_gp_params_default(&p);
  tt_gp *gp = tt_gp_fit(X, y, 6, 1, &p, &r);
  assert_non_null(gp);
  double m, v, v_mid, v_near, v_far;
  for (int i = 0; i < 6; i++) {
    tt_gp_predict(gp, X + i, &m, &v);
    assert_true(fabs(m - y[i]) < 1e-2);
    assert_true(v < 1e-3);
  }
  double xm = 0.25, xn = 0.7, xf = 1.5;
  tt_gp_predict(gp, &xm, &m, &v_mid);
  tt_gp_predict(gp, &xn, &m, &v_near);
  tt_gp_predict(gp, &xf, &m, &v_far);
  tt_gp_predict(gp, X + 2, &m, &v);
  assert_true(v < v_mid && v_mid < v_near && v_near < v_far);
  assert_true(isfinite(tt_gp_log_marginal(gp)));
  tt_gp_free(gp);
}

static void test_gp_ard_relevance(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 2);
  enum { N = 40 };
  double X[N * 2], y[N];
  for (int i = 0; i < N; i++) {
    X[2 * i] = tt_rng_uniform(&r);
    X[2 * i + 1] = tt_rng_uniform(&r); /* irrelevant */
    y[i] = sin(5 * X[2 * i]);
  }
  tt_gp_params p;
  tt_gp_params_default(&p);
  tt_gp *gp = tt_gp_fit(X, y, N, 2, &p, &r);
  assert_non_null(gp);
  double th[4];
  assert_int_equal(tt_gp_params_get(gp, th, 4), 4);
  assert_true(th[2] > th[1] + 1.0); /* the irrelevant length scale is longer */
  double x[2] = {0.33, 0.9}, m, v;
  tt_gp_predict(gp, x, &m, &v);
  assert_true(fabs(m - sin(5 * 0.33)) < 0.05);
  tt_gp_free(gp);
  p.ard = 0;
  gp = tt_gp_fit(X, y, N, 2, &p, &r);
  assert_non_null(gp);
  assert_int_equal(tt_gp_params_get(gp, th, 4), 3);
  tt_gp_free(gp);
}

/* On noisy data the fitted noise variance stays under noise_max: the
 * default bound (1) lets it explain part of the data as noise, the cap
 * 0.01 makes the GP follow the observations more closely. */
static void test_gp_noise_cap(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 5);
  enum { N = 40 };
  double X[N * 2], y[N], th[4], resid[2];
  make_data(&r, N, 2, 0.5, X, y);
  for (int capped = 0; capped < 2; capped++) {
    tt_gp_params p;
    tt_gp_params_default(&p);
    if (capped) p.noise_max = 0.01;
    tt_gp *gp = tt_gp_fit(X, y, N, 2, &p, &r);
    assert_non_null(gp);
    assert_int_equal(tt_gp_params_get(gp, th, 4), 4);
    if (capped)
      assert_true(th[3] <= log(0.01) + 1e-12);
    else
      assert_true(th[3] > log(0.01) + 1);
    resid[capped] = 0;
    for (int i = 0; i < N; i++) {
      double m, v;
      tt_gp_predict(gp, X + 2 * i, &m, &v);
      resid[capped] += fabs(m - y[i]);
    }
    tt_gp_free(gp);
  }
  assert_true(resid[1] < 0.5 * resid[0]);
}

/* The fitted hyper-parameters are a local maximum of the marginal
 * likelihood: refitting at fixed parameters nudged either way (max_iter 0
 * with init) never scores higher. Checks the gradient the optimiser used,
 * with and without the additive term. */
static void test_gp_marginal_likelihood_maximum(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 8);
  enum { N = 30 };
  double X[N * 2], y[N];
  make_data(&r, N, 2, 0.05, X, y);
  const unsigned char only_x1[2] = {0, 1};
  /* add 2: the term over feature 1 only; 3: with the linear term too */
  for (int add = 0; add < 4; add++) {
    tt_gp_params p;
    tt_gp_params_default(&p);
    p.restarts = 4;
    p.max_iter = add == 3 ? 1000 : 200;
    p.additive = add != 0;
    p.additive_mask = add == 2 ? only_x1 : NULL;
    p.linear = add == 3;
    tt_gp *gp = tt_gp_fit(X, y, N, 2, &p, &r);
    assert_non_null(gp);
    double th[6], best = tt_gp_log_marginal(gp);
    int np = (int)tt_gp_params_get(gp, th, 6);
    assert_int_equal(np, 4 + (add != 0) + (add == 3));
    tt_gp_free(gp);
    for (int k = 0; k < np; k++)
      for (int sgn = -1; sgn <= 1; sgn += 2) {
        double t2[6];
        memcpy(t2, th, sizeof th);
        t2[k] += sgn * 0.05;
        if (k >= 4 && t2[k] < log(1e-3)) continue; /* a ratio's bound: the fit may sit on it */
        tt_gp_params q;
        tt_gp_params_default(&q);
        q.additive = add != 0;
        q.additive_mask = p.additive_mask;
        q.linear = p.linear;
        q.init = t2;
        q.max_iter = 0;
        tt_gp *g2 = tt_gp_fit(X, y, N, 2, &q, &r);
        assert_non_null(g2);
        double lml = tt_gp_log_marginal(g2);
        if (lml > best + 1e-6)
          print_message("additive %d: parameter %d %+.2f scores %.6f > %.6f (at %.4f)\n", add, k,
                        sgn * 0.05, lml, best, th[k]);
        assert_true(lml <= best + 1e-6);
        tt_gp_free(g2);
      }
  }
}

/* Six points of a falling trend on [0, 0.5]: the linear term carries it
 * to the edge of the box, x = 1, predicting there less than anything
 * observed, where the Matern and additive terms alone revert towards the
 * mean. Its floor holds the fitted ratio up. */
static void test_gp_linear_extrapolates(void **state) {
  (void)state;
  double X[6], y[6], edge = 1, m[2], v;
  for (int i = 0; i < 6; i++) {
    X[i] = 0.1 * i;
    y[i] = -X[i] + 0.05 * sin(20 * X[i]);
  }
  for (int lin = 0; lin < 2; lin++) {
    tt_rng r;
    tt_rng_seed(&r, 4);
    tt_gp_params p;
    tt_gp_params_default(&p);
    p.additive = 1;
    p.linear = lin;
    p.linear_min = 8;
    tt_gp *gp = tt_gp_fit(X, y, 6, 1, &p, &r);
    assert_non_null(gp);
    tt_gp_predict(gp, &edge, &m[lin], &v);
    double th[5];
    assert_int_equal(tt_gp_params_get(gp, th, 5), 4 + (size_t)lin);
    if (lin) assert_true(th[4] >= log(8) - 1e-9);
    tt_gp_free(gp);
  }
  print_message("mean at the edge: without the linear term %.3f, with it %.3f\n", m[0], m[1]);
  assert_true(m[0] > -0.8);
  assert_true(m[1] < -0.9 && m[1] > -1.1); /* the trend's -1, +- its wiggle */
}

/* A sum of one-feature effects. */
static double additive_f(const double *x) {
  return sin(8 * x[0]) + cos(7 * x[1]);
}

/* RMSE of gp against f on the T test rows Xt (d features each); checks
 * that batch prediction (a separate code path) gives the same numbers as
 * one at a time. */
static double test_rmse(const tt_gp *gp, double (*f)(const double *), const double *Xt, int T,
                        size_t d) {
  double mb[64], vb[64], err = 0;
  assert_true(T <= 64);
  tt_gp_predict_many(gp, Xt, (size_t)T, mb, vb);
  for (int t = 0; t < T; t++) {
    double m, v, e;
    tt_gp_predict(gp, Xt + d * (size_t)t, &m, &v);
    assert_true(fabs(mb[t] - m) < 1e-9 * (1 + fabs(m)) && fabs(vb[t] - v) < 1e-9 * (1 + v));
    e = m - f(Xt + d * (size_t)t);
    err += e * e;
  }
  return sqrt(err / T);
}

/* On additive_f, trained everywhere but the corner where both features
 * are above 0.5, the additive term carries each feature's effect into the
 * corner: its error there is under half the product kernel's, and its
 * marginal likelihood is higher. Batch and single predictions agree, with
 * and without the term. */
static void test_gp_additive(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 11);
  enum { N = 50, T = 40 };
  double X[N * 2], y[N], Xt[T * 2], err[2], lml[2], th[6];
  for (int i = 0; i < N;) {
    X[2 * i] = tt_rng_uniform(&r);
    X[2 * i + 1] = tt_rng_uniform(&r);
    if (X[2 * i] <= 0.5 || X[2 * i + 1] <= 0.5) y[i] = additive_f(X + 2 * i), i++;
  }
  for (int t = 0; t < 2 * T; t++)
    Xt[t] = 0.5 + 0.5 * tt_rng_uniform(&r);
  for (int add = 0; add < 2; add++) {
    tt_gp_params p;
    tt_gp_params_default(&p);
    p.additive = add;
    p.noise_max = 0.01;
    tt_gp *gp = tt_gp_fit(X, y, N, 2, &p, &r);
    assert_non_null(gp);
    assert_int_equal(tt_gp_params_get(gp, th, 6), 4 + add);
    err[add] = test_rmse(gp, additive_f, Xt, T, 2);
    lml[add] = tt_gp_log_marginal(gp);
    tt_gp_free(gp);
  }
  print_message("corner RMSE: product %.3f, additive %.3f\n", err[0], err[1]);
  assert_true(err[1] < 0.5 * err[0]);
  assert_true(lml[1] > lml[0]);
}

/* A sum of one-feature effects in three features. */
static double additive3_f(const double *x) {
  return sin(8 * x[0]) + cos(7 * x[1]) + cos(6 * x[2]);
}

/* The mask decides which features' effects the additive term carries.
 * Trained on additive3_f outside the corner where features 1 and 2 are
 * both above 0.5, the term over every feature predicts the corner well;
 * with features 1 and 2 masked out their effects must come from the
 * product term, which does not carry them into the corner, and the error
 * is more than twice as large. (In two dimensions the product term can
 * stand in for one masked feature's main effect by making the other's
 * length scale long.) Batch and single predictions agree under a mask. */
static void test_gp_additive_mask(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 12);
  enum { N = 80, T = 40 };
  double X[N * 3], y[N], Xt[T * 3], err[2];
  for (int i = 0; i < N;) {
    for (int k = 0; k < 3; k++)
      X[3 * i + k] = tt_rng_uniform(&r);
    if (X[3 * i + 1] <= 0.5 || X[3 * i + 2] <= 0.5) y[i] = additive3_f(X + 3 * i), i++;
  }
  for (int t = 0; t < T; t++) {
    Xt[3 * t] = tt_rng_uniform(&r);
    Xt[3 * t + 1] = 0.5 + 0.5 * tt_rng_uniform(&r);
    Xt[3 * t + 2] = 0.5 + 0.5 * tt_rng_uniform(&r);
  }
  const unsigned char only_x0[3] = {1, 0, 0};
  for (int masked = 0; masked < 2; masked++) {
    tt_gp_params p;
    tt_gp_params_default(&p);
    p.additive = 1;
    p.additive_mask = masked ? only_x0 : NULL;
    p.noise_max = 0.01;
    tt_gp *gp = tt_gp_fit(X, y, N, 3, &p, &r);
    assert_non_null(gp);
    err[masked] = test_rmse(gp, additive3_f, Xt, T, 3);
    tt_gp_free(gp);
  }
  print_message("corner RMSE: additive over all features %.3f, over feature 0 only %.3f\n", err[0],
                err[1]);
  assert_true(err[1] > 2 * err[0]);
}

/* An empty mask is no additive term: no parameter for it, and the same
 * fit as without the term. */
static void test_gp_additive_empty_mask(void **state) {
  (void)state;
  tt_rng r1, r2;
  tt_rng_seed(&r1, 13);
  enum { N = 20 };
  double X[N * 2], y[N], th[6], m[2], v[2];
  make_data(&r1, N, 2, 0.05, X, y);
  const unsigned char none[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    tt_gp_params p;
    tt_gp_params_default(&p);
    p.additive = k;
    p.additive_mask = k ? none : NULL;
    tt_rng_seed(&r2, 14);
    tt_gp *gp = tt_gp_fit(X, y, N, 2, &p, &r2);
    assert_non_null(gp);
    assert_int_equal(tt_gp_params_get(gp, th, 6), 4);
    tt_gp_predict(gp, X, &m[k], &v[k]);
    tt_gp_free(gp);
  }
  assert_true(m[0] == m[1] && v[0] == v[1]);
}

/* An interaction without main effects: each feature's average effect is 0. */
static double interaction_f(const double *x) {
  return 16 * (x[0] - 0.5) * (x[1] - 0.5);
}

/* n rows of interaction_f at uniform points. */
static void make_interaction(tt_rng *r, size_t n, double *X, double *y) {
  for (size_t i = 0; i < n; i++) {
    X[2 * i] = tt_rng_uniform(r);
    X[2 * i + 1] = tt_rng_uniform(r);
    y[i] = interaction_f(X + 2 * i);
  }
}

/* Fits the GP with the additive term on n rows of interaction_f, the
 * additive variance at least floor times the product term's; returns the
 * fitted log ratio. */
static double fitted_log_ratio(size_t n, double floor) {
  tt_rng r;
  tt_rng_seed(&r, 17);
  double X[60 * 2], y[60], th[6];
  make_interaction(&r, n, X, y);
  tt_gp_params p;
  tt_gp_params_default(&p);
  p.additive = 1;
  p.additive_min = floor;
  tt_gp *gp = tt_gp_fit(X, y, n, 2, &p, &r);
  assert_non_null(gp);
  assert_int_equal(tt_gp_params_get(gp, th, 6), 5);
  tt_gp_free(gp);
  return th[4];
}

/* On a pure interaction the likelihood drops the additive term; a floor
 * keeps it at the floor, and a floor above the term's upper bound (20) is
 * that bound. */
static void test_gp_additive_floor(void **state) {
  (void)state;
  double free_fit = fitted_log_ratio(40, 0), floored = fitted_log_ratio(40, 1);
  print_message("log additive ratio: free %.3f, floor 1 %.3f\n", free_fit, floored);
  assert_true(free_fit < log(0.1));
  assert_true(fabs(floored) < 1e-9);
  assert_true(fabs(fitted_log_ratio(40, 50) - log(20.0)) < 1e-9);
}

/* A surrogate applies the floor only while it has fewer rows than until_n:
 * with as many rows it predicts exactly as without a floor, with one row
 * fewer it does not. */
static void test_surrogate_additive_floor_rows(void **state) {
  (void)state;
  enum { N = 24 };
  double X[N * 2], y[N], x[2] = {0.8, 0.8}, m[3], sd[3];
  tt_rng r;
  tt_rng_seed(&r, 19);
  make_interaction(&r, N, X, y);
  for (int k = 0; k < 3; k++) { /* no floor; floor until N; until N + 1 */
    tt_surrogate *s = tt_surrogate_new("gp", NULL);
    tt_surrogate_setting t[] = {{"additive", 1, NULL},
                                {"add_floor", k ? 1 : 0, NULL},
                                {"add_floor_n", k ? N + (k - 1) : 0, NULL}};
    assert_int_equal(tt_surrogate_configure(s, t, 3, 2, NULL), 0);
    tt_rng_seed(&r, 23);
    tt_surrogate_fit(s, X, y, N, 2, &r);
    tt_surrogate_predict(s, x, &m[k], &sd[k]);
    tt_surrogate_free(s);
  }
  assert_true(m[1] == m[0] && sd[1] == sd[0]);
  assert_true(m[2] != m[0] || sd[2] != sd[0]);
}

/* Batch conditioning (gp_batch.c): after each point (x, lie) is added,
 * the tracked predictions of 70 candidates (updated by one row each)
 * equal the conditioned GP's own predictions (a full solve with the
 * extended factor), the mean at x moves towards the lie and the variance
 * there shrinks. */
static void test_gp_track(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 21);
  enum { N = 30, M = 70, D = 2 };
  double X[N * D], y[N], C[M * D], mu[M], var[M], m1, v1;
  make_data(&r, N, D, 0.01, X, y);
  for (int i = 0; i < M * D; i++)
    C[i] = tt_rng_uniform(&r);
  for (int add = 0; add < 2; add++) {
    tt_gp_params p;
    tt_gp_params_default(&p);
    p.additive = add;
    p.linear = add;
    p.noise_max = 0.01;
    tt_gp *gp = tt_gp_fit(X, y, N, D, &p, &r);
    assert_non_null(gp);
    tt_gp_track *t = tt_gp_track_new(gp, C, M, mu, var);
    for (int b = 0; b < 5; b++) {
      const double *x = C + (7 * b + 3) * D, lie = -1.0 + 0.1 * b;
      size_t m = 0;
      double m0, v0;
      tt_gp_predict(gp, x, &m0, &v0);
      assert_int_equal(tt_gp_track_add(t, gp, x, lie, mu, var, &m), 0);
      assert_int_equal(m, M);
      for (int c = 0; c < M; c++) {
        tt_gp_predict(gp, C + c * D, &m1, &v1);
        assert_true(fabs(m1 - mu[c]) < 1e-8 * (1 + fabs(m1)));
        assert_true(fabs(v1 - var[c]) < 1e-8);
      }
      tt_gp_predict(gp, x, &m1, &v1);
      assert_true(fabs(m1 - lie) < fabs(m0 - lie)); /* drawn to the lie */
      assert_true(v1 < v0);
    }
    tt_gp_track_free(t);
    tt_gp_free(gp);
  }
}

/* Root mean squared error of a predictor on a fresh noise-free test set. */
typedef double (*predict_fn)(const void *m, const double *x);

static double rmse(const void *m, predict_fn pf, tt_rng *r) {
  double x[2], s = 0;
  for (int i = 0; i < 500; i++) {
    x[0] = tt_rng_uniform(r);
    x[1] = tt_rng_uniform(r);
    double e = pf(m, x) - f2(x);
    s += e * e;
  }
  return sqrt(s / 500);
}

static double forest_mean(const void *m, const double *x) {
  double mu, v;
  tt_forest_predict(m, x, &mu, &v);
  return mu;
}

static double gbt_mean(const void *m, const double *x) {
  return tt_gbt_predict(m, x);
}

static double gbtq_median(const void *m, const double *x) {
  double mu, v;
  tt_gbtq_predict(m, x, &mu, &v);
  return mu;
}

static void test_forest_fits(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 3);
  enum { N = 400 };
  double *X = malloc(N * 2 * sizeof *X), *y = malloc(N * sizeof *y);
  make_data(&r, N, 2, 0.0, X, y);
  tt_forest_params p;
  tt_forest_params_default(&p);
  for (int extra = 0; extra <= 1; extra++) {
    p.extra = extra;
    p.bootstrap = !extra;
    tt_forest *f = tt_forest_fit(X, y, N, 2, &p, &r);
    double e = rmse(f, forest_mean, &r);
    assert_true(e < 0.1); /* y spans about 2.5 */
    tt_forest_free(f);
  }
  free(X);
  free(y);
}

/* Mean predicted variance of f over a grid of [a, b]. */
static double mean_var(const tt_forest *f, double a, double b) {
  double s = 0;
  for (int i = 0; i < 50; i++) {
    double x = a + (b - a) * (i + 0.5) / 50, m, v;
    tt_forest_predict(f, &x, &m, &v);
    s += v;
  }
  return s / 50;
}

static void test_forest_variance_shrinks(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 4);
  enum { N = 205 };
  double X[N], y[N];
  for (int i = 0; i < N; i++) { /* 200 points in [0, .5), 5 in [.5, 1) */
    X[i] = i < 200 ? 0.5 * tt_rng_uniform(&r) : 0.5 + 0.5 * tt_rng_uniform(&r);
    y[i] = sin(10 * X[i]);
  }
  tt_forest_params p;
  tt_forest_params_default(&p);
  for (int extra = 0; extra <= 1; extra++) {
    p.extra = extra;
    tt_forest *f = tt_forest_fit(X, y, N, 1, &p, &r);
    double dense = mean_var(f, 0.02, 0.48), sparse = mean_var(f, 0.52, 0.98);
    print_message("forest extra=%d: variance dense %.4g sparse %.4g\n", extra, dense, sparse);
    assert_true(dense * 5 < sparse);
    tt_forest_free(f);
    /* and with fewer points everywhere, more uncertainty in the dense part */
    tt_forest *g = tt_forest_fit(X + 180, y + 180, 25, 1, &p, &r);
    assert_true(mean_var(g, 0.02, 0.48) > dense);
    tt_forest_free(g);
  }
}

static void test_gbt_regression(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 5);
  enum { N = 400 };
  double *X = malloc(N * 2 * sizeof *X), *y = malloc(N * sizeof *y);
  make_data(&r, N, 2, 0.0, X, y);
  tt_gbt_params p;
  tt_gbt_params_default(&p);
  p.loss = TT_GBT_REG;
  tt_gbt *m = tt_gbt_fit(X, y, N, 2, &p, &r);
  double e = rmse(m, gbt_mean, &r);
  print_message("gbt reg rmse %.4f\n", e);
  assert_true(e < 0.08);
  tt_gbt_free(m);
  free(X);
  free(y);
}

/* Fraction of concordant pairs between a model's scores and -f2 on test
 * points (rank loss: higher score = higher label = lower f2 here). */
static double concordance(const tt_gbt *m, tt_rng *r) {
  enum { T = 200 };
  double x[T][2], s[T], t[T];
  for (int i = 0; i < T; i++) {
    x[i][0] = tt_rng_uniform(r);
    x[i][1] = tt_rng_uniform(r);
    s[i] = tt_gbt_predict(m, x[i]);
    t[i] = -f2(x[i]);
  }
  int ok = 0, all = 0;
  for (int i = 0; i < T; i++)
    for (int j = 0; j < i; j++) {
      all++;
      ok += (s[i] - s[j]) * (t[i] - t[j]) > 0;
    }
  return (double)ok / all;
}

static void test_gbt_rank(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 6);
  enum { N = 300 };
  double *X = malloc(N * 2 * sizeof *X), *y = malloc(N * sizeof *y);
  make_data(&r, N, 2, 0.0, X, y);
  for (int i = 0; i < N; i++)
    y[i] = -y[i]; /* rank label: higher is better */
  tt_gbt_params p;
  tt_gbt_params_default(&p);
  tt_gbt *m = tt_gbt_fit(X, y, N, 2, &p, &r);
  double c = concordance(m, &r);
  print_message("gbt rank concordance %.3f\n", c);
  assert_true(c > 0.9);
  tt_gbt_free(m);
  free(X);
  free(y);
}

static void test_gbt_quantiles(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 7);
  enum { N = 600 };
  double *X = malloc(N * 2 * sizeof *X), *y = malloc(N * sizeof *y);
  make_data(&r, N, 2, 0.2, X, y);
  tt_gbt_params p;
  tt_gbt_params_default(&p);
  p.eta = 0.1;
  tt_gbtq *m = tt_gbtq_fit(X, y, N, 2, &p, &r);
  int ordered = 0, covered = 0;
  double x[2], q[3];
  for (int i = 0; i < 500; i++) {
    x[0] = tt_rng_uniform(&r);
    x[1] = tt_rng_uniform(&r);
    tt_gbtq_quantiles(m, x, q);
    ordered += q[0] <= q[1] && q[1] <= q[2];
    double obs = f2(x) + 0.2 * tt_rng_normal(&r);
    covered += q[0] <= obs && obs <= q[2];
  }
  print_message("quantiles: ordered %d/500, 16-84 coverage %d/500\n", ordered, covered);
  assert_true(ordered >= 475);
  assert_true(covered > 250 && covered < 425); /* 68% nominal */
  double e = rmse(m, gbtq_median, &r);
  assert_true(e < 0.15);
  tt_gbtq_free(m);
  free(X);
  free(y);
}

/* ascending doubles, for the quantile reference */
static int cmp_asc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The quantile loss starts from the alpha-quantile of y (found by
 * selection, not sorting): with eta 0 the model predicts just that. It
 * must equal the sorted reference exactly, ties and ends included. */
static void test_gbt_quantile_start(void **state) {
  (void)state;
  tt_rng r;
  tt_rng_seed(&r, 11);
  const double alphas[] = {0, 0.16, 0.37, 0.5, 0.84, 1};
  double X[41], y[41], sorted[41];
  for (int t = 0; t < 200; t++) {
    size_t n = 1 + (size_t)tt_rng_below(&r, 41);
    uint64_t vals = 1 + tt_rng_below(&r, 6); /* few values: many ties */
    for (size_t i = 0; i < n; i++) {
      X[i] = (double)i;
      y[i] = t % 2 ? (double)tt_rng_below(&r, vals) : tt_rng_uniform(&r);
      sorted[i] = y[i];
    }
    qsort(sorted, n, sizeof *sorted, cmp_asc);
    for (size_t a = 0; a < sizeof alphas / sizeof *alphas; a++) {
      tt_gbt_params p;
      tt_gbt_params_default(&p);
      p.loss = TT_GBT_QUANTILE;
      p.alpha = alphas[a];
      p.n_rounds = 1;
      p.eta = 0;
      tt_gbt *m = tt_gbt_fit(X, y, n, 1, &p, &r);
      double pos = alphas[a] * (double)(n - 1);
      size_t k = (size_t)pos;
      double want =
          k + 1 >= n ? sorted[n - 1] : sorted[k] + (pos - (double)k) * (sorted[k + 1] - sorted[k]);
      assert_true(tt_gbt_predict(m, X) == want);
      tt_gbt_free(m);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cholesky),
      cmocka_unit_test(test_lbfgs),
      cmocka_unit_test(test_gp_interpolates),
      cmocka_unit_test(test_gp_ard_relevance),
      cmocka_unit_test(test_gp_track),
      cmocka_unit_test(test_forest_fits),
      cmocka_unit_test(test_forest_variance_shrinks),
      cmocka_unit_test(test_gbt_regression),
      cmocka_unit_test(test_gbt_rank),
      cmocka_unit_test(test_gbt_quantiles),
      cmocka_unit_test(test_gbt_quantile_start),
      cmocka_unit_test(test_gp_noise_cap),
      cmocka_unit_test(test_gp_marginal_likelihood_maximum),
      cmocka_unit_test(test_gp_additive),
      cmocka_unit_test(test_gp_additive_mask),
      cmocka_unit_test(test_gp_additive_empty_mask),
      cmocka_unit_test(test_gp_additive_floor),
      cmocka_unit_test(test_gp_linear_extrapolates),
      cmocka_unit_test(test_surrogate_additive_floor_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
