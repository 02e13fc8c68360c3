/* Permutation importance of features on a forest surrogate (the public
 * entry point of tetune/search.h for the report's knob importance). */
#include <stdlib.h>
#include <string.h>

#include "search/model.h"
#include "tetune/search.h"

enum { SHUFFLES = 5 };

/* Mean squared error of the forest on X. */
static double mse(const tt_forest *f, const double *X, const double *y, size_t n, size_t d) {
  double s = 0;
  for (size_t i = 0; i < n; i++) {
    double m, v;
    tt_forest_predict(f, X + i * d, &m, &v);
    s += (m - y[i]) * (m - y[i]);
  }
  return s / (double)n;
}

/* Error growth when column j is shuffled, averaged over SHUFFLES. */
static double permuted(const tt_forest *f, const double *X, const double *y, size_t n, size_t d,
                       size_t j, double base, tt_rng *rng) {
  double *Xp = tt_xmalloc(n * d * sizeof(double));
  int *perm = tt_xmalloc(n * sizeof(int));
  double total = 0;
  for (int r = 0; r < SHUFFLES; r++) {
    memcpy(Xp, X, n * d * sizeof(double));
    for (size_t i = 0; i < n; i++)
      perm[i] = (int)i;
    tt_rng_shuffle(rng, perm, n);
    for (size_t i = 0; i < n; i++)
      Xp[i * d + j] = X[(size_t)perm[i] * d + j];
    total += mse(f, Xp, y, n, d) - base;
  }
  free(Xp);
  free(perm);
  return total > 0 ? total / SHUFFLES : 0;
}

/* See search.h. */
double tt_search_importance(const double *X, const double *y, size_t n, size_t d, uint64_t seed,
                            double *share) {
  tt_rng rng;
  tt_rng_seed(&rng, seed);
  tt_forest_params p;
  tt_forest_params_default(&p);
  tt_forest *f = tt_forest_fit(X, y, n, d, &p, &rng);
  double base = mse(f, X, y, n, d), sum = 0;
  for (size_t j = 0; j < d; j++)
    sum += share[j] = permuted(f, X, y, n, d, j, base, &rng);
  for (size_t j = 0; j < d && sum > 0; j++)
    share[j] /= sum;
  tt_forest_free(f);
  return base;
}
