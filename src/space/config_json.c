/* Configurations as JSON objects {"knob": value, ...} (see space.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "space/space_impl.h"

/* The JSON value of knob k at index v. */
static cJSON *knob_json(const tt_space *s, size_t k, uint32_t v) {
  const tt_knob *kn = &s->knobs[k];
  switch (kn->kind) {
  case TT_KNOB_BOOL:
    return cJSON_CreateBool(v != 0);
  case TT_KNOB_CATEGORICAL:
    return cJSON_CreateString(kn->labels[v]);
  case TT_KNOB_PERMUTATION: {
    int perm[TT_PERM_MAX];
    tt_space_perm_decode(s, k, v, perm);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < kn->perm_n; i++)
      cJSON_AddItemToArray(arr, cJSON_CreateString(kn->labels[perm[i]]));
    return arr;
  }
  default:
    return cJSON_CreateNumber(tt_space_knob_value(s, k, v));
  }
}

/* Heap string (caller frees) of cfg as a JSON object. */
char *tt_space_config_to_json(const tt_space *s, const uint32_t *cfg) {
  cJSON *obj = cJSON_CreateObject();
  for (size_t k = 0; k < s->nknobs; k++)
    cJSON_AddItemToObject(obj, s->knobs[k].name, knob_json(s, k, cfg[k]));
  char *text = cJSON_PrintUnformatted(obj);
  cJSON_Delete(obj);
  char *copy = tt_xstrdup(text); /* ours to free with free(), whatever cJSON's hooks */
  cJSON_free(text);
  return copy;
}

/* Index of number x among a numeric knob's values, or -1. */
static int64_t number_index(const tt_space *s, size_t k, double x) {
  const tt_knob *kn = &s->knobs[k];
  if (!isfinite(x)) return -1; /* 1e400: inf would match any value by tolerance */
  if (kn->kind == TT_KNOB_INT) {
    double off = (x - (double)kn->lo) / (double)kn->step;
    if (off < 0 || off != floor(off) || off >= kn->card) return -1;
    return (int64_t)off;
  }
  for (uint32_t v = 0; v < kn->card; v++)
    if (fabs(kn->values[v] - x) <= 1e-9 * fmax(1, fabs(x))) return v;
  return -1;
}

/* Index of the permutation an array of item names spells, or -1. */
static int64_t perm_index(const tt_space *s, size_t k, const cJSON *arr) {
  const tt_knob *kn = &s->knobs[k];
  int perm[TT_PERM_MAX], used[TT_PERM_MAX] = {0};
  if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != kn->perm_n) return -1;
  size_t i = 0;
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    perm[i] = -1;
    for (size_t j = 0; cJSON_IsString(it) && j < kn->perm_n; j++)
      if (strcmp(it->valuestring, kn->labels[j]) == 0) perm[i] = (int)j;
    if (perm[i] < 0 || used[perm[i]]++) return -1;
  }
  return tt_space_perm_encode(s, k, perm);
}

/* Index of JSON value j for knob k, or -1 when it is not one of its values. */
static int64_t value_index(const tt_space *s, size_t k, const cJSON *j) {
  const tt_knob *kn = &s->knobs[k];
  switch (kn->kind) {
  case TT_KNOB_BOOL:
    if (cJSON_IsBool(j)) return cJSON_IsTrue(j);
    return cJSON_IsNumber(j) && (j->valuedouble == 0 || j->valuedouble == 1)
               ? (int64_t)j->valuedouble
               : -1;
  case TT_KNOB_CATEGORICAL:
    for (uint32_t v = 0; cJSON_IsString(j) && v < kn->card; v++)
      if (strcmp(kn->labels[v], j->valuestring) == 0) return v;
    return -1;
  case TT_KNOB_PERMUTATION:
    return perm_index(s, k, j);
  default:
    return cJSON_IsNumber(j) ? number_index(s, k, j->valuedouble) : -1;
  }
}

/* Parses a configuration object; see space.h. */
tt_status tt_space_config_from_json(const tt_space *s, const char *json, const uint32_t *defaults,
                                    uint32_t *cfg, tt_error *err) {
  tt_status st = TT_OK;
  char *have = tt_xcalloc(s->nknobs + 1, 1);
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithOpts(json, &end, 1); /* nothing may follow the object */
  if (!root) {
    if (end && *end)
      st = tt_error_set(err, TT_ERR_USAGE, "configuration is not valid JSON (at '%.24s')", end);
    else
      st = tt_error_set(err, TT_ERR_USAGE, "configuration is not valid JSON (it ends too early)");
    goto done;
  }
  if (!cJSON_IsObject(root)) {
    st = tt_error_set(err, TT_ERR_USAGE, "configuration is not a JSON object");
    goto done;
  }
  for (const cJSON *it = root->child; it; it = it->next) {
    int k = tt_space_knob_index(s, it->string);
    if (k < 0) {
      st = tt_error_set(err, TT_ERR_USAGE, "unknown knob '%s' in configuration", it->string);
      goto done;
    }
    if (have[k]) {
      st = tt_error_set(err, TT_ERR_USAGE, "knob '%s' given twice in configuration", it->string);
      goto done;
    }
    int64_t v = value_index(s, (size_t)k, it);
    if (v < 0) {
      char *text = cJSON_PrintUnformatted(it);
      st = tt_error_set(err, TT_ERR_USAGE, "knob '%s': %s is not one of its values", it->string,
                        text ? text : "value");
      cJSON_free(text);
      goto done;
    }
    cfg[k] = (uint32_t)v;
    have[k] = 1;
  }
  for (size_t k = 0; k < s->nknobs; k++) {
    if (have[k]) continue;
    if (!defaults) {
      st =
          tt_error_set(err, TT_ERR_USAGE, "knob '%s' missing from configuration", s->knobs[k].name);
      goto done;
    }
    cfg[k] = defaults[k];
  }
done:
  cJSON_Delete(root);
  free(have);
  return st;
}

/* Index of the value of numeric knob k nearest to x (on a log scale when
 * both are positive), or -1 when x is not a finite number. */
static int64_t nearest_index(const tt_space *s, size_t k, const cJSON *j) {
  const tt_knob *kn = &s->knobs[k];
  if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble) || kn->kind == TT_KNOB_CATEGORICAL ||
      kn->kind == TT_KNOB_PERMUTATION || kn->kind == TT_KNOB_BOOL)
    return -1;
  double x = j->valuedouble, best = INFINITY;
  int64_t bi = -1;
  for (uint32_t v = 0; v < kn->card; v++) {
    double y = tt_space_knob_value(s, k, v);
    double dist = x > 0 && y > 0 ? fabs(log(x / y)) : fabs(x - y);
    if (dist < best) {
      best = dist;
      bi = v;
    }
  }
  return bi;
}

/* Maps a configuration of another space onto s; see space.h. */
int tt_space_config_map_json(const tt_space *s, const char *json, const uint32_t *defaults,
                             uint32_t *cfg) {
  cJSON *root = cJSON_Parse(json);
  if (!cJSON_IsObject(root)) {
    cJSON_Delete(root);
    return -1;
  }
  int mapped = 0;
  for (size_t k = 0; k < s->nknobs; k++) {
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, s->knobs[k].name);
    int64_t v = it ? value_index(s, k, it) : -1;
    if (it && v < 0) v = nearest_index(s, k, it);
    cfg[k] = v >= 0 ? (uint32_t)v : defaults[k];
    mapped += v >= 0;
  }
  cJSON_Delete(root);
  return mapped;
}
