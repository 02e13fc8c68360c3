/* Applying template steps to a stage's schedule, and checking the result. */
#include <string.h>

#include "schedule/internal.h"

/* Reports a step error at the step's location. */
static tt_status step_fail(tt_sched_ctx *cx, const tt_step *st, const char *fmt, const char *a1,
                           const char *a2) {
  char msg[400];
  snprintf(msg, sizeof msg, fmt, a1, a2);
  return tt_error_set(cx->err, TT_ERR_USAGE, "%s:%d:%d: stage %s: %s", st->loc.file, st->loc.line,
                      st->loc.col, st->stage, msg);
}

/* Loop named by argument i of st, or -1 with an error (-2: "none"). */
static int arg_loop(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st, size_t i) {
  if (i >= st->nargs) {
    step_fail(cx, st, "missing loop name%s%s", "", "");
    return -1;
  }
  const char *name = tt_step_name(cx, st->args[i]);
  if (!name) return -2;
  int p = tt_stage_find_loop(s, name);
  if (p < 0) step_fail(cx, st, "no loop '%s'%s", name, "");
  return p;
}

static int encode_at(const tt_stage_sched *s, int p) {
  return s->loops[p].axis * 16 + s->loops[p].level;
}

static tt_status do_split(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  const char *name = st->nargs ? tt_step_name(cx, st->args[0]) : NULL;
  tt_axis *ax = NULL;
  for (size_t i = 0; name && i < s->naxes; i++)
    if (strcmp(s->axes[i].var, name) == 0) ax = &s->axes[i];
  if (!ax) return step_fail(cx, st, "no axis '%s' to split%s", name ? name : "?", "");
  if (ax->nsplit) return step_fail(cx, st, "axis '%s' is already split%s", name, "");
  if (st->nargs - 1 > TT_MAX_SPLIT || st->nargs < 2)
    return step_fail(cx, st, "split of '%s' needs 1 to 4 factors%s", name, "");
  for (size_t p = 0; p < s->nloops; p++)
    if (s->loops[p].kind || s->loops[p].unroll || s->loops[p].fused)
      return step_fail(cx, st, "split of '%s' must come before other steps on this stage%s", name,
                       "");
  for (size_t i = 1; i < st->nargs; i++) {
    int64_t f;
    if (tt_step_int(cx, st, st->args[i], &f) != TT_OK) return cx->err->status;
    if (f < 1) return step_fail(cx, st, "split factor of '%s' must be positive%s", name, "");
    ax->factors[i - 1] = f;
  }
  ax->nsplit = (int)st->nargs - 1;
  tt_axis_name_levels(cx->a, ax);
  tt_stage_rebuild_loops(cx->a, s);
  return TT_OK;
}

/* Reorder: the named loops take the positions they occupy, in the given
 * order (TVM's semantics); a permutation knob expands to its items. */
static tt_status do_reorder(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  int idx[64], n = 0;
  for (size_t i = 0; i < st->nargs; i++) {
    size_t np = 0;
    const char **items = NULL;
    if (st->args[i]->kind == TT_EX_VAR)
      items = tt_sched_config_perm(cx->cfg, st->args[i]->name, &np);
    for (size_t j = 0; j < (items ? np : 1); j++) {
      const char *name = items ? items[j] : tt_step_name(cx, st->args[i]);
      int p = name ? tt_stage_find_loop(s, name) : -1;
      if (p < 0) return step_fail(cx, st, "no loop '%s'%s", name ? name : "none", "");
      for (int q = 0; q < n; q++)
        if (idx[q] == p) return step_fail(cx, st, "loop '%s' named twice in reorder%s", name, "");
      if (n == 64) return step_fail(cx, st, "too many loops%s%s", "", "");
      idx[n++] = p;
    }
  }
  int pos[64];
  memcpy(pos, idx, sizeof(int) * (size_t)n);
  for (int i = 1; i < n; i++) /* sort the occupied positions */
    for (int j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
      int t = pos[j];
      pos[j] = pos[j - 1];
      pos[j - 1] = t;
    }
  tt_loop *old = tt_arena_alloc(cx->a, sizeof(tt_loop) * s->nloops);
  memcpy(old, s->loops, sizeof(tt_loop) * s->nloops);
  for (int i = 0; i < n; i++)
    s->loops[pos[i]] = old[idx[i]];
  return TT_OK;
}

static tt_status do_annotate(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  int p = arg_loop(cx, s, st, 0);
  if (p == -2) return TT_OK;
  if (p < 0) return cx->err->status;
  tt_loop *l = &s->loops[p];
  const char *name = tt_loop_name(s, p);
  if (st->kind == TT_STEP_UNROLL) {
    int64_t f = 1;
    if (st->nargs < 2) return step_fail(cx, st, "unroll of '%s' needs a factor%s", name, "");
    if (tt_step_int(cx, st, st->args[1], &f) != TT_OK) return cx->err->status;
    if (f < 1) return step_fail(cx, st, "unroll factor of '%s' must be positive%s", name, "");
    l->unroll = (int)f;
  } else if (st->kind == TT_STEP_VECTORIZE) {
    l->kind = TT_LOOP_VECTORIZED;
    return tt_step_simdlen(cx, st, name, &l->simdlen);
  } else {
    if (s->axes[l->axis].is_reduce)
      return step_fail(cx, st, "cannot parallelize reduction loop '%s'%s", name, "");
    l->kind = TT_LOOP_PARALLEL;
    l->sched = st->sched;
  }
  return TT_OK;
}

