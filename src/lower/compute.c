/* Lowering one compute stage: its schedule becomes a loop nest whose
 * innermost statement accumulates the reduction the way tt_nest_choose_mode
 * decided, with cache_read packs, cache_write tiles and compute_at stages
 * placed inside the loops they are attached to. */
#include <math.h>
#include <string.h>

#include "lower/nest.h"

/* The reduction's start value in the accumulator's type t (for integers:
 * the extreme values of the storage type). */
static tt_expr *identity(tt_arena *a, tt_redop op, tt_dtype t) {
  if (tt_dtype_is_float(t))
    return tt_ex_float(a, op == TT_RED_SUM ? 0.0 : op == TT_RED_MIN ? INFINITY : -INFINITY);
  int64_t hi = t == TT_DT_U8 ? 255 : t == TT_DT_I32 ? INT32_MAX : INT64_MAX;
  int64_t lo = t == TT_DT_U8 ? 0 : t == TT_DT_I32 ? INT32_MIN : INT64_MIN;
  return tt_ex_int(a, op == TT_RED_SUM ? 0 : op == TT_RED_MIN ? hi : lo);
}

static tt_expr **out_index(tt_nest *n) {
  const tt_compute *c = n->s->c;
  tt_expr **idx = tt_arena_alloc(n->cx->sc.a, sizeof(tt_expr *) * (c->naxes + 1));
  for (size_t d = 0; d < c->naxes; d++)
    idx[d] = tt_ex_var(n->cx->sc.a, c->axes[d].var);
  return idx;
}

/* Load of the local tile at the current point. */
static tt_expr *tile_load(tt_nest *n) {
  tt_arena *a = n->cx->sc.a;
  size_t nd = n->s->c->naxes;
  tt_expr **idx = tt_arena_alloc(a, sizeof(tt_expr *) * (nd + 1));
  for (size_t d = 0; d < nd; d++)
    idx[d] =
        tt_expr_simplify(a, tt_ex_sub(a, tt_ex_var(a, n->s->c->axes[d].var), n->cw_span[d].base));
  tt_expr *l = tt_ex_load(a, n->acc, idx, nd);
  l->type = n->type;
  return l;
}

/* acc op= term, for a reduction op. */
static tt_stmt *accumulate_store(tt_nest *n, tt_expr *target) {
  tt_arena *a = n->cx->sc.a;
  tt_redop op = (tt_redop)n->s->reduce->op;
  tt_expr *v = n->term;
  tt_update u = '+';
  if (op != TT_RED_SUM) {
    v = tt_ex_bin(a, op == TT_RED_MIN ? TT_OP_MIN : TT_OP_MAX, target, n->term);
    u = '=';
  }
  if (target->kind == TT_EX_VAR) return tt_st_assign(a, target->name, u, v);
  return tt_st_store(a, target->name, target->args, target->nargs, u, v);
}

static tt_stmt *innermost(tt_nest *n) {
  tt_arena *a = n->cx->sc.a;
  const tt_compute *c = n->s->c;
  switch (n->mode) {
  case TT_ACC_PLAIN:
    return tt_st_store(a, c->tensor, out_index(n), c->naxes, c->op, n->term);
  case TT_ACC_SCALAR:
    return accumulate_store(n, tt_ex_var(a, n->acc));
  case TT_ACC_LOCAL:
    return accumulate_store(n, tile_load(n));
  case TT_ACC_DIRECT:
    return tt_st_store(a, c->tensor, out_index(n), c->naxes, n->out_op,
                       tt_replace_reduce(a, c->rhs, n->term));
  case TT_ACC_BUFFER: {
    tt_expr *t = tt_ex_load(a, n->acc, out_index(n), c->naxes);
    t->type = n->type;
    return accumulate_store(n, t);
  }
  }
  return NULL;
}

/* Loops over the spatial axes of the local tile (point axes stay fixed),
 * innermost vectorized, around body. */
static tt_stmt *tile_nest(tt_nest *n, tt_stmt *body) {
  int innermost_loop = 1;
  for (size_t d = n->s->c->naxes; d-- > 0;) {
    if (n->cw_span[d].point) continue;
    tt_stmt *f = tt_st_for(n->cx->sc.a, n->s->c->axes[d].var, n->cw_span[d].base,
                           tt_expr_simplify(n->cx->sc.a, n->cw_span[d].hi), body);
    if (innermost_loop) f->loop_kind = TT_LOOP_VECTORIZED;
    innermost_loop = 0;
    body = f;
  }
  return body;
}

/* cache_write: the tile's allocation, initialisation, the inner loops, and
 * the write-back of E(tile) into the output. */
