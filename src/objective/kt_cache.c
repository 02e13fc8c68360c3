/* Kernel Tuner cache files: {"tune_params_keys": [...], "tune_params":
 * {name: [values]}, "objective": "time", "cache": {"v1,v2,..": {name: v,
 * ..., "time": t or "SomethingFailedConfig"}}}. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* Declares the parameters (tune_params_keys order, else tune_params'). */
static tt_status read_params(const cJSON *root, tt_dataset *d, tt_error *err) {
  const cJSON *params = cJSON_GetObjectItem(root, "tune_params");
  const cJSON *keys = cJSON_GetObjectItem(root, "tune_params_keys");
  if (!cJSON_IsObject(params))
    return tt_error_set(err, TT_ERR_USAGE, "Kernel Tuner cache without tune_params");
  const cJSON *first = cJSON_IsArray(keys) ? keys->child : params->child;
  char buf[64];
  for (const cJSON *k = first; k; k = k->next) {
    const char *name = cJSON_IsArray(keys) ? cJSON_GetStringValue(k) : k->string;
    const cJSON *vals = cJSON_GetObjectItem(params, name ? name : "");
    if (!name || !cJSON_IsArray(vals))
      return tt_error_set(err, TT_ERR_USAGE, "tune_params has no list for '%s'", name ? name : "?");
    size_t p = tt_dataset_param(d, name);
    for (const cJSON *v = vals->child; v; v = v->next)
      if (tt_json_scalar_text(v, buf, sizeof buf)) tt_dataset_declare(d, p, buf);
  }
  return TT_OK;
}

/* Milliseconds entry e took: compile, verification and benchmark time
 * (NAN when it records none). */
static double cost_ms(const cJSON *e) {
  static const char *const parts[] = {"compile_time", "verification_time", "benchmark_time"};
  double sum = 0;
  int any = 0;
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    const cJSON *v = cJSON_GetObjectItem(e, parts[i]);
    if (cJSON_IsNumber(v) && v->valuedouble >= 0) {
      sum += v->valuedouble;
      any = 1;
    }
  }
  return any ? sum : NAN;
}

/* Reads a Kernel Tuner cache; see objective_impl.h. */
tt_status tt_kt_cache_read(const void *root_, const char *objective, tt_dataset *d, tt_error *err) {
  const cJSON *root = root_;
  tt_status st = read_params(root, d, err);
  if (st != TT_OK) return st;
  const char **cells = tt_xcalloc(d->nparams + 1, sizeof *cells);
  char(*bufs)[64] = tt_xcalloc(d->nparams + 1, sizeof *bufs);
  const cJSON *cache = cJSON_GetObjectItem(root, "cache");
  for (const cJSON *e = cache ? cache->child : NULL; e && st == TT_OK; e = e->next) {
    for (size_t p = 0; p < d->nparams && st == TT_OK; p++) {
      cells[p] = tt_json_scalar_text(cJSON_GetObjectItem(e, d->names[p]), bufs[p], 64);
      if (!cells[p])
        st = tt_error_set(err, TT_ERR_USAGE, "cache entry '%s' has no value for '%s'", e->string,
                          d->names[p]);
    }
    const cJSON *t = cJSON_GetObjectItem(e, objective);
    if (st != TT_OK) break;
    if (cJSON_IsNumber(t))
      tt_dataset_add(d, cells, TT_OUTCOME_OK, t->valuedouble);
    else if (cJSON_IsString(t))
      tt_dataset_add(d, cells, tt_outcome_from_failure(t->valuestring), 0);
    else
      st = tt_error_set(err, TT_ERR_USAGE, "cache entry '%s' has no '%s'", e->string, objective);
    tt_dataset_set_cost(d, cost_ms(e) * 1e-3);
  }
  free(cells);
  free(bufs);
  return st;
}
