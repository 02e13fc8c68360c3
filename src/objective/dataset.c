/* Recorded datasets: the raw table the readers fill, and turning it into
 * an objective (space, lookup table, sorted population, optimum). */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "objective/objective_impl.h"

void tt_dataset_init(tt_dataset *d) {
  memset(d, 0, sizeof *d);
  d->arena = tt_arena_new();
}

void tt_dataset_free(tt_dataset *d) {
  for (size_t p = 0; p < d->nparams; p++)
    tt_vec_free(&d->declared[p]);
  free(d->names);
  free(d->declared);
  free(d->cells);
  free(d->outcome);
  free(d->value);
  free(d->cost);
  tt_arena_free(d->arena);
  memset(d, 0, sizeof *d);
}

/* Index of parameter name; new parameters only before the first record. */
size_t tt_dataset_param(tt_dataset *d, const char *name) {
  for (size_t p = 0; p < d->nparams; p++)
    if (strcmp(d->names[p], name) == 0) return p;
  if (d->nparams == d->cap_params) {
    d->cap_params = d->cap_params ? 2 * d->cap_params : 16;
    d->names = tt_xrealloc(d->names, d->cap_params * sizeof *d->names);
    d->declared = tt_xrealloc(d->declared, d->cap_params * sizeof *d->declared);
  }
  d->names[d->nparams] = tt_arena_strdup(d->arena, name);
  d->declared[d->nparams] = (tt_vec){0};
  return d->nparams++;
}

void tt_dataset_declare(tt_dataset *d, size_t p, const char *text) {
  tt_vec_push(&d->declared[p], tt_arena_strdup(d->arena, text));
}

void tt_dataset_add(tt_dataset *d, const char *const *cells, tt_outcome outcome, double value) {
  if (d->nrec == d->cap_rec) {
    d->cap_rec = d->cap_rec ? 2 * d->cap_rec : 1024;
    d->cells = tt_xrealloc(d->cells, d->cap_rec * d->nparams * sizeof *d->cells);
    d->outcome = tt_xrealloc(d->outcome, d->cap_rec * sizeof *d->outcome);
    d->value = tt_xrealloc(d->value, d->cap_rec * sizeof *d->value);
    d->cost = tt_xrealloc(d->cost, d->cap_rec * sizeof *d->cost);
  }
  d->cost[d->nrec] = NAN;
  for (size_t p = 0; p < d->nparams; p++)
    d->cells[d->nrec * d->nparams + p] = tt_arena_strdup(d->arena, cells[p]);
  d->outcome[d->nrec] = outcome;
  d->value[d->nrec++] = value;
}

void tt_dataset_set_cost(tt_dataset *d, double seconds) {
  if (d->nrec > 0 && seconds >= 0 && isfinite(seconds)) d->cost[d->nrec - 1] = seconds;
}

/* Failure texts of Kernel Tuner, T4 and CSV files to outcomes. */
tt_outcome tt_outcome_from_failure(const char *text) {
  if (strcasestr(text, "compil")) return TT_OUTCOME_COMPILE_ERROR;
  if (strcasestr(text, "timeout") || strcasestr(text, "time out")) return TT_OUTCOME_TIMEOUT;
  if (strcasestr(text, "invalid") || strcasestr(text, "constraint") || strcasestr(text, "restrict"))
    return TT_OUTCOME_INVALID;
  if (strcasestr(text, "correct") || strcasestr(text, "wrong") || strcasestr(text, "verif"))
    return TT_OUTCOME_WRONG_RESULT;
  return TT_OUTCOME_RUNTIME_ERROR;
}

/* Text of a JSON scalar: numbers as %.17g, strings as is, bools as Python
 * spells them. NULL for other items. */
char *tt_json_scalar_text(const void *item, char *buf, size_t len) {
  const cJSON *j = item;
  if (cJSON_IsNumber(j))
    snprintf(buf, len, "%.17g", j->valuedouble);
  else if (cJSON_IsString(j))
    snprintf(buf, len, "%s", j->valuestring);
  else if (cJSON_IsBool(j))
    snprintf(buf, len, "%s", cJSON_IsTrue(j) ? "True" : "False");
  else
    return NULL;
  return buf;
}

