/* The IR printer: expressions and statements in .te-like text, used by
 * diagnostics, tests and debug dumps (codegen has its own printer).
 *
 * Expressions: `A[i, k]`, `min(a, b)`, `a // b`, `select(c, a, b)`,
 * `sum(k in 0..NK: A[i, k])`, casts as `f64(x)`, labels as `"io"`; only the
 * parentheses that precedence requires are printed (same-precedence right
 * operands keep theirs, so the tree shape is visible).
 * Statements: one per line, two spaces per indent level; loop annotations
 * (parallel, vectorized, unroll, collapse) appear as a trailing `# ...`. */
#include "tetune/ir.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The source spelling of a binary operator. */
const char *tt_binop_symbol(tt_binop op) {
  static const char *const names[] = {"+", "-",  "*", "/",  "//", "%",  "min", "max",
                                      "<", "<=", ">", ">=", "==", "!=", "&&",  "||"};
  return (size_t)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

/* Name of a reduction operator. */
const char *tt_redop_name(tt_redop op) {
  switch (op) {
  case TT_RED_SUM:
    return "sum";
  case TT_RED_MIN:
    return "min";
  case TT_RED_MAX:
    return "max";
  }
  return "?";
}

enum { PREC_OR = 1, PREC_AND, PREC_EQ, PREC_REL, PREC_ADD, PREC_MUL, PREC_UNARY, PREC_ATOM };

/* Binding strength of e as printed. */
static int prec(const tt_expr *e) {
  if (e->kind == TT_EX_UNARY) return PREC_UNARY;
  if ((e->kind == TT_EX_INT && e->ival < 0) || (e->kind == TT_EX_FLOAT && e->fval < 0))
    return PREC_UNARY;
  if (e->kind != TT_EX_BINARY) return PREC_ATOM;
  switch ((tt_binop)e->op) {
  case TT_OP_OR:
    return PREC_OR;
  case TT_OP_AND:
    return PREC_AND;
  case TT_OP_EQ:
  case TT_OP_NE:
    return PREC_EQ;
  case TT_OP_LT:
  case TT_OP_LE:
  case TT_OP_GT:
  case TT_OP_GE:
    return PREC_REL;
  case TT_OP_ADD:
  case TT_OP_SUB:
    return PREC_ADD;
  case TT_OP_MIN:
  case TT_OP_MAX:
    return PREC_ATOM;
  default:
    return PREC_MUL;
  }
}

/* Appends the shortest text that reads back as exactly v, always with a
 * '.' or an exponent so it stays a float literal. */
static void print_float(tt_str *out, double v) {
  char buf[64];
  for (int p = 1; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, v);
    if (strtod(buf, NULL) == v) break;
  }
  tt_str_append(out, buf);
  if (strpbrk(buf, ".eEn") == NULL) tt_str_append(out, ".0");
}

/* Appends e, parenthesised when its precedence is below min_prec. */
static void print_sub(tt_str *out, const tt_expr *e, int min_prec) {
  int paren = prec(e) < min_prec;
  if (paren) tt_str_append(out, "(");
  tt_expr_print(out, e);
  if (paren) tt_str_append(out, ")");
}

/* Appends args as "a, b, c". */
static void print_list(tt_str *out, tt_expr *const *args, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i > 0) tt_str_append(out, ", ");
    tt_expr_print(out, args[i]);
  }
}

/* Appends a reduction: sum(k in lo..hi, l: body). */
static void print_reduce(tt_str *out, const tt_expr *e) {
  tt_str_printf(out, "%s(", tt_redop_name((tt_redop)e->op));
  for (size_t i = 0; i < e->nranges; i++) {
    const tt_range *r = &e->ranges[i];
    tt_str_printf(out, "%s%s", i > 0 ? ", " : "", r->var);
    if (r->lo != NULL && r->hi != NULL) {
      tt_str_append(out, " in ");
      tt_expr_print(out, r->lo);
      tt_str_append(out, "..");
      tt_expr_print(out, r->hi);
    }
  }
  tt_str_append(out, ": ");
  tt_expr_print(out, e->args[0]);
  tt_str_append(out, ")");
}

