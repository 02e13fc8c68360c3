/* The Gaussian process as a surrogate (surrogate_impl.h): the rows it is
 * fitted on, when its hyper-parameters are optimised, and its kernel's
 * terms (gp.c). Its settings (surrogate.h), for gp and mix:
 *   noise_max    the cap on the noise variance (standardised log time;
 *                default TT_SURROGATE_GP_NOISE_MAX)
 *   additive     1: a main-effects term over the features of its mask
 *                (NULL: all) beside the Matern 5/2 product term; 0: none
 *   linear       1: a linear term over the features of its mask (with
 *                the additive one)
 *   add_floor, add_floor_n, lin_floor
 *                while the GP has fewer than add_floor_n rows, the
 *                additive term's variance is at least add_floor times the
 *                product term's and the linear term's at least lin_floor
 *                times the signal's (0: no floor)
 * Every setting drops the warm start, as its parameters may no longer
 * match the terms. */
#include <stdlib.h>
#include <string.h>

#include "search/model.h"
#include "search/surrogate_impl.h"

/* Rows a GP is fitted on at most: its cost grows as n^3. */
#ifndef GP_MAX_ROWS /* overridable to measure the trade-off */
#define GP_MAX_ROWS 100
#endif
#define GP_BEST_ROWS (GP_MAX_ROWS * 2 / 5)
/* Refine hyper-parameters every n / GP_REFINE_DIV fits. */
#ifndef GP_REFINE_DIV
#define GP_REFINE_DIV 10
#endif

typedef struct gp_model {
  tt_gp *gp;
  tt_gp_track *track; /* tracked candidates (batch proposals) */
  double theta[64];   /* the last log-parameters (warm start) */
  size_t ntheta;
  size_t full_fit_n;     /* rows at the last fit with restarts */
  size_t fits_since_opt; /* fits with fixed hyper-parameters since */
  double noise_max;
  int additive;
  unsigned char *mask;  /* the additive term's features, or NULL: all */
  double add_floor;     /* least additive/signal variance ratio ... */
  size_t add_floor_n;   /* ... while the GP has fewer rows than this */
  int linear;           /* the linear term, with the additive one */
  double lin_floor;     /* least linear/signal ratio, as long as that */
  unsigned char *lmask; /* the linear term's features, or NULL: all */
} gp_model;

const char *const tt_surrogate_gp_settings[] = {"noise_max",   "additive",  "linear", "add_floor",
                                                "add_floor_n", "lin_floor", NULL};

/* An unfitted GP with the default noise cap and no extra terms. */
static void *gp_create(void) {
  gp_model *g = tt_xcalloc(1, sizeof *g);
  g->noise_max = TT_SURROGATE_GP_NOISE_MAX;
  return g;
}

/* Drops the current fit and the tracked candidates. */
static void release(gp_model *g) {
  tt_gp_track_free(g->track);
  g->track = NULL;
  tt_gp_free(g->gp);
  g->gp = NULL;
}

