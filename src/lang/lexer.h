/* Internal header of src/lang: the .te lexer's tokens. */
#ifndef TT_LANG_LEXER_H
#define TT_LANG_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/support.h"

typedef enum tt_tok_kind {
  TK_EOF,
  TK_NEWLINE,
  TK_IDENT,
  TK_INT,
  TK_FLOAT,
  TK_WORD,  /* a name that starts with digits ("3mm"): only valid as a kernel name */
  TK_ERROR, /* a lexical error; msg says which; the token stream ends after it */
  TK_LPAREN,
  TK_RPAREN,
  TK_LBRACK,
  TK_RBRACK,
  TK_LBRACE,
  TK_RBRACE,
  TK_COMMA,
  TK_COLON,
  TK_SEMI,
  TK_DOT,
  TK_DOTDOT,
  TK_ASSIGN,
  TK_PLUSEQ,
  TK_MINUSEQ,
  TK_STAREQ,
  TK_SLASHEQ,
  TK_PLUS,
  TK_MINUS,
  TK_STAR,
  TK_SLASH,
  TK_SLASHSLASH,
  TK_PERCENT,
  TK_LT,
  TK_LE,
  TK_GT,
  TK_GE,
  TK_EQ,
  TK_NE,
  TK_AND,
  TK_OR,
  TK_NOT
} tt_tok_kind;

typedef struct tt_token {
  tt_tok_kind kind;
  const char *start; /* into the source text */
  size_t len;
  size_t pos;      /* byte offset of start */
  int line, col;   /* 1-based */
  int64_t ival;    /* TK_INT */
  double fval;     /* TK_FLOAT */
  const char *msg; /* TK_ERROR */
} tt_token;

/* Splits text into tokens (arena-allocated, ending with TK_EOF; a lexical
 * error becomes a TK_ERROR token just before it). Newlines inside ( ) and
 * [ ] are not tokens, so argument lists may span lines. */
tt_token *tt_lex(tt_arena *a, const char *text, size_t *ntoks);

/* "'x'", "end of line", "end of file": how a diagnostic names a token. */
const char *tt_token_describe(tt_arena *a, const tt_token *t);

/* The source spelling of a punctuation kind ("']'"), for "expected" text. */
const char *tt_tok_kind_text(tt_tok_kind k);

#endif
