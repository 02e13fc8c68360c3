/* Transfer from a related task as a prior mean (prior.h): a random forest
 * of the related task's log times, and its calibration to the task's own
 * observations with a weight that only a prior that ranks them well earns. */
#include <math.h>
#include <stdlib.h>

#include "search/model.h"
#include "search/prior.h"

/* The related task's model: a forest over the shared knob encoding. */
struct tt_prior {
  tt_forest *forest;
  size_t d, rows;
};

/* The prior's random stream: fixed, so that a prior never shifts the
 * strategy's own draws. */
#define PRIOR_SEED 0x7072696f72ULL

/* See prior.h. */
tt_prior *tt_prior_new(const tt_space *s, tt_encoding enc, const uint32_t *cfgs,
                       const tt_outcome *outcomes, const double *values, size_t n) {
  size_t d = tt_space_encoded_dim(s), nk = tt_space_num_knobs(s), m = 0;
  double *X = tt_xmalloc((n * d + 1) * sizeof *X), *y = tt_xmalloc((n + 1) * sizeof *y);
  for (size_t i = 0; i < n; i++) {
    if (outcomes[i] != TT_OUTCOME_OK || !(values[i] > 0) || !isfinite(values[i])) continue;
    tt_space_encode(s, enc, cfgs + i * nk, X + m * d);
    y[m++] = log(values[i]);
  }
  tt_prior *p = NULL;
  if (m >= 3) {
    tt_forest_params fp;
    tt_forest_params_default(&fp);
    fp.n_trees = 16;   /* only its mean is used: half the default's trees halve */
    fp.max_depth = 10; /* the cost it adds to every prediction of a proposal */
    fp.min_leaf = 3;
    fp.max_samples = m < 4096 ? m : 4096;
    tt_rng rng;
    tt_rng_seed(&rng, PRIOR_SEED);
    p = tt_xcalloc(1, sizeof *p);
    p->forest = tt_forest_fit(X, y, m, d, &fp, &rng);
    p->d = d;
    p->rows = m;
  }
  free(X);
  free(y);
  return p;
}

void tt_prior_free(tt_prior *p) {
  if (!p) return;
  tt_forest_free(p->forest);
  free(p);
}

size_t tt_prior_rows(const tt_prior *p) {
  return p->rows;
}

/* See prior.h. */
void tt_prior_predict(const tt_prior *p, const double *X, size_t m, double *out) {
  for (size_t i = 0; i < m; i++) {
    double var;
    tt_forest_predict(p->forest, X + i * p->d, &out[i], &var);
  }
}

/* Kendall's tau-a of r of the m pairs (p, y), evenly spread over them:
 * concordant minus discordant pairs over all pairs (ties count as
 * neither). */
static double kendall(const double *p, const double *y, size_t m, size_t r) {
  double c = 0;
  for (size_t a = 0; a < r; a++)
    for (size_t b = a + 1; b < r; b++) {
      size_t i = a * m / r, j = b * m / r;
      double s = (p[i] - p[j]) * (y[i] - y[j]);
      c += (s > 0) - (s < 0);
    }
  return c / (0.5 * (double)r * (double)(r - 1));
}

/* See prior.h. */
void tt_prior_calibrate(const double *p, const double *y, size_t m, tt_prior_cal *cal) {
  double sp = 0, sy = 0;
  for (size_t i = 0; i < m; i++) {
    sp += p[i];
    sy += y[i];
  }
  cal->ybar = m ? sy / (double)m : 0;
  cal->w = cal->a = cal->b = 0;
  if (m < 3) return;
  double mp = sp / (double)m, cov = 0, var = 0;
  for (size_t i = 0; i < m; i++) {
    cov += (p[i] - mp) * (y[i] - cal->ybar);
    var += (p[i] - mp) * (p[i] - mp);
  }
  if (!(var > 0) || !(cov > 0)) return;
  cal->b = cov / var;
  cal->a = cal->ybar - cal->b * mp;
  size_t r = m < TT_PRIOR_RANK_ROWS ? m : TT_PRIOR_RANK_ROWS;
  double tau = kendall(p, y, m, r);
  double s = sqrt(2.0 * (2.0 * (double)r + 5) / (9.0 * (double)r * (double)(r - 1)));
  double w = s < 1 ? (tau - s) / (1 - s) : 0;
  cal->w = w < 0 ? 0 : w > 1 ? 1 : w;
}

/* See prior.h. */
double tt_prior_mean(const tt_prior_cal *cal, double p) {
  return cal->w * (cal->a + cal->b * p) + (1 - cal->w) * cal->ybar;
}
