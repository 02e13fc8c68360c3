/* The GP and a random forest averaged (mix) as a surrogate
 * (surrogate_impl.h), an equal-weight mixture: the mean is the two means'
 * average, the variance their mean variance plus their disagreement. It
 * composes the gp and rf adapters (et with MIX_ET defined) and takes the
 * GP's settings. */
#include <stdlib.h>

#include "search/surrogate_impl.h"

#ifdef MIX_ET
#define MIX_FOREST tt_surrogate_et_ops
#else
#define MIX_FOREST tt_surrogate_rf_ops
#endif

typedef struct mix_model {
  void *gp, *forest; /* the adapters' states */
} mix_model;

/* Both models, unfitted. */
static void *mix_create(void) {
  mix_model *x = tt_xcalloc(1, sizeof *x);
  x->gp = tt_surrogate_gp_ops.create();
  x->forest = MIX_FOREST.create();
  return x;
}

/* Frees both. */
static void mix_destroy(void *m) {
  mix_model *x = m;
  tt_surrogate_gp_ops.destroy(x->gp);
  MIX_FOREST.destroy(x->forest);
  free(x);
}

/* The GP's settings go to the GP. */
static void mix_configure(void *m, const tt_surrogate_setting *set, size_t n, size_t d) {
  tt_surrogate_gp_ops.configure(((mix_model *)m)->gp, set, n, d);
}

/* Fits the GP, then the forest, from the same random stream. */
static void mix_fit(void *m, const double *X, const double *y, size_t n, size_t d, tt_rng *rng) {
  mix_model *x = m;
  tt_surrogate_gp_ops.fit(x->gp, X, y, n, d, rng);
  MIX_FOREST.fit(x->forest, X, y, n, d, rng);
}

/* The mixture's means and variances; a model that is not fitted leaves
 * the other's alone. */
static int mix_predict_many(const void *m, const double *X, size_t mm, size_t d, double *mean,
                            double *var) {
  const mix_model *x = m;
  double *fm = tt_xmalloc((2 * mm + 1) * sizeof *fm), *fv = fm + mm;
  int gp = tt_surrogate_gp_ops.predict_many(x->gp, X, mm, d, mean, var) == 0;
  int forest = MIX_FOREST.predict_many(x->forest, X, mm, d, fm, fv) == 0;
  for (size_t i = 0; i < mm && forest; i++) {
    if (gp) {
      double h = 0.5 * (mean[i] - fm[i]);
      mean[i] = 0.5 * (mean[i] + fm[i]);
      var[i] = 0.5 * (var[i] + fv[i]) + h * h;
    } else {
      mean[i] = fm[i];
      var[i] = fv[i];
    }
  }
  free(fm);
  return gp || forest ? 0 : -1;
}

const tt_surrogate_ops tt_surrogate_mix_ops = {
    .name = "mix",
    .settings = tt_surrogate_gp_settings,
    .create = mix_create,
    .destroy = mix_destroy,
    .configure = mix_configure,
    .fit = mix_fit,
    .predict_many = mix_predict_many,
};
