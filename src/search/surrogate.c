/* The surrogate models behind one interface, with the settings BO uses. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/model.h"
#include "search/surrogate.h"

/* Rows a GP is fitted on at most: its cost grows as n^3. */
#ifndef GP_MAX_ROWS /* overridable to measure the trade-off */
#define GP_MAX_ROWS 100
#endif
#define GP_BEST_ROWS (GP_MAX_ROWS * 2 / 5)
/* Refine hyper-parameters every n / GP_REFINE_DIV fits. */
#ifndef GP_REFINE_DIV
#define GP_REFINE_DIV 10
#endif

struct tt_surrogate {
  tt_surrogate_kind kind;
  tt_forest *forest;
  tt_gbtq *gbt;
  tt_gp *gp;
  tt_gp_track *track; /* the GP's tracked candidates (batch proposals) */
  double theta[64];   /* the GP's last log-parameters (warm start) */
  size_t ntheta;
  size_t full_fit_n;     /* rows at the GP's last fit with restarts */
  size_t fits_since_opt; /* GP fits with fixed hyper-parameters since */
  double gp_noise_max;
  int gp_additive;
  unsigned char *gp_mask;  /* the additive term's features, or NULL: all */
  double gp_add_floor;     /* least additive/signal variance ratio ... */
  size_t gp_add_floor_n;   /* ... while the GP has fewer rows than this */
  int gp_linear;           /* the linear term, with the additive one */
  double gp_lin_floor;     /* least linear/signal ratio, as long as that */
  unsigned char *gp_lmask; /* the linear term's features, or NULL: all */
};

static const char *const names[] = {"rf", "et", "gbt", "gp", "mix"};

/* Parses a surrogate name. */
int tt_surrogate_parse(const char *name, tt_surrogate_kind *kind) {
  for (int k = 0; k < 5; k++)
    if (strcmp(name, names[k]) == 0) {
      *kind = (tt_surrogate_kind)k;
      return 0;
    }
  return -1;
}

/* The option name of kind. */
const char *tt_surrogate_name(tt_surrogate_kind kind) {
  return names[kind];
}

/* An unfitted surrogate of kind. */
tt_surrogate *tt_surrogate_new(tt_surrogate_kind kind) {
  tt_surrogate *s = tt_xcalloc(1, sizeof *s);
  s->kind = kind;
  s->gp_noise_max = TT_SURROGATE_GP_NOISE_MAX;
  return s;
}

/* Replaces *dst by a copy of mask (d flags), or NULL for NULL. */
static void set_mask(unsigned char **dst, const unsigned char *mask, size_t d) {
  free(*dst);
  *dst = NULL;
  if (mask) {
    *dst = tt_xmalloc(d + 1);
    memcpy(*dst, mask, d);
  }
}

/* Sets the GP's terms; see surrogate.h. The warm start goes whenever the
 * terms are set, as its parameters may no longer match. */
void tt_surrogate_set_gp_terms(tt_surrogate *s, const tt_gp_terms *t, size_t d) {
  s->gp_noise_max = t->noise_max;
  s->gp_additive = t->additive;
  set_mask(&s->gp_mask, t->additive_mask, d);
  s->gp_add_floor = t->add_floor;
  s->gp_add_floor_n = t->add_floor_n;
  s->gp_linear = t->linear;
  s->gp_lin_floor = t->lin_floor;
  set_mask(&s->gp_lmask, t->linear_mask, d);
  s->ntheta = 0;
}

/* Drops the current fit. */
static void release(tt_surrogate *s) {
  tt_gp_track_free(s->track);
  s->track = NULL;
  tt_forest_free(s->forest);
  tt_gbtq_free(s->gbt);
  tt_gp_free(s->gp);
  s->forest = NULL;
  s->gbt = NULL;
  s->gp = NULL;
}

/* Frees s and its fit; NULL is a no-op. */
void tt_surrogate_free(tt_surrogate *s) {
  if (!s) return;
  release(s);
  free(s->gp_mask);
  free(s->gp_lmask);
  free(s);
}

/* Forest settings: skopt's min_samples_leaf 3 with fewer trees on capped
 * bootstrap samples, which keeps a refit at 1,000 rows to a millisecond. */
