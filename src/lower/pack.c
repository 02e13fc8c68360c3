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

/* Number of tiled (micro-panel) dimensions of p. */
static size_t ntiled(const tt_pack *p) {
  size_t t = 0;
  for (size_t d = 0; d < p->ndim; d++)
    t += p->tile[d] != 0;
  return t;
}

/* The buffer index of the element at index `at` (one expression per
 * dimension, e.g. the axis variables). Layout: the micro-panel number
 * (tvar - base) / width of each tiled dimension first, then at - base of
 * each untiled dimension, then the offsets at - tvar within the
 * micro-panels: each micro-panel is contiguous. */
static tt_expr **buf_index(tt_arena *a, const tt_pack *p, tt_expr *const *at) {
  size_t nt = ntiled(p), o = 0, u = nt, in = p->ndim;
  tt_expr **idx = tt_arena_alloc(a, sizeof(tt_expr *) * (p->ndim + nt + 1));
  for (size_t d = 0; d < p->ndim; d++) {
    if (!p->tile[d]) {
      idx[u++] = tt_expr_simplify(a, tt_ex_sub(a, at[d], p->span[d].base));
      continue;
    }
    tt_expr *tv = tt_ex_var(a, p->tvar[d]);
    idx[o++] = tt_expr_simplify(a, tt_ex_bin(a, TT_OP_FLOORDIV, tt_ex_sub(a, tv, p->span[d].base),
                                             tt_ex_int(a, p->tile[d])));
    idx[in++] = tt_expr_simplify(a, tt_ex_sub(a, at[d], tv));
  }
  return idx;
}

/* Rewrites loads of p->tensor into loads of p->buf. */
static tt_expr *rewrite(tt_arena *a, const tt_expr *e, const tt_pack *p) {
  if (e->kind == TT_EX_LOAD && strcmp(e->name, p->tensor) == 0) {
    tt_expr *l = tt_ex_load(a, p->buf, buf_index(a, p, e->args), p->ndim + ntiled(p));
    l->type = e->type;
    return l;
  }
  if (!e->nargs) return (tt_expr *)e;
  tt_expr *c = tt_arena_alloc(a, sizeof(*c));
  *c = *e;
  c->args = tt_arena_alloc(a, sizeof(tt_expr *) * e->nargs);
  for (size_t i = 0; i < e->nargs; i++)
    c->args[i] = rewrite(a, e->args[i], p);
  return c;
}

/* The micro-panel width of dimension d of pack p (0: none): the factor of
 * its axis's innermost loop, when the loop over those tiles (*tvar) runs
 * inside the pack over more than one tile and every level in between
 * divides evenly (so each tile starts at base + a multiple of the width). */
static int64_t panel_width(const tt_stage_sched *s, const tt_pack *p, size_t d, const char **tvar) {
  const tt_axis *ax = &s->axes[p->dim_axis[d]];
  int last = ax->nsplit, level = -1;
  if (p->span[d].point || last < 1) return 0;
  for (int j = 0; j <= last && level < 0; j++)
    if (tt_loop_pos(s, p->dim_axis[d], j) > p->pos) level = j;
  int64_t f = ax->factors[last - 1];
  if (level < 0 || level > last - 1 || f < 2 || p->span[d].extent <= f) return 0;
  for (int l = level; l < last - 1; l++)
    if (ax->factors[l] % f != 0) return 0;
  *tvar = ax->names[last - 1];
  return f;
}

/* The buffer of stage's pack of tensor t: tt_T_p for the first stage that
 * packs t, tt_T_p2, tt_T_p3, ... for the next ones. Packs of different
 * stages differ in shape; under one name c_hoist.c could allocate neither
 * once per call (each would be allocated and freed where it is filled). */