static tt_stmt *local_tile(tt_nest *n, tt_stmt *inner) {
  tt_arena *a = n->cx->sc.a;
  const tt_compute *c = n->s->c;
  tt_expr **shape = tt_arena_alloc(a, sizeof(tt_expr *) * (c->naxes + 1));
  for (size_t d = 0; d < c->naxes; d++)
    shape[d] = tt_ex_int(a, n->cw_span[d].extent);
  tt_stmt *alloc = tt_st_alloc(a, n->type, n->acc, shape, c->naxes);
  alloc->align = 64;
  tt_expr *t = tile_load(n);
  tt_stmt *init = tt_st_store(a, n->acc, t->args, t->nargs, '=',
                              identity(a, (tt_redop)n->s->reduce->op, n->type));
  tt_stmt *back =
      tt_st_store(a, c->tensor, out_index(n), c->naxes, n->out_op, tt_replace_reduce(a, c->rhs, t));
  tt_stmt *items[4] = {alloc, tile_nest(n, init), inner, tile_nest(n, back)};
  return tt_st_block(a, items, 4);
}

/* compute_at: the producer stage, restricted to the region of its output
 * that the body of loop position pos reads. */
static tt_status attached_stage(tt_nest *n, const char *stage, int pos, tt_stmt **out);

/* Wraps the body of the loop at position pos with what is attached there. */
/* 1 when something attached at loop position p lands in the body of the
 * loop built at position pos (a fused pair has one body for both). */
static int lands_at(const tt_nest *n, int p, int pos) {
  return p == pos || (pos > 0 && p == pos - 1 && n->s->loops[pos - 1].fused);
}

static tt_status wrap_body(tt_nest *n, int pos, tt_stmt **inner) {
  tt_lower_ctx *cx = n->cx;
  tt_stmt_list l = {0};
  for (size_t i = 0; i < n->s->ncompute_at; i++) {
    const tt_attach *at = &n->s->compute_at[i];
    if (!lands_at(n, tt_loop_pos(n->s, at->at / 16, at->at % 16), pos)) continue;
    tt_stmt *st = NULL;
    if (attached_stage(n, at->name, pos, &st) != TT_OK) return cx->sc.err->status;
    tt_stmt_list_push(cx->sc.a, &l, st);
  }
  for (size_t i = 0; i < n->npacks; i++)
    if (lands_at(n, n->packs[i].pos, pos))
      tt_stmt_list_push(cx->sc.a, &l, tt_pack_stmts(n, &n->packs[i]));
  tt_stmt_list_push(cx->sc.a, &l,
                    n->mode == TT_ACC_LOCAL && lands_at(n, n->cw_pos, pos) ? local_tile(n, *inner)
                                                                           : *inner);
  *inner = l.len == 1 ? l.items[0] : tt_stmt_list_block(cx->sc.a, &l);
  return TT_OK;
}

/* One loop (or a fused pair starting at pos) around inner. */
static tt_stmt *make_loop(tt_nest *n, int pos, tt_stmt *inner) {
  tt_arena *a = n->cx->sc.a;
  const tt_stage_sched *s = n->s;
  const tt_loop *l = &s->loops[pos];
  tt_stmt *f;
  if (!l->fused) {
    f = tt_st_for(a, tt_loop_name(s, pos),
                  tt_expr_simplify(a, tt_loop_start(&n->cx->sc, s, l->axis, l->level)),
                  tt_expr_simplify(a, tt_loop_end(&n->cx->sc, s, l->axis, l->level)), inner);
    int step = tt_loop_step(s, l->axis, l->level);
    if (step != 1) f->step = tt_ex_int(a, step);
  } else {
    const tt_loop *m = &s->loops[pos + 1];
    tt_expr *st[2], *cnt[2];
    int step[2] = {tt_loop_step(s, l->axis, l->level), tt_loop_step(s, m->axis, m->level)};
    const tt_loop *ls[2] = {l, m};
    for (int i = 0; i < 2; i++) {
      st[i] = tt_loop_start(&n->cx->sc, s, ls[i]->axis, ls[i]->level);
      tt_expr *ext = tt_ex_sub(a, tt_loop_end(&n->cx->sc, s, ls[i]->axis, ls[i]->level), st[i]);
      cnt[i] = tt_expr_simplify(a, tt_ex_bin(a, TT_OP_FLOORDIV,
                                             tt_ex_add(a, ext, tt_ex_int(a, step[i] - 1)),
                                             tt_ex_int(a, step[i])));
    }
    const char *name = tt_arena_printf(a, "%s_%s", tt_loop_name(s, pos), tt_loop_name(s, pos + 1));
    tt_expr *fv = tt_ex_var(a, name);
    tt_expr *q = tt_ex_bin(a, TT_OP_FLOORDIV, fv, cnt[1]), *r = tt_ex_bin(a, TT_OP_MOD, fv, cnt[1]);
    tt_stmt *items[3] = {
        tt_st_let(a, TT_DT_INT, tt_loop_name(s, pos),
                  tt_expr_simplify(a, tt_ex_add(a, st[0], tt_ex_mul(a, q, tt_ex_int(a, step[0]))))),
        tt_st_let(a, TT_DT_INT, tt_loop_name(s, pos + 1),
                  tt_expr_simplify(a, tt_ex_add(a, st[1], tt_ex_mul(a, r, tt_ex_int(a, step[1]))))),
        inner};
    f = tt_st_for(a, name, tt_ex_int(a, 0), tt_expr_simplify(a, tt_ex_mul(a, cnt[0], cnt[1])),
                  tt_st_block(a, items, 3));
  }
  f->loop_kind = l->kind;
  f->par_sched = l->sched;
  f->unroll = l->unroll;
  f->simdlen = l->simdlen;
  f->bind = l->bind;
  if (l->bind) f->bind_extent = tt_loop_max_trips(&n->cx->sc, s, pos);
  if (l->kind == TT_LOOP_VECTORIZED && s->axes[l->axis].is_reduce) {
    f->red_var = n->acc;
    f->red_op = (tt_redop)s->reduce->op;
  }
  return f;
}

