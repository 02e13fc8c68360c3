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
  double t = tt_job_reference_time(j);
  if (isfinite(t)) cJSON_AddNumberToObject(args, "reference_time_s", t);
}
