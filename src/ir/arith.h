/* Internal header of src/ir: integer arithmetic shared by the simplifier
 * and the evaluator, so constant folding and evaluation agree exactly. */
#ifndef TT_IR_ARITH_H
#define TT_IR_ARITH_H

#include <math.h>
#include <stdint.h>

#include "tetune/ir.h"

/* Floor division; the caller guarantees y != 0 and not (INT64_MIN, -1). */
static inline int64_t tt_floordiv(int64_t x, int64_t y) {
  int64_t q = x / y;
  if (x % y != 0 && ((x < 0) != (y < 0))) q--;
  return q;
}

/* Floor modulo: the result has the sign of y (y != 0). */
static inline int64_t tt_floormod(int64_t x, int64_t y) {
  if (y == -1) return 0;
  int64_t r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}

/* The truth (0 or 1) of comparison op from the operands' order: lt, eq,
 * gt, at most one of them set (none for a NaN, which compares unequal to
 * everything), so that integer and floating comparisons share one switch.
 * -1 when op is not a comparison. */
static inline int tt_cmp_truth(tt_binop op, int lt, int eq, int gt) {
  switch (op) {
  case TT_OP_LT:
    return lt;
  case TT_OP_LE:
    return lt || eq;
  case TT_OP_GT:
    return gt;
  case TT_OP_GE:
    return gt || eq;
  case TT_OP_EQ:
    return eq;
  case TT_OP_NE:
    return !eq;
  default:
    return -1;
  }
}

static inline int tt_int_compare(tt_binop op, int64_t x, int64_t y) {
  return tt_cmp_truth(op, x<y, x == y, x> y);
}

static inline int tt_float_compare(tt_binop op, double x, double y) {
  return tt_cmp_truth(op, x<y, x == y, x> y);
}

/* Applies a floating arithmetic operator (+ - * / // % min max): 1 and
 * *out, or 0 when op is not one of them. IEEE semantics: x / 0 is an
 * infinity or a NaN; // and % floor. */
static inline int tt_float_arith(tt_binop op, double x, double y, double *out) {
  switch (op) {
  case TT_OP_ADD:
    *out = x + y;
    return 1;
  case TT_OP_SUB:
    *out = x - y;
    return 1;
  case TT_OP_MUL:
    *out = x * y;
    return 1;
  case TT_OP_DIV:
    *out = x / y;
    return 1;
  case TT_OP_FLOORDIV:
    *out = floor(x / y);
    return 1;
  case TT_OP_MOD:
    *out = x - floor(x / y) * y;
    return 1;
  case TT_OP_MIN:
    *out = x < y ? x : y;
    return 1;
  case TT_OP_MAX:
    *out = x > y ? x : y;
    return 1;
  default:
    return 0;
  }
}

/* Applies an integer binary operator (all but DIV). Returns 0 when the
 * result is undefined (division by zero, overflow) and leaves *out alone. */
static inline int tt_int_binop(tt_binop op, int64_t x, int64_t y, int64_t *out) {
  int64_t r;
  switch (op) {
  case TT_OP_ADD:
    if (__builtin_add_overflow(x, y, &r)) return 0;
    break;
  case TT_OP_SUB:
    if (__builtin_sub_overflow(x, y, &r)) return 0;
    break;
  case TT_OP_MUL:
    if (__builtin_mul_overflow(x, y, &r)) return 0;
    break;
  case TT_OP_FLOORDIV:
    if (y == 0 || (x == INT64_MIN && y == -1)) return 0;
    r = tt_floordiv(x, y);
    break;
  case TT_OP_MOD:
    if (y == 0) return 0;
    r = tt_floormod(x, y);
    break;
  case TT_OP_MIN:
    r = x < y ? x : y;
    break;
  case TT_OP_MAX:
    r = x > y ? x : y;
    break;
  case TT_OP_AND:
    r = x && y;
    break;
  case TT_OP_OR:
    r = x || y;
    break;
  default:
    r = tt_int_compare(op, x, y);
    if (r < 0) return 0;
  }
  *out = r;
  return 1;
}

#endif