static void fit_forest(tt_surrogate *s, const double *X, const double *y, size_t n, size_t d,
                       tt_rng *rng) {
  tt_forest_params p;
  tt_forest_params_default(&p);
  p.n_trees = 32;
  p.min_leaf = 3;
  p.max_depth = 10;
  p.max_samples = 256;
#ifdef MIX_ET
  p.extra = s->kind == TT_SURROGATE_ET || s->kind == TT_SURROGATE_MIX;
#else
  p.extra = s->kind == TT_SURROGATE_ET;
#endif
  p.bootstrap = !p.extra;
  s->forest = tt_forest_fit(X, y, n, d, &p, rng);
}

/* A row and its target, sorted by target for the GP's subset selection
 * (no globals: strategies may run in several threads). */
typedef struct row_y {
  double y;
  size_t row;
} row_y;

static int cmp_row_y(const void *a, const void *b) {
  double x = ((const row_y *)a)->y, z = ((const row_y *)b)->y;
  return (x > z) - (x < z);
}

/* Picks at most GP_MAX_ROWS rows: the GP_BEST_ROWS best, then the most
 * recent others (later rows are newer). Writes the subset into Xs, ys. */
static size_t gp_subset(const double *X, const double *y, size_t n, size_t d, double *Xs,
                        double *ys) {
  row_y *ord = tt_xmalloc((n + 1) * sizeof *ord);
  uint8_t *take = tt_xcalloc(n + 1, 1);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    ord[i] = (row_y){y[i], i};
  qsort(ord, n, sizeof *ord, cmp_row_y);
  for (size_t i = 0; i < n && i < GP_BEST_ROWS; i++, m++)
    take[ord[i].row] = 1;
  for (size_t i = n; i-- > 0 && m < GP_MAX_ROWS;)
    if (!take[i]) {
      take[i] = 1;
      m++;
    }
  m = 0;
  for (size_t i = 0; i < n; i++)
    if (take[i]) {
      memcpy(Xs + m * d, X + i * d, d * sizeof *X);
      ys[m++] = y[i];
    }
  free(ord);
  free(take);
  return m;
}

/* GP fit. Hyper-parameters are optimised with restarts while the data
 * grows (each time it has grown by a quarter), refined from the last
 * optimum once every n / GP_REFINE_DIV fits, and otherwise kept: a fit is
 * then one Cholesky factorisation, which keeps an ask at a few ms. */
static void fit_gp(tt_surrogate *s, const double *X, const double *y, size_t n, size_t d,
                   tt_rng *rng) {
  double *Xs = NULL, *ys = NULL;
  if (n > GP_MAX_ROWS) {
    Xs = tt_xmalloc(GP_MAX_ROWS * d * sizeof *Xs + 1);
    ys = tt_xmalloc(GP_MAX_ROWS * sizeof *ys);
    n = gp_subset(X, y, n, d, Xs, ys);
    X = Xs;
    y = ys;
  }
  tt_gp_params p;
  tt_gp_params_default(&p);
  p.ard = d + 3 + (size_t)s->gp_additive <= sizeof s->theta / sizeof s->theta[0];
  p.noise_max = s->gp_noise_max;
  p.additive = s->gp_additive;
  p.additive_mask = s->gp_mask;
  p.additive_min = n < s->gp_add_floor_n ? s->gp_add_floor : 0;
  p.linear = s->gp_linear;
  p.linear_mask = s->gp_lmask;
  p.linear_min = n < s->gp_add_floor_n ? s->gp_lin_floor : 0;
  int full = !s->ntheta || 4 * n >= 5 * s->full_fit_n;
  if (!full) {
    p.init = s->theta;
    p.restarts = 0;
    p.max_iter = s->fits_since_opt + 1 >= n / GP_REFINE_DIV ? 8 : 0;
  }
  s->gp = tt_gp_fit(X, y, n, d, &p, rng);
  if (s->gp) {
    s->ntheta = tt_gp_params_get(s->gp, s->theta, sizeof s->theta / sizeof s->theta[0]);
    s->fits_since_opt = p.max_iter > 0 ? 0 : s->fits_since_opt + 1;
    if (full) s->full_fit_n = n;
  }
  free(Xs);
  free(ys);
}

