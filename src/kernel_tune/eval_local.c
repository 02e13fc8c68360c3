/* The local evaluator (kernel_tune.h): a tt_evaluator over tt_job_measure.
 *
 * Timing: this process times every variant itself, one at a time (its
 * measuring child is pinned where this process is), so two timings never
 * share a core, whatever the number of workers.
 *
 * Compiling: `workers` compile processes (prefetch.h) build the variants
 * in flight into the compile cache. With spare cores (cpuset.h: the
 * timing threads leave cores free) the workers are pinned to them and
 * compile while a variant is timed on the others. Without spare cores a
 * compile would steal the timing's cores, so compiling and timing take
 * turns: the variants waiting are compiled together, in parallel, and
 * then timed one after the other with no compile running. One worker with
 * spare cores is the historical compile-ahead (two in flight: one timed,
 * the next compiling); one without is the plain loop (compile inside
 * tt_job_measure). */
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_tune/cpuset.h"
#include "kernel_tune/prefetch.h"
#include "tetune/kernel_tune.h"

enum { HELD, COMPILING, READY };

typedef struct local_trial {
  int used, state, worker, prefetched;
  uint64_t id, seq; /* the driver's ticket; the order of submission */
  uint32_t *cfg;
  double cstart, cend; /* the worker's compile */
} local_trial;

typedef struct local_ev {
  tt_evaluator ev;
  tt_job *j;
  tt_cpu_plan plan;
  tt_prefetch *pool;
  int npool, next_worker;
  local_trial *t; /* ev.slots */
  uint64_t seq;
  char cores[64]; /* where timings run */
} local_ev;

/* The logical CPUs of set as "0-1,4" into buf. */
static void cpus_text(const cpu_set_t *set, char *buf, size_t len) {
  size_t at = 0;
  buf[0] = '\0';
  for (int c = 0; c < CPU_SETSIZE && at + 16 < len; c++) {
    if (!CPU_ISSET(c, set)) continue;
    int e = c;
    while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, set))
      e++;
    at += (size_t)snprintf(buf + at, len - at, at ? ",%d" : "%d", c);
    if (e > c) at += (size_t)snprintf(buf + at, len - at, "-%d", e);
    c = e;
  }
}

/* Hands t to a compile worker (round robin); a configuration with no
 * source to compile (invalid) or a dead worker leaves it to tt_job_measure. */
static void send(local_ev *l, local_trial *t) {
  char *src = NULL;
  t->state = READY;
  if (l->npool == 0 || !tt_space_is_valid(l->j->space, t->cfg)) return;
  if (tt_job_source(l->j, t->cfg, 1, 0, &src, NULL) == TT_OK) {
    int w = l->next_worker++ % l->npool;
    if (tt_prefetch_submit(&l->pool[w], src)) {
      t->state = COMPILING;
      t->worker = w;
    }
  }
  free(src);
}

/* Queues req; with spare cores its compile starts now. */
static tt_status local_submit(tt_evaluator *ev, const tt_trial_req *req, tt_error *err) {
  local_ev *l = ev->self;
  local_trial *t = NULL;
  for (int i = 0; i < ev->slots && !t; i++)
    if (!l->t[i].used) t = &l->t[i];
  if (!t)
    return tt_error_set(err, TT_ERR_INTERNAL, "local evaluator: more than %d in flight", ev->slots);
  t->used = 1;
  t->id = req->id;
  t->seq = ++l->seq;
  t->state = HELD;
  t->prefetched = 0;
  memcpy(t->cfg, req->cfg, tt_space_num_knobs(l->j->space) * sizeof *t->cfg);
  if (l->plan.split || l->npool == 0) send(l, t);
  return TT_OK;
}

/* The oldest trial in state s, or NULL. */
static local_trial *oldest(local_ev *l, int state) {
  local_trial *best = NULL;
  for (int i = 0; i < l->ev.slots; i++)
    if (l->t[i].used && l->t[i].state == state && (!best || l->t[i].seq < best->seq))
      best = &l->t[i];
  return best;
}

/* Waits for the oldest compiling trial's worker to answer (workers answer
 * in order, so its answer is that trial's). A dead worker's trials are
 * left to tt_job_measure. */
static void wait_compile(local_ev *l) {
  local_trial *t = oldest(l, COMPILING);
  double a, b;
  if (tt_prefetch_wait(&l->pool[t->worker], &a, &b) == 0) {
    t->state = READY;
    t->prefetched = 1;
    t->cstart = a;
    t->cend = b;
    return;
  }
  for (int i = 0; i < l->ev.slots; i++)
    if (l->t[i].used && l->t[i].state == COMPILING && l->t[i].worker == t->worker)
      l->t[i].state = READY;
}

