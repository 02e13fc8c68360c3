/* The simplifier: constant folding and cheap algebraic identities, bottom
 * up. Integer rules use exact int64 arithmetic (no folding on overflow or
 * division by zero). Floating rules only fold what evaluates identically
 * at run time (literal arithmetic, x*1.0, x/1.0, x-0.0, min(x, x)); x+0.0
 * is left alone because -0.0 + 0.0 is +0.0. */
#include "tetune/ir.h"

#include <math.h>
#include <string.h>

#include "ir/arith.h"

/* An integer literal of type t (int or bool) at loc. */
static tt_expr *mk_int(tt_arena *a, int64_t v, tt_dtype t, tt_loc loc) {
  tt_expr *e = tt_ex_int(a, v);
  e->type = t == TT_DT_BOOL ? TT_DT_BOOL : TT_DT_INT;
  e->loc = loc;
  return e;
}

/* A float literal of type t (f32 values are rounded to float). */
static tt_expr *mk_float(tt_arena *a, double v, tt_dtype t, tt_loc loc) {
  tt_expr *e = tt_ex_float(a, t == TT_DT_F32 ? (double)(float)v : v);
  e->type = t == TT_DT_F32 ? TT_DT_F32 : TT_DT_F64;
  e->loc = loc;
  return e;
}

/* 1 when e is an int-valued literal; *v gets its value. */
static int int_lit(const tt_expr *e, int64_t *v) {
  return tt_expr_const_int(e, v);
}

/* 1 when e is a float literal equal to v. */
static int float_is(const tt_expr *e, double v) {
  return e->kind == TT_EX_FLOAT && e->fval == v;
}

/* 1 when e is an integer-typed (not bool, not float) expression. */
static int is_int(const tt_expr *e) {
  return e->type == TT_DT_INT;
}

/* Splits e into base + c for an int expression (base NULL for a literal). */
static void split_off(const tt_expr *e, const tt_expr **base, int64_t *c) {
  int64_t v;
  *base = e;
  *c = 0;
  if (int_lit(e, &v)) {
    *base = NULL;
    *c = v;
  } else if (e->kind == TT_EX_BINARY && int_lit(e->args[1], &v)) {
    if (e->op == TT_OP_ADD) {
      *base = e->args[0];
      *c = v;
    } else if (e->op == TT_OP_SUB && v != INT64_MIN) {
      *base = e->args[0];
      *c = -v;
    }
  }
}

/* base + c, written base - |c| for negative c. */
static tt_expr *make_off(tt_arena *a, const tt_expr *base, int64_t c, tt_loc loc) {
  if (base == NULL) return mk_int(a, c, TT_DT_INT, loc);
  if (c == 0) return (tt_expr *)base;
  if (c < 0 && c != INT64_MIN) return tt_ex_sub(a, (tt_expr *)base, mk_int(a, -c, TT_DT_INT, loc));
  return tt_ex_add(a, (tt_expr *)base, mk_int(a, c, TT_DT_INT, loc));
}

/* Integer x + y and x - y: constant offsets are gathered into one literal
 * on the right; (x + c) - x gives c, (x + y) - x gives y. */
static tt_expr *simplify_additive(tt_arena *a, tt_expr *e) {
  const tt_expr *bx, *by;
  int64_t cx, cy, c;
  int sub = e->op == TT_OP_SUB;
  split_off(e->args[0], &bx, &cx);
  split_off(e->args[1], &by, &cy);
  if (sub ? __builtin_sub_overflow(cx, cy, &c) : __builtin_add_overflow(cx, cy, &c)) return e;
  if (by == NULL) return make_off(a, bx, c, e->loc);
  if (!sub) {
    if (bx == NULL) return make_off(a, by, c, e->loc);
    if (cx == 0 && cy == 0) return e;
    return make_off(a, tt_ex_add(a, (tt_expr *)bx, (tt_expr *)by), c, e->loc);
  }
  if (bx == NULL) return cy == 0 ? e : tt_ex_sub(a, mk_int(a, c, TT_DT_INT, e->loc), (tt_expr *)by);
  if (tt_expr_equal(bx, by)) return mk_int(a, c, TT_DT_INT, e->loc);
  if (bx->kind == TT_EX_BINARY && bx->op == TT_OP_ADD) {
    if (tt_expr_equal(bx->args[0], by)) return make_off(a, bx->args[1], c, e->loc);
    if (tt_expr_equal(bx->args[1], by)) return make_off(a, bx->args[0], c, e->loc);
  }
  if (cx == 0 && cy == 0) return e;
  return make_off(a, tt_ex_sub(a, (tt_expr *)bx, (tt_expr *)by), c, e->loc);
}

