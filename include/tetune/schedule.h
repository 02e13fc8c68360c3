/* tetune schedules: the knob space a template exposes at a problem size, a
 * configuration bound to it, and the schedule of each compute stage — the
 * template's steps applied to the stage's default nest, with their
 * legality checks. The schedule is data, applied during lowering
 * (tetune/lower.h) as in Halide. */
#ifndef TETUNE_SCHEDULE_H
#define TETUNE_SCHEDULE_H

#include "tetune/export.h"
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
TT_API tt_status tt_kernel_check_sizes(const tt_kernel_def *k, const int64_t *size, int64_t *bytes,
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
  int threads_only;     /* declared 'if threads > 1' */
} tt_knob_values;

/* Computes the value lists of every knob of template t at problem size
 * `size` (values of the kernel's params, in order). Split knobs take the
 * extent of their axis (its largest trip count). Arena-allocated result.
 * Errors (TT_ERR_USAGE, with file:line:col): an empty value list, a
 * default that is not among the values. */
TT_API tt_status tt_template_knobs(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                                   const int64_t *size, tt_knob_values **out, size_t *n,
                                   tt_error *err);

/* A configuration: one value per knob, by name. For PERMUTE knobs, perm
 * holds the loop names in the chosen order. */
typedef struct tt_sched_config {
  tt_env env; /* ints (SPLIT/LIST/ON_OFF) and labels (CHOICE) */
  size_t nperms;
  const char **perm_names;
  const char ***perm_items;
  size_t *perm_len;
} tt_sched_config;

TT_API void tt_sched_config_init(tt_sched_config *c);
TT_API void tt_sched_config_free(tt_sched_config *c);
TT_API void tt_sched_config_set_perm(tt_sched_config *c, const char *knob, const char **items,
                                     size_t n);
/* Items of a PERMUTE knob, or NULL. */
TT_API const char **tt_sched_config_perm(const tt_sched_config *c, const char *knob, size_t *n);

/* ---- the schedule of one compute stage, as lowering passes read it ----
 * Built by tt_stage_schedule from the stage's default nest and the
 * template's steps for it; arena-allocated with the lowering. */

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
  tt_par_sched sched; /* PARALLEL: how the iterations are shared */
  int unroll;
  int simdlen;      /* vectorize L by W: W lanes (0 = the compiler's width) */
  int fused;        /* fused with the loop just inside it into one loop */
  tt_bind_dim bind; /* bound to a GPU grid dimension (bind step) */
} tt_loop;

