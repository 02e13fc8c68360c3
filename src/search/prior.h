/* Internal to src/search: transfer from a related task as a prior mean. A
 * model fitted once on the related task's data (mapped onto this space's
 * knobs) predicts log time; calibrated at every refit on the task's own ok
 * observations (a linear map a + b p, and a weight from how well p ranks
 * them), it becomes the mean the surrogate models the residuals around. */
#ifndef TT_SEARCH_PRIOR_H
#define TT_SEARCH_PRIOR_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/outcome.h"
#include "tetune/space.h"

typedef struct tt_prior tt_prior;

/* Fits the prior on the ok rows of (cfgs, outcomes, values), n rows of
 * space s (log values, encoded with enc). Its own random stream, so the
 * strategy's draws do not change. NULL when fewer than 3 rows are ok. */
tt_prior *tt_prior_new(const tt_space *s, tt_encoding enc, const uint32_t *cfgs,
                       const tt_outcome *outcomes, const double *values, size_t n);
void tt_prior_free(tt_prior *p);
/* Related rows it was fitted on (ok ones). */
size_t tt_prior_rows(const tt_prior *p);
/* The prior's raw prediction (log value on the related task's scale) of m
 * encoded rows X (m x d) into out. */
void tt_prior_predict(const tt_prior *p, const double *X, size_t m, double *out);

/* The calibration of the raw prediction p to a task: mean(p) = w (a + b p)
 * + (1 - w) ybar. */
typedef struct tt_prior_cal {
  double w, a, b, ybar;
} tt_prior_cal;

/* Calibrates from m pairs (raw prediction p[i], observed log value y[i]):
 * a and b by least squares, w = (tau - s) / (1 - s) clamped to [0, 1],
 * where tau is Kendall's tau of p and y (over TT_PRIOR_RANK_ROWS pairs
 * spread evenly over them) and s its standard deviation when p and y are unrelated; w = 0
 * when b <= 0 or m < 3. */
#define TT_PRIOR_RANK_ROWS 300
void tt_prior_calibrate(const double *p, const double *y, size_t m, tt_prior_cal *cal);
/* The calibrated prior mean of raw prediction p. */
double tt_prior_mean(const tt_prior_cal *cal, double p);

#endif
