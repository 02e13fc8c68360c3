/* Knob value lists of a template at a problem size (tt_template_knobs). */
#include <assert.h>
#include <string.h>

#include "schedule/internal.h"

/* See tetune/schedule.h. */
const tt_compute *tt_find_compute(const tt_stmt *s, const char *name) {
  if (!s) return NULL;
  if (s->kind == TT_ST_COMPUTE) return strcmp(s->compute->name, name) == 0 ? s->compute : NULL;
  for (size_t i = 0; i < s->nbody; i++) {
    const tt_compute *c = tt_find_compute(s->body[i], name);
    if (c) return c;
  }
  return NULL;
}

/* Finds the dimension extent that variable v indexes directly in some load
 * of e (a fallback extent for ranges that depend on outer loops). */
static int load_extent(const tt_kernel_def *k, const tt_expr *e, const char *v, const tt_env *env,
                       int64_t *out) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD) {
    const tt_tensor *t = tt_kernel_tensor(k, e->name);
    for (size_t d = 0; t && d < e->nargs && d < t->ndim; d++) {
      double x;
      if (e->args[d]->kind == TT_EX_VAR && strcmp(e->args[d]->name, v) == 0 &&
          tt_expr_eval(t->shape[d], env, &x, NULL) == 0) {
        *out = (int64_t)x;
        return 1;
      }
    }
  }
  for (size_t i = 0; i < e->nargs; i++)
    if (load_extent(k, e->args[i], v, env, out)) return 1;
  return 0;
}

/* The largest trip count of axis `axis` of compute c: hi - lo when it is
 * constant, else the extent of the tensor dimension the axis indexes. */
int tt_axis_extent(const tt_kernel_def *k, const tt_compute *c, const char *axis, const tt_env *env,
                   int64_t *out) {
  const tt_range *r = NULL;
  int dim = -1;
  for (size_t i = 0; i < c->naxes; i++)
    if (strcmp(c->axes[i].var, axis) == 0) r = &c->axes[i], dim = (int)i;
  const tt_expr *red = tt_find_reduce(c->rhs);
  for (size_t i = 0; !r && red && i < red->nranges; i++)
    if (strcmp(red->ranges[i].var, axis) == 0) r = &red->ranges[i];
  if (!r) return 0;
  double lo, hi;
  if (tt_expr_eval(r->lo, env, &lo, NULL) == 0 && tt_expr_eval(r->hi, env, &hi, NULL) == 0) {
    *out = (int64_t)(hi - lo);
    return 1;
  }
  if (dim >= 0) {
    const tt_tensor *t = tt_kernel_tensor(k, c->tensor);
    double x;
    if (t && tt_expr_eval(t->shape[dim], env, &x, NULL) == 0) {
      *out = (int64_t)x;
      return 1;
    }
  }
  return load_extent(k, c->rhs, axis, env, out);
}

/* Fills the value list of a SPLIT knob from its generator. */
static tt_status split_values(tt_arena *a, const tt_knob_decl *d, int64_t extent,
                              tt_knob_values *kv, tt_error *err) {
  int64_t cap = d->max > 0 && d->max < extent ? d->max : extent;
  int64_t *vals = tt_arena_alloc(a, sizeof(int64_t) * (size_t)(cap + 64));
  size_t n = 0;
  if (d->gen == TT_GEN_LIST) {
    /* Tiles larger than the loop are useless; when every listed tile is,
     * the smallest one (a single tile) stays so small sizes still work. */
    int64_t smallest = 0;
    for (size_t i = 0; i < d->nvalues; i++) {
      if (d->values[i] >= 1 && d->values[i] <= extent) vals[n++] = d->values[i];
      if (d->values[i] >= 1 && (!smallest || d->values[i] < smallest)) smallest = d->values[i];
    }
    if (n == 0 && smallest) vals[n++] = smallest;
  } else if (d->gen == TT_GEN_POW2) {
    for (int64_t v = 1; v <= cap; v *= 2)
      vals[n++] = v;
  } else {
    for (int64_t v = 1; v <= cap; v++)
      if (extent % v == 0) vals[n++] = v;
  }
  if (n == 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: knob '%s' has no value that fits extent %lld",
                        d->loc.file, d->loc.line, d->loc.col, d->name, (long long)extent);
  kv->ivalues = vals;
  kv->nvalues = n;
  return TT_OK;
}

/* Fills the list of one knob declaration. */
static tt_status knob_values(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                             const tt_knob_decl *d, const tt_env *env, tt_knob_values *kv,
                             tt_error *err) {
  kv->name = d->name;
  kv->kind = d->kind;
  kv->loc = d->loc;
  switch (d->kind) {
  case TT_KD_SPLIT: {
    const tt_compute *c = tt_find_compute(t->body ? t->body : k->body, d->stage);
    int64_t extent = 0;
    if (!c || !tt_axis_extent(k, c, d->axis, env, &extent))
      return tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: cannot find the extent of %s.%s",
                          d->loc.file, d->loc.line, d->loc.col, d->stage, d->axis);
    return split_values(a, d, extent, kv, err);
  }
  case TT_KD_LIST:
    kv->ivalues = d->values;
    kv->nvalues = d->nvalues;
    return TT_OK;
  case TT_KD_ON_OFF:
    kv->ivalues = tt_arena_alloc(a, 2 * sizeof(int64_t));
    kv->ivalues[1] = 1;
    kv->nvalues = 2;
    return TT_OK;
  case TT_KD_CHOICE:
  case TT_KD_PERMUTE:
    kv->labels = d->labels;
    kv->nvalues = d->nlabels;
    return TT_OK;
  }
  return TT_OK;
}

/* Index of the declared default in kv (the first value when none). */
static tt_status knob_default(const tt_knob_decl *d, tt_knob_values *kv, tt_error *err) {
  kv->default_index = 0;
  if (!d->has_default || d->kind == TT_KD_PERMUTE) return TT_OK;
  for (size_t i = 0; i < kv->nvalues; i++) {
    int hit = d->kind == TT_KD_CHOICE ? strcmp(kv->labels[i], d->def_label) == 0
                                      : kv->ivalues[i] == d->def_int;
    if (hit) {
      kv->default_index = i;
      return TT_OK;
    }
  }
  /* A split default larger than this size's extent falls back to the
   * largest value that fits: sizes differ, templates don't. */
  if (d->kind == TT_KD_SPLIT) {
    for (size_t i = 0; i < kv->nvalues; i++)
      if (kv->ivalues[i] <= d->def_int) kv->default_index = i;
    return TT_OK;
  }
  return tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: default of knob '%s' is not among its values",
                      d->loc.file, d->loc.line, d->loc.col, d->name);
}

tt_status tt_template_knobs(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                            const int64_t *size, tt_knob_values **out, size_t *n, tt_error *err) {
  tt_env env = {0};
  tt_status st = TT_OK;
  for (size_t i = 0; i < k->nparams; i++)
    tt_env_set_int(&env, k->params[i], size[i]);
  tt_knob_values *kv = tt_arena_alloc(a, sizeof(*kv) * (t->nknobs + 1));
  for (size_t i = 0; i < t->nknobs && st == TT_OK; i++) {
    st = knob_values(a, k, t, &t->knobs[i], &env, &kv[i], err);
    if (st == TT_OK) st = knob_default(&t->knobs[i], &kv[i], err);
  }
  tt_env_free(&env);
  *out = kv;
  *n = t->nknobs;
  return st;
}
