/* tetune lowering: a kernel with a template and a configuration becomes
 * plain loop nests, ready for a code generator. The driver (src/lower/lower.c)
 * runs a fixed list of passes in order, as Halide's does; each pass is one
 * file of src/lower/. */
#ifndef TETUNE_LOWER_H
#define TETUNE_LOWER_H

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
tt_status tt_lower(tt_arena *a, const tt_kernel_def *k, const int64_t *size, const tt_template *t,
                   const tt_sched_config *config, tt_lowered *out, tt_error *err);

/* tt_lower that also appends to *log, after each pass that ran, a line
 * "# after PASS" (PASS the pass's name; "init: PASS" for the
 * initialisation) and the statement the pass produced as tt_stmt_print
 * writes it: what `tetune show --passes` prints. On an error the log ends
 * with the last pass that succeeded. */
tt_status tt_lower_logged(tt_arena *a, const tt_kernel_def *k, const int64_t *size,
                          const tt_template *t, const tt_sched_config *config, tt_lowered *out,
                          tt_str *log, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
