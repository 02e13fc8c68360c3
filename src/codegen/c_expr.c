/* Printing expressions as C, with minimal parentheses by precedence. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"

static int is_int(const tt_expr *e) {
  return tt_dtype_is_int(e->type);
}

/* 1 when printing for the C dialect itself: math through GCC's builtins
 * and the compare-and-select min/max helpers of module.c. Dialects that
 * reuse this printer (OpenCL, CUDA device code) keep their languages'
 * own spellings (sqrt, fmin, INFINITY). */
static int c_native(const tt_cg *g) {
  return g->d == &tt_dialect_c;
}

/* C precedence of a node (higher binds tighter). */
static int prec(const tt_expr *e) {
  if (e->kind == TT_EX_UNARY || e->kind == TT_EX_CAST) return 14;
  if (e->kind == TT_EX_SELECT) return 3;
  if (e->kind != TT_EX_BINARY) return 16;
  switch (e->op) {
  case TT_OP_MUL:
  case TT_OP_DIV:
    return 13;
  case TT_OP_ADD:
  case TT_OP_SUB:
    return 12;
  case TT_OP_LT:
  case TT_OP_LE:
  case TT_OP_GT:
  case TT_OP_GE:
    return 10;
  case TT_OP_EQ:
  case TT_OP_NE:
    return 9;
  case TT_OP_AND:
    return 5;
  case TT_OP_OR:
    return 4;
  default:
    return 16; /* printed as calls */
  }
}

static void sub(tt_cg *g, tt_str *o, const tt_expr *e, int min_prec) {
  int paren = prec(e) < min_prec;
  if (paren) tt_str_append(o, "(");
  tt_cg_expr(g, o, e);
  if (paren) tt_str_append(o, ")");
}

static void call2(tt_cg *g, tt_str *o, const char *fn, const tt_expr *e) {
  tt_str_printf(o, "%s(", fn);
  tt_cg_expr(g, o, e->args[0]);
  tt_str_append(o, ", ");
  tt_cg_expr(g, o, e->args[1]);
  tt_str_append(o, ")");
}

/* A floating literal; an f32 one gets the f suffix (and is printed with
 * the digits a float needs), so f32 arithmetic stays in float. Infinities
 * are GCC's builtins: the generated file includes no header, so no user
 * name can collide with a library's. */
static void print_float(tt_str *o, double v, int f32, int native) {
  if (isinf(v) && !native) {
    tt_str_append(o, v > 0 ? "INFINITY" : "-INFINITY");
    return;
  }
  if (isinf(v)) {
    tt_str_printf(o, "%s__builtin_inf%s()", v > 0 ? "" : "-", f32 ? "f" : "");
    return;
  }
  char buf[40];
  snprintf(buf, sizeof buf, f32 ? "%.9g" : "%.17g", v);
  tt_str_append(o, buf);
  if (!strpbrk(buf, ".en")) tt_str_append(o, ".0");
  if (f32) tt_str_append(o, "f");
}

/* fmin/fmax of the target: tt_fmin (compare and select) in C. */
static const char *minmax_name(const tt_cg *g, const char *fn, int f32) {
  static const char *const names[2][2][2] = {{{"fmin", "fminf"}, {"fmax", "fmaxf"}},
                                             {{"tt_fmin", "tt_fminf"}, {"tt_fmax", "tt_fmaxf"}}};
  return names[c_native(g)][fn[2] == 'a'][f32];
}

static void binary(tt_cg *g, tt_str *o, const tt_expr *e) {
  static const char *const sym[] = {
      [TT_OP_ADD] = " + ", [TT_OP_SUB] = " - ", [TT_OP_MUL] = " * ",  [TT_OP_DIV] = " / ",
      [TT_OP_LT] = " < ",  [TT_OP_LE] = " <= ", [TT_OP_GT] = " > ",   [TT_OP_GE] = " >= ",
      [TT_OP_EQ] = " == ", [TT_OP_NE] = " != ", [TT_OP_AND] = " && ", [TT_OP_OR] = " || "};
  const tt_expr *x = e->args[0], *y = e->args[1];
  int ints = is_int(x) && is_int(y);
  int f32 = e->type == TT_DT_F32;
  switch (e->op) {
  case TT_OP_FLOORDIV:
    call2(g, o, "tt_floordiv", e);
    return;
  case TT_OP_MOD:
    call2(g, o, "tt_floormod", e);
    return;
  case TT_OP_MIN: /* compare and select: see tt_fmin in module.c */
    call2(g, o, ints ? "tt_imin" : minmax_name(g, "fmin", f32), e);
    return;
  case TT_OP_MAX:
    call2(g, o, ints ? "tt_imax" : minmax_name(g, "fmax", f32), e);
    return;
  default:
    break;
  }
  int p = prec(e);
  if (e->op == TT_OP_DIV && ints) { /* real division of integers */
    tt_str_append(o, "(double)");
    sub(g, o, x, 15);
  } else {
    sub(g, o, x, p);
  }
  tt_str_append(o, sym[e->op]);
  /* Right operand of - and / (and comparisons) needs parens at equal precedence. */
  sub(g, o, y, p + 1);
}

void tt_cg_expr(tt_cg *g, tt_str *o, const tt_expr *e) {
  switch (e->kind) {
  case TT_EX_INT: /* C has no literal for INT64_MIN */
    if (e->ival == INT64_MIN)
      tt_str_append(o, "(-9223372036854775807L - 1)");
    else
      tt_str_printf(o, "%lld%s", (long long)e->ival,
                    e->ival > INT32_MAX || e->ival < INT32_MIN ? "L" : "");
    return;
  case TT_EX_FLOAT:
    print_float(o, e->fval, e->type == TT_DT_F32, c_native(g));
    return;
  case TT_EX_VAR:
    tt_str_append(o, e->name);
    return;
  case TT_EX_STRING:
    tt_str_printf(o, "\"%s\"", e->name);
    return;
  case TT_EX_LOAD:
    tt_str_append(o, e->name);
    for (size_t i = 0; i < e->nargs; i++) {
      tt_str_append(o, "[");
      tt_cg_expr(g, o, e->args[i]);
      tt_str_append(o, "]");
    }
    return;
  case TT_EX_BINARY:
    binary(g, o, e);
    return;
  case TT_EX_UNARY:
    tt_str_append(o, e->op == TT_OP_NEG ? "-" : "!");
    sub(g, o, e->args[0], 14);
    return;
  case TT_EX_SELECT:
    sub(g, o, e->args[0], 4);
    tt_str_append(o, " ? ");
    sub(g, o, e->args[1], 4);
    tt_str_append(o, " : ");
    sub(g, o, e->args[2], 3);
    return;
  case TT_EX_CALL:
    /* GCC's builtin of the libm function, in float for f32 (sqrtf). */
    tt_str_printf(o, "%s%s%s(", c_native(g) ? "__builtin_" : "", e->name,
                  e->type == TT_DT_F32 && c_native(g) ? "f" : "");
    for (size_t i = 0; i < e->nargs; i++) {
      if (i) tt_str_append(o, ", ");
      tt_cg_expr(g, o, e->args[i]);
    }
    tt_str_append(o, ")");
    return;
  case TT_EX_CAST:
    tt_str_printf(o, "(%s)", tt_dtype_ctype(e->type));
    sub(g, o, e->args[0], 14);
    return;
  case TT_EX_REDUCE:
    break;
  }
  assert(!"reduction reached code generation unlowered");
}
