/* Internal to the surrogate component (surrogate*.c): the operations a
 * model adapter implements and the registry that names them. bo uses
 * surrogate.h only. */
#ifndef TT_SEARCH_SURROGATE_IMPL_H
#define TT_SEARCH_SURROGATE_IMPL_H

#include "search/surrogate.h"

typedef struct tt_surrogate_ops {
  const char *name;
  /* The setting keys it takes, NULL-terminated (NULL: none). */
  const char *const *settings;
  /* An unfitted model with its default settings. */
  void *(*create)(void);
  void (*destroy)(void *m);
  /* Optional: applies n settings, all of keys it takes (masks of d flags
   * copied), and drops its warm start. */
  void (*configure)(void *m, const tt_surrogate_setting *set, size_t n, size_t d);
  /* Replaces the fit by one on (X, y); n == 0 leaves it unfitted. */
  void (*fit)(void *m, const double *X, const double *y, size_t n, size_t d, tt_rng *rng);
  /* Means and variances (not deviations: the caller floors and takes the
   * roots) of m rows; 0 and 1 each and returns -1 when unfitted, else 0. */
  int (*predict_many)(const void *m, const double *X, size_t mm, size_t d, double *mean,
                      double *var);
  /* Optional, both or neither: predict_many that keeps the candidates
   * (returns -1, writing nothing, when it cannot: unfitted or mm == 0;
   * either way it drops the candidates kept before), and condition on
   * (x, y), rewriting the first *mm kept candidates' means and variances;
   * -1 when nothing is kept or x does not fit. See surrogate.h. */
  int (*predict_track)(void *m, const double *X, size_t mm, size_t d, double *mean, double *var);
  int (*condition)(void *m, const double *x, double y, double *mean, double *var, size_t *mm);
  /* Optional: a joint posterior draw of the latent function at mm rows
   * into out; -1 when unfitted or it cannot be drawn. */
  int (*sample)(const void *m, const double *X, size_t mm, size_t d, tt_rng *rng, double *out);
} tt_surrogate_ops;

/* The adapters (one file each; rf and et share surrogate_forest.c). */
extern const tt_surrogate_ops tt_surrogate_rf_ops;
extern const tt_surrogate_ops tt_surrogate_et_ops;
extern const tt_surrogate_ops tt_surrogate_gbt_ops;
extern const tt_surrogate_ops tt_surrogate_gp_ops;
extern const tt_surrogate_ops tt_surrogate_mix_ops;

/* The GP's setting keys (surrogate_gp.c), which mix takes too. */
extern const char *const tt_surrogate_gp_settings[];

/* The registry (surrogates.c): the ops registered as name, or NULL. */
const tt_surrogate_ops *tt_surrogate_ops_find(const char *name);

/* A setting's key in a NULL-terminated list of keys (NULL: none): 1 or 0. */
int tt_surrogate_takes(const char *const *keys, const char *key);

#endif
