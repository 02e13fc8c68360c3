/* Pass: every compute stage becomes its loop nest (compute.c), in place
 * of the stage; a stage that a compute_at attaches to another is lowered
 * inside its consumer instead and leaves an empty block here. */
#include <string.h>

#include "lower/passes.h"

/* 1 when stage `name` is attached to another stage by an enabled compute_at. */
static int is_attached(tt_lower_ctx *cx, const char *name) {
  for (size_t i = 0; cx->sc.t && i < cx->sc.t->nsteps; i++) {
    const tt_step *st = &cx->sc.t->steps[i];
    if (st->kind == TT_STEP_COMPUTE_AT && st->tensor && strcmp(st->tensor, name) == 0 &&
        tt_step_enabled(&cx->sc, st))
      return 1;
  }
  return 0;
}

/* Replaces every compute stage in s by its loop nest. */
static tt_status lower_stmt(tt_lower_ctx *cx, const tt_stmt *s, tt_stmt **out) {
  if (!s) {
    *out = NULL;
    return TT_OK;
  }
  if (s->kind == TT_ST_COMPUTE) {
    if (is_attached(cx, s->compute->name)) {
      *out = tt_st_block(cx->sc.a, NULL, 0);
      return TT_OK;
    }
    tt_status st = tt_lower_compute(cx, s->compute, out);
    if (st == TT_OK && (*out)->loc.line == 0) (*out)->loc = s->loc; /* for #line */
    return st;
  }
  if (s->nbody == 0) {
    *out = (tt_stmt *)s;
    return TT_OK;
  }
  tt_stmt *c = tt_stmt_clone(cx->sc.a, s);
  c->body = tt_arena_alloc(cx->sc.a, sizeof(tt_stmt *) * s->nbody);
  /* The loops and lets around a stage bound its ranges (kb..ke has at most
   * NB values when ke = min(kb + NB, N)). */
  const struct tt_bind *saved = cx->sc.scope;
  if (s->kind == TT_ST_FOR) cx->sc.scope = tt_bind_push(cx->sc.a, cx->root, s, cx->sc.scope);
  tt_status st = TT_OK;
  for (size_t i = 0; i < s->nbody && st == TT_OK; i++) {
    st = lower_stmt(cx, s->body[i], &c->body[i]);
    if (s->kind == TT_ST_BLOCK)
      cx->sc.scope = tt_bind_push(cx->sc.a, cx->root, s->body[i], cx->sc.scope);
  }
  cx->sc.scope = saved;
  *out = c;
  return st;
}

tt_status tt_pass_stages(tt_lower_ctx *cx, tt_stmt **body) {
  return lower_stmt(cx, *body, body);
}
