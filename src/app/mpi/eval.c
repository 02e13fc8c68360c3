/* The "mpi" evaluator on rank 0 (eval.h). */
#include "app/mpi/eval.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/mpi/wire.h"

enum { W_WAIT, W_IDLE, W_BUSY, W_BENCHED, W_GONE };

/* One worker rank as rank 0 sees it. */
typedef struct wk {
  int rank, state;
  uint64_t id;           /* the trial it holds (W_BUSY) */
  double sent_at, heard; /* when it got the trial; when it last said anything */
  char name[64];         /* "rank 2@host" */
} wk;

/* A trial waiting for an idle worker. */
typedef struct queued {
  uint64_t id;
  char *config;
} queued;

typedef struct mpi_ev {
  tt_evaluator ev;
  int n; /* worker ranks: 1..n */
  wk *w;
  double silence, deadline, last_beat;
  queued *q;
  size_t nq;
  tt_trial_done *lost; /* lost trials not yet polled */
  size_t nlost;
} mpi_ev;

static int lost_any;

/* See eval.h. */
int tt_mpi_lost_any(void) {
  return lost_any;
}

/* A worker by rank, or NULL. */
static wk *worker(mpi_ev *m, int rank) {
  return rank >= 1 && rank <= m->n ? &m->w[rank - 1] : NULL;
}

/* Workers that can take trials (idle or busy). */
static int usable(const mpi_ev *m) {
  int k = 0;
  for (int i = 0; i < m->n; i++)
    k += m->w[i].state == W_IDLE || m->w[i].state == W_BUSY;
  return k;
}

/* Declares w lost; its trial in flight comes back lost. */
static void lose(mpi_ev *m, wk *w, const char *why) {
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
  m->ev.slots = usable(m) > 0 ? usable(m) : 1;
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
  if (tt_mpi_send(w->rank, TT_MPI_EVAL, s) != 0) lose(m, w, "cannot be sent to");
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
  if (!usable(m))
    return tt_error_set(err, TT_ERR_ENV, "every MPI worker is lost: the session stops here");
  m->q = tt_xrealloc(m->q, (m->nq + 1) * sizeof *m->q);
  m->q[m->nq].id = req->id;
  m->q[m->nq++].config = tt_xstrdup(req->config);
  drain_queue(m);
  return TT_OK;
}

