/* Regression random forests and extra-trees with an uncertainty estimate:
 * the predictive distribution is the equal mixture of the trees' leaves, so
 * its variance is the spread of the trees' means plus the mean within-leaf
 * variance (the estimate scikit-optimize uses for its forests). */
#include <math.h>
#include <stdlib.h>

#include "search/model.h"

struct tt_forest {
  size_t d;
  int n_trees;
  tt_tree *trees;
};

/* Defaults tuned for surrogate use: many cheap trees on capped samples. */
void tt_forest_params_default(tt_forest_params *p) {
  p->n_trees = 32;
  p->max_depth = 12;
  p->min_leaf = 2;
  p->max_features = 1.0;
  p->extra = 0;
  p->bootstrap = 1;
  p->max_samples = 256;
}

/* Draws the sample indices of one tree into idx; returns how many. */
static size_t draw_samples(size_t n, const tt_forest_params *p, tt_rng *rng, size_t *idx) {
  size_t m = p->max_samples && p->max_samples < n ? p->max_samples : n;
  if (p->bootstrap) {
    for (size_t k = 0; k < m; k++)
      idx[k] = (size_t)tt_rng_below(rng, n);
    return m;
  }
  for (size_t i = 0; i < n; i++)
    idx[i] = i;
  for (size_t k = 0; k < m && m < n; k++) { /* partial shuffle: a subset */
    size_t r = k + (size_t)tt_rng_below(rng, n - k), t = idx[k];
    idx[k] = idx[r];
    idx[r] = t;
  }
  return m;
}

/* Fits the forest on X (n x d) and y; the forest owns its trees only. */
tt_forest *tt_forest_fit(const double *X, const double *y, size_t n, size_t d,
                         const tt_forest_params *p, tt_rng *rng) {
  tt_forest *f = tt_xcalloc(1, sizeof *f);
  f->d = d;
  f->n_trees = p->n_trees > 0 ? p->n_trees : 1;
  f->trees = tt_xcalloc((size_t)f->n_trees, sizeof *f->trees);
  if (n == 0) return f; /* predicts 0 with variance 1 */
  tt_bins *bins = tt_bins_new(X, n, d);
  double *g = tt_xmalloc(n * sizeof *g), *h = tt_xmalloc(n * sizeof *h);
  size_t *idx = tt_xmalloc(n * sizeof *idx);
  for (size_t i = 0; i < n; i++) {
    g[i] = -y[i];
    h[i] = 1.0;
  }
  tt_tree_params tp = {0};
  tp.max_depth = p->max_depth;
  tp.min_leaf = p->min_leaf > 0 ? p->min_leaf : 1;
  tp.max_features = p->max_features > 0 ? (int)ceil(p->max_features * (double)d) : 0;
  tp.random_split = p->extra;
  for (int t = 0; t < f->n_trees; t++) {
    size_t m = draw_samples(n, p, rng, idx);
    tt_tree_grow(&f->trees[t], bins, idx, m, g, h, &tp, rng, NULL, NULL);
  }
  free(g);
  free(h);
  free(idx);
  tt_bins_free(bins);
  return f;
}

/* Mixture mean and variance of the trees' leaves at x. */
void tt_forest_predict(const tt_forest *f, const double *x, double *mean, double *var) {
  double s = 0, s2 = 0;
  int k = 0;
  for (int t = 0; t < f->n_trees; t++) {
    if (!f->trees[t].len) continue;
    const tt_tree_node *leaf = tt_tree_leaf(&f->trees[t], x);
    s += leaf->value;
    s2 += leaf->var + leaf->value * leaf->value;
    k++;
  }
  if (!k) {
    *mean = 0;
    *var = 1;
    return;
  }
  double m = s / k, v = s2 / k - m * m;
  *mean = m;
  *var = v > 0 ? v : 0;
}

/* Frees f and its trees; NULL is a no-op. */
void tt_forest_free(tt_forest *f) {
  if (!f) return;
  for (int t = 0; t < f->n_trees; t++)
    tt_tree_free(&f->trees[t]);
  free(f->trees);
  free(f);
}
