/* The tuning loop: ask, reuse or measure, tell, store (session.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/prefetch.h"
#include "app/session.h"

/* Everything one session run carries between trials. */
typedef struct tune_ctx {
  tt_job *j;
  tt_store *s;
  tt_strategy *st;
  const tt_tune_spec *spec;
  int64_t task_id, session_id;
  int64_t n;     /* trials in the session */
  double best_s; /* best ok time in the session, NAN when none */
  double flops;
  tt_progress prog;
  tt_prefetch pf;
  tt_tune_result *res;
  char settings[256]; /* tt_measure_settings of j->mopt: what reuse and claims are keyed on */
} tune_ctx;

/* One trial's record in the making; the strings are owned here. */
typedef struct trial_rec {
  char *json, *key, *message;
  tt_trial t;
  int reused;
  int claimed; /* this process claimed the configuration (tt_store_claim) */
} trial_rec;

/* Frees the strings of a trial record. */
static void rec_free(trial_rec *r) {
  free(r->json);
  free(r->key);
  free(r->message);
}

/* 1 when a signal asked the session to stop. */
static int stopped(const tune_ctx *c) {
  return c->spec->stop && *c->spec->stop;
}

/* The stored trial of cfg's key on this task, unless remeasuring. */
static tt_status lookup(tune_ctx *c, const char *key, tt_trial **found, tt_error *err) {
  *found = NULL;
  if (c->spec->remeasure) return TT_OK;
  return tt_store_find_reusable(c->s, c->task_id, key, c->settings, found, err);
}

/* Fills r from a stored measurement of the same configuration. */
static void reuse(trial_rec *r, const tt_trial *old) {
  tt_str m = {0};
  int64_t origin = tt_trial_origin(old);
  const char *why = old->message; /* the original's message, without a reuse prefix */
  if (origin != old->id) why = strchr(why, ':') ? strchr(why, ':') + 1 : "";
  while (*why == ' ')
    why++;
  tt_str_printf(&m, TT_REUSED_PREFIX "%lld%s%s", (long long)origin, *why ? ": " : "", why);
  r->message = tt_str_take(&m);
  r->t.outcome = old->outcome;
  r->t.time_median_s = old->time_median_s;
  r->t.time_min_s = old->time_min_s;
  r->t.time_spread = old->time_spread;
  r->t.repeats = old->repeats;
  r->t.max_rel_err = old->max_rel_err;
  r->t.compile_s = old->compile_s;
  r->t.gflops = old->gflops;
  r->reused = 1;
}

/* Fills r from a fresh measurement. */
static void measured(tune_ctx *c, trial_rec *r, const tt_measure_result *m) {
  int ok = m->outcome == TT_OUTCOME_OK;
  r->message = tt_xstrdup(m->message);
  r->t.outcome = m->outcome;
  r->t.time_median_s = ok ? m->time_median_s : NAN;
  r->t.time_min_s = ok ? m->time_min_s : NAN;
  r->t.time_spread = ok ? m->spread : NAN;
  r->t.repeats = m->repeats;
  r->t.max_rel_err = m->max_rel_err >= 0 ? m->max_rel_err : NAN;
  r->t.compile_s = m->compile_s;
  r->t.gflops = ok && c->flops > 0 ? c->flops / m->time_median_s * 1e-9 : NAN;
}

/* Claims cfg's key so that concurrent sessions of the task do not measure
 * it too; while another live process measures it, waits and looks again
 * (*old then holds its result). Returns with r->claimed set, or *old set,
 * or neither when a signal stopped the wait. */