/* 1 when text is a finite number (all of it). */
static int numeric(const char *text, double *out) {
  char *end;
  double v = strtod(text, &end);
  while (isspace((unsigned char)*end))
    end++;
  if (end == text || *end || !isfinite(v)) return 0;
  *out = v;
  return 1;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct texts of parameter p: declared ones (in order) or those seen in
 * the records (sorted later). Returns a heap array of borrowed strings. */
static char **distinct_values(const tt_dataset *d, size_t p, size_t *n) {
  const tt_vec *decl = &d->declared[p];
  size_t cap = decl->len ? decl->len : d->nrec;
  char **out = tt_xmalloc((cap + 1) * sizeof *out);
  *n = 0;
  for (size_t i = 0; i < cap; i++) {
    char *t = decl->len ? decl->items[i] : d->cells[i * d->nparams + p];
    int dup = 0;
    for (size_t j = 0; j < *n && !dup; j++)
      dup = strcmp(out[j], t) == 0;
    if (!dup) out[(*n)++] = t;
  }
  return out;
}

/* Adds the knob of parameter p: ordinal when every value is a number
 * (sorted unless declared), categorical otherwise. */
static int add_param_knob(tt_space *s, const tt_dataset *d, size_t p, tt_error *err) {
  size_t n;
  char **texts = distinct_values(d, p, &n);
  double *nums = tt_xmalloc((n + 1) * sizeof *nums);
  int all_numeric = 1;
  for (size_t i = 0; i < n && all_numeric; i++)
    all_numeric = numeric(texts[i], &nums[i]);
  int rc;
  if (all_numeric) {
    if (!d->declared[p].len) qsort(nums, n, sizeof *nums, cmp_double);
    rc = tt_space_add_ordinal(s, d->names[p], nums, n, err);
  } else {
    if (!d->declared[p].len) qsort(texts, n, sizeof *texts, cmp_str);
    rc = tt_space_add_categorical(s, d->names[p], (const char *const *)texts, n, err);
  }
  free(texts);
  free(nums);
  return rc;
}

/* Value index of text for knob k, or -1. */
static int64_t value_of(const tt_space *s, size_t k, const char *text) {
  uint32_t card = tt_space_knob_card(s, k);
  tt_knob_kind kind = tt_space_knob_kind(s, k);
  double x;
  if (kind == TT_KNOB_CATEGORICAL) {
    for (uint32_t v = 0; v < card; v++)
      if (strcmp(tt_space_knob_label(s, k, v), text) == 0) return v;
    return -1;
  }
  if (kind == TT_KNOB_BOOL && (strcasecmp(text, "true") == 0 || strcasecmp(text, "false") == 0))
    return tolower((unsigned char)text[0]) == 't';
  if (kind == TT_KNOB_PERMUTATION || !numeric(text, &x)) return -1;
  for (uint32_t v = 0; v < card; v++)
    if (fabs(tt_space_knob_value(s, k, v) - x) <= 1e-9 * fmax(1, fabs(x))) return v;
  return -1;
}

/* Knob k's parameter index in d, for every knob of a given space; -1 and
 * err set when the names do not match one to one. */
static int match_params(const tt_space *s, const tt_dataset *d, size_t *param_of, tt_error *err) {
  size_t K = tt_space_num_knobs(s);
  for (size_t k = 0; k < K; k++) {
    const char *name = tt_space_knob_name(s, k);
    param_of[k] = d->nparams;
    for (size_t p = 0; p < d->nparams; p++)
      if (strcmp(d->names[p], name) == 0) param_of[k] = p;
    if (param_of[k] == d->nparams) {
      tt_error_set(err, TT_ERR_USAGE, "parameter '%s' of the space is not in the dataset", name);
      return -1;
    }
  }
  for (size_t p = 0; p < d->nparams; p++)
    if (tt_space_knob_index(s, d->names[p]) < 0) {
      tt_error_set(err, TT_ERR_USAGE, "dataset parameter '%s' is not in the space", d->names[p]);
      return -1;
    }
  return 0;
}

/* Places every record in the space: slot table, skipped count, optimum. */
static void place_records(tt_objective *o, const tt_dataset *d, const size_t *param_of) {
  size_t K = tt_space_num_knobs(o->space), nslots = 0;
  uint32_t *cfg = tt_xcalloc(K + 1, sizeof *cfg);
  o->outcome = tt_xcalloc(d->nrec + 1, sizeof *o->outcome);
  o->value = tt_xcalloc(d->nrec + 1, sizeof *o->value);
  o->cost = tt_xcalloc(d->nrec + 1, sizeof *o->cost);
  o->optimum = INFINITY;
  for (size_t r = 0; r < d->nrec; r++) {
    int ok = 1;
    for (size_t k = 0; k < K && ok; k++) {
      int64_t v = value_of(o->space, k, d->cells[r * d->nparams + param_of[k]]);
      ok = v >= 0;
      cfg[k] = (uint32_t)v;
    }
    uint64_t key = ok ? tt_space_key(o->space, cfg) : 0;
    if (!ok || !tt_space_is_valid(o->space, cfg) || tt_keymap_get(&o->table, key, NULL)) {
      o->num_skipped++; /* not placeable, or a duplicate (the first wins) */
      continue;
    }
    tt_outcome out = d->outcome[r];
    double val = d->value[r];
    if (out == TT_OUTCOME_OK && !(val > 0 && isfinite(val)))
      out = TT_OUTCOME_RUNTIME_ERROR; /* a time must be positive */
    o->outcome[nslots] = out;
    o->value[nslots] = out == TT_OUTCOME_OK ? val : 0;
    o->cost[nslots] = d->cost[r];
    if (out == TT_OUTCOME_OK && val < o->optimum) o->optimum = val;
    tt_keymap_put(&o->table, key, (uint32_t)nslots++);
  }
  o->num_records = d->nrec;
  free(cfg);
}

/* The population: ok values sorted, then +INFINITY for every other valid
 * configuration (failed or absent). -1 when the space is too large. */
static int build_population(tt_objective *o, tt_error *err) {
  int exact;
  double valid = tt_space_valid_size(o->space, &exact);
  size_t placed = o->table.len;
  if (valid > 5e7) {
    tt_error_set(err, TT_ERR_USAGE,
                 "space of %.3g valid configurations is too large to replay (give a space file)",
                 valid);
    return -1;
  }
  size_t n = (size_t)llround(valid) > placed ? (size_t)llround(valid) : placed;
  o->values = tt_xmalloc((n + 1) * sizeof *o->values);
  size_t nok = 0;
  for (size_t i = 0; i < placed; i++)
    if (o->outcome[i] == TT_OUTCOME_OK) o->values[nok++] = o->value[i];
  qsort(o->values, nok, sizeof *o->values, cmp_double);
  for (size_t i = nok; i < n; i++)
    o->values[i] = INFINITY;
  o->nvalues = n;
  return 0;
}

/* Builds the objective of a raw dataset; see objective_impl.h. */
tt_objective *tt_objective_from_dataset(const char *name, tt_dataset *d, tt_space *space,
                                        tt_error *err) {
  tt_objective *o = tt_xcalloc(1, sizeof *o);
  o->name = tt_xstrdup(name);
  size_t *param_of = tt_xcalloc(d->nparams + 1, sizeof *param_of);
  int rc = -1;
  if (!space) {
    space = tt_space_new();
    for (size_t p = 0; p < d->nparams; p++)
      if (add_param_knob(space, d, p, err) < 0) goto done;
  }
  o->space = space;
  if (d->nrec == 0) {
    tt_error_set(err, TT_ERR_USAGE, "%s: no records", name);
    goto done;
  }
  if (match_params(space, d, param_of, err) < 0) goto done;
  place_records(o, d, param_of);
  if (o->optimum == INFINITY) {
    tt_error_set(err, TT_ERR_USAGE, "%s: no successful configuration in the space", name);
    goto done;
  }
  rc = build_population(o, err);
done:
  free(param_of);
  if (rc < 0) {
    if (!o->space) tt_space_free(space);
    tt_objective_free(o);
    return NULL;
  }
  return o;
}
