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
  tt_vec hoisted;  /* heap buffers declared once per call (c_hoist.c) */
};

/* Local buffers up to this size live on the stack; larger ones on the heap
 * (OpenMP worker stacks are small). Register tiles (at most a few KB) stay
 * on the stack; packed panels go to the heap: GCC keeps a register tile in
 * registers only when no large stack array shares its loop. */
#define TT_STACK_LIMIT (8 * 1024)

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
/* Plans which heap buffers of body are declared once per call (C dialect
 * only; region: body prints as one region). See c_hoist.c. */
void tt_cg_hoist_plan(tt_cg *g, const tt_stmt *body, int region);
/* 1 when alloc is declared by tt_cg_hoist_declare (its site prints nothing). */
int tt_cg_hoisted(const tt_cg *g, const tt_stmt *alloc);
/* Declares the buffers owned by owner (a function-level statement, a
 * parallel loop's body, in region mode the function's body). */
void tt_cg_hoist_declare(tt_cg *g, const void *owner);
/* Pushes the ALLOCs to declare for owner onto out. */
void tt_cg_hoist_list(const tt_cg *g, const void *owner, tt_vec *out);
/* The statements of body at function level (blocks flattened) onto out. */
void tt_cg_top_statements(const tt_stmt *body, tt_vec *out);
/* 1 when owner owns a hoisted buffer. */
int tt_cg_hoist_owns(const tt_cg *g, const void *owner);
/* Frees the buffers owned by owner. */
void tt_cg_hoist_release(tt_cg *g, const void *owner);
/* Forgets the plan. */
void tt_cg_hoist_free(tt_cg *g);
/* Bytes of a local buffer (ALLOC with constant shape). */
int64_t tt_cg_alloc_bytes(const tt_stmt *alloc);

#endif
