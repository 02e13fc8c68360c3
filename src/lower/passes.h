/* Internal to src/lower: the lowering context and the passes that the
 * driver (lower.c) runs in order, one pass a file. */
#ifndef TT_LOWER_PASSES_H
#define TT_LOWER_PASSES_H

#include "tetune/lower.h"

/* Lowering context shared by the passes. */
/* The name of a cache_read buffer: stage, tensor, buffer (pack.c). */
typedef struct tt_pack_name {
  const char *stage, *tensor, *buf;
  struct tt_pack_name *next;
} tt_pack_name;

typedef struct tt_lower_ctx {
  tt_sched_ctx sc;          /* what the schedule reads: kernel, template, env, scope, error */
  const tt_stmt *root;      /* the algorithm being lowered (to find stages) */
  tt_pack_name *pack_names; /* the pack buffers named so far (in sc.a) */
} tt_lower_ctx;

/* A pass rewrites *body (statements in cx->sc.a; the input is not
 * modified). An error is set in cx->sc.err and returned. */
typedef tt_status (*tt_pass_fn)(tt_lower_ctx *cx, tt_stmt **body);

/* time_tile.c: time_tile steps: the sweeps of a time loop in skewed time
 * tiles, in order or as a parallel wavefront (legal skews only). */
tt_status tt_pass_time_tile(tt_lower_ctx *cx, tt_stmt **body);
/* interchange.c: the interchange step on loop f (already cloned; outer:
 * the names bound around it), for loop_steps.c: f distributed around its
 * child loops, each moved outside its copy (legal when f carries no
 * dependence). */
tt_status tt_lower_interchange(tt_lower_ctx *cx, const tt_step *st, tt_stmt *f,
                               const tt_bind *outer, tt_stmt **out);
/* loop_steps.c: the template's steps on in-place loops (stage ""): split,
 * unroll, and vectorize, parallel, reorder and interchange where the
 * dependence test allows. */
tt_status tt_pass_loop_steps(tt_lower_ctx *cx, tt_stmt **body);
/* chunk_reductions.c: every vectorized reduction loop that is also
 * unrolled by u becomes u partial sums over contiguous chunks. */
tt_status tt_pass_chunk_reductions(tt_lower_ctx *cx, tt_stmt **body);
/* check_unroll.c: refuses a loop both unrolled and parallel, or an
 * unrolled vectorized reduction, which C cannot spell. */
tt_status tt_pass_check_unroll(tt_lower_ctx *cx, tt_stmt **body);
/* stages.c: every compute stage becomes its loop nest; a stage attached
 * by compute_at is lowered inside its consumer instead. */
tt_status tt_pass_stages(tt_lower_ctx *cx, tt_stmt **body);

/* compute.c: lowers compute c (with its schedule) into plain loops. */
tt_status tt_lower_compute(tt_lower_ctx *cx, const tt_compute *c, tt_stmt **out);

#endif
