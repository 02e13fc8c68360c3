/* tetune lowering: a kernel with a template and a configuration becomes
 * plain loop nests, ready for a code generator. The driver (src/lower/lower.c)
 * runs a fixed list of passes in order, as Halide's does; each pass is one
 * file of src/lower/. */
#ifndef TETUNE_LOWER_H
#define TETUNE_LOWER_H

#include "tetune/export.h"
#include "tetune/ir.h"
#include "tetune/schedule.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The result of lowering: the init and kernel bodies as plain loop nests
 * (no TT_ST_COMPUTE left), ready for a code generator. */
typedef struct tt_lowered {
  const tt_kernel_def *kernel;
  const int64_t *size;           /* param values */
  const tt_sched_config *config; /* NULL for the reference */
  tt_stmt *init;
  tt_stmt *body;
} tt_lowered;

/* Lowers kernel k at size `size`. With t == NULL: the naive reference (the
 * kernel's body, every compute as a plain loop nest in declaration order).
 * Otherwise template t's body (or the kernel's) with t's steps applied under
 * config. An illegal schedule is TT_ERR_USAGE with a message naming the
 * stage, the loop and the reason (e.g. the dependence that forbids it). */
TT_API tt_status tt_lower(tt_arena *a, const tt_kernel_def *k, const int64_t *size,
                          const tt_template *t, const tt_sched_config *config, tt_lowered *out,
                          tt_error *err);

/* tt_lower that also appends to *log, after each pass that ran, a line
 * "# after PASS" (PASS the pass's name; "init: PASS" for the
 * initialisation) and the statement the pass produced as tt_stmt_print
 * writes it: what `tetune show --passes` prints. On an error the log ends
 * with the last pass that succeeded. */
TT_API tt_status tt_lower_logged(tt_arena *a, const tt_kernel_def *k, const int64_t *size,
                                 const tt_template *t, const tt_sched_config *config,
                                 tt_lowered *out, tt_str *log, tt_error *err);

/* ---- GPU targets ---------------------------------------------------
 * A lowered kernel split between host and device. The host runs the
 * control flow outside bound loops (for example blocked LU's loop over
 * diagonal blocks); every loop nest whose outermost loop is bound becomes
 * a kernel launched over a grid, and any other statement the host meets
 * (one that touches tensors) runs as a kernel of one work-item. */

/* What a device allows (the lowering rejects a configuration beyond it). */
typedef struct tt_gpu_limits {
  int64_t max_group_size; /* work-items per work-group (threads per block) */
  int64_t max_groups[3];  /* work-groups per dimension (more: grid-stride loops) */
  int64_t local_bytes;    /* local (shared) memory per work-group */
} tt_gpu_limits;

/* One device kernel. Inside its body a bound loop reads its index from
 * the names TT_GID_X.. (group), TT_NGRP_X.. (groups), TT_LID_X..
 * (work-item in group), TT_LSZ_X.. (group size), which the dialect
 * defines, as does TT_BARRIER(); local buffers are hoisted into
 * local_allocs (declared once at the top of the kernel). */
typedef struct tt_gpu_kernel {
  const char *name;
  tt_stmt *body;
  size_t nscalars;
  const char **scalars; /* host variables it reads: integer arguments */
  size_t ntensors;
  const char **tensors; /* tensors it touches, in declaration order */
  tt_expr *groups[3];   /* work-groups per dimension, over host variables */
  int64_t local[3];     /* work-items per work-group per dimension */
  size_t nlocal;
  tt_stmt **local_allocs;
} tt_gpu_kernel;

typedef struct tt_gpu_program {
  /* Host control flow; each launch is a TT_ST_PRAGMA whose text is
   * "@launch N" (N indexes kernels). */
  tt_stmt *host;
  size_t nkernels;
  tt_gpu_kernel *kernels;
} tt_gpu_program;

/* Splits l->body for a GPU. Errors (TT_ERR_USAGE, the configuration is
 * invalid): a work-group or local memory beyond lim, a block loop whose
 * range the host cannot compute, an update that every work-item of a
 * group would repeat. */
TT_API tt_status tt_lower_gpu(tt_arena *a, const tt_lowered *l, const tt_gpu_limits *lim,
                              tt_gpu_program *out, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
