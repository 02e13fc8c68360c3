/* Internal to src/app: which knobs matter most, from a random-forest
 * surrogate of log(time) over the configurations measured (the report's
 * "knob importance"). Works on the stored JSON configurations alone, so a
 * report needs no kernel file. */
#ifndef TT_APP_IMPORTANCE_H
#define TT_APP_IMPORTANCE_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/support.h"

typedef struct tt_importance {
  size_t nknobs;
  char **knobs;   /* names, in the configurations' key order */
  double *share;  /* permutation importance, normalised to sum 1 */
  double r2;      /* the forest's in-sample R^2 on log(time) */
  size_t samples; /* configurations used */
} tt_importance;

/* Permutation importance: a forest (tt_search_importance) is fitted on
 * features of each knob (log2 of a number, 0/1 of a bool, the rank of a
 * label or permutation among those seen) against log(times[i]); a knob's
 * importance is how much the mean squared error grows when its column is
 * shuffled, averaged over a few shuffles. configs are JSON objects with the
 * same keys; duplicates should be removed by the caller. Fewer than 8
 * samples, or configs that are not such objects, is TT_ERR_USAGE with the
 * reason. */
tt_status tt_importance_compute(const char *const *configs, const double *times, size_t n,
                                uint64_t seed, tt_importance *out, tt_error *err);
void tt_importance_free(tt_importance *imp);

#endif
