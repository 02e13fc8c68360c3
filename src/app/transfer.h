/* Internal to src/app: what transfer (tt_kernel_transfer,
 * tetune/kernel_tune.h) reused, as `tune` prints it. */
#ifndef TT_APP_TRANSFER_H
#define TT_APP_TRANSFER_H

#include <cjson/cJSON.h>

#include "tetune/kernel_tune.h"

/* One line for the summary ("transfer: 2 of its 3 best configurations
 * tried, a prior from lu/medium (42 ok trials), weight 0.80"), or "" when
 * nothing was reused. */
void tt_transfer_describe(const tt_transfer_info *info, char *buf, size_t len);

/* Adds "transfer": {source, source_trials, seeds, seeds_tried, prior,
 * weight} (or null) to a JSON object. */
void tt_transfer_json(const tt_transfer_info *info, cJSON *o);

#endif
