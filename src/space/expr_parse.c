/* Recursive-descent parser for the expression language of expr.h.
 * Lexing is done on demand by peek/next over the source text; every node
 * lives in the caller's arena, so a failed parse leaks nothing. */
#include "space/expr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum tok_kind { TK_END, TK_NUM, TK_STR, TK_NAME, TK_OP, TK_BAD } tok_kind;

typedef struct token {
  tok_kind kind;
  const char *start;
  size_t len;
  double num;
} token;

typedef struct parser {
  tt_arena *arena;
  const char *text;
  const char *what;
  const char *pos;
  token tok; /* the current (peeked) token */
  tt_error *err;
  int failed;
  int nest; /* open parse_unary calls: parentheses, calls, unary and ** chains */
} parser;

/* Bounds the parser's recursion: every nested construct (parentheses,
 * call arguments, lists, unary operators, the right side of **) passes
 * through parse_unary, so deeper input is an error, not a stack overflow
 * (the kernel language has the same bound, TT_MAX_NEST). */
#define TT_CEXPR_MAX_NEST 200

/* Two-character operators first so that the longest match wins. */
static const char *const ops2[] = {"**", "//", "==", "!=", "<=", ">=", "&&", "||", NULL};
static const char ops1[] = "+-*/%<>!(),[]";

/* Records a syntax error at the current token (first error only). */
static void fail(parser *p, const char *problem) {
  if (p->failed) return;
  p->failed = 1;
  tt_error_set(p->err, TT_ERR_USAGE, "%s: %s at column %d", p->what, problem,
               (int)(p->tok.start - p->text) + 1);
}

/* Scans a number literal at s into t. */
static void lex_number(const char *s, token *t) {
  char *end;
  t->kind = TK_NUM;
  t->num = strtod(s, &end);
  t->len = (size_t)(end - s);
}

/* Scans the token at p->pos into p->tok (does not advance p->pos). */
static void lex(parser *p) {
  const char *s = p->pos;
  while (isspace((unsigned char)*s))
    s++;
  p->pos = s;
  token *t = &p->tok;
  t->start = s;
  t->len = 0;
  if (*s == '\0') {
    t->kind = TK_END;
  } else if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
    lex_number(s, t);
  } else if (isalpha((unsigned char)*s) || *s == '_') {
    t->kind = TK_NAME;
    while (isalnum((unsigned char)s[t->len]) || s[t->len] == '_')
      t->len++;
  } else if (*s == '"' || *s == '\'') {
    const char *q = strchr(s + 1, *s);
    t->kind = q ? TK_STR : TK_BAD;
    t->len = q ? (size_t)(q - s) + 1 : 1;
  } else {
    t->kind = TK_BAD;
    t->len = 1;
    for (int i = 0; ops2[i]; i++)
      if (strncmp(s, ops2[i], 2) == 0) {
        t->kind = TK_OP;
        t->len = 2;
        return;
      }
    if (strchr(ops1, *s)) t->kind = TK_OP;
  }
}

/* Consumes the current token and scans the next one. */
static void advance(parser *p) {
  p->pos = p->tok.start + p->tok.len;
  lex(p);
}

/* 1 when the current token is the operator or keyword word. */
static int is(parser *p, const char *word) {
  if (p->tok.kind != TK_OP && p->tok.kind != TK_NAME) return 0;
  return strlen(word) == p->tok.len && strncmp(p->tok.start, word, p->tok.len) == 0;
}

/* Consumes word when it is current; returns 1 if it did. */
static int accept(parser *p, const char *word) {
  if (!is(p, word)) return 0;
  advance(p);
  return 1;
}

/* Requires word: consumes it or records an error. */
static void expect(parser *p, const char *word) {
  if (!accept(p, word)) {
    char msg[64];
    snprintf(msg, sizeof msg, "expected '%s'", word);
    fail(p, msg);
  }
}

/* A new node of kind op with operands a and b. */
static tt_cexpr *node(parser *p, tt_cexpr_op op, tt_cexpr *a, tt_cexpr *b) {
  tt_cexpr *e = tt_arena_alloc(p->arena, sizeof *e);
  e->op = op;
  e->a = a;
  e->b = b;
  e->slot = -1;
  return e;
}

