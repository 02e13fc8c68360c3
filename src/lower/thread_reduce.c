/* A reduction loop bound to threads (bind j to thread.x): every work-item
 * of a group has accumulated its share of the reduction into its scalar
 * accumulator; the group then combines the scalars in local memory by a
 * tree of log2(lanes) steps, each followed by a barrier, and the first
 * lane stores the result. A slot of the buffer belongs to one work-item:
 * its lane (the reduction's thread index) plus lanes times its position in
 * the group's other thread dimensions, so the partners of a step are
 * adjacent slots. Every work-item meets every barrier: the block of the
 * tree carries its barriers at its top level, which the GPU grid pass runs
 * in every work-item (lower/gpu_grid.c). */
#include "lower/nest.h"

static const char *const LID[] = {"TT_LID_X", "TT_LID_Y", "TT_LID_Z"};

static tt_expr *lid(tt_arena *a, tt_bind_dim b) {
  return tt_ex_var(a, LID[(b - TT_BIND_THREAD_X) % 3]);
}

static tt_expr *and_expr(tt_arena *a, tt_expr *x, tt_expr *y) {
  return x ? tt_ex_bin(a, TT_OP_AND, x, y) : y;
}

/* buf[slot] op= buf[slot + h], the reduction's combine. */
static tt_stmt *combine(tt_nest *n, const char *buf, tt_expr *slot, int64_t h) {
  tt_arena *a = n->cx->sc.a;
  tt_redop op = (tt_redop)n->s->reduce->op;
  tt_expr *i0[1] = {slot}, *i1[1] = {tt_expr_simplify(a, tt_ex_add(a, slot, tt_ex_int(a, h)))};
  tt_expr *mine = tt_ex_load(a, buf, i0, 1), *other = tt_ex_load(a, buf, i1, 1);
  mine->type = other->type = n->type;
  if (op == TT_RED_SUM) return tt_st_store(a, buf, i0, 1, '+', other);
  return tt_st_store(a, buf, i0, 1, '=',
                     tt_ex_bin(a, op == TT_RED_MIN ? TT_OP_MIN : TT_OP_MAX, mine, other));
}

tt_stmt *tt_nest_thread_reduce(tt_nest *n, tt_stmt *store) {
  tt_sched_ctx *cx = &n->cx->sc;
  const tt_stage_sched *s = n->s;
  tt_arena *a = cx->a;
  int r = tt_stage_thread_reduce(s);
  int64_t lanes = r >= 0 ? tt_loop_max_trips(cx, s, r) : 1, size = lanes, p2 = 1;
  if (lanes <= 1) return store;
  tt_expr *lane = lid(a, s->loops[r].bind), *slot = lane;
  tt_expr *in = tt_ex_bin(a, TT_OP_LT, lane, tt_ex_int(a, lanes));
  for (size_t p = 0; p < s->nloops; p++) {
    if ((int)p == r || s->loops[p].bind < TT_BIND_THREAD_X) continue;
    int64_t ext = tt_loop_max_trips(cx, s, (int)p);
    tt_expr *l = lid(a, s->loops[p].bind);
    slot = tt_ex_add(a, slot, tt_ex_mul(a, l, tt_ex_int(a, size)));
    in = and_expr(a, in, tt_ex_bin(a, TT_OP_LT, l, tt_ex_int(a, ext)));
    size *= ext;
  }
  slot = tt_expr_simplify(a, slot);
  const char *buf = tt_arena_printf(a, "tt_%s_t", s->c->tensor);
  tt_expr *shape[1] = {tt_ex_int(a, size)}, *at[1] = {slot};
  tt_stmt_list l = {0};
  tt_stmt *alloc = tt_st_alloc(a, n->type, buf, shape, 1);
  alloc->local_mem = 1;
  tt_expr *acc = tt_ex_var(a, n->acc);
  acc->type = n->type;
  tt_stmt_list_push(a, &l, alloc);
  tt_stmt_list_push(a, &l, tt_st_if(a, in, tt_st_store(a, buf, at, 1, '=', acc), NULL));
  tt_stmt_list_push(a, &l, tt_st_pragma(a, "TT_BARRIER();"));
  while (p2 < lanes)
    p2 *= 2;
  for (int64_t h = p2 / 2; h >= 1; h /= 2) {
    tt_expr *c = and_expr(a, in, tt_ex_bin(a, TT_OP_LT, lane, tt_ex_int(a, h)));
    if (lanes < 2 * h) /* the partner lane + h exists only below lanes */
      c = tt_ex_bin(a, TT_OP_AND, c, tt_ex_bin(a, TT_OP_LT, lane, tt_ex_int(a, lanes - h)));
    tt_stmt_list_push(a, &l, tt_st_if(a, c, combine(n, buf, slot, h), NULL));
    tt_stmt_list_push(a, &l, tt_st_pragma(a, "TT_BARRIER();"));
  }
  tt_expr *load = tt_ex_load(a, buf, at, 1);
  load->type = n->type;
  tt_stmt *fin[2] = {tt_st_assign(a, n->acc, '=', load), store};
  tt_expr *first = tt_ex_bin(a, TT_OP_AND, tt_ex_bin(a, TT_OP_EQ, lane, tt_ex_int(a, 0)), in);
  tt_stmt *items[2] = {tt_stmt_list_block(a, &l), tt_st_if(a, first, tt_st_block(a, fin, 2), NULL)};
  return tt_st_block(a, items, 2);
}
