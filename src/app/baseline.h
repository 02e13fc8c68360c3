/* Internal to src/app: what a tuning session records about its baselines,
 * so that the report can say how much the tuning gained: the template's
 * default configuration and the naive reference's time, timed warm like
 * every variant (warm-up and repeats), not the one cold call that produced
 * the reference output (unless that call took a second or more). */
#ifndef TT_APP_BASELINE_H
#define TT_APP_BASELINE_H

#include <cjson/cJSON.h>

#include "app/job.h"

/* Adds "default_config" (the template's defaults, a JSON object) and, when
 * the reference could be timed, "reference_time_s" (its warm median) to
 * args. Measures the reference (tt_job_reference must have run). */
void tt_baseline_add(tt_job *j, cJSON *args);

#endif
