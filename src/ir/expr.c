/* Expression nodes: constructors with type inference, structural
 * comparison, variable queries and substitution. */
#include "tetune/ir.h"

#include <assert.h>
#include <string.h>

/* Returns 1 for the floating element types. */
int tt_dtype_is_float(tt_dtype t) {
  return t == TT_DT_F32 || t == TT_DT_F64;
}

/* Arithmetic promotion: f64 wins over f32 wins over int (bool is int). */
tt_dtype tt_dtype_promote(tt_dtype x, tt_dtype y) {
  if (x == TT_DT_F64 || y == TT_DT_F64) return TT_DT_F64;
  if (x == TT_DT_F32 || y == TT_DT_F32) return TT_DT_F32;
  return TT_DT_INT;
}

/* Type of a binary node from its operand types. */
static tt_dtype binop_type(tt_binop op, tt_dtype x, tt_dtype y) {
  switch (op) {
  case TT_OP_LT:
  case TT_OP_LE:
  case TT_OP_GT:
  case TT_OP_GE:
  case TT_OP_EQ:
  case TT_OP_NE:
  case TT_OP_AND:
  case TT_OP_OR:
    return TT_DT_BOOL;
  case TT_OP_DIV: {
    tt_dtype t = tt_dtype_promote(x, y);
    return t == TT_DT_INT ? TT_DT_F64 : t;
  }
  default:
    return tt_dtype_promote(x, y);
  }
}

/* Recomputes e->type from its children; leaves (VAR, LOAD) keep theirs. */
void tt_expr_infer_type(tt_expr *e) {
  switch (e->kind) {
  case TT_EX_INT:
    e->type = e->type == TT_DT_BOOL ? TT_DT_BOOL : TT_DT_INT;
    break;
  case TT_EX_FLOAT:
    e->type = e->type == TT_DT_F32 ? TT_DT_F32 : TT_DT_F64;
    break;
  case TT_EX_BINARY:
    e->type = binop_type((tt_binop)e->op, e->args[0]->type, e->args[1]->type);
    break;
  case TT_EX_UNARY:
    e->type = e->op == TT_OP_NOT ? TT_DT_BOOL : tt_dtype_promote(e->args[0]->type, TT_DT_INT);
    break;
  case TT_EX_SELECT:
    e->type = tt_dtype_promote(e->args[1]->type, e->args[2]->type);
    break;
  case TT_EX_CALL: {
    tt_dtype t = TT_DT_INT;
    for (size_t i = 0; i < e->nargs; i++)
      t = tt_dtype_promote(t, e->args[i]->type);
    e->type = t == TT_DT_INT ? TT_DT_F64 : t;
    break;
  }
  case TT_EX_REDUCE:
    e->type = e->args[0]->type;
    break;
  default:
    break; /* VAR, LOAD, CAST, STRING: set by their constructor or resolver */
  }
}

/* Allocates a node of the given kind with n argument slots. */
static tt_expr *ex_new(tt_arena *a, tt_expr_kind kind, size_t nargs) {
  tt_expr *e = tt_arena_alloc(a, sizeof *e);
  e->kind = kind;
  e->type = TT_DT_INT;
  e->nargs = nargs;
  if (nargs > 0) e->args = tt_arena_alloc(a, nargs * sizeof *e->args);
  return e;
}

/* Copies n argument pointers into the arena. */
static tt_expr **ex_args(tt_arena *a, tt_expr **args, size_t n) {
  if (n == 0) return NULL;
  tt_expr **p = tt_arena_alloc(a, n * sizeof *p);
  memcpy(p, args, n * sizeof *p);
  return p;
}

/* Integer literal. */
tt_expr *tt_ex_int(tt_arena *a, int64_t v) {
  tt_expr *e = ex_new(a, TT_EX_INT, 0);
  e->ival = v;
  return e;
}

/* Floating literal (f64). */
tt_expr *tt_ex_float(tt_arena *a, double v) {
  tt_expr *e = ex_new(a, TT_EX_FLOAT, 0);
  e->type = TT_DT_F64;
  e->fval = v;
  return e;
}

/* Variable reference; typed int until a resolver says otherwise. */
tt_expr *tt_ex_var(tt_arena *a, const char *name) {
  tt_expr *e = ex_new(a, TT_EX_VAR, 0);
  e->name = tt_arena_strdup(a, name);
  return e;
}

