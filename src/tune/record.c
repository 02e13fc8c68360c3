/* Recording a trial: the store (reuse, claims, the stored row), the
 * strategy's tell and the progress event (tune_impl.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tune/tune_impl.h"

/* The reusable stored trial of key, or NULL (remeasuring: always NULL). */
static tt_status lookup(tt_run *r, const char *key, tt_trial **found, tt_error *err) {
  *found = NULL;
  if (r->o->remeasure || !r->o->store) return TT_OK;
  return tt_store_find_reusable(r->o->store, r->o->task_id, key, r->o->settings, found, err);
}

/* See tune_impl.h. */
tt_status tt_run_claim(tt_run *r, tt_slot *s, tt_trial **old, tt_error *err) {
  tt_status st = lookup(r, s->key, old, err);
  if (st != TT_OK || *old) return st;
  for (;;) {
    tt_claim_result cr;
    st = tt_store_claim(r->o->store, r->o->task_id, s->key, r->o->settings, r->o->session_id, &cr,
                        err);
    if (st != TT_OK || cr == TT_CLAIM_OURS) {
      s->claimed = st == TT_OK;
      return st;
    }
    if (cr == TT_CLAIM_DONE) {
      st = lookup(r, s->key, old, err);
      if (st != TT_OK || *old) return st;
    }
    if (r->o->stop && *r->o->stop) return TT_OK;
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

/* Stores t (with s's strings), tells the strategy unless lost, reports. */
static tt_status commit(tt_run *r, tt_slot *s, tt_trial *t, int lost, int reused, double clock,
                        tt_error *err) {
  t->config = s->json;
  t->config_key = s->key;
  t->strategy = tt_strategy_name(r->st);
  t->settings = r->o->settings;
  t->session_id = r->o->session_id;
  if (r->o->store) {
    tt_status st = tt_store_add_trial(r->o->store, t, NULL, err);
    if (st != TT_OK) return st;
    s->claimed = 0; /* the stored trial released the claim */
  }
  r->n++;
  int ok = t->outcome == TT_OUTCOME_OK;
  if (!lost) tt_strategy_tell(r->st, s->cfg, t->outcome, t->time_median_s);
  if (ok && (isnan(r->res->best) || t->time_median_s < r->res->best))
    r->res->best = t->time_median_s;
  r->res->failures += !ok;
  r->res->lost += lost;
  if (reused)
    r->res->reused++;
  else
    r->res->measured++;
  if (r->o->on_trial) {
    tt_tune_event ev = {r->n,         s->json,    t->outcome,
                        lost,         reused,     ok ? t->time_median_s : NAN,
                        r->res->best, t->message, clock};
    r->o->on_trial(r->o->ctx, &ev);
  }
  return TT_OK;
}

/* See tune_impl.h. The message names the trial really measured. */
tt_status tt_run_record_reused(tt_run *r, tt_slot *s, const tt_trial *old, tt_error *err) {
  tt_str m = {0};
  int64_t origin = tt_trial_origin(old);
  const char *why = old->message; /* the original's message, without a reuse prefix */
  if (origin != old->id) why = strchr(why, ':') ? strchr(why, ':') + 1 : "";
  while (*why == ' ')
    why++;
  tt_str_printf(&m, TT_REUSED_PREFIX "%lld%s%s", (long long)origin, *why ? ": " : "", why);
  tt_trial t = *old;
  t.message = m.data ? m.data : "";
  t.started_at = s->started;
  t.finished_at = 0;
  tt_status st = commit(r, s, &t, 0, 1, r->ev->now ? r->ev->now(r->ev) : tt_wall_now(), err);
  tt_str_free(&m);
  return st;
}

/* See tune_impl.h. */
tt_status tt_run_record(tt_run *r, tt_slot *s, const tt_trial_done *d, tt_error *err) {
  int ok = d->outcome == TT_OUTCOME_OK && !d->lost;
  tt_trial t;
  memset(&t, 0, sizeof t);
  t.outcome = d->lost ? TT_OUTCOME_LOST : d->outcome;
  t.message = d->message ? d->message : (d->lost ? "lost with its worker" : "");
  t.time_median_s = ok ? d->value : NAN;
  t.time_min_s = ok ? d->time_min_s : NAN;
  t.time_spread = ok ? d->spread : NAN;
  t.repeats = d->repeats;
  t.max_rel_err = d->max_rel_err >= 0 ? d->max_rel_err : NAN;
  t.compile_s = d->compile_s >= 0 ? d->compile_s : NAN;
  t.gflops = ok && r->o->flops > 0 ? r->o->flops / d->value * 1e-9 : NAN;
  t.started_at = s->started;
  t.compile_start = d->compile_start;
  t.compile_end = d->compile_end;
  t.measure_start = d->measure_start;
  t.measure_end = d->measure_end;
  t.cores = d->cores;
  t.worker = d->worker;
  return commit(r, s, &t, d->lost, 0, d->measure_end, err);
}