static tt_status build(tt_nest *n, int pos, tt_stmt **out);

/* Computes the spans of the local tile's axes below the cache_write loop. */
static tt_status tile_spans(tt_nest *n) {
  for (size_t d = 0; d < n->s->c->naxes; d++)
    if (tt_axis_span(&n->cx->sc, n->s, (int)d, n->cw_pos, &n->cw_span[d]) != TT_OK)
      return n->cx->sc.err->status;
  return TT_OK;
}

/* Loop partitioning of a cache_write tile whose extents do not always
 * divide the loops: `if (tile is full) { loops with constant trip counts }
 * else { loops with min() bounds }`. The full copy is what lets the C
 * compiler keep a register tile in registers. inner is the general copy. */
static tt_status full_tile(tt_nest *n, int pos, tt_stmt **inner) {
  tt_stage_sched *s = n->s;
  tt_arena *a = n->cx->sc.a;
  tt_expr *cond = NULL;
  int saved[16][TT_MAX_SPLIT + 1];
  for (size_t d = 0; d < s->c->naxes && d < 16; d++) {
    tt_axis *ax = &s->axes[d];
    memcpy(saved[d], ax->exact, sizeof ax->exact);
    int level = -1;
    for (int j = 1; j <= ax->nsplit && level < 0; j++)
      if (tt_loop_pos(s, (int)d, j) > pos && tt_loop_pos(s, (int)d, j - 1) <= pos) level = j;
    if (level < 0 || ax->exact[level]) continue;
    tt_expr *c = tt_ex_bin(
        a, TT_OP_LE,
        tt_ex_add(a, tt_ex_var(a, ax->names[level - 1]), tt_ex_int(a, ax->factors[level - 1])),
        tt_expr_simplify(a, tt_loop_end(&n->cx->sc, s, (int)d, level - 1)));
    cond = cond ? tt_ex_bin(a, TT_OP_AND, cond, c) : c;
    for (int j = level; j <= ax->nsplit; j++)
      if (j == level || (ax->exact[j - 1] && ax->factors[j - 2] % ax->factors[j - 1] == 0))
        ax->exact[j] = 1;
  }
  tt_status st = TT_OK;
  if (cond) {
    tt_stmt *full = NULL;
    n->in_full_tile = 1;
    if ((st = tile_spans(n)) == TT_OK && (st = build(n, pos + 1, &full)) == TT_OK)
      st = wrap_body(n, pos, &full);
    n->in_full_tile = 0;
    for (size_t d = 0; d < s->c->naxes && d < 16; d++)
      memcpy(s->axes[d].exact, saved[d], sizeof saved[d]);
    if (st == TT_OK) st = tile_spans(n);
    if (st == TT_OK) *inner = tt_st_if(a, cond, full, *inner);
  }
  return st;
}

