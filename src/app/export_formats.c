/* The writers of `tetune export --format t4|kt-cache|csv` (export_data.h).
 * Values a format can only hold as scalars are flattened: a permutation
 * ["jo","io"] becomes the text "jo,io", which replay reads back as a
 * categorical value. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "app/export_records.h"
#include "tetune/version.h"

/* A scalar copy of a configuration value: arrays joined by commas, objects
 * as their JSON text. */
static cJSON *flatten(const cJSON *v) {
  if (cJSON_IsNumber(v) || cJSON_IsString(v) || cJSON_IsBool(v)) return cJSON_Duplicate(v, 1);
  tt_str s = {0};
  if (cJSON_IsArray(v)) {
    for (const cJSON *x = v->child; x; x = x->next) {
      char *t = cJSON_IsString(x) ? NULL : cJSON_PrintUnformatted(x);
      tt_str_printf(&s, "%s%s", x == v->child ? "" : ",", t ? t : x->valuestring);
      free(t);
    }
  } else {
    char *t = cJSON_PrintUnformatted(v);
    tt_str_append(&s, t ? t : "null");
    free(t);
  }
  cJSON *out = cJSON_CreateString(tt_str_cstr(&s));
  tt_str_free(&s);
  return out;
}

/* The record's configuration with flattened values; NULL and err set when
 * the stored text is not a JSON object. Caller deletes. */
static cJSON *flat_config(const tt_trial *t, tt_error *err) {
  cJSON *c = cJSON_Parse(t->config);
  if (!cJSON_IsObject(c)) {
    cJSON_Delete(c);
    tt_error_set(err, TT_ERR_USAGE, "trial %lld: configuration is not a JSON object",
                 (long long)t->id);
    return NULL;
  }
  cJSON *flat = cJSON_CreateObject();
  for (const cJSON *k = c->child; k; k = k->next)
    cJSON_AddItemToObject(flat, k->string, flatten(k));
  cJSON_Delete(c);
  return flat;
}

/* Text of a flattened value: numbers %.17g, bools as Python spells them
 * (as the dataset readers do). */
static void value_text(const cJSON *v, char *buf, size_t len) {
  if (cJSON_IsNumber(v))
    snprintf(buf, len, "%.17g", v->valuedouble);
  else if (cJSON_IsBool(v))
    snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "True" : "False");
  else
    snprintf(buf, len, "%s", cJSON_GetStringValue(v) ? v->valuestring : "");
}

/* ISO 8601 UTC time of a Unix time. */
static void iso_time(double unix_s, char *buf, size_t len) {
  time_t t = (time_t)unix_s;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* T4's invalidity and Kernel Tuner's failure text of an outcome. */
static const char *t4_invalidity(tt_outcome o) {
  static const char *const names[TT_OUTCOME_COUNT] = {
      "correct", "compile", "runtime", "timeout", "correctness", "constraints", "runtime"};
  return names[o];
}

static const char *kt_failure(tt_outcome o) {
  if (o == TT_OUTCOME_COMPILE_ERROR) return "CompilationFailedConfig";
  if (o == TT_OUTCOME_INVALID) return "InvalidConfig";
  return "RuntimeFailedConfig";
}

/* ---- T4 ------------------------------------------------------------ */

/* metadata: what tetune tuned, on which machine (the fingerprint split into
 * T4's hardware and environment), and the units. */
static cJSON *t4_metadata(const tt_export_task *t) {
  static const char *const hw[] = {"cpu_model", "cores", "arch", "threads"};
  cJSON *md = cJSON_CreateObject(), *fp = cJSON_Parse(t->fingerprint);
  cJSON *tt = cJSON_AddObjectToObject(md, "tetune");
  cJSON_AddStringToObject(tt, "version", TT_VERSION_STRING);
  cJSON_AddStringToObject(tt, "kernel", t->kernel);
  cJSON_AddStringToObject(tt, "problem_size", t->size);
  cJSON_AddStringToObject(tt, "template", t->template_name);
  cJSON_AddStringToObject(tt, "target", t->target);
  cJSON_AddStringToObject(tt, "objective", "time");
  cJSON_AddStringToObject(tt, "times_unit", "s");
  cJSON *hard = cJSON_AddObjectToObject(md, "hardware");
  cJSON *env = cJSON_AddObjectToObject(md, "environment");
  for (const cJSON *k = fp ? fp->child : NULL; k; k = k->next) {
    int is_hw = 0;
    for (size_t i = 0; i < sizeof hw / sizeof *hw; i++)
      is_hw |= strcmp(k->string, hw[i]) == 0;
    cJSON_AddItemToObject(is_hw ? hard : env, k->string, cJSON_Duplicate(k, 1));
  }
  cJSON_Delete(fp);
  return md;
}

static void add_measurement(cJSON *ms, const char *name, double v, const char *unit) {
  if (!isfinite(v)) return;
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "name", name);
  cJSON_AddNumberToObject(m, "value", v);
  cJSON_AddStringToObject(m, "unit", unit);
  cJSON_AddItemToArray(ms, m);
}

