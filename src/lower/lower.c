/* The lowering driver: reads like a script of passes.
 *   body = the template's algorithm (or the kernel's)
 *   body = apply the in-place loop steps (with dependence checks)
 *   body = lower every compute stage with its schedule (compute_at stages
 *          move into their consumer)
 *   init = the initialisation, lowered naively */
#include <string.h>

#include "lower/nest.h"
#include "schedule/bounds.h"

/* 1 when stage `name` is attached to another stage by an enabled compute_at. */
static int is_attached(tt_lower_ctx *cx, const char *name) {
  for (size_t i = 0; cx->t && i < cx->t->nsteps; i++) {
    const tt_step *st = &cx->t->steps[i];
    if (st->kind == TT_STEP_COMPUTE_AT && st->tensor && strcmp(st->tensor, name) == 0 &&
        tt_step_enabled(cx, st))
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
      *out = tt_st_block(cx->a, NULL, 0);
      return TT_OK;
    }
    return tt_lower_compute(cx, s->compute, out);
  }
  if (s->nbody == 0) {
    *out = (tt_stmt *)s;
    return TT_OK;
  }
  tt_stmt *c = tt_stmt_clone(cx->a, s);
  c->body = tt_arena_alloc(cx->a, sizeof(tt_stmt *) * s->nbody);
  /* The loops and lets around a stage bound its ranges (kb..ke has at most
   * NB values when ke = min(kb + NB, N)). */
  const struct tt_bind *saved = cx->scope;
  if (s->kind == TT_ST_FOR) cx->scope = tt_bind_push(cx->a, cx->root, s, cx->scope);
  tt_status st = TT_OK;
  for (size_t i = 0; i < s->nbody && st == TT_OK; i++) {
    st = lower_stmt(cx, s->body[i], &c->body[i]);
    if (s->kind == TT_ST_BLOCK) cx->scope = tt_bind_push(cx->a, cx->root, s->body[i], cx->scope);
  }
  cx->scope = saved;
  *out = c;
  return st;
}

/* Binds params (and the configuration's knobs) into the context's env. */
static void setup_env(tt_lower_ctx *cx, const int64_t *size) {
  for (size_t i = 0; i < cx->k->nparams; i++)
    tt_env_set_int(&cx->env, cx->k->params[i], size[i]);
  if (!cx->cfg) return;
  const tt_env *e = &cx->cfg->env;
  for (size_t i = 0; i < e->n; i++) {
    if (e->labels[i])
      tt_env_set_label(&cx->env, e->names[i], e->labels[i]);
    else if (e->is_float[i])
      tt_env_set_float(&cx->env, e->names[i], e->fvals[i]);
    else
      tt_env_set_int(&cx->env, e->names[i], e->ivals[i]);
  }
}

tt_status tt_lower(tt_arena *a, const tt_kernel_def *k, const int64_t *size, const tt_template *t,
                   const tt_sched_config *config, tt_lowered *out, tt_error *err) {
  tt_lower_ctx cx = {.a = a, .k = k, .t = t, .cfg = config, .err = err};
  tt_status st = TT_OK;
  memset(out, 0, sizeof(*out));
  out->kernel = k;
  out->size = size;
  out->config = config;
  setup_env(&cx, size);
  cx.root = t && t->body ? t->body : k->body;
  tt_stmt *body = (tt_stmt *)cx.root;
  /* In-place loop steps first, while compute stages are still stages, so
   * that they only ever name the algorithm's own loops. */
  if (t && (st = tt_schedule_loops(&cx, body, &body)) != TT_OK) goto done;
  if ((st = lower_stmt(&cx, body, &body)) != TT_OK) goto done;
  out->body = body;
  /* The initialisation is never scheduled. */
  cx.t = NULL;
  cx.root = k->init;
  cx.fast_init = 1;
  if ((st = lower_stmt(&cx, k->init, &out->init)) != TT_OK) goto done;
done:
  tt_env_free(&cx.env);
  return st;
}