/* Folds a binary node whose operands are both literals; NULL if not. */
static tt_expr *fold_literals(tt_arena *a, tt_expr *e) {
  tt_expr *x = e->args[0], *y = e->args[1];
  tt_binop op = (tt_binop)e->op;
  int64_t xi, yi, r;
  if (x->kind == TT_EX_STRING && y->kind == TT_EX_STRING && (op == TT_OP_EQ || op == TT_OP_NE))
    return mk_int(a, (strcmp(x->name, y->name) == 0) == (op == TT_OP_EQ), TT_DT_BOOL, e->loc);
  if (int_lit(x, &xi) && int_lit(y, &yi)) {
    if (op == TT_OP_DIV)
      return yi == 0 ? NULL : mk_float(a, (double)xi / (double)yi, e->type, e->loc);
    return tt_int_binop(op, xi, yi, &r) ? mk_int(a, r, e->type, e->loc) : NULL;
  }
  int xl = x->kind == TT_EX_INT || x->kind == TT_EX_FLOAT;
  int yl = y->kind == TT_EX_INT || y->kind == TT_EX_FLOAT;
  if (!xl || !yl) return NULL;
  double xv = x->kind == TT_EX_INT ? (double)x->ival : x->fval;
  double yv = y->kind == TT_EX_INT ? (double)y->ival : y->fval;
  tt_dtype t = tt_dtype_promote(x->type, y->type);
  if (t == TT_DT_F32) {
    xv = (float)xv;
    yv = (float)yv;
  }
  if (isnan(xv) || isnan(yv)) return NULL;
  /* float //, % and && || are left to run time, and so is a division by
   * zero */
  double f;
  if (op == TT_OP_FLOORDIV || op == TT_OP_MOD || (op == TT_OP_DIV && yv == 0)) return NULL;
  if (tt_float_arith(op, xv, yv, &f)) return mk_float(a, f, t, e->loc);
  int c = tt_float_compare(op, xv, yv);
  return c < 0 ? NULL : mk_int(a, c, TT_DT_BOOL, e->loc);
}

/* Integer identities: x*1, x*0, x//1, x%1, (x*c1)*c2, offsets. */
static tt_expr *simplify_int_binary(tt_arena *a, tt_expr *e) {
  tt_expr *x = e->args[0], *y = e->args[1];
  int64_t xv = 0, yv = 0, r;
  int xl = int_lit(x, &xv), yl = int_lit(y, &yv);
  switch ((tt_binop)e->op) {
  case TT_OP_ADD:
  case TT_OP_SUB:
    return simplify_additive(a, e);
  case TT_OP_MUL:
    if ((yl && yv == 0) || (xl && xv == 1)) return y;
    if ((xl && xv == 0) || (yl && yv == 1)) return x;
    if (yl && x->kind == TT_EX_BINARY && x->op == TT_OP_MUL && int_lit(x->args[1], &xv) &&
        tt_int_binop(TT_OP_MUL, xv, yv, &r))
      return tt_ex_mul(a, x->args[0], mk_int(a, r, TT_DT_INT, e->loc));
    return e;
  case TT_OP_FLOORDIV:
    return yl && yv == 1 ? x : e;
  case TT_OP_MOD:
    return yl && (yv == 1 || yv == -1) ? mk_int(a, 0, TT_DT_INT, e->loc) : e;
  case TT_OP_MIN:
  case TT_OP_MAX: {
    const tt_expr *bx, *by;
    int64_t cx, cy;
    split_off(x, &bx, &cx);
    split_off(y, &by, &cy);
    if (bx != NULL && tt_expr_equal(bx, by))
      return make_off(a, bx, e->op == TT_OP_MIN ? (cx < cy ? cx : cy) : (cx > cy ? cx : cy),
                      e->loc);
    return e;
  }
  default:
    return e;
  }
}

/* Identities valid for every type, and the exact floating ones. */
static tt_expr *simplify_any_binary(tt_arena *a, tt_expr *e) {
  tt_expr *x = e->args[0], *y = e->args[1];
  int64_t v;
  switch ((tt_binop)e->op) {
  case TT_OP_MIN:
  case TT_OP_MAX:
    return tt_expr_equal(x, y) ? x : e;
  case TT_OP_MUL:
    if (float_is(y, 1.0) && x->type == e->type) return x;
    if (float_is(x, 1.0) && y->type == e->type) return y;
    return e;
  case TT_OP_DIV:
    return float_is(y, 1.0) && x->type == e->type ? x : e;
  case TT_OP_SUB:
    return float_is(y, 0.0) && x->type == e->type ? x : e;
  case TT_OP_AND:
    if (int_lit(x, &v))
      return v == 0 ? mk_int(a, 0, TT_DT_BOOL, e->loc) : (y->type == TT_DT_BOOL ? y : e);
    return e;
  case TT_OP_OR:
    if (int_lit(x, &v))
      return v != 0 ? mk_int(a, 1, TT_DT_BOOL, e->loc) : (y->type == TT_DT_BOOL ? y : e);
    return e;
  case TT_OP_EQ:
  case TT_OP_LE:
  case TT_OP_GE:
    return is_int(x) && is_int(y) && tt_expr_equal(x, y) ? mk_int(a, 1, TT_DT_BOOL, e->loc) : e;
  case TT_OP_NE:
  case TT_OP_LT:
  case TT_OP_GT:
    return is_int(x) && is_int(y) && tt_expr_equal(x, y) ? mk_int(a, 0, TT_DT_BOOL, e->loc) : e;
  default:
    return e;
  }
}

