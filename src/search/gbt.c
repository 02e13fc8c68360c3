/* Gradient-boosted regression trees: squared error, XGBoost-style pairwise
 * ranking (what AutoTVM's cost model trains with) and quantile regression
 * (pinball loss with leaves re-estimated as residual quantiles, as
 * scikit-learn does; three of them give BO a mean and an uncertainty). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/model.h"

struct tt_gbt {
  size_t d;
  double base; /* initial prediction */
  int n_trees;
  tt_tree *trees; /* leaf values already scaled by eta */
};

struct tt_gbtq {
  tt_gbt *q[3];
};

/* XGBoost's settings in AutoTVM's XGBTuner, with a fixed round count. */
void tt_gbt_params_default(tt_gbt_params *p) {
  p->loss = TT_GBT_RANK;
  p->n_rounds = 100;
  p->max_depth = 3;
  p->eta = 0.3;
  p->lambda = 1.0;
  p->min_hess = 1.0;
  p->subsample = 1.0;
  p->alpha = 0.5;
}

/* Rearranges v[0..n) so that v[k] is the value a sort would put there,
 * with no larger value before it and no smaller one after (quickselect,
 * middle pivot: expected O(n), where the sort it replaces was a quarter of
 * the gbt surrogate's fit). */
static void select_kth(double *v, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    double pivot = v[lo + (hi - lo) / 2];
    size_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot)
        i++;
      while (v[j] > pivot)
        j--;
      if (i <= j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        if (j-- == 0) break;
      }
    }
    if (k <= j && j != (size_t)-1)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return;
  }
}

/* The alpha-quantile of v[0..n) (reordered in place), linear
 * interpolation between the two order statistics around it. */
static double quantile_of(double *v, size_t n, double alpha) {
  if (!n) return 0;
  double pos = alpha * (double)(n - 1);
  size_t k = (size_t)pos;
  if (k + 1 >= n) {
    select_kth(v, n, n - 1);
    return v[n - 1];
  }
  select_kth(v, n, k);
  double next = v[k + 1]; /* the (k+1)-th: the least of what follows */
  for (size_t i = k + 2; i < n; i++)
    next = v[i] < next ? v[i] : next;
  return v[k] + (pos - (double)k) * (next - v[k]);
}

/* Context of the quantile leaf re-estimation. */
typedef struct qleaf_ctx {
  const double *y, *pred;
  double alpha;
  double *scratch;
} qleaf_ctx;

/* A quantile leaf's value: the alpha-quantile of its residuals. */
static double qleaf_value(void *ctx, const size_t *idx, size_t n) {
  qleaf_ctx *c = ctx;
  for (size_t i = 0; i < n; i++)
    c->scratch[i] = c->y[idx[i]] - c->pred[idx[i]];
  return quantile_of(c->scratch, n, c->alpha);
}

/* Pairwise logistic gradients: each sample is paired with one random
 * sample of a different label (XGBoost's rank:pairwise, one group). */
static void rank_gradients(const double *y, const double *pred, size_t n, tt_rng *rng, double *g,
                           double *h) {
  memset(g, 0, n * sizeof *g);
  memset(h, 0, n * sizeof *h);
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    for (int tries = 0; tries < 16 && (j == i || y[j] == y[i]); tries++)
      j = (size_t)tt_rng_below(rng, n);
    if (y[j] == y[i]) continue;
    size_t hi = y[i] > y[j] ? i : j, lo = hi == i ? j : i;
    double p = 1.0 / (1.0 + exp(-(pred[hi] - pred[lo])));
    double w = p * (1 - p);
    if (w < 1e-16) w = 1e-16;
    g[hi] += p - 1;
    g[lo] += 1 - p;
    h[hi] += w;
    h[lo] += w;
  }
}

/* Gradients and hessians of the loss at the current predictions. */
static void loss_gradients(const tt_gbt_params *p, const double *y, const double *pred, size_t n,
                           tt_rng *rng, double *g, double *h) {
  if (p->loss == TT_GBT_RANK) {
    rank_gradients(y, pred, n, rng, g, h);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    h[i] = 1.0;
    if (p->loss == TT_GBT_REG)
      g[i] = pred[i] - y[i];
    else
      g[i] = y[i] > pred[i] ? -p->alpha : 1 - p->alpha;
  }
}

/* The constant the boosting starts from. */
static double initial_value(const tt_gbt_params *p, const double *y, size_t n, double *scratch) {
  if (p->loss == TT_GBT_RANK || !n) return 0;
  if (p->loss == TT_GBT_QUANTILE) {
    memcpy(scratch, y, n * sizeof *y);
    return quantile_of(scratch, n, p->alpha);
  }
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += y[i];
  return s / (double)n;
}

