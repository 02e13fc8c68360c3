/* The start of the "mpi" evaluator: the task sent to every worker and
 * their answers (eval_impl.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/mpi/eval_impl.h"
#include "app/mpi/wire.h"

/* See eval_impl.h. */
char *tt_mpi_task_json(const tt_job *j, const tt_mpi_task *t) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kernel", t->kernel);
  cJSON_AddStringToObject(o, "size", j->size_name);
  cJSON_AddStringToObject(o, "template", j->tmpl->name);
  cJSON_AddStringToObject(o, "target", j->target->name);
  if (t->cc) cJSON_AddStringToObject(o, "cc", t->cc);
  if (t->cflags) cJSON_AddStringToObject(o, "cflags", t->cflags);
  cJSON_AddNumberToObject(o, "threads", (double)t->threads);
  cJSON_AddNumberToObject(o, "timeout_s", t->timeout_s);
  char settings[TT_JOB_SETTINGS_LEN];
  tt_job_settings(j, settings, sizeof settings);
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
  snprintf(w->name, sizeof w->name, "rank %d@%.40s", w->rank, o ? tt_mpi_str(o, "host") : "?");
  w->state = W_BENCHED;
  if (!cJSON_IsTrue(cJSON_GetObjectItem(o, "ok"))) {
    double st = tt_mpi_num(o, "status");
    fprintf(stderr, "tetune-mpi: %s cannot work: %s\n", w->name, tt_mpi_str(o, "message"));
    if (!first_err->status)
      tt_error_set(first_err, isnan(st) ? TT_ERR_ENV : (tt_status)st, "%s: %s", w->name,
                   tt_mpi_str(o, "message"));
  } else if (!*fp || strcmp(*fp, tt_mpi_str(o, "fingerprint")) == 0) {
    if (!*fp) {
      *fp = tt_xstrdup(tt_mpi_str(o, "fingerprint"));
      *ref_s = tt_mpi_num(o, "reference_s");
    }
    fprintf(stderr, "tetune-mpi: %s (pid %.0f) ready\n", w->name, tt_mpi_num(o, "pid"));
    w->state = W_IDLE;
  } else {
    fprintf(stderr, "tetune-mpi: %s is not used: its machine differs from the first worker's\n",
            w->name);
  }
  cJSON_Delete(o);
}

/* See eval_impl.h. */
void tt_mpi_handshake(mpi_ev *m, const char *task, char **fp, double *ref_s, tt_error *first_err) {
  for (int i = 0; i < m->n; i++) {
    m->w[i].heard = tt_wall_now();
    if (tt_mpi_send(m->w[i].rank, TT_MPI_TASK, task) != 0)
      tt_mpi_lose(m, &m->w[i], "cannot be sent to");
  }
  for (;;) {
    int waiting = 0, from, tag;
    char *text;
    for (int i = 0; i < m->n; i++)
      waiting += m->w[i].state == W_WAIT;
    if (!waiting) return;
    while (tt_mpi_try_recv(MPI_ANY_SOURCE, &from, &tag, &text) == 1) {
      wk *w = tt_mpi_worker_of(m, from);
      if (w && w->state != W_GONE) w->heard = tt_wall_now();
      if (w && w->state == W_WAIT && tag == TT_MPI_READY) ready(w, text, fp, ref_s, first_err);
      free(text);
    }
    tt_mpi_watch(m);
    tt_mpi_nap();
  }
}

/* See eval_impl.h. */
void tt_mpi_recovery_note(void) {
  if (getenv("OMPI_COMM_WORLD_SIZE") && !getenv("OMPI_MCA_orte_enable_recovery"))
    fprintf(stderr, "tetune-mpi: note: without mpirun --enable-recovery a worker that dies "
                    "aborts the whole job (finished trials stay stored; --resume continues)\n");
}
