/* The .te parser's entry points, token helpers and diagnostics. A file is
 * a sequence of kernels; each kernel is parsed with its templates, then
 * checked, before the next one is read. */
#include "lang/parser.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/lang.h"

/* The current token; end of file once a syntax error happened. A lexical
 * error token is reported the first time it is looked at. */
const tt_token *tt_p_peek(tt_parser *p) {
  return tt_p_peek_at(p, 0);
}

/* The token `ahead` positions on (stops at end of file). */
const tt_token *tt_p_peek_at(tt_parser *p, size_t ahead) {
  if (p->failed) return &p->eof;
  size_t i = p->pos + ahead;
  if (i >= p->ntoks) i = p->ntoks - 1;
  const tt_token *t = &p->toks[i];
  if (t->kind == TK_ERROR && ahead == 0) {
    tt_p_syntax(p, t, "%s", t->msg);
    return &p->eof;
  }
  return t;
}

/* Consumes and returns the current token. */
const tt_token *tt_p_next(tt_parser *p) {
  const tt_token *t = tt_p_peek(p);
  if (!p->failed && t->kind != TK_EOF) p->pos++;
  return t;
}

int tt_p_at(tt_parser *p, tt_tok_kind k) {
  return tt_p_peek(p)->kind == k;
}

/* 1 when the current token is the identifier kw. */
int tt_p_at_kw(tt_parser *p, const char *kw) {
  const tt_token *t = tt_p_peek(p);
  return t->kind == TK_IDENT && t->len == strlen(kw) && memcmp(t->start, kw, t->len) == 0;
}

/* Consumes a token of kind k if it is next. */
int tt_p_accept(tt_parser *p, tt_tok_kind k) {
  if (!tt_p_at(p, k)) return 0;
  tt_p_next(p);
  return 1;
}

/* Consumes the identifier kw if it is next. */
int tt_p_accept_kw(tt_parser *p, const char *kw) {
  if (!tt_p_at_kw(p, kw)) return 0;
  tt_p_next(p);
  return 1;
}

/* The location of token t. */
tt_loc tt_p_loc(tt_parser *p, const tt_token *t) {
  tt_loc l = {p->file, t->line, t->col};
  return l;
}

/* Records msg at loc if it is the earliest diagnostic so far. After a
 * syntax error nothing more is recorded: what follows is about the
 * placeholders the parser made (which have no location). */
static void diag_vset(tt_parser *p, tt_loc loc, const char *fmt, va_list ap) {
  if (p->failed) return;
  if (p->has_diag &&
      (loc.line > p->diag_loc.line || (loc.line == p->diag_loc.line && loc.col >= p->diag_loc.col)))
    return;
  p->has_diag = 1;
  p->diag_loc = loc;
  vsnprintf(p->diag_msg, sizeof p->diag_msg, fmt, ap);
}

/* Semantic diagnostic: parsing goes on. */
void tt_p_diag(tt_parser *p, tt_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vset(p, loc, fmt, ap);
  va_end(ap);
}

/* Syntax error at token `at`: recorded, and parsing stops. */
void tt_p_syntax(tt_parser *p, const tt_token *at, const char *fmt, ...) {
  if (p->failed) return;
  va_list ap;
  va_start(ap, fmt);
  diag_vset(p, tt_p_loc(p, at), fmt, ap);
  va_end(ap);
  p->failed = 1;
  p->eof = *at;
  p->eof.kind = TK_EOF;
}

/* "expected WHAT but found TOKEN" at the current token. */
void tt_p_expected(tt_parser *p, const char *what) {
  const tt_token *t = tt_p_peek(p);
  if (p->failed) return;
  tt_p_syntax(p, t, "expected %s but found %s", what, tt_token_describe(p->a, t));
}

/* Consumes a token of kind k, or reports what was found instead. */
const tt_token *tt_p_expect(tt_parser *p, tt_tok_kind k) {
  const tt_token *t = tt_p_peek(p);
  if (t->kind == k) return tt_p_next(p);
  tt_p_expected(p, tt_tok_kind_text(k));
  return &p->eof;
}

/* Consumes the keyword kw, or reports. */
void tt_p_expect_kw(tt_parser *p, const char *kw) {
  if (tt_p_accept_kw(p, kw)) return;
  tt_p_expected(p, tt_arena_printf(p->a, "'%s'", kw));
}

/* An identifier; `what` names it in the error ("a tensor name"). */
const char *tt_p_ident(tt_parser *p, const char *what) {
  const tt_token *t = tt_p_peek(p);
  if (t->kind != TK_IDENT) {
    tt_p_expected(p, what);
    return "_";
  }
  tt_p_next(p);
  return tt_arena_strndup(p->a, t->start, t->len);
}

