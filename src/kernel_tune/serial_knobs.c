/* Knobs that change nothing at 1 thread (kernel_tune.h): a knob the
 * template reads only in `parallel` steps — which loop is shared, how,
 * or whether — generates the same work for one thread whatever its value,
 * so a 1-thread session fixes it at its default instead of spending trials
 * on it (gemm's par: a quarter of the space and about one trial in six).
 * A knob declared `if threads > 1` is fixed the same way: its author says
 * it only changes how threads share the work (cholesky's look-ahead). */
#include <stdio.h>

#include "kernel_tune/serial_knobs.h"

#include "tetune/space.h"

/* 1 when statement s, or one inside it, reads name. */
static int stmt_uses(const tt_stmt *s, const char *name) {
  if (!s) return 0;
  if (tt_expr_uses_var(s->lo, name) || tt_expr_uses_var(s->hi, name) ||
      tt_expr_uses_var(s->step, name) || tt_expr_uses_var(s->value, name))
    return 1;
  for (size_t i = 0; i < s->nidx; i++)
    if (tt_expr_uses_var(s->idx[i], name)) return 1;
  if (s->compute) {
    const tt_compute *c = s->compute;
    if (tt_expr_uses_var(c->rhs, name)) return 1;
    for (size_t i = 0; i < c->naxes; i++)
      if (tt_expr_uses_var(c->axes[i].lo, name) || tt_expr_uses_var(c->axes[i].hi, name)) return 1;
  }
  for (size_t i = 0; i < s->nbody; i++)
    if (stmt_uses(s->body[i], name)) return 1;
  return 0;
}

/* 1 when step st reads name (in its condition or its arguments). */
static int step_uses(const tt_step *st, const char *name) {
  if (tt_expr_uses_var(st->cond, name)) return 1;
  for (size_t i = 0; i < st->nargs; i++)
    if (tt_expr_uses_var(st->args[i], name)) return 1;
  return 0;
}

/* 1 when T reads knob name somewhere, and only in parallel steps. */
static int parallel_only(const tt_template *T, const char *name) {
  int used = 0;
  for (size_t i = 0; i < T->nsteps; i++) {
    if (!step_uses(&T->steps[i], name)) continue;
    if (T->steps[i].kind != TT_STEP_PARALLEL) return 0;
    used = 1;
  }
  for (size_t i = 0; i < T->nconstraints; i++)
    if (tt_expr_uses_var(T->constraints[i].expr, name)) return 0;
  return used && !stmt_uses(T->body, name);
}

/* "name == default" as a constraint, or 0 for a knob of no such form. */
static int pin_text(const tt_knob_values *kv, char *buf, size_t len) {
  int n = 0;
  if (kv->kind == TT_KD_CHOICE)
    n = snprintf(buf, len, "%s == %s", kv->name, kv->labels[kv->default_index]);
  else if (kv->kind != TT_KD_PERMUTE)
    n = snprintf(buf, len, "%s == %lld", kv->name, (long long)kv->ivalues[kv->default_index]);
  return n > 0 && (size_t)n < len;
}

/* See serial_knobs.h. */
tt_status tt_job_pin_serial_knobs(tt_job *j, char *names, size_t len, tt_error *err) {
  if (len) names[0] = '\0';
  if (!j->tmpl || j->mopt.threads != 1 || j->pinned) return TT_OK;
  j->pinned = tt_arena_alloc(j->arena, j->nknobs + 1); /* zeroed */
  size_t used = 0;
  for (size_t i = 0; i < j->nknobs; i++) {
    const tt_knob_values *kv = &j->knobs[i];
    char text[256];
    if (kv->nvalues < 2 || !(kv->threads_only || parallel_only(j->tmpl, kv->name)) ||
        !pin_text(kv, text, sizeof text))
      continue;
    tt_status st = tt_space_add_constraint(j->space, text, err);
    if (st != TT_OK) return st;
    j->pinned[i] = 1;
    int n = snprintf(names + used, len - used, "%s%s", used ? ", " : "", kv->name);
    if (n > 0 && used + (size_t)n < len) used += (size_t)n;
  }
  return TT_OK;
}

/* See serial_knobs.h. */
void tt_job_pin_config(const tt_job *j, uint32_t *cfg) {
  for (size_t i = 0; j->pinned && i < j->nknobs; i++)
    if (j->pinned[i]) cfg[i] = j->defaults[i];
}

/* See serial_knobs.h. */
int tt_job_pins_hold(const tt_job *j, const uint32_t *cfg) {
  for (size_t i = 0; j->pinned && i < j->nknobs; i++)
    if (j->pinned[i] && cfg[i] != j->defaults[i]) return 0;
  return 1;
}