/* Rules for a binary node whose operands are already simplified. */
static tt_expr *simplify_binary(tt_arena *a, tt_expr *e) {
  tt_expr *f = fold_literals(a, e);
  if (f != NULL) return f;
  if (is_int(e) && is_int(e->args[0]) && is_int(e->args[1])) {
    f = simplify_int_binary(a, e);
    if (f != e) return f;
  }
  return simplify_any_binary(a, e);
}

/* Rules for unary, select, cast and call nodes (children simplified). */
static tt_expr *simplify_other(tt_arena *a, tt_expr *e) {
  tt_expr *x = e->nargs > 0 ? e->args[0] : NULL;
  int64_t v;
  switch (e->kind) {
  case TT_EX_UNARY:
    if (e->op == TT_OP_NOT) return int_lit(x, &v) ? mk_int(a, v == 0, TT_DT_BOOL, e->loc) : e;
    if (int_lit(x, &v) && v != INT64_MIN) return mk_int(a, -v, e->type, e->loc);
    if (x->kind == TT_EX_FLOAT) return mk_float(a, -x->fval, x->type, e->loc);
    if (x->kind == TT_EX_UNARY && x->op == TT_OP_NEG) return x->args[0];
    return e;
  case TT_EX_SELECT: {
    tt_expr *pick = int_lit(x, &v) ? e->args[v ? 1 : 2] : NULL;
    if (pick == NULL && tt_expr_equal(e->args[1], e->args[2])) pick = e->args[1];
    if (pick == NULL) return e;
    return pick->type == e->type ? pick : tt_ex_cast(a, e->type, pick);
  }
  case TT_EX_CAST:
    if (x->type == e->type) return x;
    if (int_lit(x, &v) && tt_dtype_is_float(e->type))
      return mk_float(a, (double)v, e->type, e->loc);
    if (x->kind == TT_EX_FLOAT && e->type == TT_DT_INT && isfinite(x->fval) &&
        fabs(x->fval) < 9.0e18)
      return mk_int(a, (int64_t)x->fval, TT_DT_INT, e->loc);
    return e;
  case TT_EX_CALL:
    if (e->nargs == 1 && x->kind == TT_EX_FLOAT && strcmp(e->name, "fabs") == 0)
      return mk_float(a, fabs(x->fval), e->type, e->loc);
    if (e->nargs == 1 && x->kind == TT_EX_FLOAT && x->fval >= 0 && strcmp(e->name, "sqrt") == 0)
      return mk_float(a, sqrt(x->fval), e->type, e->loc);
    return e;
  default:
    return e;
  }
}

/* Simplifies the children of e; returns e itself when none changed, else
 * a copy with the new children. */
static tt_expr *simplify_children(tt_arena *a, const tt_expr *e) {
  tt_expr **args = NULL;
  tt_range *ranges = NULL;
  for (size_t i = 0; i < e->nargs; i++) {
    tt_expr *c = tt_expr_simplify(a, e->args[i]);
    if (c != e->args[i] && args == NULL) {
      args = tt_arena_alloc(a, e->nargs * sizeof *args);
      memcpy(args, e->args, e->nargs * sizeof *args);
    }
    if (args != NULL) args[i] = c;
  }
  for (size_t i = 0; i < e->nranges; i++) {
    tt_expr *lo = tt_expr_simplify(a, e->ranges[i].lo);
    tt_expr *hi = tt_expr_simplify(a, e->ranges[i].hi);
    if ((lo != e->ranges[i].lo || hi != e->ranges[i].hi) && ranges == NULL) {
      ranges = tt_arena_alloc(a, e->nranges * sizeof *ranges);
      memcpy(ranges, e->ranges, e->nranges * sizeof *ranges);
    }
    if (ranges != NULL) {
      ranges[i].lo = lo;
      ranges[i].hi = hi;
    }
  }
  if (args == NULL && ranges == NULL) return (tt_expr *)e;
  tt_expr *c = tt_arena_alloc(a, sizeof *c);
  *c = *e;
  if (args != NULL) c->args = args;
  if (ranges != NULL) c->ranges = ranges;
  return c;
}

/* Simplifies e bottom-up; returns e itself when nothing changed. */
tt_expr *tt_expr_simplify(tt_arena *a, const tt_expr *e) {
  if (e == NULL) return NULL;
  tt_expr *c = simplify_children(a, e);
  switch (c->kind) {
  case TT_EX_BINARY:
    return simplify_binary(a, c);
  case TT_EX_UNARY:
  case TT_EX_SELECT:
  case TT_EX_CAST:
  case TT_EX_CALL:
    return simplify_other(a, c);
  default:
    return c;
  }
}