/* Times t into out (the compile, when not done ahead, happens first). */
static int measure(local_ev *l, local_trial *t, tt_trial_done *out, tt_error *err) {
  tt_measure_result m;
  memset(out, 0, sizeof *out);
  double t0 = tt_wall_now();
  tt_status st = tt_job_measure(l->j, t->cfg, &m, err);
  out->measure_end = tt_wall_now();
  t->used = 0;
  if (st != TT_OK) return -1;
  int ok = m.outcome == TT_OUTCOME_OK;
  double build = m.compile_s > 0 ? m.compile_s : 0; /* compiled here (a cache miss) */
  out->id = t->id;
  out->outcome = m.outcome;
  out->value = ok ? m.time_median_s : NAN;
  out->time_min_s = ok ? m.time_min_s : NAN;
  out->spread = ok ? m.spread : NAN;
  out->repeats = m.repeats;
  out->max_rel_err = m.max_rel_err;
  out->compile_s = t->prefetched && m.cached ? t->cend - t->cstart : m.compile_s;
  out->compile_start = t->prefetched && m.cached ? t->cstart : t0;
  out->compile_end = t->prefetched && m.cached ? t->cend : t0 + build;
  out->measure_start = t0 + build;
  out->message = tt_xstrdup(m.message);
  snprintf(out->cores, sizeof out->cores, "%s", l->cores);
  snprintf(out->worker, sizeof out->worker, "local");
  return 1;
}

/* Times the oldest compiled trial; see the top of the file for when
 * compiles run. */
static int local_poll(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err) {
  (void)timeout_s;
  local_ev *l = ev->self;
  for (;;) {
    local_trial *ready = oldest(l, READY);
    if (ready && (l->plan.split || !oldest(l, COMPILING))) return measure(l, ready, out, err);
    if (!oldest(l, COMPILING)) { /* no spare cores: compile everything waiting, together */
      local_trial *h;
      if (!oldest(l, HELD)) return 0;
      while ((h = oldest(l, HELD)))
        send(l, h);
      continue;
    }
    wait_compile(l);
  }
}

/* Stops the workers (their answers would no longer match) and forgets
 * every trial. The last started goes first: a worker holds the pipes of
 * those forked before it, which see their end of input only once it is
 * gone. */
static void local_cancel(tt_evaluator *ev) {
  local_ev *l = ev->self;
  for (int i = l->npool - 1; i >= 0; i--)
    tt_prefetch_stop(&l->pool[i]);
  l->npool = 0;
  for (int i = 0; i < ev->slots; i++)
    l->t[i].used = 0;
}

static void local_free(tt_evaluator *ev) {
  local_ev *l = ev->self;
  local_cancel(ev);
  if (l->plan.split) tt_cpu_pin(&l->plan.original);
  for (int i = 0; i < ev->slots; i++)
    free(l->t[i].cfg);
  free(l->t);
  free(l->pool);
  free(l);
}

/* Starts the compile workers: on the spare cores, else on all. */
static void start_pool(local_ev *l, int n) {
  l->pool = tt_xcalloc((size_t)n + 1, sizeof *l->pool);
  const cpu_set_t *cores = l->plan.split ? &l->plan.compile : &l->plan.original;
  for (int i = 0; i < n; i++) {
    tt_prefetch_start(&l->pool[l->npool], cores, &l->j->mopt);
    if (l->pool[l->npool].pid > 0) l->npool++;
  }
  if (l->plan.split) tt_cpu_pin(&l->plan.measure); /* the measuring child inherits it */
  cpus_text(l->plan.split ? &l->plan.measure : &l->plan.original, l->cores, sizeof l->cores);
}

/* See kernel_tune.h. */
tt_evaluator *tt_local_evaluator_new(tt_job *j, int workers) {
  local_ev *l = tt_xcalloc(1, sizeof *l);
  l->j = j;
  tt_cpu_plan_make(j->mopt.threads, &l->plan);
  if (workers < 1) workers = 1;
  int slots = workers > 1 ? workers : l->plan.split ? 2 : 1;
  l->ev = (tt_evaluator){.name = "local",
                         .slots = slots,
                         .self = l,
                         .submit = local_submit,
                         .poll = local_poll,
                         .cancel = local_cancel,
                         .free = local_free};
  l->t = tt_xcalloc((size_t)slots, sizeof *l->t);
  for (int i = 0; i < slots; i++)
    l->t[i].cfg = tt_xcalloc(tt_space_num_knobs(j->space) + 1, sizeof(uint32_t));
  start_pool(l, workers > 1 || l->plan.split ? workers : 0);
  return &l->ev;
}
