/* Internal header of src/ir: integer arithmetic shared by the simplifier
 * and the evaluator, so constant folding and evaluation agree exactly. */
#ifndef TT_IR_ARITH_H
#define TT_IR_ARITH_H

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
  case TT_OP_LT:
    r = x < y;
    break;
  case TT_OP_LE:
    r = x <= y;
    break;
  case TT_OP_GT:
    r = x > y;
    break;
  case TT_OP_GE:
    r = x >= y;
    break;
  case TT_OP_EQ:
    r = x == y;
    break;
  case TT_OP_NE:
    r = x != y;
    break;
  case TT_OP_AND:
    r = x && y;
    break;
  case TT_OP_OR:
    r = x || y;
    break;
  default:
    return 0;
  }
  *out = r;
  return 1;
}

#endif