static const char *pack_name(tt_lower_ctx *cx, const char *stage, const char *t) {
  int nth = 1;
  for (const tt_pack_name *p = cx->pack_names; p; p = p->next) {
    if (strcmp(p->tensor, t) != 0) continue;
    if (strcmp(p->stage, stage) == 0) return p->buf;
    nth++;
  }
  tt_pack_name *p = tt_arena_alloc(cx->sc.a, sizeof *p);
  p->stage = stage;
  p->tensor = t;
  p->buf = nth == 1 ? tt_arena_printf(cx->sc.a, "tt_%s_p", t)
                    : tt_arena_printf(cx->sc.a, "tt_%s_p%d", t, nth);
  p->next = cx->pack_names;
  cx->pack_names = p;
  return p->buf;
}

tt_status tt_nest_packs(tt_nest *n) {
  tt_lower_ctx *cx = n->cx;
  const tt_stage_sched *s = n->s;
  n->packs = tt_arena_alloc(cx->sc.a, sizeof(tt_pack) * (s->nreads + 1));
  for (size_t r = 0; r < s->nreads; r++) {
    const char *t = s->reads[r].name;
    tt_pack *p = &n->packs[n->npacks++];
    p->tensor = t;
    p->buf = pack_name(cx, s->c->name, t);
    p->pos = tt_loop_pos(s, s->reads[r].at / 16, s->reads[r].at % 16);
    p->dim_axis = tt_arena_alloc(cx->sc.a, sizeof(int) * 8);
    if (strcmp(t, s->c->tensor) == 0)
      return tt_error_set(cx->sc.err, TT_ERR_USAGE, "stage %s: cannot cache_read its output '%s'",
                          s->c->name, t);
    p->local = s->reads[r].local;
    p->halo_lo = tt_arena_alloc(cx->sc.a, sizeof(int64_t) * 8);
    p->halo_hi = tt_arena_alloc(cx->sc.a, sizeof(int64_t) * 8);
    int found = tt_pack_access_axes(s, n->term, t, p->dim_axis, &p->ndim);
    if (found < 0) { /* a stencil's neighbours: a tile with its halo */
      p->ndim = 0;
      found = tt_pack_halo_axes(s, n->term, t, p);
      if (found > 0 && !p->local)
        return tt_error_set(cx->sc.err, TT_ERR_USAGE,
                            "stage %s: cache_read of '%s' reads it at neighbouring indices: only "
                            "a tile staged in local memory takes a halo (cache_read %s at L local)",
                            s->c->name, t, t);
    }
    if (found <= 0)
      return tt_error_set(cx->sc.err, TT_ERR_USAGE,
                          found == 0 ? "stage %s: cache_read of '%s', which it does not read"
                                     : "stage %s: cache_read of '%s' needs each index to be a "
                                       "loop variable (plus a constant, in local memory), the "
                                       "same in every read",
                          s->c->name, t);
    p->span = tt_arena_alloc(cx->sc.a, sizeof(tt_span) * p->ndim);
    p->tile = tt_arena_alloc(cx->sc.a, sizeof(int64_t) * p->ndim);
    p->tvar = tt_arena_alloc(cx->sc.a, sizeof(char *) * p->ndim);
    if (p->local) {
      p->buf = tt_arena_printf(cx->sc.a, "%s_s", t);
      if (tt_pack_local_spans(n, p) != TT_OK) return cx->sc.err->status;
      tt_pack_add_halo(n, p);
    }
    for (size_t d = 0; d < p->ndim && !p->local; d++) {
      if (tt_axis_span(&cx->sc, s, p->dim_axis[d], p->pos, &p->span[d]) != TT_OK)
        return cx->sc.err->status;
      p->tile[d] = panel_width(s, p, d, &p->tvar[d]);
    }
    n->term = rewrite(cx->sc.a, n->term, p);
  }
  return TT_OK;
}

/* Builds the copy loops of a pack around `inner`: first the loops over the
 * micro-panels of the tiled dimensions (variable tvar, step width), then
 * the untiled dimensions (the axis variable over [base, hi)), then each
 * tiled dimension within its micro-panel, the innermost vectorized (as
 * wide as the stage's loop over its axis). */
