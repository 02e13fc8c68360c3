/* Internal to src/search: one interface over the regression models BO can
 * use as its surrogate (random forest, extra-trees, quantile boosting,
 * Gaussian process), each giving a predictive mean and standard deviation. */
#ifndef TT_SEARCH_SURROGATE_H
#define TT_SEARCH_SURROGATE_H

#include <stddef.h>

#include "tetune/support.h"

typedef enum tt_surrogate_kind {
  TT_SURROGATE_RF,
  TT_SURROGATE_ET,
  TT_SURROGATE_GBT,
  TT_SURROGATE_GP,
  TT_SURROGATE_MIX /* GP and random forest averaged (equal-weight mixture) */
} tt_surrogate_kind;

typedef struct tt_surrogate tt_surrogate;

/* A surrogate that has not been fitted yet (predicts 0 +- 1). */
tt_surrogate *tt_surrogate_new(tt_surrogate_kind kind);
void tt_surrogate_free(tt_surrogate *s);
/* Refits on X (n x d, row-major) and y, replacing the previous fit; keeps
 * what speeds up the next fit (a GP's hyper-parameters as a warm start).
 * X and y stay the caller's. */
void tt_surrogate_fit(tt_surrogate *s, const double *X, const double *y, size_t n, size_t d,
                      tt_rng *rng);
void tt_surrogate_predict(const tt_surrogate *s, const double *x, double *mean, double *sd);
/* The same for m rows of X (m x d) at once. */
void tt_surrogate_predict_many(const tt_surrogate *s, const double *X, size_t m, size_t d,
                               double *mean, double *sd);
/* Batch proposals. predict_track predicts like predict_many and, for a
 * GP, keeps the candidates so that tt_surrogate_condition can add a point
 * (x, y) to the GP with its hyper-parameters fixed (kriging believer, a
 * lie for y) and rewrite their mean and sd cheaply. condition returns -1
 * (nothing changed) for the other surrogates, before predict_track and
 * when the GP's factor cannot take x: the caller refits instead. The next fit
 * drops both. */
void tt_surrogate_predict_track(tt_surrogate *s, const double *X, size_t m, size_t d, double *mean,
                                double *sd);
int tt_surrogate_condition(tt_surrogate *s, const double *x, double y, double *mean, double *sd);
/* Caps the GP's noise variance (standardised log time; for gp and mix).
 * BO's default, TT_SURROGATE_GP_NOISE_MAX, is measured in bo.c. */
#define TT_SURROGATE_GP_NOISE_MAX 0.01
void tt_surrogate_set_gp_noise_max(tt_surrogate *s, double v);
/* Adds the GP's additive (main-effects) kernel term over the features
 * flagged in mask (d flags, copied; NULL: all); off by default. */
void tt_surrogate_set_gp_additive(tt_surrogate *s, int on, const unsigned char *mask, size_t d);
/* While the GP is fitted on fewer than until_n rows, the additive term's
 * variance is at least ratio times the product term's (0: no floor). */
void tt_surrogate_set_gp_additive_floor(tt_surrogate *s, double ratio, size_t until_n);
/* Adds the GP's linear term over the features flagged in mask (d flags,
 * copied; NULL: all), with the additive term only (gp.c); while the
 * additive floor holds, its variance is at least floor_ratio times the
 * signal's. */
void tt_surrogate_set_gp_linear(tt_surrogate *s, int on, const unsigned char *mask, size_t d,
                                double floor_ratio);
/* "rf", "et", "gbt", "gp", "mix" -> kind; returns -1 for an unknown name. */
int tt_surrogate_parse(const char *name, tt_surrogate_kind *kind);
const char *tt_surrogate_name(tt_surrogate_kind kind);

#endif