static tt_status claim(tune_ctx *c, trial_rec *r, tt_trial **old, tt_error *err) {
  for (;;) {
    tt_claim_result cr;
    tt_status st = tt_store_claim(c->s, c->task_id, r->key, c->settings, c->session_id, &cr, err);
    if (st != TT_OK || cr == TT_CLAIM_OURS) {
      r->claimed = st == TT_OK;
      return st;
    }
    if (cr == TT_CLAIM_DONE) {
      st = lookup(c, r->key, old, err);
      if (st != TT_OK || *old) return st;
    }
    if (stopped(c)) return TT_OK;
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

/* Obtains cfg's result: from the store, or by measuring it. */
static tt_status evaluate(tune_ctx *c, const uint32_t *cfg, trial_rec *r, tt_error *err) {
  r->json = tt_space_config_to_json(c->j->space, cfg);
  r->key = tt_store_canonical_json(r->json, err);
  if (!r->key) return err ? err->status : TT_ERR_INTERNAL;
  tt_trial *old = NULL;
  tt_status st = lookup(c, r->key, &old, err);
  if (st == TT_OK && !old && !c->spec->remeasure) st = claim(c, r, &old, err);
  if (st != TT_OK || (!old && !r->claimed && !c->spec->remeasure)) return st; /* stopped */
  if (old) {
    reuse(r, old);
    tt_trial_free(old);
    return TT_OK;
  }
  tt_measure_result m;
  st = tt_job_measure(c->j, cfg, &m, err);
  if (st == TT_OK) measured(c, r, &m);
  return st;
}

/* Commits r, tells the strategy and reports progress. */
static tt_status record(tune_ctx *c, const uint32_t *cfg, trial_rec *r, tt_error *err) {
  r->t.session_id = c->session_id;
  r->t.settings = c->settings;
  r->t.config = r->json;
  r->t.config_key = r->key;
  r->t.message = r->message;
  r->t.strategy = tt_strategy_name(c->st);
  tt_status st = tt_store_add_trial(c->s, &r->t, NULL, err);
  if (st != TT_OK) return st;
  c->n++;
  tt_strategy_tell(c->st, cfg, r->t.outcome, r->t.time_median_s);
  int ok = r->t.outcome == TT_OUTCOME_OK;
  if (ok && (isnan(c->best_s) || r->t.time_median_s < c->best_s)) c->best_s = r->t.time_median_s;
  c->res->failures += !ok;
  if (r->reused)
    c->res->reused++;
  else
    c->res->measured++;
  tt_progress_trial pt = {c->n,      r->t.outcome, r->t.time_median_s, c->best_s,
                          r->reused, r->json,      r->message};
  tt_progress_trial_done(&c->prog, &pt);
  return TT_OK;
}

/* One trial of cfg, begun at wall time t0. An interrupted measurement is
 * dropped: the signal may have hit the measuring child too. */
static tt_status trial(tune_ctx *c, const uint32_t *cfg, double t0, tt_error *err) {
  trial_rec r;
  memset(&r, 0, sizeof r);
  r.t.started_at = t0;
  tt_progress_trial_start(&c->prog, c->n + 1, c->best_s);
  tt_status st = evaluate(c, cfg, &r, err);
  if (st == TT_OK && !stopped(c)) st = record(c, cfg, &r, err);
  if (r.claimed) /* a stored trial released it already; otherwise release it now */
    tt_store_unclaim(c->s, c->task_id, r.key, c->settings, NULL);
  rec_free(&r);
  return st;
}

/* Queues cfg for compiling ahead when it will really be measured. */
static void prefetch(tune_ctx *c, const uint32_t *cfg) {
  if (!tt_space_is_valid(c->j->space, cfg)) return;
  char *json = tt_space_config_to_json(c->j->space, cfg);
  char *key = tt_store_canonical_json(json, NULL);
  tt_trial *old = NULL;
  if (key && lookup(c, key, &old, NULL) == TT_OK && !old) {
    char *src = NULL;
    if (tt_job_source(c->j, cfg, 1, 0, &src, NULL) == TT_OK) tt_prefetch_submit(&c->pf, src);
    free(src);
  }
  tt_trial_free(old);
  free(key);
  free(json);
}

/* The configurations an empty session begins with: the default, then
 * spec->start when it differs. Returns how many (0 when not empty). */
static int initial(const tune_ctx *c, uint32_t *first, uint32_t *second) {
  size_t k = tt_space_num_knobs(c->j->space);
  if (c->n > 0) return 0;
  memcpy(first, c->j->defaults, k * sizeof(uint32_t));
  if (!c->spec->start || memcmp(c->spec->start, first, k * sizeof(uint32_t)) == 0) return 1;
  memcpy(second, c->spec->start, k * sizeof(uint32_t));
  return 2;
}

/* The loop: the initial configurations first, then the strategy's picks.
 * With a compile worker the next configuration is asked for before the
 * current one is measured, so it compiles on the spare cores meanwhile;
 * without one, ask and measure alternate. */
static tt_status loop(tune_ctx *c, tt_error *err) {
  size_t k = tt_space_num_knobs(c->j->space);
  uint32_t *cur = tt_xcalloc(k + 1, sizeof(uint32_t)), *next = tt_xcalloc(k + 1, sizeof(uint32_t));
  int injected = initial(c, cur, next); /* configurations not from the strategy */
  int has_cur = injected > 0, has_next = injected > 1;
  tt_status st = TT_OK;
  while (c->n < c->spec->trials && !stopped(c)) {
    double t0 = tt_wall_now();
    if (!has_cur && tt_strategy_ask(c->st, 1, cur) == 0) {
      c->res->exhausted = 1;
      break;
    }
    tt_prefetch_drain(&c->pf); /* cur is compiled (or the worker gave up) */
    if (c->pf.pid > 0 && !has_next && !injected && c->n + 1 < c->spec->trials &&
        tt_strategy_ask(c->st, 1, next) == 1)
      has_next = 1;
    if (has_next && c->pf.pid > 0) prefetch(c, next);
    st = trial(c, cur, t0, err);
    if (st != TT_OK) break;
    uint32_t *tmp = cur;
    cur = next;
    next = tmp;
    has_cur = has_next;
    has_next = 0;
    injected = injected > 0 ? injected - 1 : 0;
  }
  free(cur);
  free(next);
  return st;
}

/* Runs the session; see session.h. */
tt_status tt_tune_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id, tt_strategy *st,
                      const tt_tune_spec *spec, tt_tune_result *res, tt_error *err) {
  memset(res, 0, sizeof *res);
  tune_ctx c = {.j = j,
                .s = s,
                .st = st,
                .spec = spec,
                .task_id = task_id,
                .session_id = session_id,
                .best_s = NAN,
                .flops = tt_job_flops(j),
                .res = res};
  tt_measure_settings(&j->mopt, c.settings, sizeof c.settings);
  j->mopt.cancel = spec->stop; /* a SIGINT kills the variant in flight */
  tt_session_list list = {0};
  tt_status status = tt_store_count_session_trials(s, session_id, &c.n, err);
  if (status == TT_OK) status = tt_store_list_sessions(s, j->kernel->name, &list, err);
  for (size_t i = 0; status == TT_OK && i < list.len; i++)
    if (list.items[i].id == session_id) c.best_s = list.items[i].best_time_s;
  tt_session_list_free(&list);
  if (status != TT_OK) return status;
  tt_cpu_plan plan;
  tt_cpu_plan_make(j->mopt.threads, &plan);
  tt_prefetch_start(&c.pf, &plan, &j->mopt);
  tt_progress_begin(&c.prog, spec->progress, spec->label, c.n, spec->trials);
  status = loop(&c, err);
  tt_progress_end(&c.prog);
  tt_prefetch_stop(&c.pf, &plan);
  res->trials = c.n;
  res->interrupted = stopped(&c);
  tt_session_status end = status != TT_OK    ? TT_SESSION_FAILED
                          : res->interrupted ? TT_SESSION_INTERRUPTED
                                             : TT_SESSION_COMPLETED;
  tt_status st2 = tt_store_end_session(s, session_id, end, status == TT_OK ? err : NULL);
  return status != TT_OK ? status : st2;
}
