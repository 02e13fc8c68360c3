/* T1 space files (the AutoTuningAssociation's input format): tuning
 * parameters with Python value lists, and Conditions as constraints. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* Skips blanks. */
static const char *skip(const char *p) {
  while (isspace((unsigned char)*p))
    p++;
  return p;
}

/* End of the bracketed or quoted group starting at p (the closing char),
 * or the next top-level `stop` character / end of string. */
static const char *scan(const char *p, const char *stops) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '"' || *p == '\'') {
      const char *q = strchr(p + 1, *p);
      if (!q) return p + strlen(p);
      p = q;
    } else if (*p == '[' || *p == '(') {
      depth++;
    } else if (*p == ']' || *p == ')') {
      if (depth-- == 0) return p;
    } else if (depth == 0 && strchr(stops, *p)) {
      return p;
    }
  }
  return p;
}

/* First top-level (outside brackets and quotes) occurrence of word. */
static const char *find_top(const char *p, const char *word) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '"' || *p == '\'') {
      const char *q = strchr(p + 1, *p);
      if (!q) return NULL;
      p = q;
    } else if (*p == '[' || *p == '(') {
      depth++;
    } else if (*p == ']' || *p == ')') {
      depth--;
    } else if (depth == 0 && strncmp(p, word, strlen(word)) == 0) {
      return p;
    }
  }
  return NULL;
}

/* Evaluates text [b, e) as a number with var = x; pushes its text. */
static tt_status eval_item(tt_arena *a, const char *b, const char *e, const char *var, double x,
                           tt_vec *out, tt_error *err) {
  char *src = tt_arena_strndup(a, b, (size_t)(e - b));
  double v;
  tt_status st = tt_space_eval_expr(src, var, x, "value list", &v, err);
  if (st != TT_OK) return st;
  tt_vec_push(out, tt_arena_printf(a, "%.17g", v));
  return TT_OK;
}

/* [EXPR for VAR in range(A[, B[, C]])] with inner = the text inside. */
static tt_status comprehension(tt_arena *a, const char *inner, const char *for_at, tt_vec *out,
                               tt_error *err) {
  char var[64];
  int used = 0;
  const char *p = skip(for_at + 4);
  if (sscanf(p, "%63[A-Za-z0-9_] in range ( %n", var, &used) < 1 || used == 0)
    return tt_error_set(err, TT_ERR_USAGE, "value list: unsupported comprehension '%s'", inner);
  double arg[3] = {0, 0, 1};
  int nargs = 0;
  for (p += used; nargs < 3;) {
    const char *end = scan(p, ",");
    tt_vec one = {0};
    tt_status st = eval_item(a, p, end, NULL, 0, &one, err);
    if (st == TT_OK) arg[nargs++] = strtod(one.items[0], NULL);
    tt_vec_free(&one);
    if (st != TT_OK) return st;
    if (*end != ',') break;
    p = end + 1;
  }
  if (nargs == 1) {
    arg[1] = arg[0];
    arg[0] = 0;
  }
  if (arg[2] == 0 || (arg[1] - arg[0]) / arg[2] > 1e6)
    return tt_error_set(err, TT_ERR_USAGE, "value list: bad range in '%s'", inner);
  for (double x = arg[0]; arg[2] > 0 ? x < arg[1] : x > arg[1]; x += arg[2])
    if (eval_item(a, inner, for_at, var, x, out, err) != TT_OK) return TT_ERR_USAGE;
  return TT_OK;
}

/* One bracketed list: literal items or a comprehension. */
static tt_status list_term(tt_arena *a, const char *inner, tt_vec *out, tt_error *err) {
  const char *for_at = find_top(inner, " for ");
  if (for_at) return comprehension(a, inner, for_at + 1, out, err);
  for (const char *p = skip(inner); *p; p = skip(p)) {
    const char *end = scan(p, ",");
    if (*p == '"' || *p == '\'') {
      const char *q = strchr(p + 1, *p);
      tt_vec_push(out, tt_arena_strndup(a, p + 1, (size_t)(q - p - 1)));
    } else if (eval_item(a, p, end, NULL, 0, out, err) != TT_OK) {
      return TT_ERR_USAGE;
    }
    p = *end ? end + 1 : end;
  }
  return TT_OK;
}

