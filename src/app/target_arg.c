/* --target and `tetune list --targets`. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/args.h"
#include "app/target_arg.h"

int tt_target_arg(const char *name, int run, const tt_target **out) {
  char why[300], msg[500];
  *out = tt_target_find(name ? name : "c");
  if (!*out) {
    snprintf(msg, sizeof msg, "unknown target '%s' (targets: c, opencl, cuda)", name);
    return tt_app_fail(1, msg);
  }
  int ok =
      run ? tt_target_usable(*out, why, sizeof why) : tt_target_can_compile(*out, why, sizeof why);
  if (ok) return 0;
  snprintf(msg, sizeof msg, "target %s cannot %s here: %s", (*out)->name, run ? "run" : "compile",
           why);
  return tt_app_fail(1, msg);
}

void tt_targets_print(int json) {
  size_t n;
  const tt_target *ts = tt_target_list(&n);
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    char why[300] = "";
    int ok = tt_target_usable(&ts[i], why, sizeof why);
    char *dev = ok ? tt_target_device(&ts[i]) : NULL;
    if (!json) {
      printf("%-7s %-13s %s%s%s\n", ts[i].name, ts[i].dialect,
             ok ? "usable" : "not usable: ", ok ? "" : why, dev ? "" : "");
      if (dev) printf("        device: %s\n", dev);
    } else {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "name", ts[i].name);
      cJSON_AddStringToObject(o, "dialect", ts[i].dialect);
      cJSON_AddStringToObject(o, "runner", ts[i].runner);
      cJSON_AddBoolToObject(o, "usable", ok);
      if (!ok) cJSON_AddStringToObject(o, "why", why);
      if (dev) cJSON_AddStringToObject(o, "device", dev);
      cJSON_AddItemToArray(arr, o);
    }
    free(dev);
  }
  if (json) {
    char *s = cJSON_Print(arr);
    puts(s);
    free(s);
  }
  cJSON_Delete(arr);
}
