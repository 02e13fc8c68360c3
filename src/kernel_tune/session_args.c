/* The arguments a session records (session_args.h). */
#include "kernel_tune/session_args.h"

#include <math.h>
#include <stdlib.h>

/* Adds "default_config" (the template's defaults, a JSON object) and, when
 * the reference could be timed, "reference_time_s" (its warm median): the
 * baselines the report compares the tuning with. */
static void add_baselines(tt_job *j, cJSON *args) {
  char *def = tt_space_config_to_json(j->space, j->defaults);
  cJSON *d = def ? cJSON_Parse(def) : NULL;
  if (d) cJSON_AddItemToObject(args, "default_config", d);
  free(def);
  double t = tt_job_reference_time(j);
  if (isfinite(t)) cJSON_AddNumberToObject(args, "reference_time_s", t);
}

/* See session_args.h. */
char *tt_session_args_json(tt_job *j, const tt_session_args *a) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "command", a->command);
  cJSON_AddStringToObject(o, "kernel", j->kernel->name);
  cJSON_AddStringToObject(o, "size", j->size_name);
  cJSON_AddStringToObject(o, "template", j->tmpl->name);
  cJSON_AddStringToObject(o, "target", j->target->name);
  cJSON_AddStringToObject(o, "strategy", a->strategy);
  cJSON_AddNumberToObject(o, "seed", (double)a->seed);
  cJSON_AddNumberToObject(o, "trials", (double)a->trials);
  if (a->seeds > 0) cJSON_AddNumberToObject(o, "seeds", (double)a->seeds);
  cJSON_AddNumberToObject(o, "threads", j->mopt.threads);
  if (a->prepare) {
    cJSON_AddNumberToObject(o, "timeout_s", j->mopt.run_timeout_s);
    cJSON_AddBoolToObject(o, "remeasure", a->prepare->remeasure);
  }
  cJSON_AddNumberToObject(o, "workers", a->workers > 0 ? a->workers : 1);
  if (a->transfer && a->transfer->used) cJSON_AddStringToObject(o, "transfer", a->transfer->source);
  if (a->prepare) add_baselines(j, o);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}
