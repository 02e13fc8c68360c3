/* Statements of kernel bodies, init blocks and template bodies:
 *   compute [NAME:] T[i, j] OP rhs [for i in lo..hi, ...]
 *   [LABEL:] for v in lo..hi [step s] { ... }
 *   let x = e;  x OP e;  T[e, ...] OP e;  if c { ... } [else { ... }]
 * where OP is = += -= *= /=. Names are resolved later (check.c). */
#include "lang/parser.h"

#include <string.h>

/* Reads an update operator into *op; 0 when none is next. */
static int accept_update(tt_parser *p, tt_update *op) {
  static const struct {
    tt_tok_kind tok;
    char op;
  } ops[] = {
      {TK_ASSIGN, '='}, {TK_PLUSEQ, '+'}, {TK_MINUSEQ, '-'}, {TK_STAREQ, '*'}, {TK_SLASHEQ, '/'}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (tt_p_accept(p, ops[i].tok)) {
      *op = ops[i].op;
      return 1;
    }
  return 0;
}

/* An update operator, or a syntax error. */
static tt_update expect_update(tt_parser *p) {
  tt_update op = '=';
  if (!accept_update(p, &op)) tt_p_expected(p, "'=', '+=', '-=', '*=' or '/='");
  return op;
}

/* Comma-separated expressions, then ']' (the '[' is consumed). */
static size_t parse_indices(tt_parser *p, tt_expr ***out) {
  tt_expr **idx = NULL;
  size_t n = 0, cap = 0;
  do {
    idx = tt_p_grow(p, idx, n, &cap, sizeof *idx);
    idx[n++] = tt_p_expr(p);
  } while (!p->failed && tt_p_accept(p, TK_COMMA));
  tt_p_expect(p, TK_RBRACK);
  *out = idx;
  return n;
}

/* Turns the output indices of a compute into axes: each must be a plain
 * variable, used once. */
static tt_range *compute_axes(tt_parser *p, const char *tensor, tt_expr **idx, size_t n) {
  tt_range *axes = tt_arena_alloc(p->a, (n ? n : 1) * sizeof *axes);
  for (size_t i = 0; i < n; i++) {
    axes[i].var = "_";
    if (idx[i]->kind != TT_EX_VAR) {
      tt_p_diag(p, idx[i]->loc, "output index %zu of '%s' must be a plain variable", i + 1, tensor);
      continue;
    }
    axes[i].var = idx[i]->name;
    for (size_t j = 0; j < i; j++)
      if (strcmp(axes[j].var, idx[i]->name) == 0)
        tt_p_diag(p, idx[i]->loc, "'%s' is repeated in the output of '%s'", idx[i]->name, tensor);
  }
  return axes;
}

/* "for v in lo..hi, w in lo..hi" after a compute: overrides axis ranges. */
static void parse_axis_ranges(tt_parser *p, tt_compute *c) {
  do {
    const tt_token *t = tt_p_peek(p);
    const char *v = tt_p_ident(p, "an axis variable");
    tt_p_expect_kw(p, "in");
    tt_range r = {v, NULL, NULL};
    tt_p_range(p, &r);
    size_t i = 0;
    while (i < c->naxes && strcmp(c->axes[i].var, v) != 0)
      i++;
    if (i == c->naxes)
      tt_p_diag(p, tt_p_loc(p, t), "'%s' is not an output axis of '%s'", v, c->tensor);
    else
      c->axes[i] = r;
  } while (!p->failed && tt_p_accept(p, TK_COMMA));
}

/* compute [NAME:] T[i, ...] OP rhs [for ...] (after the keyword). */
tt_stmt *tt_p_compute(tt_parser *p) {
  const tt_token *t = tt_p_peek(p);
  const char *name = tt_p_ident(p, "a tensor name"), *stage = NULL;
  if (tt_p_accept(p, TK_COLON)) {
    stage = name;
    t = tt_p_peek(p);
    name = tt_p_ident(p, "a tensor name");
  }
  tt_compute *c = tt_arena_alloc(p->a, sizeof *c);
  c->tensor = name;
  c->name = stage != NULL ? stage : name;
  tt_expr **idx = NULL;
  tt_p_expect(p, TK_LBRACK);
  c->naxes = p->failed ? 0 : parse_indices(p, &idx);
  c->axes = compute_axes(p, name, idx, c->naxes);
  c->op = expect_update(p);
  c->rhs = tt_p_expr(p);
  if (tt_p_accept_kw(p, "for")) parse_axis_ranges(p, c);
  tt_stmt *s = tt_st_compute(p->a, c);
  s->loc = tt_p_loc(p, t);
  return s;
}

/* [LABEL:] for v in lo..hi [step s] { body }, at 'for'. */
static tt_stmt *parse_for(tt_parser *p, const char *label, tt_loc loc) {
  tt_p_expect_kw(p, "for");
  const char *var = tt_p_ident(p, "a loop variable");
  tt_p_expect_kw(p, "in");
  tt_range r = {0};
  tt_p_range(p, &r);
  tt_expr *step = NULL;
  if (tt_p_accept_kw(p, "step")) step = tt_p_expr(p);
  tt_stmt *body = tt_p_block(p);
  tt_stmt *s = tt_st_for(p->a, var, r.lo, r.hi, body);
  s->step = step;
  if (label != NULL) s->label = label;
  s->loc = loc;
  return s;
}

/* 1 when, past any newlines, the next token is `else` (consumes them). */
static int accept_else(tt_parser *p) {
  size_t i = 0;
  while (tt_p_peek_at(p, i)->kind == TK_NEWLINE)
    i++;
  const tt_token *t = tt_p_peek_at(p, i);
  if (t->kind != TK_IDENT || t->len != 4 || memcmp(t->start, "else", 4) != 0) return 0;
  for (size_t j = 0; j <= i; j++)
    tt_p_next(p);
  return 1;
}

/* if cond { ... } [else if ... | else { ... }], at 'if'. */
static tt_stmt *parse_if(tt_parser *p) {
  const tt_token *t = tt_p_next(p);
  tt_loc loc = tt_p_loc(p, t);
  if (tt_p_enter(p, t) != 0) return NULL;
  tt_expr *cond = tt_p_expr(p);
  tt_stmt *then_s = tt_p_block(p), *else_s = NULL;
  if (accept_else(p)) else_s = tt_p_at_kw(p, "if") ? parse_if(p) : tt_p_block(p);
  p->nest--;
  tt_stmt *s = tt_st_if(p->a, cond, then_s, else_s);
  s->loc = loc;
  return s;
}

/* A statement starting with a name: store, local update or labelled for. */
static tt_stmt *parse_named(tt_parser *p) {
  const tt_token *t = tt_p_next(p);
  tt_loc loc = tt_p_loc(p, t);
  const char *name = tt_arena_strndup(p->a, t->start, t->len);
  tt_stmt *s;
  if (tt_p_accept(p, TK_COLON)) return parse_for(p, name, loc);
  if (tt_p_accept(p, TK_LBRACK)) {
    tt_expr **idx;
    size_t n = parse_indices(p, &idx);
    tt_update op = expect_update(p);
    s = tt_st_store(p->a, name, idx, n, op, tt_p_expr(p));
  } else {
    tt_update op = '=';
    if (!accept_update(p, &op)) tt_p_expected(p, "'[' or an assignment");
    s = tt_st_assign(p->a, name, op, tt_p_expr(p));
  }
  s->loc = loc;
  return s;
}

/* One statement (without its terminator). */
tt_stmt *tt_p_stmt(tt_parser *p) {
  const tt_token *t = tt_p_peek(p);
  tt_loc loc = tt_p_loc(p, t);
  if (tt_p_at_kw(p, "while") || tt_p_at_kw(p, "do")) {
    tt_p_syntax(p, t,
                "'%.*s' loops are not supported: write 'for v in lo..hi [step s] { ... }' "
                "(loops with bounds known on entry)",
                (int)t->len, t->start);
    return NULL;
  }
  if (tt_p_accept_kw(p, "compute")) return tt_p_compute(p);
  if (tt_p_at_kw(p, "for")) return parse_for(p, NULL, loc);
  if (tt_p_at_kw(p, "if")) return parse_if(p);
  if (tt_p_accept_kw(p, "let")) {
    const char *name = tt_p_ident(p, "a variable name");
    tt_p_expect(p, TK_ASSIGN);
    tt_stmt *s = tt_st_let(p->a, TT_DT_INT, name, tt_p_expr(p));
    s->loc = loc;
    return s;
  }
  if (t->kind == TK_IDENT) return parse_named(p);
  tt_p_expected(p, "a statement");
  return NULL;
}

/* '{' statements '}'. A block still open at end of file, or where a new
 * kernel or template starts, is reported at that point. */
tt_stmt *tt_p_block(tt_parser *p) {
  const tt_token *open = tt_p_expect(p, TK_LBRACE);
  tt_stmt_list l = {0};
  if (tt_p_enter(p, open) != 0) return tt_stmt_list_block(p->a, &l);
  for (;;) {
    tt_p_skip_separators(p);
    if (p->failed || tt_p_accept(p, TK_RBRACE)) break;
    if (tt_p_at(p, TK_EOF) || tt_p_at_kw(p, "kernel") || tt_p_at_kw(p, "template")) {
      tt_p_syntax(p, tt_p_peek(p), "unterminated '{' opened at %d:%d", open->line, open->col);
      break;
    }
    tt_stmt_list_push(p->a, &l, tt_p_stmt(p));
    tt_p_end_stmt(p);
  }
  p->nest--;
  tt_stmt *b = tt_stmt_list_block(p->a, &l);
  b->loc = tt_p_loc(p, open);
  return b;
}