/* A label (value of a categorical knob). */
tt_expr *tt_ex_string(tt_arena *a, const char *label) {
  tt_expr *e = ex_new(a, TT_EX_STRING, 0);
  e->name = tt_arena_strdup(a, label);
  return e;
}

/* Tensor element; typed f64 until a resolver sets the tensor's type. */
tt_expr *tt_ex_load(tt_arena *a, const char *tensor, tt_expr **idx, size_t n) {
  tt_expr *e = ex_new(a, TT_EX_LOAD, 0);
  e->type = TT_DT_F64;
  e->name = tt_arena_strdup(a, tensor);
  e->nargs = n;
  e->args = ex_args(a, idx, n);
  return e;
}

/* Binary operation; the type follows tt_dtype_promote's rules. */
tt_expr *tt_ex_bin(tt_arena *a, tt_binop op, tt_expr *x, tt_expr *y) {
  assert(x != NULL && y != NULL);
  tt_expr *e = ex_new(a, TT_EX_BINARY, 2);
  e->op = (int)op;
  e->args[0] = x;
  e->args[1] = y;
  e->loc = x->loc;
  tt_expr_infer_type(e);
  return e;
}

/* Unary operation (negation keeps the type, ! gives bool). */
tt_expr *tt_ex_un(tt_arena *a, tt_unop op, tt_expr *x) {
  assert(x != NULL);
  tt_expr *e = ex_new(a, TT_EX_UNARY, 1);
  e->op = (int)op;
  e->args[0] = x;
  e->loc = x->loc;
  tt_expr_infer_type(e);
  return e;
}

/* c ? x : y, typed by promoting x and y. */
tt_expr *tt_ex_select(tt_arena *a, tt_expr *c, tt_expr *x, tt_expr *y) {
  tt_expr *e = ex_new(a, TT_EX_SELECT, 3);
  e->args[0] = c;
  e->args[1] = x;
  e->args[2] = y;
  e->loc = c->loc;
  tt_expr_infer_type(e);
  return e;
}

/* Math call; floating (f64 unless its arguments are f32). */
tt_expr *tt_ex_call(tt_arena *a, const char *fn, tt_expr **args, size_t n) {
  tt_expr *e = ex_new(a, TT_EX_CALL, 0);
  e->name = tt_arena_strdup(a, fn);
  e->nargs = n;
  e->args = ex_args(a, args, n);
  tt_expr_infer_type(e);
  return e;
}

/* Reduction over the given axes (ranges are copied). */
tt_expr *tt_ex_reduce(tt_arena *a, tt_redop op, tt_range *ranges, size_t nranges, tt_expr *body) {
  tt_expr *e = ex_new(a, TT_EX_REDUCE, 1);
  e->op = (int)op;
  e->args[0] = body;
  e->nranges = nranges;
  if (nranges > 0) {
    e->ranges = tt_arena_alloc(a, nranges * sizeof *e->ranges);
    memcpy(e->ranges, ranges, nranges * sizeof *e->ranges);
  }
  e->loc = body->loc;
  tt_expr_infer_type(e);
  return e;
}

/* Conversion to t. */
tt_expr *tt_ex_cast(tt_arena *a, tt_dtype t, tt_expr *x) {
  tt_expr *e = ex_new(a, TT_EX_CAST, 1);
  e->type = t;
  e->args[0] = x;
  e->loc = x->loc;
  return e;
}

tt_expr *tt_ex_add(tt_arena *a, tt_expr *x, tt_expr *y) {
  return tt_ex_bin(a, TT_OP_ADD, x, y);
}
tt_expr *tt_ex_sub(tt_arena *a, tt_expr *x, tt_expr *y) {
  return tt_ex_bin(a, TT_OP_SUB, x, y);
}
tt_expr *tt_ex_mul(tt_arena *a, tt_expr *x, tt_expr *y) {
  return tt_ex_bin(a, TT_OP_MUL, x, y);
}
tt_expr *tt_ex_min(tt_arena *a, tt_expr *x, tt_expr *y) {
  return tt_ex_bin(a, TT_OP_MIN, x, y);
}
tt_expr *tt_ex_max(tt_arena *a, tt_expr *x, tt_expr *y) {
  return tt_ex_bin(a, TT_OP_MAX, x, y);
}

