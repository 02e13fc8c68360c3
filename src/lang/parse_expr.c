/* Expressions of the .te language, with C precedence:
 *   || < && < == != < < <= > >= < + - < * / // % < unary - ! < primary.
 * Primaries: numbers, variables, loads T[i, j], calls (sqrt exp log fabs
 * pow, select, min/max with two or more arguments, casts f64(x) f32(x)
 * int(x)), and reductions sum/min/max(k, l in lo..hi: body), told apart
 * from min(a, b) by the ':' after the variable list. */
#include "lang/parser.h"

#include <string.h>

typedef struct binop_tok {
  tt_tok_kind tok;
  tt_binop op;
} binop_tok;

/* Operators by precedence level, loosest first; each level ends with a
 * TK_EOF sentinel. */
static const binop_tok LEVELS[][5] = {
    {{TK_OR, TT_OP_OR}, {TK_EOF, 0}},
    {{TK_AND, TT_OP_AND}, {TK_EOF, 0}},
    {{TK_EQ, TT_OP_EQ}, {TK_NE, TT_OP_NE}, {TK_EOF, 0}},
    {{TK_LT, TT_OP_LT}, {TK_LE, TT_OP_LE}, {TK_GT, TT_OP_GT}, {TK_GE, TT_OP_GE}, {TK_EOF, 0}},
    {{TK_PLUS, TT_OP_ADD}, {TK_MINUS, TT_OP_SUB}, {TK_EOF, 0}},
    {{TK_STAR, TT_OP_MUL},
     {TK_SLASH, TT_OP_DIV},
     {TK_SLASHSLASH, TT_OP_FLOORDIV},
     {TK_PERCENT, TT_OP_MOD},
     {TK_EOF, 0}},
};
enum { NLEVELS = sizeof LEVELS / sizeof LEVELS[0] };

static tt_expr *parse_unary(tt_parser *p, int *depth);
static tt_expr *expr_depth(tt_parser *p, int *depth);

/* A placeholder after a syntax error (never NULL). */
static tt_expr *dummy(tt_parser *p) {
  return tt_ex_int(p->a, 0);
}

/* Sets e's location to token t and returns e. */
static tt_expr *at(tt_parser *p, tt_expr *e, const tt_token *t) {
  e->loc = tt_p_loc(p, t);
  return e;
}

/* Sets *depth to d, or reports an expression tree deeper than
 * TT_MAX_EXPR_DEPTH at token t (the passes over expressions recurse). */
static void set_depth(tt_parser *p, int *depth, int d, const tt_token *t) {
  *depth = d;
  if (d > TT_MAX_EXPR_DEPTH)
    tt_p_syntax(p, t, "expression deeper than %d operations", TT_MAX_EXPR_DEPTH);
}

/* One precedence level: operand (op operand)*, left associative; *depth
 * gets the depth of the tree built. */
static tt_expr *parse_level(tt_parser *p, int level, int *depth) {
  if (level == NLEVELS) return parse_unary(p, depth);
  tt_expr *e = parse_level(p, level + 1, depth);
  for (;;) {
    const tt_token *t = tt_p_peek(p);
    const binop_tok *b = LEVELS[level];
    while (b->tok != TK_EOF && b->tok != t->kind)
      b++;
    if (b->tok == TK_EOF) return e;
    tt_p_next(p);
    int rd = 0;
    tt_expr *rhs = parse_level(p, level + 1, &rd);
    set_depth(p, depth, (rd > *depth ? rd : *depth) + 1, t);
    if (p->failed) return e;
    tt_loc loc = e->loc;
    e = tt_ex_bin(p->a, b->op, e, rhs);
    e->loc = loc;
  }
}

/* A full expression (one level of nesting); *depth: its tree's depth. */
static tt_expr *expr_depth(tt_parser *p, int *depth) {
  *depth = 1;
  if (tt_p_enter(p, tt_p_peek(p)) != 0) return dummy(p);
  tt_expr *e = parse_level(p, 0, depth);
  p->nest--;
  return e;
}

/* A full expression. */
tt_expr *tt_p_expr(tt_parser *p) {
  int d;
  return expr_depth(p, &d);
}

