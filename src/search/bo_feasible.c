/* The feasibility classifier of Bayesian optimisation: a forest that
 * predicts P(ok) from every observation, failed ones included, so that
 * proposals steer away from configurations that will not compile or run.
 *
 * Failures in tuning spaces are mostly limits on a product or a ratio of
 * sizes: a tile's working set (ti * tj too large for a buffer), a block's
 * resources (threads times tile), an unroll factor beyond its loop's
 * extent (unroll > tk). Each such boundary is a diagonal in the knobs'
 * own features, which axis-aligned trees only approximate with a
 * staircase of splits and many failures to learn from. So the classifier
 * also sees, for every pair of sized knobs (ordinal or integer, every
 * value positive), log2 a + log2 b and log2 a - log2 b: a product or
 * ratio limit is then one split. Option feas_pairs=0 leaves them out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"

/* Sized knobs paired at most (the first ones in space order): 12 give
 * 132 extra features, and the forest's fit grows with the features. */
#define MAX_SIZED 12

/* 1 when knob k is sized (tetune/space.h's role: ranged and every value
 * positive; codes and flags, which start at 0, are not sizes). */
static int sized(const tt_space *s, size_t k) {
  return (tt_space_knob_roles(s, k) & TT_ROLE_SIZED) != 0;
}

void tt_bo_feas_init(tt_bo *b) {
  const tt_space *s = b->obs.space;
  b->feas_sized = tt_xmalloc((MAX_SIZED + 1) * sizeof *b->feas_sized);
  b->feas_nsized = 0;
  for (size_t k = 0; k < b->nk && b->opt.feas_pairs && b->feas_nsized < MAX_SIZED; k++)
    if (sized(s, k)) b->feas_sized[b->feas_nsized++] = k;
  size_t q = b->feas_nsized;
  b->feas_d = b->d + (q > 1 ? q * (q - 1) : 0);
}

void tt_bo_feas_free(tt_bo *b) {
  tt_forest_free(b->feas);
  free(b->feas_sized);
}

void tt_bo_feas_features(const tt_bo *b, const uint32_t *cfg, const double *x, double *out) {
  const tt_space *s = b->obs.space;
  memcpy(out, x, b->d * sizeof *out);
  out += b->d;
  double l[MAX_SIZED]; /* each log once: rows are built for every candidate */
  for (size_t i = 0; i < b->feas_nsized; i++)
    l[i] = log2(tt_space_knob_value(s, b->feas_sized[i], cfg[b->feas_sized[i]]));
  for (size_t i = 0; i < b->feas_nsized; i++)
    for (size_t j = i + 1; j < b->feas_nsized; j++) {
      *out++ = l[i] + l[j];
      *out++ = l[i] - l[j];
    }
}

/* The classifier's rows of m configurations (cfg m x nk, X m x d). */
static double *feature_rows(const tt_bo *b, const uint32_t *cfg, const double *X, size_t m) {
  double *f = tt_xmalloc((m * b->feas_d + 1) * sizeof *f);
  for (size_t i = 0; i < m; i++)
    tt_bo_feas_features(b, cfg + i * b->nk, X + i * b->d, f + i * b->feas_d);
  return f;
}

void tt_bo_feas_fit(tt_bo *b, tt_rng *rng) {
  tt_forest_free(b->feas);
  b->feas = NULL;
  const tt_obs_table *t = &b->obs;
  if (t->n_ok == t->n) return;
  double *lab = tt_xmalloc(t->n * sizeof *lab);
  for (size_t i = 0; i < t->n; i++)
    lab[i] = t->ok[i];
  double *f = feature_rows(b, t->cfg, t->x, t->n);
  tt_forest_params p;
  tt_forest_params_default(&p);
  p.n_trees = 16;
  p.max_depth = 8;
  p.min_leaf = 1;
  b->feas = tt_forest_fit(f, lab, t->n, b->feas_d, &p, rng);
  free(f);
  free(lab);
}

void tt_bo_feas_predict(const tt_bo *b, const uint32_t *cfg, const double *X, size_t m,
                        double *pf) {
  if (!b->feas) {
    for (size_t i = 0; i < m; i++)
      pf[i] = 1;
    return;
  }
  double *f = feature_rows(b, cfg, X, m);
  for (size_t i = 0; i < m; i++) {
    double p, v;
    tt_forest_predict(b->feas, f + i * b->feas_d, &p, &v);
    pf[i] = p < 0 ? 0 : p > 1 ? 1 : p;
  }
  free(f);
}
