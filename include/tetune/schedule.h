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

/* The largest extent (trip count, dimension, size parameter) tetune
 * accepts: size expressions are evaluated in double, exact up to 2^53. */
#define TT_EXTENT_MAX (INT64_C(1) << 53)
/* The largest tensor tetune accepts, in bytes (2^48: far beyond any
 * machine, and element counts times 8 stay far inside a C long). */
#define TT_TENSOR_BYTES_LOG2 48
#define TT_TENSOR_BYTES_MAX (INT64_C(1) << TT_TENSOR_BYTES_LOG2)

/* Checks that every size parameter of k at `size` lies in
 * 0..TT_EXTENT_MAX and that every tensor's dimensions evaluate to extents
 * in that range whose product, in bytes, stays below TT_TENSOR_BYTES_MAX:
 * what generated code can index without overflow. TT_ERR_USAGE naming the
 * kernel and the size or tensor otherwise. *bytes (may be NULL) gets the
 * bytes of all tensors together. */
tt_status tt_kernel_check_sizes(const tt_kernel_def *k, const int64_t *size, int64_t *bytes,
                                tt_error *err);

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

#ifdef __cplusplus
}
#endif
#endif