/* Builds the nest from loop position pos inwards. */
static tt_status build(tt_nest *n, int pos, tt_stmt **out) {
  if (pos == (int)n->s->nloops) {
    *out = innermost(n);
    return TT_OK;
  }
  int last = n->s->loops[pos].fused ? pos + 1 : pos;
  tt_stmt *inner = NULL;
  if (build(n, last + 1, &inner) != TT_OK || wrap_body(n, last, &inner) != TT_OK)
    return n->cx->sc.err->status;
  /* No full-tile copy around a work-group's barriers: its condition can
   * differ between the work-items. */
  if (n->mode == TT_ACC_LOCAL && lands_at(n, n->cw_pos, last) && !n->in_full_tile &&
      !tt_nest_has_local_packs(n) && full_tile(n, last, &inner) != TT_OK)
    return n->cx->sc.err->status;
  tt_stmt *f = make_loop(n, pos, inner);
  if (n->mode == TT_ACC_SCALAR && pos == n->first_red) {
    tt_arena *a = n->cx->sc.a;
    const tt_compute *c = n->s->c;
    tt_stmt *let = tt_st_let(a, n->type, n->acc, identity(a, (tt_redop)n->s->reduce->op, n->type));
    tt_expr *acc = tt_ex_var(a, n->acc);
    acc->type = n->type;
    tt_stmt *st =
        tt_st_store(a, c->tensor, out_index(n), c->naxes, c->op, tt_replace_reduce(a, c->rhs, acc));
    tt_stmt *items[3] = {let, f, tt_nest_thread_reduce(n, st)};
    f = tt_st_block(a, items, 3);
  }
  *out = f;
  return TT_OK;
}

/* A loop nest over the stage's output points around body. */
static tt_stmt *output_nest(tt_nest *n, tt_stmt *body) {
  const tt_compute *c = n->s->c;
  for (size_t d = c->naxes; d-- > 0;) {
    body = tt_st_for(n->cx->sc.a, c->axes[d].var, c->axes[d].lo, c->axes[d].hi, body);
    if (d + 1 == c->naxes) body->loop_kind = TT_LOOP_VECTORIZED;
  }
  return body;
}

/* A loop nest over the full output that sets it to zero. */
static tt_stmt *zero_nest(tt_nest *n) {
  tt_arena *a = n->cx->sc.a;
  const tt_compute *c = n->s->c;
  return output_nest(n,
                     tt_st_store(a, c->tensor, out_index(n), c->naxes, '=', tt_ex_float(a, 0.0)));
}

/* TT_ACC_BUFFER: a buffer shaped like the output tensor, set to the
 * reduction's identity, accumulated by nest, then applied to the output. */
static tt_status buffer_around(tt_nest *n, tt_stmt **nest) {
  tt_arena *a = n->cx->sc.a;
  const tt_compute *c = n->s->c;
  const tt_tensor *t = tt_kernel_tensor(n->cx->sc.k, c->tensor);
  tt_expr **shape = tt_arena_alloc(a, sizeof(tt_expr *) * (c->naxes + 1));
  for (size_t d = 0; d < c->naxes; d++) {
    double v;
    if (!t || tt_expr_eval(t->shape[d], &n->cx->sc.env, &v, NULL) != 0)
      return tt_error_set(n->cx->sc.err, TT_ERR_USAGE, "stage %s: cannot size its reduction buffer",
                          c->name);
    shape[d] = tt_ex_int(a, (int64_t)v);
  }
  tt_stmt *alloc = tt_st_alloc(a, n->type, n->acc, shape, c->naxes);
  alloc->align = 64;
  tt_expr *r = tt_ex_load(a, n->acc, out_index(n), c->naxes);
  r->type = n->type;
  tt_stmt *init = output_nest(n, tt_st_store(a, n->acc, r->args, r->nargs, '=',
                                             identity(a, (tt_redop)n->s->reduce->op, n->type)));
  tt_stmt *apply = output_nest(
      n, tt_st_store(a, c->tensor, out_index(n), c->naxes, c->op, tt_replace_reduce(a, c->rhs, r)));
  tt_stmt *items[4] = {alloc, init, *nest, apply};
  *nest = tt_st_block(a, items, 4);
  return TT_OK;
}

/* Something attached to the outer loop of a fused pair really lives in the
 * pair's single body: regions below it are those below the inner loop. */
static void attach_to_fused_body(tt_stage_sched *s) {
  int *ats[40];
  size_t n = 0;
  if (s->cache_write >= 0) ats[n++] = &s->cache_write;
  for (size_t i = 0; i < s->nreads && n < 40; i++)
    ats[n++] = &s->reads[i].at;
  for (size_t i = 0; i < s->ncompute_at && n < 40; i++)
    ats[n++] = &s->compute_at[i].at;
  for (size_t i = 0; i < n; i++) {
    int p = tt_loop_pos(s, *ats[i] / 16, *ats[i] % 16);
    if (p >= 0 && s->loops[p].fused) *ats[i] = s->loops[p + 1].axis * 16 + s->loops[p + 1].level;
  }
}

