/* Internal to src/app: transfer for `tune` — a new session of a task whose
 * related tasks (same kernel and template at other sizes, on other
 * machines or targets) are in the store starts from what they know: their
 * best configurations are proposed first and their trials become the
 * strategy's prior (tetune/search.h). The search side decides how much the
 * prior counts; this file only finds, loads and maps the data. */
#ifndef TT_APP_TRANSFER_H
#define TT_APP_TRANSFER_H

#include <cjson/cJSON.h>

#include "app/job.h"
#include "tetune/search.h"
#include "tetune/store.h"

/* Best configurations of the source proposed first. */
#define TT_TRANSFER_SEEDS 3

/* What transfer reused. */
typedef struct tt_transfer_info {
  int used;              /* a related task was found and used */
  char source[160];      /* "lu/medium", with " (machine M)" or " (target T)" when they differ */
  int64_t source_trials; /* its ok trials */
  size_t seeds;          /* configurations queued */
  int prior;             /* the strategy took its trials as a prior */
  const tt_strategy *st; /* for the weight at the end */
} tt_transfer_info;

/* Finds the task of j most related to its own in s (same machine, then
 * same target, then the nearest size, then the most ok trials), queues its
 * best configurations on st and hands it its trials as a prior; fills
 * info (info->used 0 when there is no related task). */
tt_status tt_transfer_apply(tt_job *j, tt_store *s, tt_strategy *st, tt_transfer_info *info,
                            tt_error *err);

/* One line for the summary ("transfer: 2 of its 3 best configurations
 * tried, a prior from lu/medium (42 ok trials), weight 0.80"), or "" when
 * nothing was reused. */
void tt_transfer_describe(const tt_transfer_info *info, char *buf, size_t len);

/* Adds "transfer": {source, source_trials, seeds, seeds_tried, prior,
 * weight} (or
 * null) to a JSON object. */
void tt_transfer_json(const tt_transfer_info *info, cJSON *o);

#endif
