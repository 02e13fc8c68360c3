/* The machine fingerprint of a target's tasks (target.h): the measure
 * layer's fingerprint, and for a GPU target the target and its device. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "tetune/target.h"

/* See target.h. The C target's fingerprint is the measure layer's, as
 * stored before targets existed, so that earlier tasks stay found. */
char *tt_target_fingerprint(const tt_target *t, const tt_measure_options *m, tt_error *err) {
  char *fp = tt_machine_fingerprint(m, err);
  if (!t->gpu) return fp;
  cJSON *o = cJSON_Parse(fp);
  free(fp);
  if (!o) abort(); /* tt_machine_fingerprint prints valid JSON */
  char *dev = tt_target_device(t);
  cJSON_AddStringToObject(o, "target", t->name);
  cJSON_AddStringToObject(o, "device", dev ? dev : "none");
  free(dev);
  char *json = cJSON_PrintUnformatted(o);
  if (!json) abort();
  char *out = tt_xstrdup(json);
  cJSON_free(json);
  cJSON_Delete(o);
  return out;
}
