/* The schedule of one compute stage: default nest, then the template's
 * steps for that stage applied in order (split, reorder, fuse, unroll,
 * vectorize, parallel, cache_write, cache_read, compute_at). */
#include <assert.h>
#include <string.h>

#include "schedule/bounds.h"

const tt_expr *tt_find_reduce(const tt_expr *e) {
  if (!e) return NULL;
  if (e->kind == TT_EX_REDUCE) return e;
  for (size_t i = 0; i < e->nargs; i++) {
    const tt_expr *r = tt_find_reduce(e->args[i]);
    if (r) return r;
  }
  return NULL;
}

/* Names the outer levels of a split axis: io, im, im2, ... ; the innermost
 * level keeps the axis's name. */
void tt_axis_name_levels(tt_arena *a, tt_axis *ax) {
  for (int j = 0; j < ax->nsplit; j++) {
    if (j == 0)
      ax->names[j] = tt_arena_printf(a, "%so", ax->var);
    else if (j == 1)
      ax->names[j] = tt_arena_printf(a, "%sm", ax->var);
    else
      ax->names[j] = tt_arena_printf(a, "%sm%d", ax->var, j);
  }
  ax->names[ax->nsplit] = ax->var;
}

/* Decides, level by level, whether tiles divide their parent evenly. */
static void mark_exact(tt_sched_ctx *cx, tt_axis *ax) {
  double lo, hi;
  int konst = tt_expr_eval(ax->lo, &cx->env, &lo, NULL) == 0 &&
              tt_expr_eval(ax->hi, &cx->env, &hi, NULL) == 0;
  int64_t ext = konst ? (int64_t)(hi - lo) : -1;
  ax->exact[0] = 1;
  for (int j = 1; j <= ax->nsplit; j++) {
    if (j == 1)
      ax->exact[j] = konst && ax->factors[0] > 0 && ext % ax->factors[0] == 0;
    else
      ax->exact[j] = ax->exact[j - 1] && ax->factors[j - 2] % ax->factors[j - 1] == 0;
  }
}

static void add_axis(tt_stage_sched *s, const tt_range *r, int is_reduce) {
  tt_axis *ax = &s->axes[s->naxes++];
  ax->var = r->var;
  ax->lo = r->lo;
  ax->hi = r->hi;
  ax->is_reduce = is_reduce;
  ax->names[0] = r->var;
  ax->exact[0] = 1;
}

/* Rebuilds the loop list after a split: every axis's levels in place. */
void tt_stage_rebuild_loops(tt_arena *a, tt_stage_sched *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->naxes; i++)
    n += (size_t)s->axes[i].nsplit + 1;
  tt_loop *loops = tt_arena_alloc(a, sizeof(tt_loop) * n);
  size_t m = 0;
  /* Keep the current order of axes (by their outermost loop), levels together. */
  for (size_t p = 0; p < s->nloops; p++) {
    if (s->loops[p].level != 0) continue;
    const tt_axis *ax = &s->axes[s->loops[p].axis];
    for (int j = 0; j <= ax->nsplit; j++)
      loops[m++] = (tt_loop){.axis = s->loops[p].axis, .level = j};
  }
  assert(m == n);
  s->loops = loops;
  s->nloops = n;
}

const char *tt_loop_name(const tt_stage_sched *s, int loop) {
  const tt_loop *l = &s->loops[loop];
  return s->axes[l->axis].names[l->level];
}

int tt_loop_pos(const tt_stage_sched *s, int axis, int level) {
  for (size_t p = 0; p < s->nloops; p++)
    if (s->loops[p].axis == axis && s->loops[p].level == level) return (int)p;
  return -1;
}

int tt_loop_step(const tt_stage_sched *s, int axis, int level) {
  const tt_axis *ax = &s->axes[axis];
  return level < ax->nsplit ? (int)ax->factors[level] : 1;
}

tt_expr *tt_loop_start(tt_sched_ctx *cx, const tt_stage_sched *s, int axis, int level) {
  const tt_axis *ax = &s->axes[axis];
  return level == 0 ? ax->lo : tt_ex_var(cx->a, ax->names[level - 1]);
}

tt_expr *tt_loop_end(tt_sched_ctx *cx, const tt_stage_sched *s, int axis, int level) {
  const tt_axis *ax = &s->axes[axis];
  if (level == 0) return ax->hi;
  tt_expr *tile = tt_ex_add(cx->a, tt_ex_var(cx->a, ax->names[level - 1]),
                            tt_ex_int(cx->a, ax->factors[level - 1]));
  if (ax->exact[level]) return tile;
  return tt_ex_min(cx->a, tile, tt_loop_end(cx, s, axis, level - 1));
}

/* A constant bound on the trip count of an axis whose range is not
 * constant (kb..min(kb + NB, N) has at most NB values): the smallest
 * constant upper bound of hi - lo. */
static int max_extent(tt_sched_ctx *cx, const tt_axis *ax, int64_t *out) {
  tt_bounds_ctx bc = {.env = &cx->env, .outer = cx->scope, .var = ""};
  tt_affs ub;
  int found = 0;
  tt_bounds(&bc, tt_ex_sub(cx->a, ax->hi, ax->lo), NULL, 1, &ub);
  const tt_aff zero = {0};
  for (int i = 0; i < ub.n; i++) {
    int64_t c;
    if (!tt_aff_diff_const(&ub.v[i], &zero, &c) || c < 1) continue;
    if (!found || c < *out) *out = c;
    found = 1;
  }
  return found;
}