int tt_p_enter(tt_parser *p, const tt_token *t) {
  if (p->nest < TT_MAX_NEST) {
    p->nest++;
    return 0;
  }
  tt_p_syntax(p, t, "nesting deeper than %d levels", TT_MAX_NEST);
  return -1;
}

/* An integer literal, optionally negative; *loc gets its position. */
int64_t tt_p_int(tt_parser *p, tt_loc *loc) {
  const tt_token *t = tt_p_peek(p);
  if (loc != NULL) *loc = tt_p_loc(p, t);
  int neg = tt_p_accept(p, TK_MINUS);
  t = tt_p_peek(p);
  if (t->kind != TK_INT) {
    tt_p_expected(p, "an integer");
    return 0;
  }
  tt_p_next(p);
  return neg ? -t->ival : t->ival;
}

/* Ends a statement at a newline or ';' (consumed) or before '}' / EOF. */
void tt_p_end_stmt(tt_parser *p) {
  if (tt_p_accept(p, TK_NEWLINE) || tt_p_accept(p, TK_SEMI)) return;
  if (tt_p_at(p, TK_RBRACE) || tt_p_at(p, TK_EOF)) return;
  tt_p_expected(p, "end of line");
}

/* Skips empty statements. */
void tt_p_skip_separators(tt_parser *p) {
  while (tt_p_accept(p, TK_NEWLINE) || tt_p_accept(p, TK_SEMI)) {
  }
}

/* Makes room for element n of an arena array with capacity *cap. */
void *tt_p_grow(tt_parser *p, void *arr, size_t n, size_t *cap, size_t sz) {
  if (n < *cap) return arr;
  size_t nc = *cap ? *cap * 2 : 8;
  void *na = tt_arena_alloc(p->a, nc * sz);
  if (n > 0) memcpy(na, arr, n * sz);
  *cap = nc;
  return na;
}

/* Formats the recorded diagnostic into err. */
static tt_status report(tt_parser *p, tt_error *err) {
  return tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: %s", p->file, p->diag_loc.line, p->diag_loc.col,
                      p->diag_msg);
}

/* Parses and checks every kernel of a file. */
tt_status tt_lang_parse(tt_arena *a, const char *file, const char *text, tt_kernel_def ***out,
                        size_t *n, tt_error *err) {
  tt_parser p = {.a = a, .file = tt_arena_strdup(a, file), .src = text};
  p.file_kernels = tt_p_scope(&p);
  p.toks = tt_lex(a, text, &p.ntoks);
  p.eof = p.toks[p.ntoks - 1];
  tt_kernel_def **ks = NULL;
  size_t nk = 0, cap = 0;
  tt_p_skip_separators(&p);
  if (tt_p_at(&p, TK_EOF)) tt_p_expected(&p, "'kernel'");
  while (!p.has_diag && !tt_p_at(&p, TK_EOF)) {
    if (!tt_p_at_kw(&p, "kernel")) {
      tt_p_expected(&p, "'kernel'");
      break;
    }
    tt_kernel_def *k = tt_p_kernel(&p);
    if (tt_p_seen(&p, p.file_kernels, k->name, "kernel"))
      tt_p_diag(&p, k->loc, "duplicate kernel '%s'", k->name);
    if (!p.has_diag) tt_check_kernel(&p, k);
    ks = tt_p_grow(&p, ks, nk, &cap, sizeof *ks);
    ks[nk++] = k;
  }
  tt_keymap_free(&p.seen);
  if (p.has_diag) return report(&p, err);
  *out = ks;
  *n = nk;
  return TT_OK;
}

/* Reads path and parses it. */
tt_status tt_lang_parse_file(tt_arena *a, const char *path, tt_kernel_def ***out, size_t *n,
                             tt_error *err) {
  tt_error ioerr = {0};
  size_t len = 0;
  char *text = tt_file_read(path, &len, &ioerr);
  if (text == NULL) return tt_error_set(err, TT_ERR_IO, "%s", ioerr.msg);
  /* A NUL byte would silently end the text the lexer sees. */
  const char *nul = memchr(text, 0, len);
  if (nul) {
    int line = 1, col = 1;
    for (const char *c = text; c < nul; c++, col++)
      if (*c == '\n') line++, col = 0;
    tt_status st =
        tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: a NUL byte in a kernel file", path, line, col);
    free(text);
    return st;
  }
  tt_status st = tt_lang_parse(a, path, text, out, n, err);
  free(text);
  return st;
}
