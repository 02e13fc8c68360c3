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

/* The divisors of extent that are <= cap, increasing, in the arena:
 * O(sqrt(extent)) trials and O(divisors) memory, never O(extent). */
static size_t divisors(tt_arena *a, int64_t extent, int64_t cap, int64_t **out) {
  size_t n = 0;
  for (int pass = 0; pass < 2; pass++) {
    int64_t *vals = pass ? tt_arena_alloc(a, sizeof(int64_t) * (n + 1)) : NULL;
    size_t small = 0, large = 0; /* large ones fill the tail, decreasing */
    for (int64_t v = 1; v <= extent / v; v++) {
      if (extent % v != 0) continue;
      int64_t w = extent / v;
      if (v <= cap && vals) vals[small] = v;
      small += v <= cap;
      if (w != v && w <= cap && vals) vals[n - 1 - large] = w;
      large += w != v && w <= cap;
    }
    n = small + large;
    *out = vals;
  }
  return n;
}

/* Fills the value list of a SPLIT knob from its generator. Buffers are
 * sized from what they will hold (the listed values, 63 powers of two,
 * the divisors), never from the extent. */
static tt_status split_values(tt_arena *a, const tt_knob_decl *d, int64_t extent,
                              tt_knob_values *kv, tt_error *err) {
  int64_t cap = d->max > 0 && d->max < extent ? d->max : extent;
  size_t room = d->gen == TT_GEN_LIST ? d->nvalues + 1 : 64;
  int64_t *vals = tt_arena_alloc(a, sizeof(int64_t) * room);
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
    for (int64_t v = 1; v <= cap && n < 63; v *= 2)
      vals[n++] = v;
  } else if (extent > 0) {
    n = divisors(a, extent, cap, &vals);
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
  kv->threads_only = d->threads_only;
  switch (d->kind) {
  case TT_KD_SPLIT: {
    const tt_compute *c = tt_find_compute(t->body ? t->body : k->body, d->stage);
    int64_t extent = 0;
    if (!c || !tt_axis_extent(k, c, d->axis, env, &extent))
      return tt_error_set(err, TT_ERR_USAGE,
                          "%s:%d:%d: cannot find the extent of %s.%s (or it is outside 0..2^53)",
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
  tt_status st = tt_kernel_check_sizes(k, size, NULL, err);
  *out = NULL;
  *n = 0;
  if (st != TT_OK) return st;
  for (size_t i = 0; i < k->nparams; i++)
    tt_env_set_int(&env, k->params[i], size[i]);
  tt_knob_values *kv = tt_arena_alloc(a, sizeof(*kv) * (t->nknobs + 1));
  for (size_t i = 0; i < t->nknobs && st == TT_OK; i++) {
    st = knob_values(a, k, t, &t->knobs[i], &env, &kv[i], err);
    if (st == TT_OK) st = knob_default(&t->knobs[i], &kv[i], err);
  }
  tt_env_free(&env);
  if (st == TT_OK) st = tt_template_check_time_tiles(a, k, t, kv, t->nknobs, err);
  *out = kv;
  *n = t->nknobs;
  return st;
}
