/* Pass: unrolling a vectorized sum (an in-place loop that `vectorize` accepted
 * as a reduction into a scalar s, and that `unroll L by u` asks to unroll):
 * GCC cannot unroll an `omp simd` loop, and one accumulator leaves the sum
 * bound by the latency of its additions. So the range is cut into u
 * contiguous chunks summed side by side into u partial sums in one
 * vectorized loop (u independent vector accumulators), then the remainder,
 * then s += the partial sums:
 *
 *   let c = max(hi - lo, 0) // u; let s1 = 0 ...
 *   simd reduction(+: s, s1, ...) for t in 0..c { B[k := lo + t]; B[k := lo + c + t, s := s1] ... }
 *   simd reduction(+: s) for k in lo + u*c..hi { B }
 *   s += s1 + ... */
#include <string.h>

#include "lower/passes.h"

/* s with every use of variable v replaced by `by` and every update of the
 * scalar `from` redirected to `to` (from may be NULL). NULL when s holds a
 * statement this cannot rewrite (a compute stage). */
static tt_stmt *subst(tt_arena *a, const tt_stmt *s, const char *v, tt_expr *by, const char *from,
                      const char *to) {
  if (!s) return NULL;
  if (s->kind == TT_ST_COMPUTE) return NULL;
  tt_stmt *c = tt_stmt_clone(a, s);
  if (c->lo) c->lo = tt_expr_subst(a, c->lo, v, by);
  if (c->hi) c->hi = tt_expr_subst(a, c->hi, v, by);
  if (c->step) c->step = tt_expr_subst(a, c->step, v, by);
  if (c->value) c->value = tt_expr_subst(a, c->value, v, by);
  if (c->kind == TT_ST_STORE) {
    c->idx = tt_arena_alloc(a, sizeof(tt_expr *) * (s->nidx + 1));
    for (size_t i = 0; i < s->nidx; i++)
      c->idx[i] = tt_expr_subst(a, s->idx[i], v, by);
  }
  if (c->kind == TT_ST_ASSIGN && from && strcmp(c->name, from) == 0) c->name = to;
  if (s->nbody) {
    c->body = tt_arena_alloc(a, sizeof(tt_stmt *) * s->nbody);
    for (size_t i = 0; i < s->nbody; i++)
      if (s->body[i] && !(c->body[i] = subst(a, s->body[i], v, by, from, to))) return NULL;
  }
  return c;
}

/* The type of the let named `name` in root (the element type when none). */
static tt_dtype let_type(const tt_stmt *root, const char *name, tt_dtype dflt) {
  if (!root) return dflt;
  if (root->kind == TT_ST_LET && strcmp(root->name, name) == 0) return root->type;
  for (size_t i = 0; i < root->nbody; i++) {
    tt_dtype t = let_type(root->body[i], name, TT_DT_BOOL);
    if (t != TT_DT_BOOL) return t;
  }
  return dflt;
}

/* The chunked form of vectorized reduction loop f (see above), or NULL. */
static tt_stmt *chunk(tt_lower_ctx *cx, const tt_stmt *root, const tt_stmt *f, int *id) {
  tt_arena *a = cx->sc.a;
  int u = f->unroll;
  const char *s = f->red_var, *c = tt_arena_printf(a, "tt_c%d", *id),
             *t = tt_arena_printf(a, "tt_t%d", *id);
  tt_dtype ty = let_type(root, s, cx->sc.k->dtype);
  tt_stmt_list l = {0}, body = {0};
  tt_expr *ext = tt_expr_simplify(a, tt_ex_max(a, tt_ex_sub(a, f->hi, f->lo), tt_ex_int(a, 0)));
  tt_stmt_list_push(a, &l,
                    tt_st_let(a, TT_DT_INT, c, tt_ex_bin(a, TT_OP_FLOORDIV, ext, tt_ex_int(a, u))));
  const char *reds = s;
  tt_expr *total = NULL;
  for (int j = 0; j < u; j++) {
    const char *part = j ? tt_arena_printf(a, "%s_%d", c, j) : s;
    tt_expr *k = tt_ex_add(a, tt_ex_add(a, f->lo, tt_ex_mul(a, tt_ex_var(a, c), tt_ex_int(a, j))),
                           tt_ex_var(a, t));
    tt_stmt *b = subst(a, f->body[0], f->var, tt_expr_simplify(a, k), s, part);
    if (!b) return NULL;
    tt_stmt_list_push(a, &body, b);
    if (!j) continue;
    tt_stmt_list_push(
        a, &l, tt_st_let(a, ty, part, ty == TT_DT_INT ? tt_ex_int(a, 0) : tt_ex_float(a, 0.0)));
    reds = tt_arena_printf(a, "%s, %s", reds, part);
    tt_expr *pv = tt_ex_var(a, part);
    pv->type = ty;
    total = total ? tt_ex_add(a, total, pv) : pv;
  }
  tt_stmt *main = tt_st_for(a, t, tt_ex_int(a, 0), tt_ex_var(a, c), tt_stmt_list_block(a, &body));
  main->loop_kind = TT_LOOP_VECTORIZED;
  main->red_var = reds;
  main->red_op = TT_RED_SUM;
  tt_stmt_list_push(a, &l, main);
  tt_stmt *rest = tt_stmt_clone(a, f);
  rest->lo =
      tt_expr_simplify(a, tt_ex_add(a, f->lo, tt_ex_mul(a, tt_ex_var(a, c), tt_ex_int(a, u))));
  rest->unroll = 0;
  tt_stmt_list_push(a, &l, rest);
  tt_stmt_list_push(a, &l, tt_st_assign(a, s, '+', total));
  (*id)++;
  return tt_stmt_list_block(a, &l);
}

/* Rewrites every vectorized, unrolled reduction loop in s. */
static tt_stmt *walk(tt_lower_ctx *cx, const tt_stmt *root, tt_stmt *s, int *id) {
  if (!s) return NULL;
  if (s->kind == TT_ST_FOR && s->loop_kind == TT_LOOP_VECTORIZED && s->red_var && s->unroll > 1 &&
      s->red_op == TT_RED_SUM && !s->step) {
    tt_stmt *r = chunk(cx, root, s, id);
    if (r) return r;
  }
  if (!s->nbody) return s;
  tt_stmt *c = tt_stmt_clone(cx->sc.a, s);
  c->body = tt_arena_alloc(cx->sc.a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++)
    c->body[i] = walk(cx, root, s->body[i], id);
  return c;
}

tt_status tt_pass_chunk_reductions(tt_lower_ctx *cx, tt_stmt **body) {
  int id = 0;
  *body = walk(cx, *body, *body, &id);
  return TT_OK;
}
