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
  int worksharing; /* the next parallel loop is `omp for` inside a region (c_region.c) */
};

void tt_cg_line(tt_cg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tt_cg_expr(tt_cg *g, tt_str *out, const tt_expr *e);
void tt_cg_stmt(tt_cg *g, const tt_stmt *s);
/* Prints body as the statements of a function (one indent deeper). */
void tt_cg_body(tt_cg *g, const tt_stmt *body);
/* A loop's annotations and its `for (...) {` line (no body, no brace). */
void tt_cg_for_header(tt_cg *g, const tt_stmt *s);
/* Prints body as one `omp parallel` region with work-sharing loops when it
 * would open several regions per call and that is safe; returns 0 (nothing
 * printed) otherwise. See c_region.c. */
int tt_cg_region_body(tt_cg *g, const tt_stmt *body);
/* Bytes of a local buffer (ALLOC with constant shape). */
int64_t tt_cg_alloc_bytes(const tt_stmt *alloc);

#endif
