/* The baselines a session records (baseline.h). */
#include "app/baseline.h"

#include <math.h>
#include <stdlib.h>

/* See baseline.h. */
void tt_baseline_add(tt_job *j, cJSON *args) {
  char *def = tt_space_config_to_json(j->space, j->defaults);
  cJSON *d = def ? cJSON_Parse(def) : NULL;
  if (d) cJSON_AddItemToObject(args, "default_config", d);
  free(def);
  char *src = NULL;
  tt_measure_result r = {0};
  tt_error err = {0};
  /* A reference of a second or more is timed well enough by its one call
   * (cold caches and page faults are a small part of it), and timing it
   * again with warm-up and repeats would cost minutes at large sizes. */
  if (j->ref_path && j->ref_time_s >= 1.0) {
    cJSON_AddNumberToObject(args, "reference_time_s", j->ref_time_s);
    return;
  }
  /* The reference validated against its own output: only the time counts. */
  if (j->ref_path && tt_job_source(j, NULL, 1, 0, &src, &err) == TT_OK &&
      tt_measure_source(src, j->ref_path, &j->mopt, &r, &err) == TT_OK &&
      r.outcome == TT_OUTCOME_OK && isfinite(r.time_median_s) && r.time_median_s > 0)
    cJSON_AddNumberToObject(args, "reference_time_s", r.time_median_s);
  free(src);
}