static tt_stmt *copy_loops(tt_arena *a, const tt_pack *p, const tt_stage_sched *s, tt_stmt *inner) {
  int innermost = 1;
  for (int pass = 2; pass >= 0; pass--)
    for (size_t d = p->ndim; d-- > 0;) {
      if (p->span[d].point || (pass == 1) == (p->tile[d] != 0)) continue;
      const char *v = s->axes[p->dim_axis[d]].var;
      tt_expr *lo = p->span[d].base, *hi = p->span[d].hi;
      if (pass == 2) { /* within a micro-panel */
        lo = tt_ex_var(a, p->tvar[d]);
        hi = tt_ex_min(a, tt_ex_add(a, lo, tt_ex_int(a, p->tile[d])), p->span[d].hi);
      }
      tt_stmt *f = tt_st_for(a, pass == 0 ? p->tvar[d] : v, lo, tt_expr_simplify(a, hi), inner);
      if (pass == 0) f->step = tt_ex_int(a, p->tile[d]);
      if (innermost) {
        f->loop_kind = TT_LOOP_VECTORIZED;
        f->simdlen = tt_nest_simdlen(s, p->dim_axis[d]);
      }
      if (pass == 2 && innermost) { /* a full micro-panel copies a constant width */
        tt_stmt *full = tt_stmt_clone(a, f);
        full->hi = tt_expr_simplify(a, tt_ex_add(a, lo, tt_ex_int(a, p->tile[d])));
        f = tt_st_if(a, tt_ex_bin(a, TT_OP_LE, full->hi, tt_expr_simplify(a, p->span[d].hi)), full,
                     f);
      }
      innermost = 0;
      inner = f;
    }
  return inner;
}

/* 1 when the pack at p->pos runs outside every parallel loop of the stage
 * but a parallel loop inside it uses the buffer: then its copy is shared
 * by the threads and done by all of them (its outer loop parallel: each
 * iteration fills its own part of the buffer). */
static int pack_in_parallel(const tt_stage_sched *s, const tt_pack *p) {
  int inside = 0;
  for (size_t i = 0; i < s->nloops; i++) {
    if (s->loops[i].kind != TT_LOOP_PARALLEL) continue;
    if ((int)i <= p->pos) return 0;
    inside = 1;
  }
  return inside;
}

tt_stmt *tt_pack_stmts(tt_nest *n, const tt_pack *p) {
  if (p->local) return tt_pack_local_stmts(n, p);
  tt_arena *a = n->cx->sc.a;
  const tt_tensor *t = tt_kernel_tensor(n->cx->sc.k, p->tensor);
  size_t nt = ntiled(p), nb = p->ndim + nt, o = 0, u = nt, in = p->ndim;
  tt_expr **shape = tt_arena_alloc(a, sizeof(tt_expr *) * nb);
  tt_expr **src = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  for (size_t d = 0; d < p->ndim; d++) { /* the layout of buf_index */
    int64_t w = p->tile[d], ext = p->span[d].extent;
    src[d] = tt_ex_var(a, n->s->axes[p->dim_axis[d]].var);
    if (!w) {
      shape[u++] = tt_ex_int(a, ext);
      continue;
    }
    shape[o++] = tt_ex_int(a, (ext + w - 1) / w);
    shape[in++] = tt_ex_int(a, w);
  }
  tt_stmt *alloc = tt_st_alloc(a, t ? t->type : n->type, p->buf, shape, nb);
  alloc->align = 64;
  tt_expr *load = tt_ex_load(a, p->tensor, src, p->ndim);
  load->type = t ? t->type : n->type;
  tt_stmt *copy = tt_st_store(a, p->buf, buf_index(a, p, src), nb, '=', load);
  tt_stmt *loops = copy_loops(a, p, n->s, copy);
  if (pack_in_parallel(n->s, p) && loops->kind == TT_ST_FOR && loops->loop_kind == TT_LOOP_SERIAL)
    loops->loop_kind = TT_LOOP_PARALLEL;
  tt_stmt *items[2] = {alloc, loops};
  return tt_st_block(a, items, 2);
}
