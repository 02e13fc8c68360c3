/* Internal header of src/lang: the semantic checker's scope and the
 * functions check.c shares with check_template.c. */
#ifndef TT_LANG_CHECK_H
#define TT_LANG_CHECK_H

#include "lang/parser.h"

typedef enum tt_sym_kind {
  SYM_PARAM,
  SYM_SCALAR,
  SYM_LOOP,
  SYM_LET,
  SYM_AXIS,
  SYM_RVAR,
  SYM_KNOB,
  SYM_LABEL
} tt_sym_kind;

typedef struct tt_sym {
  const char *name;
  tt_sym_kind kind;
  tt_dtype type;
} tt_sym;

/* Checker state: a scope stack of names, and what the statement being
 * checked may do. */
typedef struct tt_checker {
  tt_parser *p;
  tt_kernel_def *k;
  tt_sym *syms;
  size_t n, cap;
  int in_init;          /* init may write every tensor */
  int in_compute;       /* reductions allowed */
  int in_reduce;        /* inside a reduction's body */
  int nreduce;          /* reductions seen in the current compute */
  const char *shape_of; /* checking the shape of this tensor */
} tt_checker;

/* Reports a name the generated C cannot use (tt_ prefix, C keyword). */
void tt_ck_reserved(tt_checker *c, const char *name, tt_loc loc);
void tt_ck_push(tt_checker *c, const char *name, tt_sym_kind kind, tt_dtype t, tt_loc loc);
const tt_sym *tt_ck_lookup(const tt_checker *c, const char *name);
void tt_ck_expr(tt_checker *c, tt_expr *e);
void tt_ck_stmt(tt_checker *c, tt_stmt *s);
/* Reports every compute stage name that appears twice in body. */
void tt_ck_unique_stages(tt_checker *c, const tt_stmt *body);
void tt_ck_template(tt_checker *c, tt_template *T, size_t index);

#endif