/* Rows used by one round: all, or a random subset of subsample * n. */
static size_t round_rows(const tt_gbt_params *p, size_t n, tt_rng *rng, size_t *idx) {
  for (size_t i = 0; i < n; i++)
    idx[i] = i;
  size_t m = p->subsample > 0 && p->subsample < 1 ? (size_t)ceil(p->subsample * (double)n) : n;
  for (size_t k = 0; k < m && m < n; k++) {
    size_t r = k + (size_t)tt_rng_below(rng, n - k), t = idx[k];
    idx[k] = idx[r];
    idx[r] = t;
  }
  return m;
}

/* Fits the boosted model; see model.h. The model owns its trees only. */
tt_gbt *tt_gbt_fit(const double *X, const double *y, size_t n, size_t d, const tt_gbt_params *p,
                   tt_rng *rng) {
  tt_gbt *m = tt_xcalloc(1, sizeof *m);
  m->d = d;
  if (!n || p->n_rounds <= 0) return m;
  tt_bins *bins = tt_bins_new(X, n, d);
  double *pred = tt_xmalloc(n * sizeof *pred), *g = tt_xmalloc(n * sizeof *g);
  double *h = tt_xmalloc(n * sizeof *h), *scratch = tt_xmalloc(n * sizeof *scratch);
  size_t *idx = tt_xmalloc(n * sizeof *idx);
  m->base = initial_value(p, y, n, scratch);
  for (size_t i = 0; i < n; i++)
    pred[i] = m->base;
  m->trees = tt_xcalloc((size_t)p->n_rounds, sizeof *m->trees);
  tt_tree_params tp = {p->max_depth, 1, 0, 0, p->lambda, 0, p->min_hess};
  qleaf_ctx qc = {y, pred, p->alpha, scratch};
  for (int r = 0; r < p->n_rounds; r++) {
    loss_gradients(p, y, pred, n, rng, g, h);
    size_t rows = round_rows(p, n, rng, idx);
    tt_tree *t = &m->trees[m->n_trees++];
    tt_tree_grow(t, bins, idx, rows, g, h, &tp, rng,
                 p->loss == TT_GBT_QUANTILE ? qleaf_value : NULL, &qc);
    for (size_t k = 0; k < t->len; k++)
      t->nodes[k].value *= p->eta;
    for (size_t i = 0; i < n; i++)
      pred[i] += tt_tree_leaf(t, X + i * d)->value;
  }
  free(pred);
  free(g);
  free(h);
  free(scratch);
  free(idx);
  tt_bins_free(bins);
  return m;
}

/* Sum of the trees' leaves at x plus the base value. */
double tt_gbt_predict(const tt_gbt *m, const double *x) {
  double s = m->base;
  for (int t = 0; t < m->n_trees; t++)
    s += tt_tree_leaf(&m->trees[t], x)->value;
  return s;
}

/* Frees m and its trees; NULL is a no-op. */
void tt_gbt_free(tt_gbt *m) {
  if (!m) return;
  for (int t = 0; t < m->n_trees; t++)
    tt_tree_free(&m->trees[t]);
  free(m->trees);
  free(m);
}

/* Fits the 0.16 / 0.5 / 0.84 quantile models with p's tree settings. */
tt_gbtq *tt_gbtq_fit(const double *X, const double *y, size_t n, size_t d, const tt_gbt_params *p,
                     tt_rng *rng) {
  static const double levels[3] = {0.16, 0.5, 0.84};
  tt_gbtq *m = tt_xcalloc(1, sizeof *m);
  for (int k = 0; k < 3; k++) {
    tt_gbt_params q = *p;
    q.loss = TT_GBT_QUANTILE;
    q.alpha = levels[k];
    m->q[k] = tt_gbt_fit(X, y, n, d, &q, rng);
  }
  return m;
}

/* The three quantile predictions at x, as fitted (they may cross). */
void tt_gbtq_quantiles(const tt_gbtq *m, const double *x, double q[3]) {
  for (int k = 0; k < 3; k++)
    q[k] = tt_gbt_predict(m->q[k], x);
}

/* Median as the mean; half the 16-84 spread as the standard deviation. */
void tt_gbtq_predict(const tt_gbtq *m, const double *x, double *mean, double *var) {
  double q[3];
  tt_gbtq_quantiles(m, x, q);
  double s = 0.5 * fabs(q[2] - q[0]);
  *mean = q[1];
  *var = s * s;
}

/* Frees the three models; NULL is a no-op. */
void tt_gbtq_free(tt_gbtq *m) {
  if (!m) return;
  for (int k = 0; k < 3; k++)
    tt_gbt_free(m->q[k]);
  free(m);
}