tt_status tt_axis_span(tt_sched_ctx *cx, const tt_stage_sched *s, int axis, int pos, tt_span *out) {
  const tt_axis *ax = &s->axes[axis];
  int level = -1;
  for (int j = 0; j <= ax->nsplit && level < 0; j++)
    if (tt_loop_pos(s, axis, j) > pos) level = j;
  if (level < 0) { /* every level is outside: a single index */
    out->base = tt_ex_var(cx->a, ax->var);
    out->hi = tt_ex_add(cx->a, out->base, tt_ex_int(cx->a, 1));
    out->extent = 1;
    out->point = 1;
    return TT_OK;
  }
  if (level > 0) {
    out->base = tt_ex_var(cx->a, ax->names[level - 1]);
    out->hi = tt_loop_end(cx, s, axis, level);
    out->extent = ax->factors[level - 1];
    out->point = 0;
    return TT_OK;
  }
  double lo, hi;
  out->base = ax->lo;
  out->hi = ax->hi;
  out->point = 0;
  if (tt_expr_eval(ax->lo, &cx->env, &lo, NULL) == 0 &&
      tt_expr_eval(ax->hi, &cx->env, &hi, NULL) == 0) {
    out->extent = (int64_t)(hi - lo);
    return TT_OK;
  }
  if (max_extent(cx, ax, &out->extent)) return TT_OK;
  /* The range lies within the tensor dimension the axis indexes. */
  if (tt_axis_extent(cx->k, s->c, ax->var, &cx->env, &out->extent) && out->extent > 0) return TT_OK;
  return tt_error_set(cx->err, TT_ERR_USAGE,
                      "stage %s: axis '%s' has no constant extent here; split it first", s->c->name,
                      ax->var);
}

const char *tt_step_name(tt_sched_ctx *cx, const tt_expr *arg) {
  if (arg->kind == TT_EX_STRING) return strcmp(arg->name, "none") ? arg->name : NULL;
  if (arg->kind != TT_EX_VAR) return "";
  for (size_t i = 0; i < cx->env.n; i++)
    if (strcmp(cx->env.names[i], arg->name) == 0 && cx->env.labels[i])
      return strcmp(cx->env.labels[i], "none") ? cx->env.labels[i] : NULL;
  return arg->name;
}

tt_status tt_step_int(tt_sched_ctx *cx, const tt_step *st, const tt_expr *arg, int64_t *out) {
  double v;
  tt_error e = {0};
  if (tt_expr_eval(arg, &cx->env, &v, &e) != 0)
    return tt_error_set(cx->err, TT_ERR_USAGE, "%s:%d:%d: %s", st->loc.file, st->loc.line,
                        st->loc.col, e.msg);
  *out = (int64_t)v;
  return TT_OK;
}

int tt_step_enabled(tt_sched_ctx *cx, const tt_step *st) {
  double v = 1;
  if (!st->cond) return 1;
  if (tt_expr_eval(st->cond, &cx->env, &v, NULL) != 0) return 0;
  return v != 0;
}

/* Index of the loop named `name` in s, or -1. A fused pair answers to
 * "outer_inner" with its inner loop. */
int tt_stage_find_loop(const tt_stage_sched *s, const char *name) {
  for (size_t p = 0; p < s->nloops; p++) {
    if (strcmp(tt_loop_name(s, (int)p), name) == 0) return (int)p;
    if (p > 0 && s->loops[p - 1].fused) {
      const char *o = tt_loop_name(s, (int)p - 1), *i = tt_loop_name(s, (int)p);
      size_t lo = strlen(o);
      if (strncmp(name, o, lo) == 0 && name[lo] == '_' && strcmp(name + lo + 1, i) == 0)
        return (int)p;
    }
  }
  return -1;
}

tt_status tt_stage_schedule(tt_sched_ctx *cx, const tt_compute *c, tt_stage_sched *out) {
  memset(out, 0, sizeof(*out));
  out->c = c;
  out->reduce = tt_find_reduce(c->rhs);
  size_t nred = out->reduce ? out->reduce->nranges : 0;
  out->axes = tt_arena_alloc(cx->a, sizeof(tt_axis) * (c->naxes + nred));
  for (size_t i = 0; i < c->naxes; i++)
    add_axis(out, &c->axes[i], 0);
  for (size_t i = 0; i < nred; i++)
    add_axis(out, &out->reduce->ranges[i], 1);
  out->loops = tt_arena_alloc(cx->a, sizeof(tt_loop) * out->naxes);
  out->nloops = out->naxes;
  for (size_t i = 0; i < out->naxes; i++)
    out->loops[i] = (tt_loop){.axis = (int)i};
  out->cache_write = -1;
  out->reads = tt_arena_alloc(cx->a, sizeof(tt_attach) * 16);
  out->compute_at = tt_arena_alloc(cx->a, sizeof(tt_attach) * 16);
  if (cx->fast_init) {
    /* Inputs of large problems are built by O(n^3) computes (PolyBench's
     * A*A^T): run them in parallel and vectorised. Never timed. */
    if (c->naxes > 0) out->loops[0].kind = TT_LOOP_PARALLEL;
    if (out->naxes > c->naxes && nred == 1) out->loops[out->nloops - 1].kind = TT_LOOP_VECTORIZED;
  }
  if (!cx->t) return TT_OK;
  for (size_t i = 0; i < cx->t->nsteps; i++) {
    const tt_step *st = &cx->t->steps[i];
    if (strcmp(st->stage, c->name) != 0 || !tt_step_enabled(cx, st)) continue;
    tt_status r = tt_stage_apply_step(cx, out, st);
    if (r != TT_OK) return r;
  }
  for (size_t i = 0; i < out->naxes; i++)
    mark_exact(cx, &out->axes[i]);
  return tt_stage_check(cx, out);
}