static tt_cexpr *parse_or(parser *p);
static tt_cexpr *parse_unary(parser *p);

/* Parses a comma-separated list up to the closing token close into e->args. */
static void parse_args(parser *p, tt_cexpr *e, const char *close) {
  tt_vec items = {0};
  while (!p->failed && !is(p, close)) {
    tt_vec_push(&items, parse_or(p));
    if (!accept(p, ",")) break;
  }
  expect(p, close);
  e->nargs = items.len;
  e->args = tt_arena_alloc(p->arena, (items.len + 1) * sizeof *e->args);
  for (size_t i = 0; i < items.len; i++)
    e->args[i] = items.items[i];
  tt_vec_free(&items);
}

/* primary := NUM | STR | True | False | NAME | NAME(args) | (expr) */
static tt_cexpr *parse_primary(parser *p) {
  token t = p->tok;
  if (t.kind == TK_NUM) {
    advance(p);
    tt_cexpr *e = node(p, TT_CX_NUM, NULL, NULL);
    e->num = t.num;
    return e;
  }
  if (t.kind == TK_STR) {
    advance(p);
    tt_cexpr *e = node(p, TT_CX_STR, NULL, NULL);
    e->str = tt_arena_strndup(p->arena, t.start + 1, t.len - 2);
    return e;
  }
  if (t.kind == TK_NAME) {
    advance(p);
    tt_cexpr *e = node(p, TT_CX_NAME, NULL, NULL);
    e->str = tt_arena_strndup(p->arena, t.start, t.len);
    if (strcmp(e->str, "True") == 0 || strcmp(e->str, "False") == 0) {
      e->op = TT_CX_NUM;
      e->num = e->str[0] == 'T';
    } else if (accept(p, "(")) {
      e->op = TT_CX_CALL;
      parse_args(p, e, ")");
    }
    return e;
  }
  if (accept(p, "(")) {
    tt_cexpr *e = parse_or(p);
    expect(p, ")");
    return e;
  }
  fail(p, t.kind == TK_END ? "unexpected end" : "unexpected token");
  return node(p, TT_CX_NUM, NULL, NULL);
}

/* power := primary ('**' unary)?  (right-associative through unary) */
static tt_cexpr *parse_power(parser *p) {
  tt_cexpr *e = parse_primary(p);
  if (accept(p, "**")) e = node(p, TT_CX_POW, e, parse_unary(p));
  return e;
}

/* unary := ('-' | '+' | '!') unary | power */
static tt_cexpr *parse_unary_in(parser *p) {
  if (accept(p, "-")) return node(p, TT_CX_NEG, parse_unary(p), NULL);
  if (accept(p, "+")) return parse_unary(p);
  if (accept(p, "!")) return node(p, TT_CX_NOT, parse_unary(p), NULL);
  return parse_power(p);
}

/* parse_unary_in within the nesting bound. */
static tt_cexpr *parse_unary(parser *p) {
  if (p->nest >= TT_CEXPR_MAX_NEST) {
    fail(p, "nesting deeper than 200 levels");
    p->tok.kind = TK_END; /* stop reading: every caller winds down */
    p->tok.len = 0;
    return node(p, TT_CX_NUM, NULL, NULL);
  }
  p->nest++;
  tt_cexpr *e = parse_unary_in(p);
  p->nest--;
  return e;
}

/* term := unary (('*' | '/' | '//' | '%') unary)* */
static tt_cexpr *parse_term(parser *p) {
  tt_cexpr *e = parse_unary(p);
  for (;;) {
    tt_cexpr_op op;
    if (is(p, "*"))
      op = TT_CX_MUL;
    else if (is(p, "/"))
      op = TT_CX_DIV;
    else if (is(p, "//"))
      op = TT_CX_FDIV;
    else if (is(p, "%"))
      op = TT_CX_MOD;
    else
      return e;
    advance(p);
    e = node(p, op, e, parse_unary(p));
  }
}

/* sum := term (('+' | '-') term)* */
static tt_cexpr *parse_sum(parser *p) {
  tt_cexpr *e = parse_term(p);
  for (;;) {
    if (accept(p, "+"))
      e = node(p, TT_CX_ADD, e, parse_term(p));
    else if (accept(p, "-"))
      e = node(p, TT_CX_SUB, e, parse_term(p));
    else
      return e;
  }
}