static tt_status do_fuse(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  int p = arg_loop(cx, s, st, 0);
  if (p < 0) return p == -2 ? TT_OK : cx->err->status;
  int q = arg_loop(cx, s, st, 1);
  if (q < 0) return q == -2 ? TT_OK : cx->err->status;
  const char *a = tt_loop_name(s, p), *b = tt_loop_name(s, q);
  if (q != p + 1) return step_fail(cx, st, "cannot fuse '%s' and '%s': not directly nested", a, b);
  if (s->axes[s->loops[p].axis].is_reduce || s->axes[s->loops[q].axis].is_reduce)
    return step_fail(cx, st, "cannot fuse reduction loops '%s' and '%s'", a, b);
  if (s->loops[p].axis == s->loops[q].axis)
    return step_fail(cx, st, "cannot fuse '%s' and '%s': same axis", a, b);
  if (s->loops[p].fused || (p > 0 && s->loops[p - 1].fused))
    return step_fail(cx, st, "loop '%s' is already fused%s", a, "");
  s->loops[p].fused = 1;
  return TT_OK;
}

static tt_status do_attach(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  int p = arg_loop(cx, s, st, 0);
  if (p == -2) return TT_OK;
  if (p < 0) return cx->err->status;
  if (st->kind == TT_STEP_CACHE_WRITE) {
    if (!s->reduce)
      return step_fail(cx, st, "cache_write needs a reduction to accumulate%s%s", "", "");
    s->cache_write = encode_at(s, p);
    return TT_OK;
  }
  tt_attach *list = st->kind == TT_STEP_CACHE_READ ? s->reads : s->compute_at;
  size_t *n = st->kind == TT_STEP_CACHE_READ ? &s->nreads : &s->ncompute_at;
  if (*n == 16) return step_fail(cx, st, "too many attachments%s%s", "", "");
  list[(*n)++] = (tt_attach){.name = st->tensor, .at = encode_at(s, p), .local = st->local};
  return TT_OK;
}

tt_status tt_stage_apply_step(tt_sched_ctx *cx, tt_stage_sched *s, const tt_step *st) {
  switch (st->kind) {
  case TT_STEP_SPLIT:
    return do_split(cx, s, st);
  case TT_STEP_REORDER:
    return do_reorder(cx, s, st);
  case TT_STEP_FUSE:
    return do_fuse(cx, s, st);
  case TT_STEP_UNROLL:
  case TT_STEP_VECTORIZE:
  case TT_STEP_PARALLEL:
    return do_annotate(cx, s, st);
  case TT_STEP_CACHE_WRITE:
  case TT_STEP_CACHE_READ:
  case TT_STEP_COMPUTE_AT:
    return do_attach(cx, s, st);
  case TT_STEP_BIND:
    return tt_stage_bind(cx, s, st);
  case TT_STEP_TIME_TILE:
  case TT_STEP_INTERCHANGE:
    return step_fail(cx, st, "%s applies to in-place loops ('schedule loops')%s",
                     st->kind == TT_STEP_TIME_TILE ? "time_tile" : "interchange", "");
  }
  return TT_OK;
}

tt_status tt_stage_check(tt_sched_ctx *cx, const tt_stage_sched *s) {
  for (size_t p = 0; p < s->nloops; p++) {
    const tt_loop *l = &s->loops[p];
    const tt_axis *ax = &s->axes[l->axis];
    if (l->level > 0 && tt_loop_pos(s, l->axis, l->level - 1) > (int)p)
      return tt_error_set(cx->err, TT_ERR_USAGE, "stage %s: loop '%s' must be inside loop '%s'",
                          s->c->name, ax->names[l->level], ax->names[l->level - 1]);
    if (l->unroll > 1 && (l->kind == TT_LOOP_PARALLEL ||
                          (l->kind == TT_LOOP_VECTORIZED && (ax->is_reduce || l->simdlen))))
      return tt_error_set(
          cx->err, TT_ERR_USAGE,
          "stage %s: loop '%s' cannot be both unrolled and %s (C has no pragma for both)",
          s->c->name, ax->names[l->level],
          l->kind == TT_LOOP_PARALLEL ? "parallel"
          : ax->is_reduce             ? "vectorized"
                                      : "vectorized with a width");
    if (l->fused && (p + 1 == s->nloops || s->loops[p + 1].axis == l->axis ||
                     s->axes[s->loops[p + 1].axis].is_reduce))
      return tt_error_set(cx->err, TT_ERR_USAGE,
                          "stage %s: fused loop '%s' is no longer directly outside its partner",
                          s->c->name, ax->names[l->level]);
  }
  tt_status st = tt_stage_check_bind(cx, s);
  if (st == TT_OK) st = tt_stage_check_ranges(cx, s);
  return st != TT_OK ? st : tt_stage_check_self(cx, s);
}