typedef struct tt_attach {
  const char *name; /* tensor (cache_read) or stage (compute_at) */
  int at;           /* loop placed in, as axis * 16 + level (survives reorders) */
  int local;        /* cache_read ... local: staged by the work-group in local memory */
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

/* The names bound around a statement (loop variables with their ranges,
 * lets with their values), innermost first; what the dependence test and
 * the extent of a non-constant range are proven from. Opaque. */
typedef struct tt_bind tt_bind;

/* What the schedule reads of the lowering in progress: the kernel, the
 * template (NULL for the reference) and its configuration, the values of
 * params, scalars and knobs, and the names bound around the statement
 * being lowered. Errors are set in err (TT_ERR_USAGE, naming the stage,
 * the loop and the reason). */
typedef struct tt_sched_ctx {
  tt_arena *a;
  const tt_kernel_def *k;
  const tt_template *t;
  const tt_sched_config *cfg;
  tt_env env;
  int fast_init; /* initialisation: parallel outer loop, vector reductions */
  const tt_bind *scope;
  tt_error *err;
} tt_sched_ctx;

/* The compute stage called `name` in s (recursively), or NULL. */
TT_API const tt_compute *tt_find_compute(const tt_stmt *s, const char *name);
/* The first REDUCE node in e, or NULL. */
TT_API const tt_expr *tt_find_reduce(const tt_expr *e);

/* Builds the schedule of compute c: its default nest (axes in order,
 * spatial then reduction) with template steps for stage c->name applied.
 * Illegal steps are TT_ERR_USAGE naming stage, loop and reason. */
TT_API tt_status tt_stage_schedule(tt_sched_ctx *cx, const tt_compute *c, tt_stage_sched *out);

/* Loop variable name, start and end of a loop of a stage. */
TT_API const char *tt_loop_name(const tt_stage_sched *s, int loop);
TT_API tt_expr *tt_loop_start(tt_sched_ctx *cx, const tt_stage_sched *s, int axis, int level);
TT_API tt_expr *tt_loop_end(tt_sched_ctx *cx, const tt_stage_sched *s, int axis, int level);
TT_API int tt_loop_step(const tt_stage_sched *s, int axis, int level);
/* Position (nesting depth) of level `level` of axis `axis`. */
TT_API int tt_loop_pos(const tt_stage_sched *s, int axis, int level);
/* The span of axis `axis` below loop position pos (-1: the whole axis). */
TT_API tt_status tt_axis_span(tt_sched_ctx *cx, const tt_stage_sched *s, int axis, int pos,
                              tt_span *out);

/* Evaluates a step argument that names a loop: a VAR, or a knob whose label
 * is the loop name. Returns NULL for the label "none". */
TT_API const char *tt_step_name(tt_sched_ctx *cx, const tt_expr *arg);
/* Evaluates a step's integer argument (literal or knob). */
TT_API tt_status tt_step_int(tt_sched_ctx *cx, const tt_step *st, const tt_expr *arg, int64_t *out);
/* The lanes W of `vectorize L by W` into *out (0 without W; other steps:
 * 0); an error unless W is a power of two from 1 to 64. loop names L. */
TT_API tt_status tt_step_simdlen(tt_sched_ctx *cx, const tt_step *st, const char *loop, int *out);
/* 1 when the step's condition holds (or it has none). */
TT_API int tt_step_enabled(tt_sched_ctx *cx, const tt_step *st);

/* outer extended by what statement s binds: a loop's variable (for its
 * body) or a let (for the statements after it; with its value unless root
 * updates it somewhere). Other statements return outer. */
TT_API const tt_bind *tt_bind_push(tt_arena *a, const tt_stmt *root, const tt_stmt *s,
                                   const tt_bind *outer);

/* Loop-carried dependence test for an in-place loop: returns 0 when no two
 * iterations of `loop` touch the same element (one of them writing), else
 * -1 with the dependence described in why. outer is the chain of names
 * bound around the loop (their ranges and values help the proof; NULL:
 * none known). When red is not NULL, one scalar from outside the loop that
 * the loop only sums into (+=, -=, never read otherwise), or only takes the
 * min or max with (red = min(red, e), red = max(red, e)), is accepted and
 * returned in *red (NULL when there is none): the loop is then independent
 * as a reduction. */
TT_API int tt_loop_dependence(tt_sched_ctx *cx, const tt_stmt *loop, const tt_bind *outer,
                              const char **red, tt_str *why);
/* The reduction a loop accepted by tt_loop_dependence performs into red:
 * TT_RED_SUM (+=, -=), TT_RED_MIN (red = min(red, e)) or TT_RED_MAX. */
TT_API tt_redop tt_loop_reduction_op(const tt_stmt *loop, const char *red);

/* Time tiling (timetile.c): tloop is a time loop (step 1) whose body is a
 * sequence of K sweeps, loops over vars[0] (their variable or label) with
 * step 1 and bounds free of tloop's variable; vars[1..nd) are inner loop
 * variables tiled too (every loop over vars[d] inside the loops over
 * vars[d - 1], bounds free of the time loop and its inner names).
 * Iteration (i, j, ...) of sweep k at time t is skewed to x = i +
 * S*(K*t + k) and y_d = v_d + R_d*i + S*(K*t + k), with the inner skews
 * R_d >= 0 (R_0 = 0) the least that order the dependences within one
 * sweep and time step (into inner[0..nd) when inner is not NULL). Tiles
 * of (t, x, y), in order or as a wavefront, are legal when S >=
 * *min_skew, the least skew that makes every dependence distance
 * non-negative. Returns 0 and *min_skew (why: the dependence that sets
 * it, when it is above 0), or -1 when no skew makes it legal (why says
 * what the test cannot prove). */
TT_API int tt_time_tile_min_skew(tt_arena *a, const tt_stmt *tloop, const char *const *vars,
                                 size_t nd, int64_t *min_skew, int64_t *inner, tt_str *why);
/* The loop labelled `label` in s (its variable when it has no label), or
 * NULL; *count gets how many there are. */
TT_API const tt_stmt *tt_find_loop(const tt_stmt *s, const char *label, int *count);

/* A constant upper bound *out of the trip count of in-place loop `loop`
 * (step 1; bounds over parameters, knobs and the names bound in outer, as
 * a split makes them: cio*tc..min(cio*tc + tc, N) has at most tc): 1, or 0
 * when none is known (interchange.c). */
TT_API int tt_inplace_max_trips(tt_sched_ctx *cx, const tt_stmt *loop, const tt_bind *outer,
                                int64_t *out);
/* Interchange of an imperfect nest (interchange.c): loop `loop`
 * distributed around its child loops inner[0..n) (direct children of its
 * body, by label), each then placed outside its copy of the loop. Legal
 * when the loop carries no dependence (tt_loop_dependence), its body
 * declares no let at its top level (lowering first expands them into
 * arrays) and no inner loop's bounds use its variable. Returns 0, or -1
 * with the reason in why. */
TT_API int tt_interchange_check(tt_sched_ctx *cx, const tt_stmt *loop, const tt_bind *outer,
                                const char *const *inner, size_t n, tt_str *why);

/* GPU binding (bind.c): the most iterations the loop at position pos ever
 * has (a thread loop's work-group size); 1 when some loop of s is bound to
 * a thread dimension. */
TT_API int64_t tt_loop_max_trips(tt_sched_ctx *cx, const tt_stage_sched *s, int pos);
TT_API int tt_stage_has_threads(const tt_stage_sched *s);
/* The position of the reduction loop of s bound to a thread dimension (its
 * iterations spread over the work-items of a group, their partial results
 * combined across the group), or -1. */
TT_API int tt_stage_thread_reduce(const tt_stage_sched *s);

#ifdef __cplusplus
}
#endif
#endif
