/* The session driver (tune.h): keep the evaluator's slots full of asked
 * configurations, store and tell each finished trial, stop, end the
 * session. Reuse and claims (store.h) are keyed on opts->settings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tune/tune_impl.h"

/* 1 when a signal asked the session to stop. */
static int stopped(const tt_run *r) {
  return r->o->stop && *r->o->stop;
}

/* The evaluator's clock. */
static double clock_now(tt_run *r) {
  return r->ev->now ? r->ev->now(r->ev) : tt_wall_now();
}

/* 1 when the time limit has passed. */
static int out_of_time(tt_run *r) {
  if (r->o->time_limit_s <= 0) return 0;
  if (clock_now(r) - r->t0 < r->o->time_limit_s) return 0;
  r->res->timed_out = 1;
  return 1;
}

/* The next configuration into cfg: an initial one, else the strategy's.
 * Returns 0 when the strategy has none left. */
static int next_config(tt_run *r, uint32_t *cfg) {
  size_t k = tt_space_num_knobs(r->space);
  if (r->ninitial > 0) {
    memcpy(cfg, r->initial[0], k * sizeof *cfg);
    r->initial[0] = r->initial[1];
    r->initial[1] = NULL;
    r->ninitial--;
    return 1;
  }
  double t = tt_wall_now();
  size_t got = tt_strategy_ask(r->st, 1, cfg);
  r->res->ask_s += tt_wall_now() - t;
  r->res->asks++;
  if (got == 0) r->res->exhausted = 1;
  return got == 1;
}

/* A free slot, or NULL. */
static tt_slot *free_slot(tt_run *r) {
  for (int i = 0; i < r->nslots; i++)
    if (!r->slots[i].busy) return &r->slots[i];
  return NULL;
}

/* The slot of ticket id, or NULL. */
static tt_slot *find_slot(tt_run *r, uint64_t id) {
  for (int i = 0; i < r->nslots; i++)
    if (r->slots[i].busy && r->slots[i].id == id) return &r->slots[i];
  return NULL;
}

/* Forgets what slot s holds (releasing its claim when it has one). */
static void slot_release(tt_run *r, tt_slot *s) {
  if (s->claimed && r->o->store)
    tt_store_unclaim(r->o->store, r->o->task_id, s->key, r->o->settings, NULL);
  free(s->json);
  free(s->key);
  s->json = s->key = NULL;
  s->busy = s->claimed = 0;
}

/* Starts the trial of cfg in slot s: reused from the store (recorded at
 * once), waited for (another process measures it), or submitted. */
static tt_status start_trial(tt_run *r, tt_slot *s, tt_error *err) {
  s->json = tt_space_config_to_json(r->space, s->cfg);
  s->key = tt_store_canonical_json(s->json, err);
  if (!s->key) return err ? err->status : TT_ERR_INTERNAL;
  s->busy = 1;
  s->started = tt_wall_now();
  if (r->o->store && !r->o->remeasure) {
    tt_trial *old = NULL;
    tt_status st = tt_run_claim(r, s, &old, err);
    if (st != TT_OK || old) {
      if (st == TT_OK) st = tt_run_record_reused(r, s, old, err);
      tt_trial_free(old);
      slot_release(r, s);
      return st;
    }
    if (!s->claimed) { /* stopped while waiting */
      slot_release(r, s);
      return TT_OK;
    }
  }
  tt_trial_req req = {.id = s->id = ++r->next_id, .cfg = s->cfg, .config = s->json};
  if (r->o->on_submit) r->o->on_submit(r->o->ctx, r->n + r->inflight + 1, r->res->best);
  tt_status st = r->ev->submit(r->ev, &req, err);
  if (st != TT_OK) {
    slot_release(r, s);
    return st;
  }
  r->inflight++;
  if (r->inflight > r->res->max_in_flight) r->res->max_in_flight = r->inflight;
  return TT_OK;
}

/* Fills the free slots while the session wants more trials. */
static tt_status fill(tt_run *r, tt_error *err) {
  while (!stopped(r) && r->n + r->inflight < r->o->trials && !r->res->exhausted) {
    tt_slot *s = free_slot(r);
    if (!s || r->inflight >= r->ev->slots || out_of_time(r)) return TT_OK;
    if (!next_config(r, s->cfg)) return TT_OK;
    tt_status st = start_trial(r, s, err);
    if (st != TT_OK) return st;
  }
  return TT_OK;
}

/* Waits for one finished trial and records it. A trial that finishes after
 * a stop was asked is dropped: the signal may have hit it too. */
