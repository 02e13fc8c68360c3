/* GPU binding of compute stages: the bind step and the legality of bound
 * loops and of tiles staged in local memory (cache_read ... local).
 *
 * A bound loop's iterations are spread over a grid: block loops over
 * work-groups, thread loops over the work-items of a group. Every work-item
 * runs the whole nest with its bound loops fixed to its own indices, so
 * anything a work-group does together (staging a tile, then a barrier) must
 * sit where all its work-items run the same iterations. */
#include <string.h>

#include "schedule/internal.h"

static tt_status bind_fail(tt_sched_ctx *cx, const tt_stage_sched *s, const char *fmt,
                           const char *a1, const char *a2, const char *a3) {
  char msg[400];
  snprintf(msg, sizeof msg, fmt, a1, a2, a3);
  return tt_error_set(cx->err, TT_ERR_USAGE, "stage %s: %s", s->c->name, msg);
}

static int is_thread(tt_bind_dim b) {
  return b >= TT_BIND_THREAD_X;
}

tt_status tt_stage_bind(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  const char *name = st->nargs ? tt_step_name(cx, st->args[0]) : NULL;
  if (!name) return TT_OK; /* a choice knob set to none */
  int p = tt_stage_find_loop(s, name);
  tt_bind_dim b = tt_bind_parse(st->tensor);
  const char *where = tt_arena_printf(cx->a, "%s:%d:%d", st->loc.file, st->loc.line, st->loc.col);
  if (p < 0)
    return tt_error_set(cx->err, TT_ERR_USAGE, "%s: stage %s: no loop '%s'", where, s->c->name,
                        name);
  if (s->axes[s->loops[p].axis].is_reduce && b < TT_BIND_THREAD_X)
    return tt_error_set(cx->err, TT_ERR_USAGE,
                        "%s: stage %s: cannot bind reduction loop '%s' to %s: a reduction is "
                        "shared only by the work-items of one group (bind it to a thread "
                        "dimension)",
                        where, s->c->name, name, st->tensor);
  if (s->loops[p].bind)
    return tt_error_set(cx->err, TT_ERR_USAGE, "%s: stage %s: loop '%s' is already bound to %s",
                        where, s->c->name, name, tt_bind_name(s->loops[p].bind));
  s->loops[p].bind = b;
  return TT_OK;
}

int tt_stage_has_threads(const tt_stage_sched *s) {
  for (size_t p = 0; p < s->nloops; p++)
    if (is_thread(s->loops[p].bind)) return 1;
  return 0;
}

/* Position of the thread-bound level of axis ax, or -1. */
static int thread_level_pos(const tt_stage_sched *s, int ax) {
  for (size_t p = 0; p < s->nloops; p++)
    if (s->loops[p].axis == ax && is_thread(s->loops[p].bind)) return (int)p;
  return -1;
}

/* A tile staged in local memory is copied by the whole work-group at the
 * top of its loop's body: that loop and every loop around it must run the
 * same iterations in every work-item. */
static tt_status check_local_read(tt_sched_ctx *cx, const tt_stage_sched *s, const tt_attach *r) {
  int pos = tt_loop_pos(s, r->at / 16, r->at % 16);
  if (!tt_stage_has_threads(s))
    return bind_fail(cx, s, "cache_read %s local needs loops bound to threads%s%s", r->name, "",
                     "");
  for (int q = 0; q <= pos; q++) {
    const tt_loop *l = &s->loops[q];
    const char *name = tt_loop_name(s, q);
    if (is_thread(l->bind) && q == pos)
      return bind_fail(cx, s,
                       "cache_read %s local at thread loop '%s': the whole work-group stages the "
                       "tile, attach it to a loop outside the thread loops%s",
                       r->name, name, "");
    int tp = l->bind ? -1 : thread_level_pos(s, l->axis);
    if (tp >= 0 && tp < q)
      return bind_fail(cx, s,
                       "cache_read %s local inside loop '%s', whose range differs between the "
                       "threads of a work-group (it is inside thread loop '%s')",
                       r->name, name, tt_loop_name(s, tp));
  }
  return TT_OK;
}

