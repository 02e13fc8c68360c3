/* The "mpi" evaluator on rank 0 (eval.h). */
#include "app/mpi/eval.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/mpi/eval_impl.h"
#include "app/mpi/wire.h"

static int lost_any;

/* See eval.h. */
int tt_mpi_lost_any(void) {
  return lost_any;
}

/* See eval_impl.h. */
wk *tt_mpi_worker_of(mpi_ev *m, int rank) {
  return rank >= 1 && rank <= m->n ? &m->w[rank - 1] : NULL;
}

/* See eval_impl.h. */
int tt_mpi_usable(const mpi_ev *m) {
  int k = 0;
  for (int i = 0; i < m->n; i++)
    k += m->w[i].state == W_IDLE || m->w[i].state == W_BUSY;
  return k;
}

/* See eval_impl.h. */
void tt_mpi_lose(mpi_ev *m, wk *w, const char *why) {
  fprintf(stderr, "tetune-mpi: %s %s: lost%s\n", w->name, why,
          w->state == W_BUSY ? " with its trial in flight" : "");
  if (w->state == W_BUSY) {
    m->lost = tt_xrealloc(m->lost, (m->nlost + 1) * sizeof *m->lost);
    tt_trial_done *d = &m->lost[m->nlost++];
    memset(d, 0, sizeof *d);
    d->id = w->id;
    d->outcome = TT_OUTCOME_LOST;
    d->lost = 1;
    d->value = d->time_min_s = d->spread = d->max_rel_err = d->compile_s = NAN;
    snprintf(d->worker, sizeof d->worker, "%.63s", w->name);
    tt_str s = {0};
    tt_str_printf(&s, "%s %s", w->name, why);
    d->message = tt_str_take(&s);
  }
  w->state = W_GONE;
  lost_any = 1;
  m->ev.slots = tt_mpi_usable(m) > 0 ? tt_mpi_usable(m) : 1;
}

/* Sends one configuration to idle worker w. */
static void dispatch(mpi_ev *m, wk *w, uint64_t id, const char *config) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)id);
  cJSON_AddStringToObject(o, "config", config);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  w->state = W_BUSY;
  w->id = id;
  w->sent_at = tt_wall_now();
  if (tt_mpi_send(w->rank, TT_MPI_EVAL, s) != 0) tt_mpi_lose(m, w, "cannot be sent to");
  free(s);
}

/* Hands queued trials to idle workers. */
static void drain_queue(mpi_ev *m) {
  for (int i = 0; i < m->n && m->nq; i++) {
    if (m->w[i].state != W_IDLE) continue;
    queued q = m->q[0];
    memmove(m->q, m->q + 1, --m->nq * sizeof *m->q);
    dispatch(m, &m->w[i], q.id, q.config);
    free(q.config);
  }
}

/* submit: to an idle worker, else into the queue. */
static tt_status ev_submit(tt_evaluator *ev, const tt_trial_req *req, tt_error *err) {
  mpi_ev *m = ev->self;
  if (!tt_mpi_usable(m))
    return tt_error_set(err, TT_ERR_ENV, "every MPI worker is lost: the session stops here");
  m->q = tt_xrealloc(m->q, (m->nq + 1) * sizeof *m->q);
  m->q[m->nq].id = req->id;
  m->q[m->nq++].config = tt_xstrdup(req->config);
  drain_queue(m);
  return TT_OK;
}

