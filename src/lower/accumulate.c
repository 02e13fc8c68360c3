/* How a stage accumulates its reduction, given its loop order: the choice
 * between a scalar accumulator, a local tile (cache_write), and direct
 * accumulation into the output, and the rewriting rules each needs. */
#include <string.h>

#include "lower/nest.h"

/* 1 when e contains the reduction node r only linearly: r, x*r, r*x, -r,
 * with x free of r. Then E(a + b) = E(a) + E(b) and partial sums can be
 * accumulated into the output in any order. A division (r/x) is linear
 * too, but applied to every partial sum it costs a division a term and
 * rounds differently from the reference's one division: such a stage
 * takes a buffer and divides once. */
static int is_linear(const tt_expr *e, const tt_expr *r) {
  if (e == r) return 1;
  if (e->kind == TT_EX_UNARY && e->op == TT_OP_NEG) return is_linear(e->args[0], r);
  if (e->kind != TT_EX_BINARY) return 0;
  int in0 = tt_find_reduce(e->args[0]) != NULL, in1 = tt_find_reduce(e->args[1]) != NULL;
  if (e->op == TT_OP_MUL && in0 != in1) return is_linear(in0 ? e->args[0] : e->args[1], r);
  return 0;
}

/* 1 when e loads tensor name anywhere. */
static int loads_tensor(const tt_expr *e, const char *name) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD && strcmp(e->name, name) == 0) return 1;
  for (size_t i = 0; i < e->nargs; i++)
    if (loads_tensor(e->args[i], name)) return 1;
  return 0;
}

tt_expr *tt_replace_reduce(tt_arena *a, const tt_expr *e, tt_expr *with) {
  if (e->kind == TT_EX_REDUCE) return with;
  if (!tt_find_reduce(e)) return (tt_expr *)e;
  tt_expr *c = tt_arena_alloc(a, sizeof(*c));
  *c = *e;
  c->args = tt_arena_alloc(a, sizeof(tt_expr *) * e->nargs);
  for (size_t i = 0; i < e->nargs; i++)
    c->args[i] = tt_replace_reduce(a, e->args[i], with);
  return c;
}

/* 1 when partial sums of the reduction may go straight into the output. */
static int additive(const tt_nest *n) {
  const tt_compute *c = n->s->c;
  return n->s->reduce->op == TT_RED_SUM && is_linear(c->rhs, n->s->reduce) &&
         (c->op == '+' || c->op == '-' || (c->op == '=' && !loads_tensor(c->rhs, c->tensor)));
}

/* Checks that partial sums may be accumulated into the output, and sets
 * the output update operator (an '=' stage becomes zero-init then +=). */
static tt_status need_additive(tt_nest *n, const char *loop) {
  const tt_compute *c = n->s->c;
  const char *why = NULL;
  if (n->s->reduce->op != TT_RED_SUM)
    why = "only a sum can be split";
  else if (!is_linear(c->rhs, n->s->reduce))
    why = "the update is not linear in the sum";
  else if (c->op != '=' && c->op != '+' && c->op != '-')
    why = "the update is not += or -=";
  else if (c->op == '=' && loads_tensor(c->rhs, c->tensor))
    why = "the update reads its own output";
  if (why)
    return tt_error_set(n->cx->sc.err, TT_ERR_USAGE,
                        "stage %s: reduction loop '%s' is outside the accumulation (%s)", c->name,
                        loop, why);
  n->zero_init = c->op == '=';
  n->out_op = c->op == '-' ? '-' : '+';
  return TT_OK;
}

tt_status tt_nest_choose_mode(tt_nest *n) {
  const tt_stage_sched *s = n->s;
  n->out_op = s->c->op;
  n->first_red = -1;
  int last_spatial = -1;
  for (size_t p = 0; p < s->nloops; p++) {
    if (s->axes[s->loops[p].axis].is_reduce) {
      if (n->first_red < 0) n->first_red = (int)p;
    } else {
      last_spatial = (int)p;
    }
  }
  if (!s->reduce) {
    n->mode = TT_ACC_PLAIN;
    return TT_OK;
  }
  if (s->cache_write >= 0) {
    n->mode = TT_ACC_LOCAL;
    n->cw_pos = tt_loop_pos(s, s->cache_write / 16, s->cache_write % 16);
    if (n->first_red <= n->cw_pos) return need_additive(n, tt_loop_name(s, n->first_red));
    return TT_OK;
  }
  if (n->first_red > last_spatial) {
    n->mode = TT_ACC_SCALAR;
    return TT_OK;
  }
  n->mode = TT_ACC_DIRECT;
  if (additive(n)) return need_additive(n, tt_loop_name(s, n->first_red));
  /* Any loop order of a pure compute is legal: when partial sums cannot go
   * into the output, a buffer the size of the output takes them. */
  n->mode = TT_ACC_BUFFER;
  n->out_op = s->c->op;
  return TT_OK;
}

/* Vectorizing a reduction loop is safe only into a private scalar
 * accumulator, innermost (omp simd reduction). */
tt_status tt_nest_check_vectorize(tt_nest *n) {
  const tt_stage_sched *s = n->s;
  for (size_t p = 0; p < s->nloops; p++) {
    const tt_loop *l = &s->loops[p];
    if (l->kind != TT_LOOP_VECTORIZED || !s->axes[l->axis].is_reduce) continue;
    if (n->mode != TT_ACC_SCALAR || p + 1 != s->nloops)
      return tt_error_set(n->cx->sc.err, TT_ERR_USAGE,
                          "stage %s: cannot vectorize reduction loop '%s' unless it is the "
                          "innermost loop accumulating into a scalar",
                          s->c->name, tt_loop_name(s, (int)p));
  }
  return TT_OK;
}
