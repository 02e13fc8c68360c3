/* Quantile gradient boosting (gbt) as a surrogate (surrogate_impl.h): 50
 * rounds at a learning rate of 0.1 without L2 regularisation; its mean
 * and deviation come from the fitted quantiles (tt_gbtq). No settings. */
#include <stdlib.h>

#include "search/model.h"
#include "search/surrogate_impl.h"

typedef struct gbt_model {
  tt_gbtq *gbt;
} gbt_model;

/* An unfitted model. */
static void *gbt_create(void) {
  return tt_xcalloc(1, sizeof(gbt_model));
}

/* Frees the model. */
static void gbt_destroy(void *m) {
  gbt_model *g = m;
  tt_gbtq_free(g->gbt);
  free(g);
}

/* Fit with the settings above. */
static void gbt_fit(void *m, const double *X, const double *y, size_t n, size_t d, tt_rng *rng) {
  gbt_model *g = m;
  tt_gbtq_free(g->gbt);
  g->gbt = NULL;
  if (!n) return;
  tt_gbt_params p;
  tt_gbt_params_default(&p);
  p.n_rounds = 50;
  p.eta = 0.1;
  p.lambda = 0;
  g->gbt = tt_gbtq_fit(X, y, n, d, &p, rng);
}

/* Means and variances, a row at a time. */
static int gbt_predict_many(const void *m, const double *X, size_t mm, size_t d, double *mean,
                            double *var) {
  const gbt_model *g = m;
  for (size_t i = 0; i < mm; i++) {
    mean[i] = 0, var[i] = 1;
    if (g->gbt) tt_gbtq_predict(g->gbt, X + i * d, &mean[i], &var[i]);
  }
  return g->gbt ? 0 : -1;
}

const tt_surrogate_ops tt_surrogate_gbt_ops = {
    .name = "gbt",
    .create = gbt_create,
    .destroy = gbt_destroy,
    .fit = gbt_fit,
    .predict_many = gbt_predict_many,
};
