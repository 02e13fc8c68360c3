/* tetune code generation: a lowered kernel (tt_lowered) printed as source.
 * One C printer serves every target; a dialect overrides a few hooks (loop
 * annotations, local buffers, function qualifiers), as Halide's GPU
 * printers do. The C/OpenMP dialect is the oracle the others are checked
 * against. */
#ifndef TETUNE_CODEGEN_H
#define TETUNE_CODEGEN_H

#include "tetune/ir.h"
#include "tetune/lower.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tt_cg tt_cg; /* printer state, internal */

/* Hooks of a target dialect. NULL hooks use the C printer's default. */
typedef struct tt_dialect {
  const char *name;
  /* Lines before a loop's `for` (OpenMP pragmas in C). */
  void (*loop_annotations)(tt_cg *g, const tt_stmt *loop);
  /* Declaration of a local buffer (stack or heap in C). Returns 1 when the
   * buffer must be freed at the end of its scope. */
  int (*local_buffer)(tt_cg *g, const tt_stmt *alloc);
} tt_dialect;

extern const tt_dialect tt_dialect_c;

typedef struct tt_codegen_opts {
  const char *size_name; /* for the header comment, e.g. "large" */
  const char *template_name;
  const char *config_json; /* shown in the header comment, or NULL */
  const char *prefix;      /* function name prefix (default "tt") */
  int abi;                 /* 1: emit tetune's loader ABI (metadata, tt_init, tt_kernel) */
  int standalone;          /* 1: functions are exported (not static); for `tetune export` */
} tt_codegen_opts;

/* Prints the whole translation unit for l in dialect d. Returns a heap
 * string the caller frees. */
char *tt_codegen(const tt_dialect *d, const tt_lowered *l, const tt_codegen_opts *o);

/* A C header declaring the standalone functions of l (for export). */
char *tt_codegen_header(const tt_lowered *l, const tt_codegen_opts *o);

/* The C identifier for kernel name `name` with prefix (e.g. "tt_3mm"). */
char *tt_codegen_symbol(const char *prefix, const char *name);

#ifdef __cplusplus
}
#endif
#endif
