/* The .te lexer: the whole text becomes an array of tokens up front. A
 * lexical error does not stop the parser early: it becomes a TK_ERROR
 * token that the parser reports when it gets there, so an earlier syntax
 * error is still the one reported. */
#include "lang/lexer.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct lexer {
  tt_arena *a;
  const char *text;
  size_t pos;
  int line, col;
  int depth; /* open ( and [: newlines inside are skipped */
  tt_token *toks;
  size_t n, cap;
} lexer;

/* Appends a token of kind k covering text[start, lx->pos). */
static tt_token *push(lexer *lx, tt_tok_kind k, size_t start, int line, int col) {
  if (lx->n == lx->cap) {
    size_t cap = lx->cap ? lx->cap * 2 : 256;
    tt_token *t = tt_arena_alloc(lx->a, cap * sizeof *t);
    if (lx->n > 0) memcpy(t, lx->toks, lx->n * sizeof *t);
    lx->toks = t;
    lx->cap = cap;
  }
  tt_token *t = &lx->toks[lx->n++];
  memset(t, 0, sizeof *t);
  t->kind = k;
  t->start = lx->text + start;
  t->len = lx->pos - start;
  t->pos = start;
  t->line = line;
  t->col = col;
  return t;
}

/* 1 for characters that may continue an identifier. */
static int ident_char(char c) {
  return isalnum((unsigned char)c) || c == '_';
}

/* Advances over n characters of the current line. */
static void adv(lexer *lx, size_t n) {
  lx->pos += n;
  lx->col += (int)n;
}

/* Scans a number: 12, 1.5, 1e-3, 2.5E+4. "0..N" is INT 0 then "..".
 * Digits followed by letters form a TK_WORD ("3mm", "1e"), which only a
 * kernel name accepts (elsewhere the parser calls it a bad number); a float
 * followed by letters ("1.5x") is a bad number here. */
static void lex_number(lexer *lx) {
  const char *s = lx->text;
  size_t start = lx->pos, p = lx->pos;
  int line = lx->line, col = lx->col, is_float = 0;
  while (isdigit((unsigned char)s[p]))
    p++;
  if (s[p] == '.' && isdigit((unsigned char)s[p + 1])) {
    is_float = 1;
    for (p++; isdigit((unsigned char)s[p]); p++) {
    }
  }
  if (s[p] == 'e' || s[p] == 'E') {
    size_t q = p + 1;
    if (s[q] == '+' || s[q] == '-') q++;
    if (isdigit((unsigned char)s[q])) {
      is_float = 1;
      for (p = q; isdigit((unsigned char)s[p]); p++) {
      }
    }
  }
  int word = ident_char(s[p]);
  while (ident_char(s[p]))
    p++;
  adv(lx, p - start);
  tt_token *t = push(lx, TK_INT, start, line, col);
  char *txt = tt_arena_strndup(lx->a, s + start, p - start);
  if (word && is_float) {
    t->kind = TK_ERROR;
    t->msg = tt_arena_printf(lx->a, "bad number '%s'", txt);
  } else if (word) {
    t->kind = TK_WORD;
  } else if (is_float) {
    t->kind = TK_FLOAT;
    t->fval = strtod(txt, NULL);
  } else {
    errno = 0;
    t->ival = strtoll(txt, NULL, 10);
    if (errno == ERANGE) {
      t->kind = TK_ERROR;
      t->msg = tt_arena_printf(lx->a, "bad number '%s' (too large)", txt);
    }
  }
}

typedef struct punct {
  const char *text;
  tt_tok_kind kind;
} punct;

/* Longest first, so "//" wins over "/" and "..". over ".". */
static const punct PUNCTS[] = {
    {"..", TK_DOTDOT},  {"+=", TK_PLUSEQ},     {"-=", TK_MINUSEQ}, {"*=", TK_STAREQ},
    {"/=", TK_SLASHEQ}, {"//", TK_SLASHSLASH}, {"<=", TK_LE},      {">=", TK_GE},
    {"==", TK_EQ},      {"!=", TK_NE},         {"&&", TK_AND},     {"||", TK_OR},
    {"(", TK_LPAREN},   {")", TK_RPAREN},      {"[", TK_LBRACK},   {"]", TK_RBRACK},
    {"{", TK_LBRACE},   {"}", TK_RBRACE},      {",", TK_COMMA},    {":", TK_COLON},
    {";", TK_SEMI},     {".", TK_DOT},         {"=", TK_ASSIGN},   {"+", TK_PLUS},
    {"-", TK_MINUS},    {"*", TK_STAR},        {"/", TK_SLASH},    {"%", TK_PERCENT},
    {"<", TK_LT},       {">", TK_GT},          {"!", TK_NOT},
};

