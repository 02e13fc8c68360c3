/* Internal to src (space and objective): a small expression language for
 * space constraints and recorded datasets' value lists. C and Python
 * spellings are both accepted:
 *
 *   or: || or      and: && and      not: ! (C precedence), not (Python's)
 *   comparisons == != < <= > >= (chained as in Python: a < b < c),
 *   x in [e, ...] / x not in (e, ...)
 *   + - * / // % **, unary - +, numbers, 'strings' "strings", True False,
 *   names, calls min(...) max(...) abs(x) int(x)
 *
 * / and % use floor semantics when both operands are integral (C-like
 * integer division, Python-like sign of %); // always floors.
 * Parsing yields an AST in an arena with names unresolved; the user binds
 * names (tt_cexpr_walk) to slots or constants before evaluating. */
#ifndef TT_SPACE_EXPR_H
#define TT_SPACE_EXPR_H

#include "tetune/support.h"

typedef enum tt_cexpr_op {
  TT_CX_NUM,  /* num */
  TT_CX_STR,  /* str: a string literal, must be bound to a number */
  TT_CX_NAME, /* str: an unbound name */
  TT_CX_SLOT, /* slot: reads slots[slot] */
  TT_CX_NEG,
  TT_CX_NOT,
  TT_CX_ADD,
  TT_CX_SUB,
  TT_CX_MUL,
  TT_CX_DIV,
  TT_CX_FDIV,
  TT_CX_MOD,
  TT_CX_POW,
  TT_CX_EQ,
  TT_CX_NE,
  TT_CX_LT,
  TT_CX_LE,
  TT_CX_GT,
  TT_CX_GE,
  TT_CX_AND,
  TT_CX_OR,
  TT_CX_IN,  /* a in args[0..nargs) */
  TT_CX_CALL /* str(args...) with str one of min max abs int */
} tt_cexpr_op;

typedef struct tt_cexpr tt_cexpr;
struct tt_cexpr {
  tt_cexpr_op op;
  double num;
  const char *str;
  int slot;
  tt_cexpr *a, *b;
  tt_cexpr **args;
  size_t nargs;
};

/* Parses text into an AST allocated in arena. On a syntax error returns
 * NULL and sets err (TT_ERR_USAGE) to "<what>: <problem> at column N". */
tt_cexpr *tt_cexpr_parse(tt_arena *arena, const char *text, const char *what, tt_error *err);

/* Calls visit(ctx, node, parent) for every node, parents before children
 * (parent is NULL for the root). visit may rewrite the node in place (e.g.
 * NAME -> SLOT or NUM). Stops at the first status other than TT_OK. */
typedef tt_status (*tt_cexpr_visit)(void *ctx, tt_cexpr *node, const tt_cexpr *parent,
                                    tt_error *err);
tt_status tt_cexpr_walk(tt_cexpr *e, tt_cexpr_visit visit, void *ctx, tt_error *err);

/* Evaluates e, reading TT_CX_SLOT nodes from slots. Returns 0 and sets *out,
 * or -1 on an evaluation error (division by zero, unbound name or string). */
int tt_cexpr_eval(const tt_cexpr *e, const double *slots, double *out);

#endif