/* The comparison operator at the current token, or -1. */
static int cmp_op(parser *p) {
  static const char *const words[] = {"==", "!=", "<", "<=", ">", ">="};
  static const tt_cexpr_op codes[] = {TT_CX_EQ, TT_CX_NE, TT_CX_LT, TT_CX_LE, TT_CX_GT, TT_CX_GE};
  for (int i = 0; i < 6; i++)
    if (is(p, words[i])) return (int)codes[i];
  return -1;
}

/* x in [..] / x not in (..): the list after 'in'. */
static tt_cexpr *parse_in(parser *p, tt_cexpr *left, int negate) {
  tt_cexpr *e = node(p, TT_CX_IN, left, NULL);
  if (accept(p, "["))
    parse_args(p, e, "]");
  else if (accept(p, "("))
    parse_args(p, e, ")");
  else
    fail(p, "expected a list after 'in'");
  return negate ? node(p, TT_CX_NOT, e, NULL) : e;
}

/* cmp := sum (cmpop sum)* | sum [not] in list; chains are conjunctions. */
static tt_cexpr *parse_cmp(parser *p) {
  tt_cexpr *left = parse_sum(p);
  if (accept(p, "in")) return parse_in(p, left, 0);
  if (is(p, "not")) {
    parser ahead = *p; /* one token of look-ahead: "not in" */
    advance(&ahead);
    if (is(&ahead, "in")) {
      *p = ahead;
      advance(p);
      return parse_in(p, left, 1);
    }
  }
  tt_cexpr *result = NULL;
  int op;
  while (!p->failed && (op = cmp_op(p)) >= 0) {
    advance(p);
    tt_cexpr *right = parse_sum(p);
    tt_cexpr *c = node(p, (tt_cexpr_op)op, left, right);
    result = result ? node(p, TT_CX_AND, result, c) : c;
    left = right;
  }
  return result ? result : left;
}

/* not := 'not' not | cmp */
static tt_cexpr *parse_not(parser *p) {
  if (accept(p, "not")) return node(p, TT_CX_NOT, parse_not(p), NULL);
  return parse_cmp(p);
}

/* and := not (('and' | '&&') not)* */
static tt_cexpr *parse_and(parser *p) {
  tt_cexpr *e = parse_not(p);
  while (accept(p, "and") || accept(p, "&&"))
    e = node(p, TT_CX_AND, e, parse_not(p));
  return e;
}

/* or := and (('or' | '||') and)* */
static tt_cexpr *parse_or(parser *p) {
  tt_cexpr *e = parse_and(p);
  while (accept(p, "or") || accept(p, "||"))
    e = node(p, TT_CX_OR, e, parse_and(p));
  return e;
}

/* Parses text; see expr.h. */
tt_cexpr *tt_cexpr_parse(tt_arena *arena, const char *text, const char *what, tt_error *err) {
  parser p = {.arena = arena, .text = text, .what = what, .pos = text, .err = err};
  lex(&p);
  if (p.tok.kind == TK_BAD) fail(&p, "bad character");
  tt_cexpr *e = parse_or(&p);
  if (!p.failed && p.tok.kind != TK_END)
    fail(&p, p.tok.kind == TK_BAD ? "bad character" : "unexpected token");
  return p.failed ? NULL : e;
}

/* Visits e and its children; see expr.h. */
static tt_status walk(tt_cexpr *e, const tt_cexpr *parent, tt_cexpr_visit visit, void *ctx,
                      tt_error *err) {
  if (!e) return TT_OK;
  tt_status st = visit(ctx, e, parent, err);
  if (st == TT_OK) st = walk(e->a, e, visit, ctx, err);
  if (st == TT_OK) st = walk(e->b, e, visit, ctx, err);
  for (size_t i = 0; st == TT_OK && i < e->nargs; i++)
    st = walk(e->args[i], e, visit, ctx, err);
  return st;
}

tt_status tt_cexpr_walk(tt_cexpr *e, tt_cexpr_visit visit, void *ctx, tt_error *err) {
  return walk(e, NULL, visit, ctx, err);
}
