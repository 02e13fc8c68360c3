/* cache_read: packing the tile of an input tensor that a loop's body reads
 * into a contiguous local buffer, and rewriting the reads to use it. */
#include <string.h>

#include "lower/nest.h"

/* Stage axis whose variable is `name`, or -1. */
static int axis_of(const tt_stage_sched *s, const char *name) {
  for (size_t i = 0; i < s->naxes; i++)
    if (strcmp(s->axes[i].var, name) == 0) return (int)i;
  return -1;
}

int tt_pack_access_axes(const tt_stage_sched *s, const tt_expr *e, const char *t, int *dim_axis,
                        size_t *ndim) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD && strcmp(e->name, t) == 0) {
    for (size_t d = 0; d < e->nargs; d++) {
      int ax = e->args[d]->kind == TT_EX_VAR ? axis_of(s, e->args[d]->name) : -1;
      if (ax < 0 || (*ndim == e->nargs && dim_axis[d] != ax)) return -1;
      dim_axis[d] = ax;
    }
    *ndim = e->nargs;
    return 1;
  }
  int found = 0;
  for (size_t i = 0; i < e->nargs; i++) {
    int r = tt_pack_access_axes(s, e->args[i], t, dim_axis, ndim);
    if (r < 0) return -1;
    found |= r;
  }
  return found;
}

/* Rewrites loads of p->tensor into loads of p->buf at index - base. */
static tt_expr *rewrite(tt_arena *a, const tt_expr *e, const tt_pack *p) {
  if (e->kind == TT_EX_LOAD && strcmp(e->name, p->tensor) == 0) {
    tt_expr **idx = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
    for (size_t d = 0; d < p->ndim; d++)
      idx[d] = tt_expr_simplify(a, tt_ex_sub(a, e->args[d], p->span[d].base));
    tt_expr *l = tt_ex_load(a, p->buf, idx, p->ndim);
    l->type = e->type;
    return l;
  }
  if (!e->nargs) return (tt_expr *)e;
  tt_expr *c = tt_arena_alloc(a, sizeof(*c));
  *c = *e;
  c->args = tt_arena_alloc(a, sizeof(tt_expr *) * e->nargs);
  for (size_t i = 0; i < e->nargs; i++) c->args[i] = rewrite(a, e->args[i], p);
  return c;
}

tt_status tt_nest_packs(tt_nest *n) {
  tt_lower_ctx *cx = n->cx;
  const tt_stage_sched *s = n->s;
  n->packs = tt_arena_alloc(cx->a, sizeof(tt_pack) * (s->nreads + 1));
  for (size_t r = 0; r < s->nreads; r++) {
    const char *t = s->reads[r].name;
    tt_pack *p = &n->packs[n->npacks++];
    p->tensor = t;
    p->buf = tt_arena_printf(cx->a, "%s_p", t);
    p->pos = tt_loop_pos(s, s->reads[r].at / 16, s->reads[r].at % 16);
    p->dim_axis = tt_arena_alloc(cx->a, sizeof(int) * 8);
    if (strcmp(t, s->c->tensor) == 0)
      return tt_error_set(cx->err, TT_ERR_USAGE, "stage %s: cannot cache_read its output '%s'",
                          s->c->name, t);
    int found = tt_pack_access_axes(s, n->term, t, p->dim_axis, &p->ndim);
    if (found <= 0)
      return tt_error_set(cx->err, TT_ERR_USAGE,
                          found == 0 ? "stage %s: cache_read of '%s', which it does not read"
                                     : "stage %s: cache_read of '%s' needs each index to be a "
                                       "loop variable, the same in every read",
                          s->c->name, t);
    p->span = tt_arena_alloc(cx->a, sizeof(tt_span) * p->ndim);
    for (size_t d = 0; d < p->ndim; d++)
      if (tt_axis_span(cx, s, p->dim_axis[d], p->pos, &p->span[d]) != TT_OK) return cx->err->status;
    n->term = rewrite(cx->a, n->term, p);
  }
  return TT_OK;
}

/* Builds loops over the tile of a pack: for each dimension the axis's
 * variable over [base, hi), innermost vectorized, around `inner`. */
static tt_stmt *tile_loops(tt_arena *a, const tt_pack *p, const tt_stage_sched *s,
                           tt_stmt *inner) {
  int innermost = 1;
  for (size_t d = p->ndim; d-- > 0;) {
    if (p->span[d].point) continue;
    tt_stmt *f = tt_st_for(a, s->axes[p->dim_axis[d]].var, p->span[d].base, p->span[d].hi, inner);
    if (innermost) f->loop_kind = TT_LOOP_VECTORIZED;
    innermost = 0;
    inner = f;
  }
  return inner;
}

tt_stmt *tt_pack_stmts(tt_nest *n, const tt_pack *p) {
  tt_arena *a = n->cx->a;
  const tt_tensor *t = tt_kernel_tensor(n->cx->k, p->tensor);
  tt_expr **shape = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  tt_expr **src = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  tt_expr **dst = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  for (size_t d = 0; d < p->ndim; d++) {
    tt_expr *v = tt_ex_var(a, n->s->axes[p->dim_axis[d]].var);
    shape[d] = tt_ex_int(a, p->span[d].extent);
    src[d] = v;
    dst[d] = tt_expr_simplify(a, tt_ex_sub(a, v, p->span[d].base));
  }
  tt_stmt *alloc = tt_st_alloc(a, t ? t->type : n->type, p->buf, shape, p->ndim);
  alloc->align = 64;
  tt_expr *load = tt_ex_load(a, p->tensor, src, p->ndim);
  load->type = t ? t->type : n->type;
  tt_stmt *copy = tt_st_store(a, p->buf, dst, p->ndim, '=', load);
  tt_stmt *items[2] = {alloc, tile_loops(a, p, n->s, copy)};
  return tt_st_block(a, items, 2);
}
