/* Knob importance by permutation on a forest surrogate (importance.h):
 * the configurations' features here, the forest in tt_search_importance. */
#include "app/importance.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/search.h"

enum { MIN_SAMPLES = 8 };

/* A label's text: the string itself, or the JSON of an array. Caller frees. */
static char *label_of(const cJSON *v) {
  return cJSON_IsString(v) ? tt_xstrdup(v->valuestring) : cJSON_PrintUnformatted(v);
}

/* Orders strings for qsort and bsearch. */
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Column j of X from the parsed configs: numbers and bools as such, labels
 * by their rank among the labels seen. Returns 0, or -1 when a config
 * lacks the knob. */
static int column(cJSON **objs, size_t n, const char *knob, size_t j, size_t d, double *X) {
  char **labels = tt_xcalloc(n + 1, sizeof(char *));
  size_t nl = 0;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(objs[i], knob);
    if (!v)
      rc = -1;
    else if (cJSON_IsNumber(v))
      X[i * d + j] = v->valuedouble > 0 ? log2(v->valuedouble) : v->valuedouble;
    else if (cJSON_IsBool(v))
      X[i * d + j] = cJSON_IsTrue(v);
    else
      labels[nl++] = label_of(v);
  }
  qsort(labels, nl, sizeof *labels, cmp_str);
  for (size_t i = 0; i < n && rc == 0 && nl; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(objs[i], knob);
    if (cJSON_IsNumber(v) || cJSON_IsBool(v)) continue;
    char *l = label_of(v);
    char **hit = bsearch(&l, labels, nl, sizeof *labels, cmp_str);
    X[i * d + j] = hit ? (double)(hit - labels) : 0;
    free(l);
  }
  for (size_t i = 0; i < nl; i++)
    free(labels[i]);
  free(labels);
  return rc;
}

/* Parses the configs and builds X (n x d) with the knob names. */
static tt_status features(const char *const *configs, size_t n, tt_importance *out, double **X,
                          tt_error *err) {
  cJSON **objs = tt_xcalloc(n, sizeof(cJSON *));
  tt_status st = TT_OK;
  for (size_t i = 0; i < n && st == TT_OK; i++)
    if (!cJSON_IsObject(objs[i] = cJSON_Parse(configs[i])))
      st = tt_error_set(err, TT_ERR_USAGE, "configuration %zu is not a JSON object", i);
  size_t d = st == TT_OK ? (size_t)cJSON_GetArraySize(objs[0]) : 0;
  out->knobs = tt_xcalloc(d + 1, sizeof(char *));
  *X = tt_xcalloc(n * d + 1, sizeof(double));
  const cJSON *k = st == TT_OK ? objs[0]->child : NULL;
  for (size_t j = 0; k && st == TT_OK; k = k->next, j++) {
    out->knobs[out->nknobs++] = tt_xstrdup(k->string);
    if (column(objs, n, k->string, j, d, *X) != 0)
      st =
          tt_error_set(err, TT_ERR_USAGE, "configurations differ in their knobs ('%s')", k->string);
  }
  for (size_t i = 0; i < n; i++)
    cJSON_Delete(objs[i]);
  free(objs);
  return st;
}

/* See importance.h. */
tt_status tt_importance_compute(const char *const *configs, const double *times, size_t n,
                                uint64_t seed, tt_importance *out, tt_error *err) {
  memset(out, 0, sizeof *out);
  if (n < MIN_SAMPLES)
    return tt_error_set(err, TT_ERR_USAGE, "%zu validated configurations; at least %d are needed",
                        n, MIN_SAMPLES);
  double *X = NULL, *y = tt_xmalloc(n * sizeof(double));
  tt_status st = features(configs, n, out, &X, err);
  size_t d = out->nknobs;
  if (st != TT_OK || d == 0) goto done;
  double mean = 0, var = 0;
  for (size_t i = 0; i < n; i++)
    mean += (y[i] = log(times[i])) / (double)n;
  for (size_t i = 0; i < n; i++)
    var += (y[i] - mean) * (y[i] - mean) / (double)n;
  out->share = tt_xcalloc(d, sizeof(double));
  double base = tt_search_importance(X, y, n, d, seed, out->share);
  out->r2 = var > 0 ? 1 - base / var : 0;
  out->samples = n;
done:
  free(X);
  free(y);
  if (st != TT_OK) tt_importance_free(out);
  return st;
}

/* See importance.h. */
void tt_importance_free(tt_importance *imp) {
  for (size_t i = 0; i < imp->nknobs; i++)
    free(imp->knobs[i]);
  free(imp->knobs);
  free(imp->share);
  memset(imp, 0, sizeof *imp);
}