/* Frees the model. */
static void gp_destroy(void *m) {
  gp_model *g = m;
  release(g);
  free(g->mask);
  free(g->lmask);
  free(g);
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

/* Applies the settings (keys of settings[] only) and drops the warm start. */
static void gp_configure(void *m, const tt_surrogate_setting *set, size_t n, size_t d) {
  gp_model *g = m;
  for (size_t i = 0; i < n; i++) {
    const char *k = set[i].key;
    double v = set[i].value;
    if (strcmp(k, "noise_max") == 0)
      g->noise_max = v;
    else if (strcmp(k, "additive") == 0) {
      g->additive = v != 0;
      set_mask(&g->mask, set[i].mask, d);
    } else if (strcmp(k, "linear") == 0) {
      g->linear = v != 0;
      set_mask(&g->lmask, set[i].mask, d);
    } else if (strcmp(k, "add_floor") == 0)
      g->add_floor = v;
    else if (strcmp(k, "add_floor_n") == 0)
      g->add_floor_n = (size_t)v;
    else if (strcmp(k, "lin_floor") == 0)
      g->lin_floor = v;
  }
  g->ntheta = 0;
}

/* A row and its target, sorted by target for the subset selection (no
 * globals: strategies may run in several threads). */
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

/* The GP's parameters for a fit on n rows of d features. */
static void fit_params(const gp_model *g, size_t n, size_t d, tt_gp_params *p) {
  tt_gp_params_default(p);
  p->ard = d + 3 + (size_t)g->additive <= sizeof g->theta / sizeof g->theta[0];
  p->noise_max = g->noise_max;
  p->additive = g->additive;
  p->additive_mask = g->mask;
  p->additive_min = n < g->add_floor_n ? g->add_floor : 0;
  p->linear = g->linear;
  p->linear_mask = g->lmask;
  p->linear_min = n < g->add_floor_n ? g->lin_floor : 0;
}

/* Fit. Hyper-parameters are optimised with restarts while the data grows
 * (each time it has grown by a quarter), refined from the last optimum
 * once every n / GP_REFINE_DIV fits, and otherwise kept: a fit is then
 * one Cholesky factorisation, which keeps an ask at a few ms. */
static void gp_fit(void *m, const double *X, const double *y, size_t n, size_t d, tt_rng *rng) {
  gp_model *g = m;
  release(g);
  if (!n) return;
  double *Xs = NULL, *ys = NULL;
  if (n > GP_MAX_ROWS) {
    Xs = tt_xmalloc(GP_MAX_ROWS * d * sizeof *Xs + 1);
    ys = tt_xmalloc(GP_MAX_ROWS * sizeof *ys);
    n = gp_subset(X, y, n, d, Xs, ys);
    X = Xs;
    y = ys;
  }
  tt_gp_params p;
  fit_params(g, n, d, &p);
  int full = !g->ntheta || 4 * n >= 5 * g->full_fit_n;
  if (!full) {
    p.init = g->theta;
    p.restarts = 0;
    p.max_iter = g->fits_since_opt + 1 >= n / GP_REFINE_DIV ? 8 : 0;
  }
  g->gp = tt_gp_fit(X, y, n, d, &p, rng);
  if (g->gp) {
    g->ntheta = tt_gp_params_get(g->gp, g->theta, sizeof g->theta / sizeof g->theta[0]);
    g->fits_since_opt = p.max_iter > 0 ? 0 : g->fits_since_opt + 1;
    if (full) g->full_fit_n = n;
  }
  free(Xs);
  free(ys);
}

/* Means and variances: the GP solves for blocks of candidates together. */
static int gp_predict_many(const void *m, const double *X, size_t mm, size_t d, double *mean,
                           double *var) {
  const gp_model *g = m;
  (void)d;
  if (g->gp) {
    tt_gp_predict_many(g->gp, X, mm, mean, var);
    return 0;
  }
  for (size_t i = 0; i < mm; i++)
    mean[i] = 0, var[i] = 1;
  return -1;
}

/* Predicts and keeps the candidates (gp_batch.c); see surrogate_impl.h. */
static int gp_predict_track(void *m, const double *X, size_t mm, size_t d, double *mean,
                            double *var) {
  gp_model *g = m;
  (void)d;
  tt_gp_track_free(g->track);
  g->track = NULL;
  if (!g->gp || !mm) return -1;
  g->track = tt_gp_track_new(g->gp, X, mm, mean, var);
  return 0;
}

/* A joint posterior draw (gp_sample.c); see surrogate_impl.h. */
static int gp_sample(const void *m, const double *X, size_t mm, size_t d, tt_rng *rng,
                     double *out) {
  const gp_model *g = m;
  (void)d;
  return g->gp ? tt_gp_sample(g->gp, X, mm, rng, out) : -1;
}

/* Conditions the GP on (x, y), its hyper-parameters fixed. */
static int gp_condition(void *m, const double *x, double y, double *mean, double *var, size_t *mm) {
  gp_model *g = m;
  if (!g->track) return -1;
  return tt_gp_track_add(g->track, g->gp, x, y, mean, var, mm) != 0 ? -1 : 0;
}

const tt_surrogate_ops tt_surrogate_gp_ops = {
    .name = "gp",
    .settings = tt_surrogate_gp_settings,
    .create = gp_create,
    .destroy = gp_destroy,
    .configure = gp_configure,
    .fit = gp_fit,
    .predict_many = gp_predict_many,
    .predict_track = gp_predict_track,
    .condition = gp_condition,
    .sample = gp_sample,
};