/* See eval_impl.h. */
double tt_mpi_num(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* See eval_impl.h. */
const char *tt_mpi_str(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : "";
}

/* Fills d from worker w's RESULT o. A worker whose environment failed
 * (env_error) loses the trial and is benched. */
static void result(mpi_ev *m, wk *w, const cJSON *o, tt_trial_done *d) {
  memset(d, 0, sizeof *d);
  d->id = w->id;
  snprintf(d->worker, sizeof d->worker, "%.63s", w->name);
  snprintf(d->cores, sizeof d->cores, "%s", tt_mpi_str(o, "cores"));
  d->value = tt_mpi_num(o, "value");
  d->time_min_s = tt_mpi_num(o, "time_min_s");
  d->spread = tt_mpi_num(o, "spread");
  d->max_rel_err = tt_mpi_num(o, "max_rel_err");
  d->compile_s = tt_mpi_num(o, "compile_s");
  d->repeats = isnan(tt_mpi_num(o, "repeats")) ? 0 : (int)tt_mpi_num(o, "repeats");
  d->compile_start = tt_mpi_num(o, "compile_start");
  d->compile_end = tt_mpi_num(o, "compile_end");
  d->measure_start = tt_mpi_num(o, "measure_start");
  d->measure_end = tt_mpi_num(o, "measure_end");
  tt_str s = {0};
  if (cJSON_IsTrue(cJSON_GetObjectItem(o, "env_error")) ||
      tt_outcome_parse(tt_mpi_str(o, "outcome"), &d->outcome) != 0) {
    d->outcome = TT_OUTCOME_LOST;
    d->lost = 1;
    tt_str_printf(&s, "%s: environment failure: %s", w->name, tt_mpi_str(o, "message"));
    fprintf(stderr, "tetune-mpi: %s\n", tt_str_cstr(&s));
    w->state = W_BENCHED;
    lost_any = 1; /* not lost, but benched: keep the end simple */
  } else {
    tt_str_printf(&s, "%s", tt_mpi_str(o, "message"));
    w->state = W_IDLE;
  }
  d->message = tt_str_take(&s);
}

/* Handles one message; 1 when it filled *out with a finished trial. */
static int handle(mpi_ev *m, int from, int tag, const char *text, tt_trial_done *out) {
  wk *w = tt_mpi_worker_of(m, from);
  if (!w || w->state == W_GONE) return 0; /* a lost worker that came back is ignored */
  w->heard = tt_wall_now();
  if (tag != TT_MPI_RESULT || w->state != W_BUSY || !text) return 0;
  cJSON *o = cJSON_Parse(text);
  int mine = o && (uint64_t)tt_mpi_num(o, "id") == w->id;
  if (mine) result(m, w, o, out);
  cJSON_Delete(o);
  if (mine) drain_queue(m);
  return mine;
}

/* See eval_impl.h. */
void tt_mpi_watch(mpi_ev *m) {
  double now = tt_wall_now();
  int beat = now - m->last_beat >= 1.0;
  if (beat) m->last_beat = now;
  for (int i = 0; i < m->n; i++) {
    wk *w = &m->w[i];
    if (w->state == W_GONE) continue;
    if (beat) tt_mpi_send(w->rank, TT_MPI_BEAT, NULL);
    char why[96];
    snprintf(why, sizeof why, "silent for %.0f s", now - w->heard);
    if (now - w->heard > m->silence)
      tt_mpi_lose(m, w, why);
    else if (w->state == W_BUSY && now - w->sent_at > m->deadline)
      tt_mpi_lose(m, w, "past the trial's deadline (compile and run timeouts and a margin)");
  }
}

/* poll: the first finished trial, a lost one included. */
static int ev_poll(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err) {
  mpi_ev *m = ev->self;
  double end = tt_wall_now() + timeout_s;
  for (;;) {
    if (m->nlost) {
      *out = m->lost[--m->nlost];
      return 1;
    }
    int from, tag, got;
    char *text;
    while ((got = tt_mpi_try_recv(MPI_ANY_SOURCE, &from, &tag, &text)) == 1) {
      int done = handle(m, from, tag, text, out);
      free(text);
      if (done) return 1;
    }
    if (got < 0) return tt_error_set(err, TT_ERR_ENV, "MPI receive failed"), -1;
    tt_mpi_watch(m);
    if (!tt_mpi_usable(m) && m->nq && !m->nlost) /* nobody left for the queue */
      return tt_error_set(err, TT_ERR_ENV, "every MPI worker is lost: the session stops here"), -1;
    if (timeout_s >= 0 && tt_wall_now() >= end && !m->nlost) return 0;
    if (!m->nlost) tt_mpi_nap();
  }
}

/* cancel: the busy workers abandon their trials; the queue empties. */
static void ev_cancel(tt_evaluator *ev) {
  mpi_ev *m = ev->self;
  for (int i = 0; i < m->n; i++)
    if (m->w[i].state == W_BUSY) {
      tt_mpi_send(m->w[i].rank, TT_MPI_CANCEL, NULL);
      m->w[i].state = W_IDLE;
    }
  for (size_t i = 0; i < m->nq; i++)
    free(m->q[i].config);
  m->nq = 0;
}

/* free: the state; the workers are stopped by main. */
static void ev_free(tt_evaluator *ev) {
  mpi_ev *m = ev->self;
  ev_cancel(ev);
  for (size_t i = 0; i < m->nlost; i++)
    tt_trial_done_clear(&m->lost[i]);
  free(m->lost);
  free(m->q);
  free(m->w);
  free(m);
}

/* See eval.h. */
tt_evaluator *tt_mpi_evaluator_new(tt_job *j, const tt_mpi_task *task, char **fingerprint,
                                   tt_error *err) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  mpi_ev *m = tt_xcalloc(1, sizeof *m);
  m->n = size - 1;
  m->w = tt_xcalloc((size_t)(m->n > 0 ? m->n : 1), sizeof *m->w);
  for (int i = 0; i < m->n; i++) {
    m->w[i].rank = i + 1;
    m->w[i].state = W_WAIT;
    snprintf(m->w[i].name, sizeof m->w[i].name, "rank %d", i + 1);
  }
  m->silence = tt_mpi_silence_s();
  m->deadline = j->mopt.compile_timeout_s + j->mopt.run_timeout_s + 30;
  m->ev = (tt_evaluator){.name = "mpi",
                         .slots = 1,
                         .self = m,
                         .submit = ev_submit,
                         .poll = ev_poll,
                         .cancel = ev_cancel,
                         .free = ev_free};
  tt_mpi_recovery_note();
  char *t = tt_mpi_task_json(j, task);
  tt_error first = {0};
  *fingerprint = NULL;
  tt_mpi_handshake(m, t, fingerprint, &j->ref_time_s, &first);
  free(t);
  m->ev.slots = tt_mpi_usable(m) > 0 ? tt_mpi_usable(m) : 1;
  if (!tt_mpi_usable(m)) {
    if (first.status)
      tt_error_set(err, first.status, "no MPI worker can run the task (%s)", first.msg);
    else
      tt_error_set(err, TT_ERR_ENV, "no MPI worker answered");
    free(*fingerprint);
    *fingerprint = NULL;
    ev_free(&m->ev);
    return NULL;
  }
  fprintf(stderr, "tetune-mpi: %d worker rank%s ready\n", tt_mpi_usable(m),
          tt_mpi_usable(m) == 1 ? "" : "s");
  return &m->ev;
}
