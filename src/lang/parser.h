/* Internal header of src/lang: the recursive-descent parser's state, its
 * diagnostics, and the functions the parse_*.c and check*.c files share.
 *
 * Error discipline: a syntax error sets `failed` and from then on every
 * token read returns end-of-file, so all loops wind down without special
 * cases and no function ever returns NULL for an expression (a dummy 0 is
 * returned instead). Semantic diagnostics do not stop parsing; of all the
 * diagnostics of a kernel, the one earliest in the file is reported. */
#ifndef TT_LANG_PARSER_H
#define TT_LANG_PARSER_H

#include "lang/lexer.h"
#include "tetune/ir.h"

/* A stage (and axis) named by a template's `schedule` line or split knob,
 * resolved by the checker once the template's body is known. */
typedef struct tt_stage_ref {
  size_t tmpl;       /* index into k->templates */
  const char *stage; /* "" for `loops` */
  const char *axis;  /* split knob axis, or NULL */
  tt_loc loc, axis_loc;
} tt_stage_ref;

/* A name declared in a scope (see seen.c). */
typedef struct tt_p_name {
  const char *name, *kind;
  uint64_t scope;
} tt_p_name;

typedef struct tt_parser {
  tt_arena *a;
  const char *file;
  const char *src;
  tt_token *toks;
  size_t ntoks, pos;
  int failed;   /* a syntax error happened: the token stream reads as EOF */
  int has_diag; /* a diagnostic is recorded in diag_loc/diag_msg */
  tt_loc diag_loc;
  char diag_msg[400];
  tt_token eof;      /* returned by peek once failed */
  tt_kernel_def *k;  /* the kernel being parsed */
  tt_template *tmpl; /* the template being parsed, or NULL */
  size_t tmpl_cap, nrefs, refs_cap;
  tt_stage_ref *refs; /* of the current kernel */
  int nest;           /* open parentheses, blocks and unary operators */
  /* Declared names by scope (seen.c); freed by tt_lang_parse. */
  tt_keymap seen;
  tt_p_name *names;
  size_t nnames, names_cap;
  uint64_t scopes, kernel_names, kernel_sizes, kernel_templates, template_knobs, file_kernels;
} tt_parser;

/* Bounds on what the recursive parser, checker and passes may meet: deeper
 * input is a diagnostic rather than a stack overflow. TT_MAX_NEST bounds
 * the parser's recursion (parentheses, calls, blocks, `else if` chains,
 * unary operators); TT_MAX_EXPR_DEPTH the depth of an expression tree
 * (a chain a + b + ... nests one level per operator). */
#define TT_MAX_NEST 200
#define TT_MAX_EXPR_DEPTH 1000

/* ---- declared names (seen.c) ---- */
/* A new scope number. */
uint64_t tt_p_scope(tt_parser *p);
/* The kind under which name was declared in scope, or NULL; in that case
 * name is recorded with kind (unless kind is NULL). name must outlive the
 * parse (an arena string). */
const char *tt_p_seen(tt_parser *p, uint64_t scope, const char *name, const char *kind);

/* ---- tokens and diagnostics (parser.c) ---- */
const tt_token *tt_p_peek(tt_parser *p);
const tt_token *tt_p_peek_at(tt_parser *p, size_t ahead);
const tt_token *tt_p_next(tt_parser *p);
int tt_p_at(tt_parser *p, tt_tok_kind k);
int tt_p_at_kw(tt_parser *p, const char *kw); /* an identifier spelled kw */
int tt_p_accept(tt_parser *p, tt_tok_kind k);
int tt_p_accept_kw(tt_parser *p, const char *kw);
/* Consumes a token of kind k or reports "expected X but found Y". */
const tt_token *tt_p_expect(tt_parser *p, tt_tok_kind k);
void tt_p_expect_kw(tt_parser *p, const char *kw);
/* An identifier (arena copy), or reports and returns "_". */
const char *tt_p_ident(tt_parser *p, const char *what);
tt_loc tt_p_loc(tt_parser *p, const tt_token *t);
/* Syntax error: records and stops parsing. */
void tt_p_syntax(tt_parser *p, const tt_token *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "expected WHAT but found <token>" at the current token. */
void tt_p_expected(tt_parser *p, const char *what);
/* Semantic diagnostic at loc: kept when it is the earliest so far. */
void tt_p_diag(tt_parser *p, tt_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Ends a statement: newline or ';' (consumed), or '}' / end of file. */
void tt_p_end_stmt(tt_parser *p);
void tt_p_skip_separators(tt_parser *p);
/* Grows an arena array to hold n + 1 elements of size sz. */
void *tt_p_grow(tt_parser *p, void *arr, size_t n, size_t *cap, size_t sz);
/* Enters one level of nesting at token t: 0, or a syntax error and -1
 * beyond TT_MAX_NEST. Every successful call is paired with p->nest--. */
int tt_p_enter(tt_parser *p, const tt_token *t);
/* An integer literal (with optional '-'), or reports and returns 0. */
int64_t tt_p_int(tt_parser *p, tt_loc *loc);

/* ---- grammar (parse_expr.c, parse_stmt.c, parse_kernel.c, parse_template.c) ---- */
tt_expr *tt_p_expr(tt_parser *p);
/* Parses "lo..hi" into r (var set by the caller). */
void tt_p_range(tt_parser *p, tt_range *r);
tt_stmt *tt_p_stmt(tt_parser *p);
/* '{' statements '}' as a BLOCK. */
tt_stmt *tt_p_block(tt_parser *p);
/* The part of a compute after the keyword (also init's short form). */
tt_stmt *tt_p_compute(tt_parser *p);
tt_kernel_def *tt_p_kernel(tt_parser *p);
void tt_p_template(tt_parser *p);
/* Looks up the kernel-level kind of a name ("parameter", "scalar",
 * "tensor") or NULL, for duplicate checks. */
const char *tt_p_kernel_name_kind(const tt_kernel_def *k, const char *name);

/* ---- semantic checks (check.c, check_template.c) ---- */
/* Checks a fully parsed kernel and its templates; records diagnostics. */
void tt_check_kernel(tt_parser *p, tt_kernel_def *k);

#endif
