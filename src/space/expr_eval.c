/* Evaluator for the expression language of expr.h: every value is a double,
 * truth is non-zero, comparisons and logic yield 0 or 1. */
#include <math.h>
#include <string.h>

#include "space/expr.h"
#include "tetune/space.h"

/* 1 when x is an integer-valued double. */
static int integral(double x) {
  return x == floor(x) && fabs(x) < 9007199254740992.0;
}

/* a / b: floor division when both are integral, true division otherwise. */
static int divide(double a, double b, int force_floor, double *out) {
  if (b == 0) return -1;
  double q = a / b;
  *out = (force_floor || (integral(a) && integral(b))) ? floor(q) : q;
  return 0;
}

/* a % b with the sign of b (Python semantics). */
static int modulo(double a, double b, double *out) {
  if (b == 0) return -1;
  *out = a - b * floor(a / b);
  return 0;
}

/* min/max/abs/int over already evaluated arguments. */
static int call(const char *fn, const double *v, size_t n, double *out) {
  if ((strcmp(fn, "abs") == 0 || strcmp(fn, "int") == 0) && n == 1) {
    *out = fn[0] == 'a' ? fabs(v[0]) : trunc(v[0]);
    return 0;
  }
  int is_min = strcmp(fn, "min") == 0;
  if ((!is_min && strcmp(fn, "max") != 0) || n == 0) return -1;
  double r = v[0];
  for (size_t i = 1; i < n; i++)
    r = is_min ? fmin(r, v[i]) : fmax(r, v[i]);
  *out = r;
  return 0;
}

/* Evaluates a call or an 'in' list (arguments up to 16). */
static int eval_list(const tt_cexpr *e, const double *slots, double *out) {
  double v[16];
  if (e->nargs > 16) return -1;
  for (size_t i = 0; i < e->nargs; i++)
    if (tt_cexpr_eval(e->args[i], slots, &v[i]) < 0) return -1;
  if (e->op == TT_CX_CALL) return call(e->str, v, e->nargs, out);
  double x;
  if (tt_cexpr_eval(e->a, slots, &x) < 0) return -1;
  *out = 0;
  for (size_t i = 0; i < e->nargs; i++)
    if (v[i] == x) *out = 1;
  return 0;
}

/* A binary arithmetic or comparison operator applied to a and b. */
static int binary(tt_cexpr_op op, double a, double b, double *out) {
  switch (op) {
  case TT_CX_ADD:
    *out = a + b;
    return 0;
  case TT_CX_SUB:
    *out = a - b;
    return 0;
  case TT_CX_MUL:
    *out = a * b;
    return 0;
  case TT_CX_DIV:
    return divide(a, b, 0, out);
  case TT_CX_FDIV:
    return divide(a, b, 1, out);
  case TT_CX_MOD:
    return modulo(a, b, out);
  case TT_CX_POW:
    *out = pow(a, b);
    return isfinite(*out) ? 0 : -1;
  case TT_CX_EQ:
    *out = a == b;
    return 0;
  case TT_CX_NE:
    *out = a != b;
    return 0;
  case TT_CX_LT:
    *out = a < b;
    return 0;
  case TT_CX_LE:
    *out = a <= b;
    return 0;
  case TT_CX_GT:
    *out = a > b;
    return 0;
  case TT_CX_GE:
    *out = a >= b;
    return 0;
  default:
    return -1;
  }
}

/* Evaluates e; see expr.h. */
int tt_cexpr_eval(const tt_cexpr *e, const double *slots, double *out) {
  double a, b;
  switch (e->op) {
  case TT_CX_NUM:
    *out = e->num;
    return 0;
  case TT_CX_SLOT:
    *out = slots[e->slot];
    return 0;
  case TT_CX_STR:
  case TT_CX_NAME:
    return -1;
  case TT_CX_CALL:
  case TT_CX_IN:
    return eval_list(e, slots, out);
  case TT_CX_NEG:
  case TT_CX_NOT:
    if (tt_cexpr_eval(e->a, slots, &a) < 0) return -1;
    *out = e->op == TT_CX_NEG ? -a : (a == 0);
    return 0;
  case TT_CX_AND:
  case TT_CX_OR: /* short-circuit, as both C and Python do */
    if (tt_cexpr_eval(e->a, slots, &a) < 0) return -1;
    if ((e->op == TT_CX_AND) == (a == 0)) {
      *out = a != 0;
      return 0;
    }
    if (tt_cexpr_eval(e->b, slots, &b) < 0) return -1;
    *out = b != 0;
    return 0;
  default:
    if (tt_cexpr_eval(e->a, slots, &a) < 0 || tt_cexpr_eval(e->b, slots, &b) < 0) return -1;
    return binary(e->op, a, b, out);
  }
}

typedef struct one_var {
  const char *var, *what;
} one_var;

/* Binds the name ov->var (if any) to slot 0; any other name or a string is
 * an error. */
static tt_status bind_one(void *ctx, tt_cexpr *e, const tt_cexpr *parent, tt_error *err) {
  const one_var *ov = ctx;
  if (e->op == TT_CX_NAME && ov->var && strcmp(e->str, ov->var) == 0) {
    e->op = TT_CX_SLOT;
    e->slot = 0;
  } else if (e->op == TT_CX_NAME || e->op == TT_CX_STR) {
    return tt_error_set(err, TT_ERR_USAGE, "%s: cannot evaluate '%s'", ov->what, e->str);
  }
  return TT_OK;
}

/* See tetune/space.h. */
tt_status tt_space_eval_expr(const char *expr, const char *var, double x, const char *what,
                             double *out, tt_error *err) {
  tt_arena *a = tt_arena_new();
  one_var ov = {var, what};
  tt_status st = TT_OK;
  tt_cexpr *e = tt_cexpr_parse(a, expr, what, err);
  if (!e || tt_cexpr_walk(e, bind_one, &ov, err) != TT_OK)
    st = TT_ERR_USAGE;
  else if (tt_cexpr_eval(e, &x, out) < 0)
    st = tt_error_set(err, TT_ERR_USAGE, "%s: cannot evaluate '%s'", what, expr);
  tt_arena_free(a);
  return st;
}
