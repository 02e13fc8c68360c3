/* tetune schedules: the knob space a template exposes at a problem size, a
 * configuration bound to it, and lowering — applying the template's
 * schedule steps to the kernel's stages to get a concrete loop nest.
 *
 * The schedule is data (tt_template steps) applied during lowering, as in
 * Halide: tt_lower() reads like a script of passes. */
#ifndef TETUNE_SCHEDULE_H
#define TETUNE_SCHEDULE_H

#include "tetune/ir.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One knob of a template at a given size: its values, in order. */
typedef struct tt_knob_values {
  const char *name;
  tt_knob_decl_kind kind;
  tt_loc loc;
  size_t nvalues;
  int64_t *ivalues;     /* SPLIT, LIST: numbers; ON_OFF: 0, 1 */
  const char **labels;  /* CHOICE: nvalues labels; PERMUTE: nvalues = item count, the items */
  size_t default_index; /* CHOICE/SPLIT/LIST/ON_OFF: index of the default value */
} tt_knob_values;

/* Computes the value lists of every knob of template t at problem size
 * `size` (values of the kernel's params, in order). Split knobs take the
 * extent of their axis (its largest trip count). Arena-allocated result.
 * Errors (TT_ERR_USAGE, with file:line:col): an empty value list, a
 * default that is not among the values. */
tt_status tt_template_knobs(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                            const int64_t *size, tt_knob_values **out, size_t *n, tt_error *err);

/* A configuration: one value per knob, by name. For PERMUTE knobs, perm
 * holds the loop names in the chosen order. */
typedef struct tt_sched_config {
  tt_env env; /* ints (SPLIT/LIST/ON_OFF) and labels (CHOICE) */
  size_t nperms;
  const char **perm_names;
  const char ***perm_items;
  size_t *perm_len;
} tt_sched_config;

void tt_sched_config_init(tt_sched_config *c);
void tt_sched_config_free(tt_sched_config *c);
void tt_sched_config_set_perm(tt_sched_config *c, const char *knob, const char **items, size_t n);
/* Items of a PERMUTE knob, or NULL. */
const char **tt_sched_config_perm(const tt_sched_config *c, const char *knob, size_t *n);

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
tt_status tt_lower(tt_arena *a, const tt_kernel_def *k, const int64_t *size, const tt_template *t,
                   const tt_sched_config *config, tt_lowered *out, tt_error *err);

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
tt_status tt_lower_gpu(tt_arena *a, const tt_lowered *l, const tt_gpu_limits *lim,
                       tt_gpu_program *out, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
