/* Random forest (rf) and extra-trees (et) as surrogates
 * (surrogate_impl.h): skopt's min_samples_leaf 3 with fewer trees on
 * capped bootstrap samples, which keeps a refit at 1,000 rows to a
 * millisecond; extra-trees split at random thresholds on the whole
 * sample. They take no settings. */
#include <stdlib.h>

#include "search/model.h"
#include "search/surrogate_impl.h"

typedef struct forest_model {
  int extra; /* 1: extra-trees */
  tt_forest *forest;
} forest_model;

/* An unfitted random forest. */
static void *rf_create(void) {
  return tt_xcalloc(1, sizeof(forest_model));
}

/* An unfitted extra-trees forest. */
static void *et_create(void) {
  forest_model *f = tt_xcalloc(1, sizeof *f);
  f->extra = 1;
  return f;
}

/* Frees the model. */
static void forest_destroy(void *m) {
  forest_model *f = m;
  tt_forest_free(f->forest);
  free(f);
}

/* Fit with the settings above. */
static void forest_fit(void *m, const double *X, const double *y, size_t n, size_t d, tt_rng *rng) {
  forest_model *f = m;
  tt_forest_free(f->forest);
  f->forest = NULL;
  if (!n) return;
  tt_forest_params p;
  tt_forest_params_default(&p);
  p.n_trees = 32;
  p.min_leaf = 3;
  p.max_depth = 10;
  p.max_samples = 256;
  p.extra = f->extra;
  p.bootstrap = !p.extra;
  f->forest = tt_forest_fit(X, y, n, d, &p, rng);
}

/* Means and variances across the trees, a row at a time. */
static int forest_predict_many(const void *m, const double *X, size_t mm, size_t d, double *mean,
                               double *var) {
  const forest_model *f = m;
  for (size_t i = 0; i < mm; i++) {
    mean[i] = 0, var[i] = 1;
    if (f->forest) tt_forest_predict(f->forest, X + i * d, &mean[i], &var[i]);
  }
  return f->forest ? 0 : -1;
}

const tt_surrogate_ops tt_surrogate_rf_ops = {
    .name = "rf",
    .create = rf_create,
    .destroy = forest_destroy,
    .fit = forest_fit,
    .predict_many = forest_predict_many,
};

const tt_surrogate_ops tt_surrogate_et_ops = {
    .name = "et",
    .create = et_create,
    .destroy = forest_destroy,
    .fit = forest_fit,
    .predict_many = forest_predict_many,
};
