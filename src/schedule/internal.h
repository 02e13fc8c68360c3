/* Internal to src/schedule and src/lower: the schedule of one compute stage
 * (its axes, split levels and loop order with annotations) and the helpers
 * lowering uses to turn it into loops. */
#ifndef TT_SCHEDULE_INTERNAL_H
#define TT_SCHEDULE_INTERNAL_H

#include "tetune/schedule.h"

#define TT_MAX_SPLIT 4

/* One axis of a stage (spatial: an output dimension; or a reduction axis),
 * split into nsplit+1 levels. Level j's loop variable is names[j]; the
 * innermost level keeps the axis's own name so that the body's indices need
 * no rewriting: level j iterates [start_j, end_j) by step_j where
 * start_0 = lo, end_0 = hi, step_j = factors[j] (1 for the last), and
 * start_j = names[j-1], end_j = min(names[j-1] + factors[j-1], end_{j-1})
 * (without the min when the tiles divide evenly: exact[j]). */
typedef struct tt_axis {
  const char *var;
  tt_expr *lo, *hi;
  int is_reduce;
  int nsplit;
  int64_t factors[TT_MAX_SPLIT];
  const char *names[TT_MAX_SPLIT + 1];
  int exact[TT_MAX_SPLIT + 1];
} tt_axis;

/* One loop of the stage's nest. */
typedef struct tt_loop {
  int axis, level;
  tt_loop_kind kind;
  int unroll;
  int fused; /* fused with the loop just inside it into one loop */
} tt_loop;

typedef struct tt_attach {
  const char *name; /* tensor (cache_read) or stage (compute_at) */
  int at;           /* loop placed in, as axis * 16 + level (survives reorders) */
} tt_attach;

typedef struct tt_stage_sched {
  const tt_compute *c;
  const tt_expr *reduce; /* the rhs's REDUCE node, or NULL */
  size_t naxes;
  tt_axis *axes;
  size_t nloops;
  tt_loop *loops;  /* in nesting order, outermost first */
  int cache_write; /* loop as axis * 16 + level, or -1 */
  size_t nreads, ncompute_at;
  tt_attach *reads, *compute_at;
} tt_stage_sched;

/* The span of an axis inside (below) loop position pos: the axis's indices
 * there are [base, hi) with at most `extent` values. */
typedef struct tt_span {
  tt_expr *base, *hi;
  int64_t extent;
  int point; /* every level of the axis is outside: base is the axis variable */
} tt_span;

struct tt_bind;

/* Lowering context shared by the passes. */
typedef struct tt_lower_ctx {
  tt_arena *a;
  const tt_kernel_def *k;
  const tt_template *t; /* NULL for the reference */
  const tt_sched_config *cfg;
  tt_env env;                  /* params, scalars, knobs */
  const tt_stmt *root;         /* the algorithm being lowered (to find stages) */
  int fast_init;               /* initialisation: parallel outer loop, vector reductions */
  const struct tt_bind *scope; /* loops and lets around the stage being lowered */
  tt_error *err;
} tt_lower_ctx;

const tt_compute *tt_find_compute(const tt_stmt *s, const char *name);
const tt_expr *tt_find_reduce(const tt_expr *e);
int tt_axis_extent(const tt_kernel_def *k, const tt_compute *c, const char *axis, const tt_env *env,
                   int64_t *out);

/* Builds the schedule of compute c: its default nest (axes in order,
 * spatial then reduction) with template steps for stage c->name applied.
 * Illegal steps are TT_ERR_USAGE naming stage, loop and reason. */
tt_status tt_stage_schedule(tt_lower_ctx *cx, const tt_compute *c, tt_stage_sched *out);

/* Loop variable name, start and end of a loop of a stage. */
const char *tt_loop_name(const tt_stage_sched *s, int loop);
tt_expr *tt_loop_start(tt_lower_ctx *cx, const tt_stage_sched *s, int axis, int level);
tt_expr *tt_loop_end(tt_lower_ctx *cx, const tt_stage_sched *s, int axis, int level);
int tt_loop_step(const tt_stage_sched *s, int axis, int level);
/* Position (nesting depth) of level `level` of axis `axis`. */
int tt_loop_pos(const tt_stage_sched *s, int axis, int level);
/* The span of axis `axis` below loop position pos (-1: the whole axis). */
tt_status tt_axis_span(tt_lower_ctx *cx, const tt_stage_sched *s, int axis, int pos, tt_span *out);

/* Evaluates a step argument that names a loop: a VAR, or a knob whose label
 * is the loop name. Returns NULL for the label "none". */
const char *tt_step_name(tt_lower_ctx *cx, const tt_expr *arg);
/* Evaluates a step's integer argument (literal or knob). */
tt_status tt_step_int(tt_lower_ctx *cx, const tt_step *st, const tt_expr *arg, int64_t *out);
/* 1 when the step's condition holds (or it has none). */
int tt_step_enabled(tt_lower_ctx *cx, const tt_step *st);

/* Helpers of stage.c used by steps.c. */
void tt_axis_name_levels(tt_arena *a, tt_axis *ax);
void tt_stage_rebuild_loops(tt_arena *a, tt_stage_sched *s);
int tt_stage_find_loop(const tt_stage_sched *s, const char *name);
/* Applies one template step to a stage's schedule (steps.c). */
tt_status tt_stage_apply_step(tt_lower_ctx *cx, tt_stage_sched *s, const tt_step *st);
/* Checks the finished schedule: level nesting, fused pairs, parallel and
 * vectorized loops, cache placement (steps.c). */
tt_status tt_stage_check(tt_lower_ctx *cx, const tt_stage_sched *s);

/* Checks a stage that reads its own output at another element: its
 * schedule must keep the reference's order (selfdep.c). */
tt_status tt_stage_check_self(tt_lower_ctx *cx, const tt_stage_sched *s);
/* Lowers compute c (with its schedule) into plain loops. */
tt_status tt_lower_compute(tt_lower_ctx *cx, const tt_compute *c, tt_stmt **out);
/* Applies the template's in-place loop steps (stage "") to body. */
tt_status tt_schedule_loops(tt_lower_ctx *cx, tt_stmt *body, tt_stmt **out);
/* Rewrites every vectorized reduction loop that is also unrolled by u into
 * u partial sums over contiguous chunks (chunks.c). */
tt_stmt *tt_chunk_reductions(tt_lower_ctx *cx, tt_stmt *body);
/* Loop-carried dependence test for an in-place loop (depend.c): returns 0
 * when no two iterations of `loop` touch the same element (one of them
 * writing), else -1 with the dependence described in why. outer is the
 * chain of names bound around the loop (their ranges and values help the
 * proof; NULL: none known). When red is not NULL, one scalar from outside
 * the loop that the loop only sums into (+=, -=, never read otherwise) is
 * accepted and returned in *red (NULL when there is none): the loop is then
 * independent as a reduction. */
int tt_loop_dependence(tt_lower_ctx *cx, const tt_stmt *loop, const struct tt_bind *outer,
                       const char **red, tt_str *why);

#endif
