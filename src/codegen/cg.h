/* Internal to src/codegen: the printer state shared by the C printer and
 * the dialects that override it. */
#ifndef TT_CODEGEN_CG_H
#define TT_CODEGEN_CG_H

#include "tetune/codegen.h"

struct tt_cg {
  const tt_dialect *d;
  const tt_lowered *l;
  tt_str out;
  int indent;
};

void tt_cg_line(tt_cg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tt_cg_expr(tt_cg *g, tt_str *out, const tt_expr *e);
void tt_cg_stmt(tt_cg *g, const tt_stmt *s);
/* Prints body as the statements of a function (one indent deeper). */
void tt_cg_body(tt_cg *g, const tt_stmt *body);
/* Bytes of a local buffer (ALLOC with constant shape). */
int64_t tt_cg_alloc_bytes(const tt_stmt *alloc);

#endif
