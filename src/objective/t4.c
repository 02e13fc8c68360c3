/* T4 results files: {"results": [{"configuration": {name: value},
 * "invalidity": "correct" | "compile" | "runtime" | ..., "measurements":
 * [{"name": "time", "value": ms or "RuntimeFailedConfig"}]}]}. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* The measurement called objective in result r, or NULL. */
static const cJSON *measurement(const cJSON *r, const char *objective) {
  const cJSON *ms = cJSON_GetObjectItem(r, "measurements");
  for (const cJSON *m = ms ? ms->child : NULL; m; m = m->next) {
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(m, "name"));
    if (name && strcmp(name, objective) == 0) return cJSON_GetObjectItem(m, "value");
  }
  return NULL;
}

/* Milliseconds a result's "times" record: compilation, validation and
 * every runtime (NAN when it has none). */
static double cost_ms(const cJSON *times) {
  double sum = 0;
  int any = 0;
  const cJSON *v;
  const char *const parts[] = {"compilation", "validation"};
  for (size_t i = 0; i < 2; i++)
    if (cJSON_IsNumber(v = cJSON_GetObjectItem(times, parts[i])) && v->valuedouble >= 0) {
      sum += v->valuedouble;
      any = 1;
    }
  const cJSON *runs = cJSON_GetObjectItem(times, "runtimes");
  for (v = cJSON_IsArray(runs) ? runs->child : NULL; v; v = v->next)
    if (cJSON_IsNumber(v) && v->valuedouble >= 0) {
      sum += v->valuedouble;
      any = 1;
    }
  return any ? sum : NAN;
}

/* Appends result r (parameters were declared from the first result). */
static tt_status add_result(const cJSON *r, const char *objective, tt_dataset *d,
                            const char **cells, char (*bufs)[64], tt_error *err) {
  const cJSON *conf = cJSON_GetObjectItem(r, "configuration");
  for (size_t p = 0; p < d->nparams; p++) {
    cells[p] = tt_json_scalar_text(cJSON_GetObjectItem(conf, d->names[p]), bufs[p], 64);
    if (!cells[p])
      return tt_error_set(err, TT_ERR_USAGE, "a T4 result has no value for '%s'", d->names[p]);
  }
  const char *inv = cJSON_GetStringValue(cJSON_GetObjectItem(r, "invalidity"));
  const cJSON *m = measurement(r, objective);
  if (inv && strcmp(inv, "correct") != 0)
    tt_dataset_add(d, cells, tt_outcome_from_failure(inv), 0);
  else if (cJSON_IsNumber(m))
    tt_dataset_add(d, cells, TT_OUTCOME_OK, m->valuedouble);
  else if (cJSON_IsString(m))
    tt_dataset_add(d, cells, tt_outcome_from_failure(m->valuestring), 0);
  else
    return tt_error_set(err, TT_ERR_USAGE, "a T4 result has no measurement '%s'", objective);
  tt_dataset_set_cost(d, cost_ms(cJSON_GetObjectItem(r, "times")) * 1e-3);
  return TT_OK;
}

/* Reads T4 results; see objective_impl.h. */
tt_status tt_t4_read(const void *root_, const char *objective, tt_dataset *d, tt_error *err) {
  const cJSON *results = cJSON_GetObjectItem((const cJSON *)root_, "results");
  const cJSON *first = cJSON_GetObjectItem(results->child, "configuration");
  if (!cJSON_IsObject(first))
    return tt_error_set(err, TT_ERR_USAGE, "T4 results without a configuration");
  for (const cJSON *c = first->child; c; c = c->next)
    tt_dataset_param(d, c->string);
  const char **cells = tt_xcalloc(d->nparams + 1, sizeof *cells);
  char(*bufs)[64] = tt_xcalloc(d->nparams + 1, sizeof *bufs);
  tt_status st = TT_OK;
  for (const cJSON *r = results->child; r && st == TT_OK; r = r->next)
    st = add_result(r, objective, d, cells, bufs, err);
  free(cells);
  free(bufs);
  return st;
}