/* Appends a binary node: infix, or min(a, b)/max(a, b). */
static void print_binary(tt_str *out, const tt_expr *e) {
  tt_binop op = (tt_binop)e->op;
  if (op == TT_OP_MIN || op == TT_OP_MAX) {
    tt_str_printf(out, "%s(", tt_binop_symbol(op));
    print_list(out, e->args, 2);
    tt_str_append(out, ")");
    return;
  }
  int p = prec(e);
  print_sub(out, e->args[0], p);
  tt_str_printf(out, " %s ", tt_binop_symbol(op));
  print_sub(out, e->args[1], p + 1);
}

/* Appends e as text. */
void tt_expr_print(tt_str *out, const tt_expr *e) {
  if (e == NULL) {
    tt_str_append(out, "<null>");
    return;
  }
  switch (e->kind) {
  case TT_EX_INT:
    tt_str_printf(out, "%" PRId64, e->ival);
    break;
  case TT_EX_FLOAT:
    print_float(out, e->fval);
    break;
  case TT_EX_VAR:
    tt_str_append(out, e->name);
    break;
  case TT_EX_STRING:
    tt_str_printf(out, "\"%s\"", e->name);
    break;
  case TT_EX_LOAD:
    tt_str_printf(out, "%s[", e->name);
    print_list(out, e->args, e->nargs);
    tt_str_append(out, "]");
    break;
  case TT_EX_BINARY:
    print_binary(out, e);
    break;
  case TT_EX_UNARY:
    tt_str_append(out, e->op == TT_OP_NOT ? "!" : "-");
    print_sub(out, e->args[0], PREC_ATOM);
    break;
  case TT_EX_SELECT:
    tt_str_append(out, "select(");
    print_list(out, e->args, 3);
    tt_str_append(out, ")");
    break;
  case TT_EX_CALL:
    tt_str_printf(out, "%s(", e->name);
    print_list(out, e->args, e->nargs);
    tt_str_append(out, ")");
    break;
  case TT_EX_CAST:
    tt_str_printf(out, "%s(", tt_dtype_name(e->type));
    tt_expr_print(out, e->args[0]);
    tt_str_append(out, ")");
    break;
  case TT_EX_REDUCE:
    print_reduce(out, e);
    break;
  }
}

/* See tetune/ir.h. */
const char *tt_update_symbol(tt_update op) {
  switch (op) {
  case '+':
    return "+=";
  case '-':
    return "-=";
  case '*':
    return "*=";
  case '/':
    return "/=";
  default:
    return "=";
  }
}

/* Appends a range "lo..hi". */
static void print_range(tt_str *out, const tt_expr *lo, const tt_expr *hi) {
  tt_expr_print(out, lo);
  tt_str_append(out, "..");
  tt_expr_print(out, hi);
}

/* Appends a compute stage (one line, no newline). */
static void print_compute(tt_str *out, const tt_compute *c) {
  tt_str_append(out, "compute ");
  if (c->name != NULL && strcmp(c->name, c->tensor) != 0) tt_str_printf(out, "%s: ", c->name);
  tt_str_printf(out, "%s[", c->tensor);
  for (size_t i = 0; i < c->naxes; i++)
    tt_str_printf(out, "%s%s", i > 0 ? ", " : "", c->axes[i].var);
  tt_str_printf(out, "] %s ", tt_update_symbol(c->op));
  tt_expr_print(out, c->rhs);
  for (size_t i = 0; i < c->naxes; i++) {
    tt_str_printf(out, "%s%s in ", i > 0 ? ", " : " for ", c->axes[i].var);
    print_range(out, c->axes[i].lo, c->axes[i].hi);
  }
}

/* Appends the items of a body: a BLOCK's items at this level, else s. */
static void print_body(tt_str *out, const tt_stmt *s, int indent) {
  if (s == NULL) return;
  if (s->kind != TT_ST_BLOCK) {
    tt_stmt_print(out, s, indent);
    return;
  }
  for (size_t i = 0; i < s->nbody; i++)
    tt_stmt_print(out, s->body[i], indent);
}