/* One T4 result of record e (config: its flattened configuration, taken). */
static cJSON *t4_result(const tt_trial *tr, cJSON *config) {
  cJSON *r = cJSON_CreateObject();
  char ts[32];
  iso_time(tr->finished_at, ts, sizeof ts);
  cJSON_AddStringToObject(r, "timestamp", ts);
  cJSON_AddItemToObject(r, "configuration", config);
  cJSON *obj = cJSON_AddArrayToObject(r, "objectives");
  cJSON_AddItemToArray(obj, cJSON_CreateString("time"));
  cJSON *times = cJSON_AddObjectToObject(r, "times");
  if (isfinite(tr->compile_s)) cJSON_AddNumberToObject(times, "compilation_time", tr->compile_s);
  cJSON_AddStringToObject(r, "invalidity", t4_invalidity(tr->outcome));
  cJSON_AddNumberToObject(r, "correctness", tr->outcome == TT_OUTCOME_OK ? 1 : 0);
  cJSON *ms = cJSON_AddArrayToObject(r, "measurements");
  if (tr->outcome == TT_OUTCOME_OK) {
    add_measurement(ms, "time", tr->time_median_s * 1e3, "ms");
    add_measurement(ms, "time_min", tr->time_min_s * 1e3, "ms");
    add_measurement(ms, "time_spread", tr->time_spread, "");
    add_measurement(ms, "repeats", tr->repeats, "");
    add_measurement(ms, "GFLOP/s", tr->gflops, "GFLOP/s");
    add_measurement(ms, "max_rel_err", tr->max_rel_err, "");
  }
  if (tr->message && *tr->message) cJSON_AddStringToObject(r, "message", tr->message);
  if (tr->strategy && *tr->strategy) cJSON_AddStringToObject(r, "strategy", tr->strategy);
  return r;
}

static tt_status write_t4(const tt_export_task *t, const tt_export_records *r, cJSON *root,
                          tt_error *err) {
  cJSON_AddStringToObject(root, "schema_version", "1.0.0");
  cJSON_AddItemToObject(root, "metadata", t4_metadata(t));
  cJSON *results = cJSON_AddArrayToObject(root, "results");
  for (size_t i = 0; i < r->len; i++) {
    cJSON *c = flat_config(&r->items[i].trial, err);
    if (!c) return TT_ERR_USAGE;
    cJSON_AddItemToArray(results, t4_result(&r->items[i].trial, c));
  }
  return TT_OK;
}

/* ---- Kernel Tuner cache --------------------------------------------- */

/* Adds v to the list of a parameter's values unless it is there. */
static void add_value(cJSON *list, const cJSON *v) {
  for (const cJSON *x = list->child; x; x = x->next)
    if (cJSON_Compare(x, v, 1)) return;
  cJSON_AddItemToArray(list, cJSON_Duplicate(v, 1));
}

/* One cache entry of a record. */
static cJSON *kt_entry(const tt_trial *tr, cJSON *config) {
  cJSON *e = config;
  if (tr->outcome == TT_OUTCOME_OK)
    cJSON_AddNumberToObject(e, "time", tr->time_median_s * 1e3);
  else
    cJSON_AddStringToObject(e, "time", kt_failure(tr->outcome));
  if (isfinite(tr->compile_s)) cJSON_AddNumberToObject(e, "compile_time", tr->compile_s * 1e3);
  if (tr->outcome == TT_OUTCOME_OK && isfinite(tr->gflops))
    cJSON_AddNumberToObject(e, "GFLOP/s", tr->gflops);
  char ts[32];
  iso_time(tr->finished_at, ts, sizeof ts);
  cJSON_AddStringToObject(e, "timestamp", ts);
  return e;
}