tt_status tt_lower_compute(tt_lower_ctx *cx, const tt_compute *c, tt_stmt **out) {
  tt_stage_sched s;
  tt_nest n = {.cx = cx, .s = &s};
  const tt_tensor *t = tt_kernel_tensor(cx->sc.k, c->tensor);
  n.type = t ? t->type : cx->sc.k->dtype;
  if (tt_stage_schedule(&cx->sc, c, &s) != TT_OK) return cx->sc.err->status;
  attach_to_fused_body(&s);
  if (tt_nest_choose_mode(&n) != TT_OK || tt_nest_check_vectorize(&n) != TT_OK)
    return cx->sc.err->status;
  n.term = s.reduce ? s.reduce->args[0] : c->rhs;
  n.acc = tt_arena_printf(cx->sc.a,
                          n.mode == TT_ACC_LOCAL    ? "tt_%s_l"
                          : n.mode == TT_ACC_BUFFER ? "tt_%s_r"
                                                    : "tt_%s_acc",
                          c->tensor);
  if (tt_nest_packs(&n) != TT_OK) return cx->sc.err->status;
  if (n.mode == TT_ACC_LOCAL) {
    n.cw_span = tt_arena_alloc(cx->sc.a, sizeof(tt_span) * (c->naxes + 1));
    if (tile_spans(&n) != TT_OK) return cx->sc.err->status;
  }
  tt_stmt *nest = NULL;
  if (build(&n, 0, &nest) != TT_OK) return cx->sc.err->status;
  if (s.nloops == 0 && wrap_body(&n, -1, &nest) != TT_OK) return cx->sc.err->status;
  if (n.mode == TT_ACC_BUFFER && buffer_around(&n, &nest) != TT_OK) return cx->sc.err->status;
  if (n.zero_init) {
    tt_stmt *items[2] = {zero_nest(&n), nest};
    nest = tt_st_block(cx->sc.a, items, 2);
  }
  *out = nest;
  return TT_OK;
}

static tt_status attached_stage(tt_nest *n, const char *stage, int pos, tt_stmt **out) {
  tt_lower_ctx *cx = n->cx;
  tt_arena *a = cx->sc.a;
  const tt_compute *p = tt_find_compute(cx->root, stage);
  if (!p || p->op != '=')
    return tt_error_set(cx->sc.err, TT_ERR_USAGE,
                        p ? "stage %s: compute_at of stage %s, which does not assign (=)"
                          : "stage %s: compute_at of unknown stage %s",
                        n->s->c->name, stage);
  int dim_axis[8];
  size_t nd = 0;
  const tt_expr *src = n->s->reduce ? n->s->reduce->args[0] : n->s->c->rhs;
  if (p->naxes > 8 || tt_pack_access_axes(n->s, src, p->tensor, dim_axis, &nd) <= 0 ||
      nd != p->naxes)
    return tt_error_set(cx->sc.err, TT_ERR_USAGE,
                        "stage %s: compute_at of %s needs its reads of '%s' indexed by loop "
                        "variables",
                        n->s->c->name, stage, p->tensor);
  /* The region's bounds are bound to fresh names first: the producer's own
   * loop variables may share names with the consumer's. */
  tt_stmt_list l = {0};
  tt_compute *r = tt_arena_alloc(a, sizeof(*r));
  *r = *p;
  r->axes = tt_arena_alloc(a, sizeof(tt_range) * p->naxes);
  for (size_t d = 0; d < p->naxes; d++) {
    tt_span sp;
    tt_status st = tt_axis_span(&cx->sc, n->s, dim_axis[d], pos, &sp);
    if (st != TT_OK) return st;
    const char *lo = tt_arena_printf(a, "tt_%s_lo%zu", stage, d);
    const char *hi = tt_arena_printf(a, "tt_%s_hi%zu", stage, d);
    tt_stmt_list_push(a, &l, tt_st_let(a, TT_DT_INT, lo, sp.base));
    tt_stmt_list_push(a, &l, tt_st_let(a, TT_DT_INT, hi, tt_expr_simplify(a, sp.hi)));
    r->axes[d] = (tt_range){.var = p->axes[d].var, .lo = tt_ex_var(a, lo), .hi = tt_ex_var(a, hi)};
  }
  tt_stmt *nest = NULL;
  tt_status st = tt_lower_compute(cx, r, &nest);
  if (st != TT_OK) return st;
  tt_stmt_list_push(a, &l, nest);
  *out = tt_stmt_list_block(a, &l);
  return TT_OK;
}