/* A number member of o, or NAN. */
static double num(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* A string member of o, or "". */
static const char *str(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : "";
}

/* Fills d from worker w's RESULT o. A worker whose environment failed
 * (env_error) loses the trial and is benched. */
static void result(mpi_ev *m, wk *w, const cJSON *o, tt_trial_done *d) {
  memset(d, 0, sizeof *d);
  d->id = w->id;
  snprintf(d->worker, sizeof d->worker, "%.63s", w->name);
  snprintf(d->cores, sizeof d->cores, "%s", str(o, "cores"));
  d->value = num(o, "value");
  d->time_min_s = num(o, "time_min_s");
  d->spread = num(o, "spread");
  d->max_rel_err = num(o, "max_rel_err");
  d->compile_s = num(o, "compile_s");
  d->repeats = isnan(num(o, "repeats")) ? 0 : (int)num(o, "repeats");
  d->compile_start = num(o, "compile_start");
  d->compile_end = num(o, "compile_end");
  d->measure_start = num(o, "measure_start");
  d->measure_end = num(o, "measure_end");
  tt_str s = {0};
  if (cJSON_IsTrue(cJSON_GetObjectItem(o, "env_error")) ||
      tt_outcome_parse(str(o, "outcome"), &d->outcome) != 0) {
    d->outcome = TT_OUTCOME_LOST;
    d->lost = 1;
    tt_str_printf(&s, "%s: environment failure: %s", w->name, str(o, "message"));
    fprintf(stderr, "tetune-mpi: %s\n", tt_str_cstr(&s));
    w->state = W_BENCHED;
    lost_any = 1; /* not lost, but benched: keep the end simple */
  } else {
    tt_str_printf(&s, "%s", str(o, "message"));
    w->state = W_IDLE;
  }
  d->message = tt_str_take(&s);
}

/* Handles one message; 1 when it filled *out with a finished trial. */
static int handle(mpi_ev *m, int from, int tag, const char *text, tt_trial_done *out) {
  wk *w = worker(m, from);
  if (!w || w->state == W_GONE) return 0; /* a lost worker that came back is ignored */
  w->heard = tt_wall_now();
  if (tag != TT_MPI_RESULT || w->state != W_BUSY || !text) return 0;
  cJSON *o = cJSON_Parse(text);
  int mine = o && (uint64_t)num(o, "id") == w->id;
  if (mine) result(m, w, o, out);
  cJSON_Delete(o);
  if (mine) drain_queue(m);
  return mine;
}

/* Beats to the workers, and declares silent or overdue ones lost. */
static void watch(mpi_ev *m) {
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
      lose(m, w, why);
    else if (w->state == W_BUSY && now - w->sent_at > m->deadline)
      lose(m, w, "past the trial's deadline (compile and run timeouts and a margin)");
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
    watch(m);
    if (!usable(m) && m->nq && !m->nlost) /* nobody left for the queue */
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

/* The TASK every worker gets. Caller frees. */
static char *task_json(const tt_job *j, const tt_mpi_task *t) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kernel", t->kernel);
  cJSON_AddStringToObject(o, "size", j->size_name);
  cJSON_AddStringToObject(o, "template", j->tmpl->name);
  if (t->cc) cJSON_AddStringToObject(o, "cc", t->cc);
  if (t->cflags) cJSON_AddStringToObject(o, "cflags", t->cflags);
  cJSON_AddNumberToObject(o, "threads", (double)t->threads);
  cJSON_AddNumberToObject(o, "timeout_s", t->timeout_s);
  char settings[256];
  tt_measure_settings(&j->mopt, settings, sizeof settings);
  cJSON_AddStringToObject(o, "settings", settings);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}

/* Takes worker w's READY: W_IDLE when it can work on the task whose
 * fingerprint is *fp (the first ready worker's sets it, and *ref_s to
 * its reference's time), else benched with a note. *first_err keeps the first refusal. */
static void ready(wk *w, const char *text, char **fp, double *ref_s, tt_error *first_err) {
  cJSON *o = text ? cJSON_Parse(text) : NULL;
  snprintf(w->name, sizeof w->name, "rank %d@%.40s", w->rank, o ? str(o, "host") : "?");
  w->state = W_BENCHED;
  if (!cJSON_IsTrue(cJSON_GetObjectItem(o, "ok"))) {
    double st = num(o, "status");
    fprintf(stderr, "tetune-mpi: %s cannot work: %s\n", w->name, str(o, "message"));
    if (!first_err->status)
      tt_error_set(first_err, isnan(st) ? TT_ERR_ENV : (tt_status)st, "%s: %s", w->name,
                   str(o, "message"));
  } else if (!*fp || strcmp(*fp, str(o, "fingerprint")) == 0) {
    if (!*fp) {
      *fp = tt_xstrdup(str(o, "fingerprint"));
      *ref_s = num(o, "reference_s");
    }
    fprintf(stderr, "tetune-mpi: %s (pid %.0f) ready\n", w->name, num(o, "pid"));
    w->state = W_IDLE;
  } else {
    fprintf(stderr, "tetune-mpi: %s is not used: its machine differs from the first worker's\n",
            w->name);
  }
  cJSON_Delete(o);
}

/* Sends the task and waits until every worker answered or went silent. */
static void handshake(mpi_ev *m, const char *task, char **fp, double *ref_s, tt_error *first_err) {
  for (int i = 0; i < m->n; i++) {
    m->w[i].heard = tt_wall_now();
    if (tt_mpi_send(m->w[i].rank, TT_MPI_TASK, task) != 0) lose(m, &m->w[i], "cannot be sent to");
  }
  for (;;) {
    int waiting = 0, from, tag;
    char *text;
    for (int i = 0; i < m->n; i++)
      waiting += m->w[i].state == W_WAIT;
    if (!waiting) return;
    while (tt_mpi_try_recv(MPI_ANY_SOURCE, &from, &tag, &text) == 1) {
      wk *w = worker(m, from);
      if (w && w->state != W_GONE) w->heard = tt_wall_now();
      if (w && w->state == W_WAIT && tag == TT_MPI_READY) ready(w, text, fp, ref_s, first_err);
      free(text);
    }
    watch(m);
    tt_mpi_nap();
  }
}

/* A note when OpenMPI runs without recovery: a dead worker then aborts
 * the whole job (what is stored stays stored; --resume continues). */
static void recovery_note(void) {
  if (getenv("OMPI_COMM_WORLD_SIZE") && !getenv("OMPI_MCA_orte_enable_recovery"))
    fprintf(stderr, "tetune-mpi: note: without mpirun --enable-recovery a worker that dies "
                    "aborts the whole job (finished trials stay stored; --resume continues)\n");
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
  recovery_note();
  char *t = task_json(j, task);
  tt_error first = {0};
  *fingerprint = NULL;
  handshake(m, t, fingerprint, &j->ref_time_s, &first);
  free(t);
  m->ev.slots = usable(m) > 0 ? usable(m) : 1;
  if (!usable(m)) {
    if (first.status)
      tt_error_set(err, first.status, "no MPI worker can run the task (%s)", first.msg);
    else
      tt_error_set(err, TT_ERR_ENV, "no MPI worker answered");
    free(*fingerprint);
    *fingerprint = NULL;
    ev_free(&m->ev);
    return NULL;
  }
  fprintf(stderr, "tetune-mpi: %d worker rank%s ready\n", usable(m), usable(m) == 1 ? "" : "s");
  return &m->ev;
}