/* Compares two possibly-NULL strings. */
static int str_eq(const char *x, const char *y) {
  if (x == NULL || y == NULL) return x == y;
  return strcmp(x, y) == 0;
}

/* Structural equality; locations and inferred types are ignored (a
 * variable's type depends on who resolved it). An int and a float literal
 * of equal value are different expressions. */
int tt_expr_equal(const tt_expr *x, const tt_expr *y) {
  if (x == y) return 1;
  if (x == NULL || y == NULL) return 0;
  if (x->kind != y->kind || x->op != y->op || x->nargs != y->nargs || x->nranges != y->nranges)
    return 0;
  if (x->kind == TT_EX_CAST && x->type != y->type) return 0;
  if (x->kind == TT_EX_INT && x->ival != y->ival) return 0;
  if (x->kind == TT_EX_FLOAT && memcmp(&x->fval, &y->fval, sizeof x->fval) != 0) return 0;
  if (!str_eq(x->name, y->name)) return 0;
  for (size_t i = 0; i < x->nargs; i++)
    if (!tt_expr_equal(x->args[i], y->args[i])) return 0;
  for (size_t i = 0; i < x->nranges; i++)
    if (!str_eq(x->ranges[i].var, y->ranges[i].var) ||
        !tt_expr_equal(x->ranges[i].lo, y->ranges[i].lo) ||
        !tt_expr_equal(x->ranges[i].hi, y->ranges[i].hi))
      return 0;
  return 1;
}

/* Returns 1 when the reduction e binds name as one of its axes. */
static int reduce_binds(const tt_expr *e, const char *name) {
  for (size_t i = 0; i < e->nranges; i++)
    if (strcmp(e->ranges[i].var, name) == 0) return 1;
  return 0;
}

/* Returns 1 when a free occurrence of VAR name appears in e. */
int tt_expr_uses_var(const tt_expr *e, const char *name) {
  if (e == NULL) return 0;
  if (e->kind == TT_EX_VAR) return strcmp(e->name, name) == 0;
  if (e->kind == TT_EX_REDUCE) {
    for (size_t i = 0; i < e->nranges; i++)
      if (tt_expr_uses_var(e->ranges[i].lo, name) || tt_expr_uses_var(e->ranges[i].hi, name))
        return 1;
    if (reduce_binds(e, name)) return 0;
  }
  for (size_t i = 0; i < e->nargs; i++)
    if (tt_expr_uses_var(e->args[i], name)) return 1;
  return 0;
}

/* Returns 1 and *v when e is an integer (or bool) literal. */
int tt_expr_const_int(const tt_expr *e, int64_t *v) {
  if (e == NULL || e->kind != TT_EX_INT) return 0;
  if (v != NULL) *v = e->ival;
  return 1;
}

/* Copies node e with new argument and range arrays (children shared). */
static tt_expr *ex_copy(tt_arena *a, const tt_expr *e) {
  tt_expr *c = tt_arena_alloc(a, sizeof *c);
  *c = *e;
  c->args = ex_args(a, e->args, e->nargs);
  if (e->nranges > 0) {
    c->ranges = tt_arena_alloc(a, e->nranges * sizeof *c->ranges);
    memcpy(c->ranges, e->ranges, e->nranges * sizeof *c->ranges);
  }
  return c;
}

/* Substitutes value for free occurrences of name; unchanged subtrees are
 * shared, so the result may alias e. */
tt_expr *tt_expr_subst(tt_arena *a, const tt_expr *e, const char *name, tt_expr *value) {
  if (e == NULL) return NULL;
  if (!tt_expr_uses_var(e, name)) return (tt_expr *)e;
  if (e->kind == TT_EX_VAR) return value;
  tt_expr *c = ex_copy(a, e);
  for (size_t i = 0; i < c->nranges; i++) {
    c->ranges[i].lo = tt_expr_subst(a, c->ranges[i].lo, name, value);
    c->ranges[i].hi = tt_expr_subst(a, c->ranges[i].hi, name, value);
  }
  if (e->kind == TT_EX_REDUCE && reduce_binds(e, name)) return c;
  for (size_t i = 0; i < c->nargs; i++)
    c->args[i] = tt_expr_subst(a, c->args[i], name, value);
  tt_expr_infer_type(c);
  return c;
}