int tt_stage_thread_reduce(const tt_stage_sched *s) {
  for (size_t p = 0; p < s->nloops; p++)
    if (is_thread(s->loops[p].bind) && s->axes[s->loops[p].axis].is_reduce) return (int)p;
  return -1;
}

/* A reduction loop bound to threads: each work-item accumulates its share
 * into a scalar, then the group combines the scalars (a tree in local
 * memory) after the reduction loops. So the reduction loops must be
 * innermost, one of them bound, and no cache_write tile accumulates. */
static tt_status check_thread_reduce(tt_sched_ctx *cx, const tt_stage_sched *s, int r) {
  const char *name = tt_loop_name(s, r);
  int first_red = -1;
  for (size_t p = 0; p < s->nloops; p++) {
    int red = s->axes[s->loops[p].axis].is_reduce;
    if (red && first_red < 0) first_red = (int)p;
    if (red && (int)p != r && is_thread(s->loops[p].bind))
      return bind_fail(cx, s,
                       "reduction loops '%s' and '%s' are both bound to threads: only one "
                       "reduction loop can be spread over a group's work-items",
                       name, tt_loop_name(s, (int)p), "");
    if (!red && first_red >= 0)
      return bind_fail(cx, s,
                       "loop '%s' is inside reduction loop '%s': a reduction bound to threads "
                       "('%s') needs the reduction loops innermost",
                       tt_loop_name(s, (int)p), tt_loop_name(s, first_red), name);
  }
  if (s->cache_write >= 0)
    return bind_fail(cx, s,
                     "cache_write cannot accumulate a reduction bound to threads (loop '%s')%s%s",
                     name, "", "");
  return TT_OK;
}

tt_status tt_stage_check_bind(tt_sched_ctx *cx, const tt_stage_sched *s) {
  int seen[TT_BIND_THREAD_Z + 1] = {0}, last_block = -1, first_thread = -1;
  for (size_t p = 0; p < s->nloops; p++) {
    const tt_loop *l = &s->loops[p];
    if (!l->bind) continue;
    const char *name = tt_loop_name(s, (int)p), *dim = tt_bind_name(l->bind);
    if (seen[l->bind])
      return bind_fail(cx, s, "%s is bound to both '%s' and '%s'", dim,
                       tt_loop_name(s, seen[l->bind] - 1), name);
    seen[l->bind] = (int)p + 1;
    if (l->kind != TT_LOOP_SERIAL || l->unroll > 1 || l->fused)
      return bind_fail(cx, s, "loop '%s' bound to %s cannot also be %s", name, dim,
                       l->fused                      ? "fused"
                       : l->unroll > 1               ? "unrolled"
                       : l->kind == TT_LOOP_PARALLEL ? "parallel"
                                                     : "vectorized");
    if (is_thread(l->bind) && first_thread < 0) first_thread = (int)p;
    if (!is_thread(l->bind)) last_block = (int)p;
  }
  if (first_thread >= 0 && last_block > first_thread)
    return bind_fail(cx, s, "thread loop '%s' must be inside block loop '%s'%s",
                     tt_loop_name(s, first_thread), tt_loop_name(s, last_block), "");
  int red = tt_stage_thread_reduce(s);
  if (red >= 0 && check_thread_reduce(cx, s, red) != TT_OK) return cx->err->status;
  for (size_t r = 0; r < s->nreads; r++)
    if (s->reads[r].local && check_local_read(cx, s, &s->reads[r]) != TT_OK) return cx->err->status;
  return TT_OK;
}

int64_t tt_loop_max_trips(tt_sched_ctx *cx, const tt_stage_sched *s, int pos) {
  const tt_loop *l = &s->loops[pos];
  const tt_axis *ax = &s->axes[l->axis];
  int64_t step = tt_loop_step(s, l->axis, l->level), ext = 0;
  if (l->level > 0) {
    ext = ax->factors[l->level - 1];
  } else {
    tt_span sp;
    tt_error quiet = {0}, *saved = cx->err;
    cx->err = &quiet;
    if (tt_axis_span(cx, s, l->axis, -1, &sp) == TT_OK) ext = sp.extent;
    cx->err = saved;
  }
  return (ext + step - 1) / step;
}
