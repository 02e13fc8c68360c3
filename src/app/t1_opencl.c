/* The OpenCL part of a T1 problem (t1_problem.h): build options and the
 * launch geometry, GlobalSize and LocalSize expressions evaluated over a
 * configuration's parameters and the scalar arguments' values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app/t1_problem.h"

/* CompilerOptions joined by spaces: options of the device program's build. */
static char *join_options(const cJSON *spec) {
  const cJSON *opts = cJSON_GetObjectItem(spec, "CompilerOptions");
  tt_str s = {0};
  for (const cJSON *o = cJSON_IsArray(opts) ? opts->child : NULL; o; o = o->next)
    if (cJSON_GetStringValue(o))
      tt_str_printf(&s, "%s%s", tt_str_cstr(&s)[0] ? " " : "", o->valuestring);
  return tt_str_take(&s);
}

/* Reads GlobalSize or LocalSize (which: 0 or 1) into p->size_expr; X is
 * required (the schema's rule), Y and Z default to "1". */
static tt_status read_size(tt_t1_problem *p, const cJSON *spec, int which, tt_error *err) {
  const char *key = which ? "LocalSize" : "GlobalSize", *dims[] = {"X", "Y", "Z"};
  const cJSON *o = cJSON_GetObjectItem(spec, key);
  for (int d = 0; d < 3; d++) {
    const cJSON *v = cJSON_GetObjectItem(o, dims[d]);
    char buf[64];
    const char *text = cJSON_GetStringValue(v);
    if (!text && cJSON_IsNumber(v)) {
      snprintf(buf, sizeof buf, "%.17g", v->valuedouble);
      text = buf;
    }
    if (!text && (d == 0 || v))
      return tt_error_set(err, TT_ERR_USAGE, "%s: an OpenCL kernel needs %s.%s (an expression)",
                          p->path, key, dims[d]);
    p->size_expr[which * 3 + d] = tt_xstrdup(text ? text : "1");
  }
  return TT_OK;
}

/* The value of name in cfg (a parameter) or of a scalar argument, as text
 * into buf; 0 when name is neither. */
static int value_of(const tt_t1_problem *p, const uint32_t *cfg, const char *name, char *buf,
                    size_t n) {
  int k = tt_space_knob_index(p->space, name);
  if (k >= 0 && tt_space_knob_kind(p->space, (size_t)k) == TT_KNOB_CATEGORICAL)
    snprintf(buf, n, "%s", tt_space_knob_label(p->space, (size_t)k, cfg[k]));
  else if (k >= 0)
    snprintf(buf, n, "(%.17g)", tt_space_knob_value(p->space, (size_t)k, cfg[k]));
  for (size_t i = 0; k < 0 && i < p->nargs; i++)
    if (!p->args[i].vector && strcmp(p->args[i].name, name) == 0) {
      snprintf(buf, n, "(%.17g)", p->args[i].value);
      return 1;
    }
  return k >= 0;
}

/* expr with every parameter and scalar argument name replaced by its value
 * (caller frees); other names are left for the evaluator to report. */
static char *substitute(const tt_t1_problem *p, const uint32_t *cfg, const char *expr) {
  tt_str s = {0};
  for (const char *c = expr; *c;) {
    int word = (*c == '_' || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')) &&
               (c == expr || !strchr("0123456789.", c[-1]));
    if (!word) {
      tt_str_appendn(&s, c++, 1);
      continue;
    }
    const char *e = c;
    while (*e == '_' || (*e >= '0' && *e <= '9') || (*e >= 'A' && *e <= 'Z') ||
           (*e >= 'a' && *e <= 'z'))
      e++;
    char name[128], val[160];
    snprintf(name, sizeof name, "%.*s", (int)(e - c), c);
    if ((size_t)(e - c) < sizeof name && value_of(p, cfg, name, val, sizeof val))
      tt_str_append(&s, val);
    else
      tt_str_appendn(&s, c, (size_t)(e - c));
    c = e;
  }
  return tt_str_take(&s);
}

/* Evaluates size expression i of p for cfg into *out: a positive integer
 * (range: 0 accepts any number). */
static tt_status eval_size(const tt_t1_problem *p, const uint32_t *cfg, int i, int range, long *out,
                           tt_error *err) {
  static const char *const what[] = {"GlobalSize.X", "GlobalSize.Y", "GlobalSize.Z",
                                     "LocalSize.X",  "LocalSize.Y",  "LocalSize.Z"};
  char *text = substitute(p, cfg, p->size_expr[i]), label[96];
  snprintf(label, sizeof label, "%s: %s", p->path, what[i]);
  double v = 0;
  tt_status st = tt_space_eval_expr(text, NULL, 0, label, &v, err);
  if (st == TT_OK && range && !(v >= 1 && v <= 2147483648.0 && v == floor(v)))
    st = tt_error_set(err, TT_ERR_USAGE, "%s '%s' is %.17g, not a positive integer", label,
                      p->size_expr[i], v);
  free(text);
  *out = v >= 1 && v <= 2147483648.0 ? (long)v : 1;
  return st;
}

/* See t1_problem.h. */
tt_status tt_t1_opencl_launch(const tt_t1_problem *p, const uint32_t *cfg, long *groups,
                              long *local, tt_error *err) {
  for (int d = 0; d < 3; d++) {
    long g = 0, l = 0;
    if (eval_size(p, cfg, d, 1, &g, err) != TT_OK || eval_size(p, cfg, 3 + d, 1, &l, err) != TT_OK)
      return TT_ERR_USAGE;
    local[d] = l;
    groups[d] = p->global_items ? (g + l - 1) / l : g;
  }
  return TT_OK;
}

/* See t1_problem.h. The expressions are evaluated on the space's first
 * valid configuration, so that a typo or an unknown name is reported before
 * any trial; a value out of range is that configuration's (invalid). */
tt_status tt_t1_opencl_load(tt_t1_problem *p, const void *spec_v, tt_error *err) {
  const cJSON *spec = spec_v;
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(spec, "GlobalSizeType"));
  if (type && strcmp(type, "OpenCL") != 0 && strcmp(type, "CUDA") != 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s: GlobalSizeType %s: OpenCL or CUDA", p->path, type);
  p->global_items = !type || strcmp(type, "OpenCL") == 0;
  p->cl_options = join_options(spec);
  if (read_size(p, spec, 0, err) != TT_OK || read_size(p, spec, 1, err) != TT_OK)
    return TT_ERR_USAGE;
  uint32_t *cfg = tt_xcalloc(tt_space_num_knobs(p->space) + 1, sizeof *cfg);
  long v;
  tt_status st = TT_OK;
  int any = tt_space_next_valid(p->space, cfg, 0) == 0;
  for (int i = 0; i < 6 && st == TT_OK && any; i++)
    st = eval_size(p, cfg, i, 0, &v, err);
  free(cfg);
  return st;
}