static tt_status write_kt(const tt_export_task *t, const tt_export_records *r, cJSON *root,
                          tt_error *err) {
  cJSON *fp = cJSON_Parse(t->fingerprint);
  const char *dev = cJSON_GetStringValue(cJSON_GetObjectItem(fp, "cpu_model"));
  cJSON_AddStringToObject(root, "schema_version", "1.0.0");
  cJSON_AddStringToObject(root, "device_name", dev ? dev : "unknown");
  cJSON_AddStringToObject(root, "kernel_name", t->kernel);
  cJSON_AddArrayToObject(root, "problem_size");
  cJSON_Delete(fp);
  cJSON *keys = cJSON_AddArrayToObject(root, "tune_params_keys");
  cJSON *params = cJSON_AddObjectToObject(root, "tune_params");
  cJSON_AddStringToObject(root, "objective", "time");
  cJSON *cache = cJSON_AddObjectToObject(root, "cache");
  for (size_t i = 0; i < r->len; i++) {
    cJSON *c = flat_config(&r->items[i].trial, err);
    if (!c) return TT_ERR_USAGE;
    tt_str key = {0};
    for (const cJSON *k = c->child; k; k = k->next) {
      if (!cJSON_GetObjectItem(params, k->string)) {
        cJSON_AddItemToArray(keys, cJSON_CreateString(k->string));
        cJSON_AddArrayToObject(params, k->string);
      }
      add_value(cJSON_GetObjectItem(params, k->string), k);
      char buf[256];
      value_text(k, buf, sizeof buf);
      tt_str_printf(&key, "%s%s", k == c->child ? "" : ",", buf);
    }
    cJSON_AddItemToObject(cache, tt_str_cstr(&key), kt_entry(&r->items[i].trial, c));
    tt_str_free(&key);
  }
  return TT_OK;
}

/* ---- CSV ------------------------------------------------------------ */

/* Appends a CSV field, quoted when it holds a comma, quote or newline. */
static void csv_field(tt_str *out, const char *text, int first) {
  if (!first) tt_str_append(out, ",");
  if (!strpbrk(text, ",\"\n\r")) {
    tt_str_append(out, text);
    return;
  }
  tt_str_append(out, "\"");
  for (const char *p = text; *p; p++)
    tt_str_append(out, *p == '"' ? "\"\"" : (char[2]){*p, 0});
  tt_str_append(out, "\"");
}

static tt_status write_csv(const tt_export_records *r, tt_str *out, tt_error *err) {
  for (size_t i = 0; i < r->len; i++) {
    cJSON *c = flat_config(&r->items[i].trial, err);
    if (!c) return TT_ERR_USAGE;
    const tt_trial *tr = &r->items[i].trial;
    char buf[256];
    if (i == 0) {
      for (const cJSON *k = c->child; k; k = k->next)
        csv_field(out, k->string, k == c->child);
      tt_str_append(out, ",time\n");
    }
    for (const cJSON *k = c->child; k; k = k->next) {
      value_text(k, buf, sizeof buf);
      csv_field(out, buf, k == c->child);
    }
    if (tr->outcome == TT_OUTCOME_OK)
      snprintf(buf, sizeof buf, "%.17g", tr->time_median_s * 1e3);
    else
      snprintf(buf, sizeof buf, "%s", tt_outcome_name(tr->outcome));
    csv_field(out, buf, 0);
    tt_str_append(out, "\n");
    cJSON_Delete(c);
  }
  return TT_OK;
}

/* Formats the records; see export_records.h. */
tt_status tt_export_format_records(const tt_export_task *t, const tt_export_records *r,
                                   tt_export_format f, tt_str *out, tt_error *err) {
  if (f == TT_EXPORT_CSV) return write_csv(r, out, err);
  cJSON *root = cJSON_CreateObject();
  tt_status st = f == TT_EXPORT_T4 ? write_t4(t, r, root, err) : write_kt(t, r, root, err);
  if (st == TT_OK) {
    char *text = cJSON_Print(root);
    tt_str_append(out, text);
    tt_str_append(out, "\n");
    free(text);
  }
  cJSON_Delete(root);
  return st;
}
