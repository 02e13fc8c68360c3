/* Legality of schedules for a compute that reads its own output at another
 * element (x[i] = x[i - 1] + 1, or x[i] = b[i] - sum(j in 0..i: L[i, j] *
 * x[j])). Such a compute is not pure: the reference evaluates its points
 * in the default nest's order (axes in order, spatial then reduction), and
 * a point may read what an earlier point wrote. A schedule keeps that
 * order when
 *   - the loops still visit the axes in that order (splits and fusion of
 *     adjacent axes keep it; tiling, which interleaves axes, does not),
 *   - a parallel or vectorized loop belongs to an axis a such that every
 *     such read indexes, in some dimension, a exactly where the output does
 *     (then two iterations of a never touch the same element), and never
 *     to a reduction axis,
 *   - no buffer stands between the writes and the reads: no cache_write,
 *     no cache_read of the output.
 * A read whose elements lie, in some dimension, outside what the stage
 * writes (bounds.c proves it) does not count. Reduction variables are
 * axes of the stage here, with their ranges.
 * Anything else is rejected, naming the read. */
#include <string.h>

#include "schedule/bounds.h"

/* The ranges of the stage's axes and reduction variables, innermost last,
 * on top of the loops around the stage. */
static const tt_bind *stage_scope(tt_sched_ctx *cx, const tt_stage_sched *s) {
  const tt_bind *in = NULL;
  for (size_t i = 0; i < s->naxes; i++) {
    tt_bind *b = tt_arena_alloc(cx->a, sizeof(*b));
    *b = (tt_bind){.name = s->axes[i].var, .lo = s->axes[i].lo, .hi = s->axes[i].hi, .up = in};
    in = b;
  }
  return in;
}

/* 1 when, in dimension d, every index of x is below every index of y. */
static int below(const tt_bounds_ctx *bc, const tt_bind *scope, const tt_expr *x,
                 const tt_expr *y) {
  tt_affs hx, ly;
  tt_bounds(bc, x, scope, 1, &hx);
  tt_bounds(bc, y, scope, 0, &ly);
  for (int i = 0; i < hx.n; i++)
    for (int j = 0; j < ly.n; j++) {
      int64_t diff;
      if (tt_aff_diff_const(&ly.v[j], &hx.v[i], &diff) && diff >= 1) return 1;
    }
  return 0;
}

/* 1 when load ld never reads an element the stage writes: in some
 * dimension the ranges are disjoint (x[j], j in 0..ib, against x[i], i in
 * ib..ie). */
static int disjoint(tt_sched_ctx *cx, const tt_stage_sched *s, const tt_expr *ld) {
  const tt_bind *scope = stage_scope(cx, s);
  tt_bounds_ctx bc = {.env = &cx->env, .outer = cx->scope, .var = "", .expand = 1};
  for (size_t d = 0; d < ld->nargs && d < s->c->naxes; d++) {
    tt_expr *w = tt_ex_var(cx->a, s->c->axes[d].var);
    if (below(&bc, scope, ld->args[d], w) || below(&bc, scope, w, ld->args[d])) return 1;
  }
  return 0;
}

/* The first load of the stage's output in e at an element another point
 * may write, or NULL. */
static const tt_expr *other_read(tt_sched_ctx *cx, const tt_stage_sched *s, const tt_expr *e) {
  const tt_compute *c = s->c;
  if (!e) return NULL;
  if (e->kind == TT_EX_LOAD && strcmp(e->name, c->tensor) == 0 && !disjoint(cx, s, e)) {
    for (size_t d = 0; d < e->nargs && d < c->naxes; d++)
      if (e->args[d]->kind != TT_EX_VAR || strcmp(e->args[d]->name, c->axes[d].var) != 0) return e;
  }
  for (size_t i = 0; i < e->nargs; i++) {
    const tt_expr *r = other_read(cx, s, e->args[i]);
    if (r) return r;
  }
  return NULL;
}

/* 1 when every read of the output at another element indexes axis var in
 * the dimension where the output does. */
static int axis_separates(tt_sched_ctx *cx, const tt_stage_sched *s, const tt_expr *e,
                          const char *var) {
  const tt_compute *c = s->c;
  if (!e) return 1;
  if (e->kind == TT_EX_LOAD && strcmp(e->name, c->tensor) == 0 && !disjoint(cx, s, e)) {
    int ok = 0;
    for (size_t d = 0; d < e->nargs && d < c->naxes; d++)
      if (strcmp(c->axes[d].var, var) == 0 && e->args[d]->kind == TT_EX_VAR &&
          strcmp(e->args[d]->name, var) == 0)
        ok = 1;
    if (!ok) return 0;
  }
  for (size_t i = 0; i < e->nargs; i++)
    if (!axis_separates(cx, s, e->args[i], var)) return 0;
  return 1;
}

tt_status tt_stage_check_self(tt_sched_ctx *cx, const tt_stage_sched *s) {
  const tt_compute *c = s->c;
  const tt_expr *r = other_read(cx, s, c->rhs);
  if (!r) return TT_OK;
  const char *read = tt_expr_str(cx->a, r);
  for (size_t p = 0; p < s->nloops; p++) {
    const tt_loop *l = &s->loops[p];
    const tt_axis *ax = &s->axes[l->axis];
    const char *name = ax->names[l->level];
    if (p > 0 && s->loops[p - 1].axis > l->axis)
      return tt_error_set(cx->err, TT_ERR_USAGE,
                          "stage %s: cannot move loop '%s' outside loop '%s': the stage reads %s, "
                          "written by an earlier iteration",
                          c->name, tt_loop_name(s, (int)p - 1), name, read);
    if (l->kind != TT_LOOP_SERIAL && (ax->is_reduce || !axis_separates(cx, s, c->rhs, ax->var)))
      return tt_error_set(cx->err, TT_ERR_USAGE,
                          "stage %s: cannot %s loop '%s': the stage reads %s, written by another "
                          "iteration",
                          c->name, l->kind == TT_LOOP_PARALLEL ? "parallelize" : "vectorize", name,
                          read);
  }
  if (s->cache_write >= 0)
    return tt_error_set(cx->err, TT_ERR_USAGE,
                        "stage %s: cannot cache_write: the stage reads %s, which must see the "
                        "values written before",
                        c->name, read);
  for (size_t i = 0; i < s->nreads; i++)
    if (strcmp(s->reads[i].name, c->tensor) == 0)
      return tt_error_set(cx->err, TT_ERR_USAGE,
                          "stage %s: cannot cache_read %s, the stage's own output", c->name,
                          c->tensor);
  return TT_OK;
}