/* Spelling of a punctuation kind, quoted. */
const char *tt_tok_kind_text(tt_tok_kind k) {
  static char buf[sizeof PUNCTS / sizeof PUNCTS[0]][8];
  for (size_t i = 0; i < sizeof PUNCTS / sizeof PUNCTS[0]; i++)
    if (PUNCTS[i].kind == k) {
      snprintf(buf[i], sizeof buf[i], "'%s'", PUNCTS[i].text);
      return buf[i];
    }
  switch (k) {
  case TK_IDENT:
    return "identifier";
  case TK_INT:
    return "integer";
  case TK_FLOAT:
    return "number";
  case TK_NEWLINE:
    return "end of line";
  case TK_EOF:
    return "end of file";
  default:
    return "token";
  }
}

/* Scans one punctuation token, or records an unknown character. Returns 0
 * after an error token. */
static int lex_punct(lexer *lx) {
  const char *s = lx->text + lx->pos;
  int line = lx->line, col = lx->col;
  size_t start = lx->pos;
  for (size_t i = 0; i < sizeof PUNCTS / sizeof PUNCTS[0]; i++) {
    size_t n = strlen(PUNCTS[i].text);
    if (strncmp(s, PUNCTS[i].text, n) != 0) continue;
    adv(lx, n);
    tt_tok_kind k = PUNCTS[i].kind;
    if (k == TK_LPAREN || k == TK_LBRACK)
      lx->depth++;
    else if ((k == TK_RPAREN || k == TK_RBRACK) && lx->depth > 0)
      lx->depth--;
    push(lx, k, start, line, col);
    return 1;
  }
  adv(lx, 1);
  tt_token *t = push(lx, TK_ERROR, start, line, col);
  unsigned char c = (unsigned char)*s;
  t->msg = isprint(c) ? tt_arena_printf(lx->a, "unknown character '%c'", c)
                      : tt_arena_printf(lx->a, "unknown character '\\x%02x'", c);
  return 0;
}

/* Tokenizes the whole text. */
tt_token *tt_lex(tt_arena *a, const char *text, size_t *ntoks) {
  lexer lx = {.a = a, .text = text, .line = 1, .col = 1};
  for (;;) {
    char c = text[lx.pos];
    if (c == '\0') break;
    if (c == '\n') {
      if (lx.depth == 0) push(&lx, TK_NEWLINE, lx.pos, lx.line, lx.col)->len = 1;
      lx.pos++;
      lx.line++;
      lx.col = 1;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      adv(&lx, 1);
    } else if (c == '#') {
      while (text[lx.pos] != '\0' && text[lx.pos] != '\n')
        adv(&lx, 1);
    } else if (isalpha((unsigned char)c) || c == '_') {
      size_t start = lx.pos;
      int col = lx.col;
      while (ident_char(text[lx.pos]))
        adv(&lx, 1);
      push(&lx, TK_IDENT, start, lx.line, col);
    } else if (isdigit((unsigned char)c)) {
      lex_number(&lx);
      if (lx.toks[lx.n - 1].kind == TK_ERROR) break;
    } else if (!lex_punct(&lx)) {
      break;
    }
  }
  push(&lx, TK_EOF, lx.pos, lx.line, lx.col);
  *ntoks = lx.n;
  return lx.toks;
}

/* How a diagnostic names the token t. */
const char *tt_token_describe(tt_arena *a, const tt_token *t) {
  switch (t->kind) {
  case TK_EOF:
    return "end of file";
  case TK_NEWLINE:
    return "end of line";
  default:
    return tt_arena_printf(a, "'%.*s'", (int)t->len, t->start);
  }
}