/* Appends a loop header, its body and its closing brace. */
static void print_for(tt_str *out, const tt_stmt *s, int indent) {
  if (s->label != NULL && strcmp(s->label, s->var) != 0) tt_str_printf(out, "%s: ", s->label);
  tt_str_printf(out, "for %s in ", s->var);
  print_range(out, s->lo, s->hi);
  if (s->step != NULL) {
    tt_str_append(out, " step ");
    tt_expr_print(out, s->step);
  }
  tt_str_append(out, " {");
  if (s->loop_kind == TT_LOOP_PARALLEL)
    tt_str_append(out, s->par_sched == TT_PAR_DYNAMIC  ? "  # parallel dynamic"
                       : s->par_sched == TT_PAR_CYCLIC ? "  # parallel cyclic"
                                                       : "  # parallel");
  else if (s->loop_kind == TT_LOOP_VECTORIZED)
    tt_str_append(out, "  # vectorized");
  if (s->loop_kind == TT_LOOP_VECTORIZED && s->simdlen > 0)
    tt_str_printf(out, " simdlen %d", s->simdlen);
  if (s->loop_kind == TT_LOOP_PARALLEL && s->collapse > 1)
    tt_str_printf(out, " collapse %d", s->collapse);
  if (s->unroll > 1)
    tt_str_printf(out, "%s unroll %d", s->loop_kind == TT_LOOP_SERIAL ? "  #" : ",", s->unroll);
  tt_str_append(out, "\n");
  print_body(out, s->body[0], indent + 1);
  tt_str_indent(out, indent);
  tt_str_append(out, "}\n");
}

/* Appends an if statement with its optional else branch. */
static void print_if(tt_str *out, const tt_stmt *s, int indent) {
  tt_str_append(out, "if ");
  tt_expr_print(out, s->value);
  tt_str_append(out, " {\n");
  print_body(out, s->body[0], indent + 1);
  tt_str_indent(out, indent);
  if (s->nbody > 1 && s->body[1] != NULL) {
    tt_str_append(out, "} else {\n");
    print_body(out, s->body[1], indent + 1);
    tt_str_indent(out, indent);
  }
  tt_str_append(out, "}\n");
}

/* Appends s and its children, each line indented by `indent` levels. A
 * BLOCK nested directly in another BLOCK is printed in braces. */
void tt_stmt_print(tt_str *out, const tt_stmt *s, int indent) {
  if (s == NULL) return;
  if (s->kind == TT_ST_BLOCK && indent == 0) {
    print_body(out, s, 0);
    return;
  }
  tt_str_indent(out, indent);
  switch (s->kind) {
  case TT_ST_BLOCK:
    tt_str_append(out, "{\n");
    print_body(out, s, indent + 1);
    tt_str_indent(out, indent);
    tt_str_append(out, "}\n");
    return;
  case TT_ST_FOR:
    print_for(out, s, indent);
    return;
  case TT_ST_IF:
    print_if(out, s, indent);
    return;
  case TT_ST_STORE:
    tt_str_printf(out, "%s[", s->name);
    print_list(out, s->idx, s->nidx);
    tt_str_printf(out, "] %s ", tt_update_symbol(s->op));
    tt_expr_print(out, s->value);
    break;
  case TT_ST_LET:
    tt_str_printf(out, "let %s: %s = ", s->name, tt_dtype_name(s->type));
    tt_expr_print(out, s->value);
    break;
  case TT_ST_ASSIGN:
    tt_str_printf(out, "%s %s ", s->name, tt_update_symbol(s->op));
    tt_expr_print(out, s->value);
    break;
  case TT_ST_ALLOC:
    tt_str_printf(out, "alloc %s %s[", tt_dtype_name(s->type), s->name);
    print_list(out, s->idx, s->nidx);
    tt_str_append(out, "]");
    break;
  case TT_ST_COMPUTE:
    print_compute(out, s->compute);
    break;
  case TT_ST_PRAGMA:
    tt_str_append(out, s->text);
    break;
  }
  tt_str_append(out, "\n");
}

/* e printed into the arena. */
const char *tt_expr_str(tt_arena *a, const tt_expr *e) {
  tt_str s;
  tt_str_init(&s);
  tt_expr_print(&s, e);
  const char *r = tt_arena_strdup(a, tt_str_cstr(&s));
  tt_str_free(&s);
  return r;
}

/* s printed into the arena (top level at indent 0). */
const char *tt_stmt_str(tt_arena *a, const tt_stmt *st) {
  tt_str s;
  tt_str_init(&s);
  tt_stmt_print(&s, st, 0);
  const char *r = tt_arena_strdup(a, tt_str_cstr(&s));
  tt_str_free(&s);
  return r;
}
