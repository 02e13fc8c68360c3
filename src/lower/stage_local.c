/* cache_read ... local: a tile of an input staged in GPU local memory
 * (CUDA's shared memory) by the whole work-group. Every work-item copies a
 * share of the tile between two barriers (the first lets the previous
 * tile's readers finish), then reads its own elements from the tile.
 *
 * The names TT_TID (the work-item's index in its group, flattened),
 * TT_NTHREADS (the group's size) and the statement TT_BARRIER() are
 * defined by the GPU dialects. */
#include <string.h>

#include "lower/nest.h"

int tt_nest_has_local_packs(const tt_nest *n) {
  for (size_t r = 0; r < n->s->nreads; r++)
    if (n->s->reads[r].local) return 1;
  return 0;
}

static int is_thread_loop(const tt_loop *l) {
  return l->bind >= TT_BIND_THREAD_X;
}

/* The tile a work-group shares: the spans below the pack's loop with the
 * thread loops moved innermost (each work-item holds one point of them). */
tt_status tt_pack_local_spans(tt_nest *n, tt_pack *p) {
  tt_sched_ctx *cx = &n->cx->sc;
  const tt_stage_sched *s = n->s;
  tt_stage_sched t = *s;
  t.loops = tt_arena_alloc(cx->a, sizeof(tt_loop) * (s->nloops + 1));
  size_t k = 0;
  int pos = p->pos;
  for (size_t q = 0; q < s->nloops; q++)
    if (!is_thread_loop(&s->loops[q])) t.loops[k++] = s->loops[q];
  for (size_t q = 0; q < s->nloops; q++)
    if (is_thread_loop(&s->loops[q])) {
      t.loops[k++] = s->loops[q];
      if ((int)q <= p->pos) pos--;
    }
  for (size_t d = 0; d < p->ndim; d++)
    if (tt_axis_span(cx, &t, p->dim_axis[d], pos, &p->span[d]) != TT_OK) return cx->err->status;
  return TT_OK;
}

/* buf[d0][d1]... = T[base0 + d0][base1 + d1]... for the flat element
 * e = TT_TID, TT_TID + TT_NTHREADS, ... of the tile, inside its bounds. */
tt_stmt *tt_pack_local_stmts(tt_nest *n, const tt_pack *p) {
  tt_arena *a = n->cx->sc.a;
  const tt_tensor *t = tt_kernel_tensor(n->cx->sc.k, p->tensor);
  tt_dtype type = t ? t->type : n->type;
  tt_expr **shape = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  tt_expr **bi = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  tt_expr **src = tt_arena_alloc(a, sizeof(tt_expr *) * p->ndim);
  const char *e = tt_arena_printf(a, "%s_e", p->buf);
  tt_stmt_list body = {0};
  tt_expr *inside = NULL;
  int64_t total = 1, inner = 1;
  for (size_t d = 0; d < p->ndim; d++)
    total *= p->span[d].extent;
  for (size_t d = p->ndim; d-- > 0;) {
    int64_t ext = p->span[d].extent;
    shape[d] = tt_ex_int(a, ext);
    const char *v = tt_arena_printf(a, "%s_d%zu", p->buf, d);
    tt_expr *q = tt_ex_bin(a, TT_OP_FLOORDIV, tt_ex_var(a, e), tt_ex_int(a, inner));
    if (inner * ext < total) q = tt_ex_bin(a, TT_OP_MOD, q, tt_ex_int(a, ext));
    tt_stmt_list_push(a, &body, tt_st_let(a, TT_DT_INT, v, tt_expr_simplify(a, q)));
    bi[d] = tt_ex_var(a, v);
    src[d] = tt_expr_simplify(a, tt_ex_add(a, p->span[d].base, bi[d]));
    tt_expr *c = tt_ex_bin(a, TT_OP_LT, src[d], tt_expr_simplify(a, p->span[d].hi));
    inside = inside ? tt_ex_bin(a, TT_OP_AND, inside, c) : c;
    inner *= ext;
  }
  tt_expr *load = tt_ex_load(a, p->tensor, src, p->ndim);
  load->type = type;
  tt_stmt *copy = tt_st_store(a, p->buf, bi, p->ndim, '=', load);
  tt_stmt_list_push(a, &body, inside ? tt_st_if(a, inside, copy, NULL) : copy);
  tt_stmt *loop =
      tt_st_for(a, e, tt_ex_var(a, "TT_TID"), tt_ex_int(a, total), tt_stmt_list_block(a, &body));
  loop->step = tt_ex_var(a, "TT_NTHREADS");
  tt_stmt *alloc = tt_st_alloc(a, type, p->buf, shape, p->ndim);
  alloc->local_mem = 1;
  tt_stmt *items[4] = {alloc, tt_st_pragma(a, "TT_BARRIER();"), loop,
                       tt_st_pragma(a, "TT_BARRIER();")};
  return tt_st_block(a, items, 4);
}

/* The stage axis an index of a staged read follows, with its constant
 * offset (a stencil's neighbour: j, j - 1, 1 + j), or -1. */
static int index_axis(const tt_stage_sched *s, const tt_expr *e, int64_t *off) {
  int64_t c = 0;
  const tt_expr *v = e;
  if (e->kind == TT_EX_BINARY && (e->op == TT_OP_ADD || e->op == TT_OP_SUB)) {
    v = e->args[0];
    const tt_expr *k = e->args[1];
    if (e->op == TT_OP_ADD && v->kind != TT_EX_VAR) {
      v = e->args[1];
      k = e->args[0];
    }
    if (!tt_expr_const_int(k, &c)) return -1;
    if (e->op == TT_OP_SUB) c = -c;
  }
  if (v->kind != TT_EX_VAR) return -1;
  for (size_t i = 0; i < s->naxes; i++)
    if (strcmp(s->axes[i].var, v->name) == 0) {
      *off = c;
      return (int)i;
    }
  return -1;
}

int tt_pack_halo_axes(const tt_stage_sched *s, const tt_expr *e, const char *t, tt_pack *p) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD && strcmp(e->name, t) == 0) {
    if (p->ndim && p->ndim != e->nargs) return -1;
    for (size_t d = 0; d < e->nargs; d++) {
      int64_t off = 0;
      int ax = d < 8 ? index_axis(s, e->args[d], &off) : -1;
      if (ax < 0 || (p->ndim && p->dim_axis[d] != ax)) return -1;
      if (!p->ndim || off < p->halo_lo[d]) p->halo_lo[d] = off;
      if (!p->ndim || off > p->halo_hi[d]) p->halo_hi[d] = off;
      p->dim_axis[d] = ax;
    }
    p->ndim = e->nargs;
    return 1;
  }
  int found = 0;
  for (size_t i = 0; i < e->nargs; i++) {
    int r = tt_pack_halo_axes(s, e->args[i], t, p);
    if (r < 0) return -1;
    found |= r;
  }
  return found;
}

void tt_pack_add_halo(tt_nest *n, tt_pack *p) {
  tt_arena *a = n->cx->sc.a;
  for (size_t d = 0; d < p->ndim; d++) {
    int64_t lo = p->halo_lo[d], hi = p->halo_hi[d];
    if (lo == 0 && hi == 0) continue;
    p->span[d].base = tt_expr_simplify(a, tt_ex_add(a, p->span[d].base, tt_ex_int(a, lo)));
    p->span[d].hi = tt_expr_simplify(a, tt_ex_add(a, p->span[d].hi, tt_ex_int(a, hi)));
    p->span[d].extent += hi - lo;
    p->span[d].point = 0;
  }
}
