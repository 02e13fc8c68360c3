/* Internal to src/schedule: the helpers that build a stage's schedule
 * (stage.c, steps.c) and size knobs (knobs.c). What lowering reads of a
 * schedule is public, in tetune/schedule.h. */
#ifndef TT_SCHEDULE_INTERNAL_H
#define TT_SCHEDULE_INTERNAL_H

#include "tetune/schedule.h"

/* extent.c: the largest trip count of `axis` of compute c under env: hi -
 * lo when it is constant, else the extent of the tensor dimension the axis
 * indexes; 1 and *out when known and within 0..TT_EXTENT_MAX. And the
 * checked conversion of an evaluated size to an extent (1 on success). */
int tt_extent_from_double(double x, int64_t *out);
int tt_axis_extent(const tt_kernel_def *k, const tt_compute *c, const char *axis, const tt_env *env,
                   int64_t *out);

/* Helpers of stage.c used by steps.c. */
void tt_axis_name_levels(tt_arena *a, tt_axis *ax);
void tt_stage_rebuild_loops(tt_arena *a, tt_stage_sched *s);
int tt_stage_find_loop(const tt_stage_sched *s, const char *name);
/* Applies one template step to a stage's schedule (steps.c). */
tt_status tt_stage_apply_step(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st);
/* Checks the finished schedule: level nesting, fused pairs, parallel and
 * vectorized loops, cache placement (steps.c). */
tt_status tt_stage_check(tt_sched_ctx *cx, const tt_stage_sched *s);
/* The bind step, and the legality of bound loops and local staging in a
 * finished schedule (bind.c). */
tt_status tt_stage_bind(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st);
tt_status tt_stage_check_bind(tt_sched_ctx *cx, const tt_stage_sched *s);
/* Checks a stage that reads its own output at another element: its
 * schedule must keep the reference's order (selfdep.c). */
tt_status tt_stage_check_self(tt_sched_ctx *cx, const tt_stage_sched *s);
/* An axis whose range uses another axis stays inside that axis's loops
 * (ranges.c). */
tt_status tt_stage_check_ranges(tt_sched_ctx *cx, const tt_stage_sched *s);
/* Checks every time_tile step of t against its time loop when the template
 * loads: the loop's sweeps must have fixed dependence distances, and the
 * skew (a constant, or each value of its knob kv) must make them legal
 * (timetile.c). */
tt_status tt_template_check_time_tiles(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                                       const tt_knob_values *kv, size_t nkv, tt_error *err);

#endif