/* "lo..hi" into r->lo, r->hi. */
void tt_p_range(tt_parser *p, tt_range *r) {
  r->lo = tt_p_expr(p);
  tt_p_expect(p, TK_DOTDOT);
  r->hi = tt_p_expr(p);
}

/* 1 when the tokens after '(' read "v [in ...] , w ... :", i.e. the
 * call at the current '(' is a reduction rather than min(a, b). */
static int looks_like_reduction(tt_parser *p) {
  for (size_t i = 1;; i += 2) {
    const tt_token *v = tt_p_peek_at(p, i), *sep = tt_p_peek_at(p, i + 1);
    if (v->kind != TK_IDENT) return 0;
    if (sep->kind == TK_COLON) return 1;
    if (sep->kind == TK_IDENT && sep->len == 2 && memcmp(sep->start, "in", 2) == 0) return 1;
    if (sep->kind != TK_COMMA) return 0;
  }
}

/* Reduction after its name: (k [in lo..hi], ...: body). */
static tt_expr *parse_reduce(tt_parser *p, tt_redop op, const tt_token *name, int *depth) {
  tt_range rs[16];
  size_t n = 0;
  tt_p_expect(p, TK_LPAREN);
  do {
    tt_range r = {0};
    const tt_token *vt = tt_p_peek(p);
    r.var = tt_p_ident(p, "a reduction variable");
    if (tt_p_accept_kw(p, "in")) tt_p_range(p, &r);
    if (n == sizeof rs / sizeof rs[0])
      tt_p_syntax(p, vt, "too many reduction variables");
    else
      rs[n++] = r;
  } while (!p->failed && tt_p_accept(p, TK_COMMA));
  tt_p_expect(p, TK_COLON);
  tt_expr *body = expr_depth(p, depth);
  set_depth(p, depth, *depth + 1, name);
  tt_p_expect(p, TK_RPAREN);
  return at(p, tt_ex_reduce(p->a, op, rs, n, body), name);
}

/* Comma-separated expressions up to the closing token `close`; *depth:
 * the deepest one's depth. */
static size_t parse_args(tt_parser *p, tt_tok_kind close, tt_expr ***out, int *depth) {
  tt_expr **args = NULL;
  size_t n = 0, cap = 0;
  *depth = 0;
  if (!tt_p_at(p, close)) {
    do {
      int d;
      args = tt_p_grow(p, args, n, &cap, sizeof *args);
      args[n++] = expr_depth(p, &d);
      if (d > *depth) *depth = d;
    } while (!p->failed && tt_p_accept(p, TK_COMMA));
  }
  tt_p_expect(p, close);
  *out = args;
  return n;
}

typedef struct fn_info {
  const char *name;
  int nargs; /* -2: two or more */
} fn_info;

static const fn_info FUNCS[] = {
    {"sqrt", 1}, {"exp", 1},  {"log", 1}, {"fabs", 1}, {"pow", 2}, {"select", 3},
    {"min", -2}, {"max", -2}, {"f64", 1}, {"f32", 1},  {"int", 1},
};

/* Builds the node for a call of a known function with checked arity. */
static tt_expr *make_call(tt_parser *p, const char *fn, tt_expr **args, size_t n) {
  if (strcmp(fn, "select") == 0) return tt_ex_select(p->a, args[0], args[1], args[2]);
  if (strcmp(fn, "min") == 0 || strcmp(fn, "max") == 0) {
    tt_expr *e = args[0];
    for (size_t i = 1; i < n; i++)
      e = tt_ex_bin(p->a, fn[1] == 'i' ? TT_OP_MIN : TT_OP_MAX, e, args[i]);
    return e;
  }
  if (strcmp(fn, "f64") == 0) return tt_ex_cast(p->a, TT_DT_F64, args[0]);
  if (strcmp(fn, "f32") == 0) return tt_ex_cast(p->a, TT_DT_F32, args[0]);
  if (strcmp(fn, "int") == 0) return tt_ex_cast(p->a, TT_DT_INT, args[0]);
  return tt_ex_call(p->a, fn, args, n);
}

/* A call after its name token t: function, cast, or reduction. min and
 * max of n arguments nest n - 1 deep. */
