/* Internal to src/search: one interface over the regression models BO can
 * use as its surrogate, each giving a predictive mean and standard
 * deviation. Each model is a component: an adapter in its own file
 * behind the operations of surrogate_impl.h (surrogate_gp.c, the Gaussian
 * process; surrogate_forest.c, random forest and extra-trees;
 * surrogate_gbt.c, quantile boosting; surrogate_mix.c, the GP and the
 * forest averaged), found by name in the registry (surrogates.c). This
 * header is all that bo sees of them. */
#ifndef TT_SEARCH_SURROGATE_H
#define TT_SEARCH_SURROGATE_H

#include <stddef.h>

#include "tetune/support.h"

typedef struct tt_surrogate tt_surrogate;

/* The registered models' names in registry order, NULL-terminated: rf,
 * et, gbt, gp, mix (bo's surrogate= option indexes this list). */
extern const char *const tt_surrogate_names[];

/* An unfitted surrogate (predicts 0 +- 1) of the model registered as
 * name; NULL and err TT_ERR_USAGE "unknown surrogate 'NAME' (takes rf,
 * et, ...)" when no model is. */
tt_surrogate *tt_surrogate_new(const char *name, tt_error *err);
/* The registered name of s's model. */
const char *tt_surrogate_model(const tt_surrogate *s);
void tt_surrogate_free(tt_surrogate *s);

/* A model's own setting by key: a number and, for a setting over
 * features, a mask of d flags (NULL: every feature). Each adapter
 * documents its keys (surrogate_gp.c: the GP's kernel terms). */
typedef struct tt_surrogate_setting {
  const char *key;
  double value;
  const unsigned char *mask;
} tt_surrogate_setting;
/* Passes the settings s's model takes to it (masks copied); it drops
 * what its next fit would warm-start from when it takes any. Settings of
 * other registered models are ignored, so a caller can configure every
 * model alike. Returns 0, or -1 with err TT_ERR_USAGE "surrogate: unknown
 * setting 'KEY'" (nothing applied) when no registered model takes a key. */
int tt_surrogate_configure(tt_surrogate *s, const tt_surrogate_setting *set, size_t n, size_t d,
                           tt_error *err);
/* The GP's default noise cap (its setting noise_max, in standardised log
 * time), measured (docs/search-decisions.md). */
#define TT_SURROGATE_GP_NOISE_MAX 0.01

/* Refits on X (n x d, row-major) and y, replacing the previous fit; keeps
 * what speeds up the next fit (a GP's hyper-parameters as a warm start).
 * X and y stay the caller's. */
void tt_surrogate_fit(tt_surrogate *s, const double *X, const double *y, size_t n, size_t d,
                      tt_rng *rng);
void tt_surrogate_predict(const tt_surrogate *s, const double *x, double *mean, double *sd);
/* The same for m rows of X (m x d) at once. */
void tt_surrogate_predict_many(const tt_surrogate *s, const double *X, size_t m, size_t d,
                               double *mean, double *sd);
/* A joint posterior draw of the latent function at m rows of X into out
 * where the model can draw one (the GP); -1 otherwise. */
int tt_surrogate_sample(const tt_surrogate *s, const double *X, size_t m, size_t d, tt_rng *rng,
                        double *out);
/* Batch proposals. predict_track predicts like predict_many and, for a
 * model that can (the GP), keeps the candidates so that
 * tt_surrogate_condition can add a point (x, y) to the model with its
 * hyper-parameters fixed (kriging believer, a lie for y) and rewrite their
 * mean and sd cheaply. condition returns -1 (nothing changed) for the
 * other models, before predict_track and when the model cannot take x:
 * the caller refits instead. The next fit drops both. */
void tt_surrogate_predict_track(tt_surrogate *s, const double *X, size_t m, size_t d, double *mean,
                                double *sd);
int tt_surrogate_condition(tt_surrogate *s, const double *x, double y, double *mean, double *sd);
/* 1 when s's model can be conditioned (tt_surrogate_condition), else 0. */
int tt_surrogate_can_condition(const tt_surrogate *s);

#endif