/* Parses a value list: list ('+' list)*. See objective_impl.h. */
tt_status tt_t1_values(tt_arena *a, const char *text, tt_vec *out, tt_error *err) {
  const char *p = skip(text);
  while (*p) {
    if (*p != '[') return tt_error_set(err, TT_ERR_USAGE, "value list '%s': expected '['", text);
    const char *close = scan(p + 1, "");
    if (*close != ']') return tt_error_set(err, TT_ERR_USAGE, "value list '%s': missing ']'", text);
    char *inner = tt_arena_strndup(a, p + 1, (size_t)(close - p - 1));
    if (list_term(a, inner, out, err) != TT_OK) return TT_ERR_USAGE;
    p = skip(close + 1);
    if (*p == '+')
      p = skip(p + 1);
    else if (*p)
      return tt_error_set(err, TT_ERR_USAGE, "value list '%s': unexpected '%c'", text, *p);
  }
  return TT_OK;
}

/* Adds one TuningParameters entry as a knob. */
static tt_status add_parameter(tt_space *s, tt_arena *a, const cJSON *par, tt_error *err) {
  const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(par, "Name"));
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(par, "Type"));
  const cJSON *vals = cJSON_GetObjectItem(par, "Values");
  tt_vec texts = {0};
  tt_status st = TT_OK;
  char buf[64];
  if (!name)
    st = tt_error_set(err, TT_ERR_USAGE, "a tuning parameter has no Name");
  else if (cJSON_IsString(vals))
    st = tt_t1_values(a, vals->valuestring, &texts, err);
  else if (cJSON_IsArray(vals))
    for (const cJSON *v = vals->child; v && st == TT_OK; v = v->next)
      if (tt_json_scalar_text(v, buf, sizeof buf))
        tt_vec_push(&texts, tt_arena_strdup(a, buf));
      else
        st = tt_error_set(err, TT_ERR_USAGE, "parameter '%s': odd value", name);
  else
    st = tt_error_set(err, TT_ERR_USAGE, "parameter '%s' has no Values", name);
  int numeric = !type || strcmp(type, "string") != 0;
  double *nums = tt_xmalloc((texts.len + 1) * sizeof *nums);
  for (size_t i = 0; i < texts.len && numeric; i++) {
    char *end;
    nums[i] = strtod(texts.items[i], &end);
    numeric = *end == '\0' && end != (char *)texts.items[i];
  }
  if (st == TT_OK && numeric && tt_space_add_ordinal(s, name, nums, texts.len, err) < 0)
    st = TT_ERR_USAGE;
  if (st == TT_OK && !numeric &&
      tt_space_add_categorical(s, name, (const char *const *)texts.items, texts.len, err) < 0)
    st = TT_ERR_USAGE;
  free(nums);
  tt_vec_free(&texts);
  return st;
}

/* Loads a T1 space file; see objective_impl.h. */
tt_space *tt_t1_load(const char *path, tt_error *err) {
  tt_space *s = tt_space_new();
  tt_arena *a = tt_arena_new();
  tt_status st = TT_OK;
  char *text = tt_read_dataset_text(path, TT_DATASET_MAX_BYTES, NULL, err);
  cJSON *root = text ? cJSON_Parse(text) : NULL;
  const cJSON *cs = cJSON_GetObjectItem(root, "ConfigurationSpace");
  const cJSON *pars = cJSON_GetObjectItem(cs, "TuningParameters");
  if (!text)
    st = TT_ERR_IO;
  else if (!cJSON_IsArray(pars))
    st = tt_error_set(err, TT_ERR_USAGE, "%s: no ConfigurationSpace.TuningParameters", path);
  for (const cJSON *p = pars ? pars->child : NULL; p && st == TT_OK; p = p->next)
    st = add_parameter(s, a, p, err);
  const cJSON *conds = cJSON_GetObjectItem(cs, "Conditions");
  for (const cJSON *c = conds ? conds->child : NULL; c && st == TT_OK; c = c->next) {
    const char *expr = cJSON_IsString(c)
                           ? c->valuestring
                           : cJSON_GetStringValue(cJSON_GetObjectItem(c, "Expression"));
    st = expr ? tt_space_add_constraint(s, expr, err)
              : tt_error_set(err, TT_ERR_USAGE, "a condition has no Expression");
  }
  if (st != TT_OK && err && err->status == st && !strstr(err->msg, path)) {
    char msg[2 * sizeof err->msg + 64]; /* prefix the file name, truncating */
    snprintf(msg, sizeof msg, "%s: %s", path, err->msg);
    size_t n = strlen(msg) < sizeof err->msg ? strlen(msg) : sizeof err->msg - 1;
    memcpy(err->msg, msg, n);
    err->msg[n] = '\0';
  }
  cJSON_Delete(root);
  free(text);
  tt_arena_free(a);
  if (st != TT_OK) {
    tt_space_free(s);
    return NULL;
  }
  return s;
}

/* See objective.h. */
tt_space *tt_t1_space(const char *path, tt_error *err) {
  return tt_t1_load(path, err);
}