static tt_expr *parse_call(tt_parser *p, const tt_token *t, int *depth) {
  const char *fn = tt_arena_strndup(p->a, t->start, t->len);
  if (strcmp(fn, "sum") == 0) return parse_reduce(p, TT_RED_SUM, t, depth);
  if ((strcmp(fn, "min") == 0 || strcmp(fn, "max") == 0) && looks_like_reduction(p))
    return parse_reduce(p, fn[1] == 'i' ? TT_RED_MIN : TT_RED_MAX, t, depth);
  tt_expr **args;
  tt_p_expect(p, TK_LPAREN);
  size_t n = parse_args(p, TK_RPAREN, &args, depth);
  set_depth(p, depth, *depth + (n > 1 ? (int)(n > INT32_MAX ? INT32_MAX : n) - 1 : 1), t);
  const fn_info *f = NULL;
  for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++)
    if (strcmp(FUNCS[i].name, fn) == 0) f = &FUNCS[i];
  if (p->failed) return dummy(p);
  if (f == NULL) {
    tt_p_diag(p, tt_p_loc(p, t), "unknown function '%s'", fn);
    return at(p, dummy(p), t);
  }
  if (f->nargs == -2 && n < 2) {
    tt_p_diag(p, tt_p_loc(p, t), "'%s' takes at least 2 arguments but %zu given", fn, n);
    return at(p, dummy(p), t);
  }
  if (f->nargs >= 0 && (size_t)f->nargs != n) {
    tt_p_diag(p, tt_p_loc(p, t), "'%s' takes %d argument%s but %zu given", fn, f->nargs,
              f->nargs == 1 ? "" : "s", n);
    return at(p, dummy(p), t);
  }
  return at(p, make_call(p, fn, args, n), t);
}

/* A primary expression; *depth: its tree's depth. */
static tt_expr *parse_primary(tt_parser *p, int *depth) {
  const tt_token *t = tt_p_peek(p);
  *depth = 1;
  switch (t->kind) {
  case TK_INT:
    tt_p_next(p);
    return at(p, tt_ex_int(p->a, t->ival), t);
  case TK_FLOAT:
    tt_p_next(p);
    return at(p, tt_ex_float(p->a, t->fval), t);
  case TK_WORD:
    tt_p_syntax(p, t, "bad number '%.*s'", (int)t->len, t->start);
    return dummy(p);
  case TK_LPAREN: {
    tt_p_next(p);
    tt_expr *e = expr_depth(p, depth);
    tt_p_expect(p, TK_RPAREN);
    return e;
  }
  case TK_IDENT: {
    tt_p_next(p);
    if (tt_p_at(p, TK_LPAREN)) return parse_call(p, t, depth);
    const char *name = tt_arena_strndup(p->a, t->start, t->len);
    if (!tt_p_accept(p, TK_LBRACK)) return at(p, tt_ex_var(p->a, name), t);
    tt_expr **idx;
    size_t n = parse_args(p, TK_RBRACK, &idx, depth);
    set_depth(p, depth, *depth + 1, t);
    return at(p, tt_ex_load(p->a, name, idx, n), t);
  }
  default:
    tt_p_expected(p, "an expression");
    return dummy(p);
  }
}

/* Unary minus and logical not; -literal folds into a negative literal. */
static tt_expr *parse_unary(tt_parser *p, int *depth) {
  const tt_token *t = tt_p_peek(p);
  if (t->kind != TK_MINUS && t->kind != TK_NOT) return parse_primary(p, depth);
  tt_p_next(p);
  if (tt_p_enter(p, t) != 0) return dummy(p);
  tt_expr *x = parse_unary(p, depth);
  p->nest--;
  set_depth(p, depth, *depth + 1, t);
  if (t->kind == TK_MINUS && x->kind == TT_EX_INT && x->ival != INT64_MIN && x->ival >= 0)
    return at(p, tt_ex_int(p->a, -x->ival), t);
  if (t->kind == TK_MINUS && x->kind == TT_EX_FLOAT && x->fval >= 0)
    return at(p, tt_ex_float(p->a, -x->fval), t);
  return at(p, tt_ex_un(p->a, t->kind == TK_MINUS ? TT_OP_NEG : TT_OP_NOT, x), t);
}