static tt_status collect(tt_run *r, tt_error *err) {
  tt_trial_done d;
  memset(&d, 0, sizeof d);
  int got = 0;
  while (!got && !stopped(r)) {
    double wait = r->o->stop ? 0.25 : -1;
    got = r->ev->poll(r->ev, &d, wait, err);
    if (got < 0) return err ? err->status : TT_ERR_ENV;
    if (!got && wait < 0) /* "until one finishes" came back empty: it never will */
      return tt_error_set(err, TT_ERR_INTERNAL, "evaluator %s lost %d trials in flight",
                          r->ev->name, r->inflight);
  }
  if (!got) return TT_OK;
  tt_slot *s = find_slot(r, d.id);
  tt_status st = TT_OK;
  if (!s)
    st = tt_error_set(err, TT_ERR_INTERNAL, "evaluator %s answered an unknown trial %llu",
                      r->ev->name, (unsigned long long)d.id);
  else {
    r->inflight--;
    if (!stopped(r)) st = tt_run_record(r, s, &d, err);
    slot_release(r, s);
  }
  tt_trial_done_clear(&d);
  return st;
}

/* The loop: fill, collect, until nothing is in flight and nothing more is
 * wanted. */
static tt_status loop(tt_run *r, tt_error *err) {
  tt_status st = TT_OK;
  for (;;) {
    st = fill(r, err);
    if (st != TT_OK || r->inflight == 0 || stopped(r)) break;
    st = collect(r, err);
    if (st != TT_OK) break;
  }
  if (r->inflight > 0 && r->ev->cancel) r->ev->cancel(r->ev);
  for (int i = 0; i < r->nslots; i++)
    if (r->slots[i].busy) slot_release(r, &r->slots[i]);
  r->inflight = 0;
  return st;
}

/* The session's trial count and best value so far (resume). */
static tt_status load_session(tt_run *r, tt_error *err) {
  if (!r->o->store) return TT_OK;
  tt_series_point *p = NULL;
  size_t n = 0;
  tt_status st = tt_store_session_series(r->o->store, r->o->session_id, &p, &n, err);
  for (size_t i = 0; st == TT_OK && i < n; i++)
    if (p[i].outcome == TT_OUTCOME_OK && (isnan(r->res->best) || p[i].time_s < r->res->best))
      r->res->best = p[i].time_s;
  r->n = (int64_t)n;
  free(p);
  return st;
}

/* The configurations an empty session begins with. */
static void plan_initial(tt_run *r) {
  size_t k = tt_space_num_knobs(r->space);
  if (r->n > 0 || !r->o->first) return;
  r->initial[r->ninitial++] = r->o->first;
  if (r->o->second && memcmp(r->o->second, r->o->first, k * sizeof(uint32_t)) != 0)
    r->initial[r->ninitial++] = r->o->second;
}

/* Runs the session; see tune.h. */
tt_status tt_tune_run(const tt_space *space, tt_strategy *st, tt_evaluator *ev,
                      const tt_tune_opts *opts, tt_tune_result *res, tt_error *err) {
  memset(res, 0, sizeof *res);
  res->best = NAN;
  if (opts->trials < 1 || (opts->store && !opts->session_id))
    return tt_error_set(err, TT_ERR_USAGE, "a session needs at least one trial%s",
                        opts->store && !opts->session_id ? " and a session in the store" : "");
  tt_run r = {.space = space, .st = st, .ev = ev, .o = opts, .res = res};
  r.nslots = ev->slots > 0 ? ev->slots : 1;
  r.slots = tt_xcalloc((size_t)r.nslots, sizeof *r.slots);
  for (int i = 0; i < r.nslots; i++)
    r.slots[i].cfg = tt_xcalloc(tt_space_num_knobs(space) + 1, sizeof(uint32_t));
  tt_status status = load_session(&r, err);
  plan_initial(&r);
  r.t0 = clock_now(&r);
  if (status == TT_OK) status = loop(&r, err);
  res->elapsed = clock_now(&r) - r.t0;
  res->trials = r.n;
  res->interrupted = stopped(&r);
  for (int i = 0; i < r.nslots; i++)
    free(r.slots[i].cfg);
  free(r.slots);
  if (!opts->store) return status;
  tt_session_status end = status != TT_OK    ? TT_SESSION_FAILED
                          : res->interrupted ? TT_SESSION_INTERRUPTED
                                             : TT_SESSION_COMPLETED;
  tt_status st2 =
      tt_store_end_session(opts->store, opts->session_id, end, status == TT_OK ? err : NULL);
  return status != TT_OK ? status : st2;
}
