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
/* A joint posterior draw of the GP at m rows of X into out; -1 for the
 * other surrogates or when it cannot be drawn. */
int tt_surrogate_sample(const tt_surrogate *s, const double *X, size_t m, size_t d, tt_rng *rng,
                        double *out);
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
/* The GP's kernel as a sum of terms (gp.c), for gp and mix: a Matern 5/2
 * product term always, a main-effects (additive) term over the features
 * of additive_mask (NULL: all) and a linear term over those of
 * linear_mask (with the additive one), and the cap on the noise. While
 * the GP has fewer than add_floor_n rows, the additive term's variance is
 * at least add_floor times the product term's and the linear term's at
 * least lin_floor times the signal's (0: no floor). */
typedef struct tt_gp_terms {
  double noise_max; /* standardised log time; BO's default below */
  int additive;
  const unsigned char *additive_mask;
  double add_floor;
  size_t add_floor_n;
  int linear;
  const unsigned char *linear_mask;
  double lin_floor;
} tt_gp_terms;
/* BO's default noise cap, measured (docs/search-decisions.md). */
#define TT_SURROGATE_GP_NOISE_MAX 0.01
/* Sets the GP's terms (masks of d flags, copied) and drops the warm start
 * when they change the number of parameters. The only setting a model
 * takes besides its kind: the forests and boosting have none. */
void tt_surrogate_set_gp_terms(tt_surrogate *s, const tt_gp_terms *t, size_t d);
/* "rf", "et", "gbt", "gp", "mix" -> kind; returns -1 for an unknown name. */
int tt_surrogate_parse(const char *name, tt_surrogate_kind *kind);
const char *tt_surrogate_name(tt_surrogate_kind kind);

#endif