/* Refits s on (X, y); see surrogate.h. */
void tt_surrogate_fit(tt_surrogate *s, const double *X, const double *y, size_t n, size_t d,
                      tt_rng *rng) {
  release(s);
  if (!n) return;
  switch (s->kind) {
  case TT_SURROGATE_RF:
  case TT_SURROGATE_ET:
    fit_forest(s, X, y, n, d, rng);
    break;
  case TT_SURROGATE_GBT: {
    tt_gbt_params p;
    tt_gbt_params_default(&p);
    p.n_rounds = 50;
    p.eta = 0.1;
    p.lambda = 0;
    s->gbt = tt_gbtq_fit(X, y, n, d, &p, rng);
    break;
  }
  case TT_SURROGATE_GP:
    fit_gp(s, X, y, n, d, rng);
    break;
  case TT_SURROGATE_MIX:
    fit_gp(s, X, y, n, d, rng);
    fit_forest(s, X, y, n, d, rng);
    break;
  }
}

/* Mean and standard deviation at x (0 +- 1 when unfitted). */
void tt_surrogate_predict(const tt_surrogate *s, const double *x, double *mean, double *sd) {
  tt_surrogate_predict_many(s, x, 1, 0, mean, sd);
}

/* Batch prediction: the GP solves for blocks of candidates together; a
 * mixture averages the GP's and the forest's means, its variance adds
 * their disagreement to their mean variance. */
void tt_surrogate_predict_many(const tt_surrogate *s, const double *X, size_t m, size_t d,
                               double *mean, double *sd) {
  if (s->gp) tt_gp_predict_many(s->gp, X, m, mean, sd); /* sd holds variances here */
  for (size_t i = 0; i < m; i++) {
    double mu = 0, v = 1;
    if (s->forest)
      tt_forest_predict(s->forest, X + i * d, &mu, &v);
    else if (s->gbt)
      tt_gbtq_predict(s->gbt, X + i * d, &mu, &v);
    if (s->gp && s->forest) {
      double h = 0.5 * (mean[i] - mu);
      mu = 0.5 * (mean[i] + mu);
      v = 0.5 * (sd[i] + v) + h * h;
    } else if (s->gp) {
      mu = mean[i];
      v = sd[i];
    }
    mean[i] = mu;
    sd[i] = sqrt(v > 1e-12 ? v : 1e-12);
  }
}

/* Standard deviations from variances in place, floored as
 * tt_surrogate_predict_many floors them. */
static void to_sd(double *sd, size_t m) {
  for (size_t i = 0; i < m; i++)
    sd[i] = sqrt(sd[i] > 1e-12 ? sd[i] : 1e-12);
}

/* Predicts and tracks candidates; see surrogate.h. */
void tt_surrogate_predict_track(tt_surrogate *s, const double *X, size_t m, size_t d, double *mean,
                                double *sd) {
  tt_gp_track_free(s->track);
  s->track = NULL;
  if (s->kind != TT_SURROGATE_GP || !s->gp || !m) {
    tt_surrogate_predict_many(s, X, m, d, mean, sd);
    return;
  }
  s->track = tt_gp_track_new(s->gp, X, m, mean, sd);
  to_sd(sd, m);
}

/* Conditions the GP on (x, y); see surrogate.h. */
int tt_surrogate_condition(tt_surrogate *s, const double *x, double y, double *mean, double *sd) {
  if (!s->track) return -1;
  size_t m = 0;
  if (tt_gp_track_add(s->track, s->gp, x, y, mean, sd, &m) != 0) return -1;
  to_sd(sd, m);
  return 0;
}

/* A joint posterior draw; see surrogate.h. */
int tt_surrogate_sample(const tt_surrogate *s, const double *X, size_t m, size_t d, tt_rng *rng,
                        double *out) {
  (void)d;
  if (s->kind != TT_SURROGATE_GP || !s->gp || !m) return -1;
  return tt_gp_sample(s->gp, X, m, rng, out);
}
