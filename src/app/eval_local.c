/* The local evaluator (session.h): a tt_evaluator over tt_job_measure.
 * Trials are taken in the order they were submitted and timed one at a
 * time by this process (the measuring child is pinned where this process
 * is), so two timings never share a core. */
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/session.h"

typedef struct local_trial {
  uint64_t id;
  uint32_t *cfg;
} local_trial;

typedef struct local_ev {
  tt_evaluator ev;
  tt_job *j;
  local_trial *q; /* submitted, in order; ev.slots entries */
  int head, len;
} local_ev;

/* The logical CPUs this process may run on, as "0-1,4" into buf. */
static void cpus_text(char *buf, size_t len) {
  cpu_set_t set;
  buf[0] = '\0';
  if (sched_getaffinity(0, sizeof set, &set) != 0) return;
  size_t at = 0;
  for (int c = 0; c < CPU_SETSIZE && at + 16 < len; c++) {
    if (!CPU_ISSET(c, &set)) continue;
    int e = c;
    while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, &set))
      e++;
    at += (size_t)snprintf(buf + at, len - at, at ? ",%d" : "%d", c);
    if (e > c) at += (size_t)snprintf(buf + at, len - at, "-%d", e);
    c = e;
  }
}

/* Queues req. */
static tt_status local_submit(tt_evaluator *ev, const tt_trial_req *req, tt_error *err) {
  local_ev *l = ev->self;
  if (l->len == ev->slots)
    return tt_error_set(err, TT_ERR_INTERNAL, "local evaluator: more than %d in flight", ev->slots);
  local_trial *t = &l->q[(l->head + l->len++) % ev->slots];
  t->id = req->id;
  memcpy(t->cfg, req->cfg, tt_space_num_knobs(l->j->space) * sizeof *t->cfg);
  return TT_OK;
}

/* Fills out from a measurement of t. */
static void fill_done(const tt_measure_result *m, uint64_t id, tt_trial_done *out) {
  int ok = m->outcome == TT_OUTCOME_OK;
  out->id = id;
  out->outcome = m->outcome;
  out->value = ok ? m->time_median_s : NAN;
  out->time_min_s = ok ? m->time_min_s : NAN;
  out->spread = ok ? m->spread : NAN;
  out->repeats = m->repeats;
  out->max_rel_err = m->max_rel_err;
  out->compile_s = m->compile_s;
  out->message = tt_xstrdup(m->message);
  snprintf(out->worker, sizeof out->worker, "local");
}

/* Measures the oldest queued trial. */
static int local_poll(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err) {
  (void)timeout_s;
  local_ev *l = ev->self;
  if (l->len == 0) return 0;
  local_trial *t = &l->q[l->head];
  tt_measure_result m;
  memset(out, 0, sizeof *out);
  out->measure_start = tt_wall_now();
  tt_status st = tt_job_measure(l->j, t->cfg, &m, err);
  out->measure_end = tt_wall_now();
  if (st != TT_OK) return -1;
  fill_done(&m, t->id, out);
  cpus_text(out->cores, sizeof out->cores);
  l->head = (l->head + 1) % ev->slots;
  l->len--;
  return 1;
}

/* Forgets the queued trials. */
static void local_cancel(tt_evaluator *ev) {
  local_ev *l = ev->self;
  l->len = 0;
}

static void local_free(tt_evaluator *ev) {
  local_ev *l = ev->self;
  for (int i = 0; i < ev->slots; i++)
    free(l->q[i].cfg);
  free(l->q);
  free(l);
}

/* See session.h. */
tt_evaluator *tt_local_evaluator_new(tt_job *j, int workers) {
  local_ev *l = tt_xcalloc(1, sizeof *l);
  l->j = j;
  l->ev = (tt_evaluator){.name = "local",
                         .slots = workers > 0 ? workers : 1,
                         .self = l,
                         .submit = local_submit,
                         .poll = local_poll,
                         .cancel = local_cancel,
                         .free = local_free};
  l->q = tt_xcalloc((size_t)l->ev.slots, sizeof *l->q);
  for (int i = 0; i < l->ev.slots; i++)
    l->q[i].cfg = tt_xcalloc(tt_space_num_knobs(j->space) + 1, sizeof(uint32_t));
  return &l->ev;
}
