/* Internal to tetune-mpi: the state of the "mpi" evaluator (eval.c) and
 * what its start (eval_start.c) shares with it. */
#ifndef TT_APP_MPI_EVAL_IMPL_H
#define TT_APP_MPI_EVAL_IMPL_H

#include <cjson/cJSON.h>

#include "app/mpi/eval.h"

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

/* A worker by rank, or NULL. */
wk *tt_mpi_worker_of(mpi_ev *m, int rank);
/* Workers that can take trials (idle or busy). */
int tt_mpi_usable(const mpi_ev *m);
/* Declares w lost (why: "silent for 12 s"); its trial in flight comes
 * back lost from the next poll, and no rank calls MPI_Finalize. */
void tt_mpi_lose(mpi_ev *m, wk *w, const char *why);
/* Beats to the workers, and declares silent or overdue ones lost. */
void tt_mpi_watch(mpi_ev *m);
/* A number member of o, or NAN; a string member of o, or "". */
double tt_mpi_num(const cJSON *o, const char *name);
const char *tt_mpi_str(const cJSON *o, const char *name);

/* The TASK every worker gets. Caller frees. */
char *tt_mpi_task_json(const tt_job *j, const tt_mpi_task *t);
/* Sends the task and waits until every worker answered READY (W_IDLE or
 * W_BENCHED) or went silent (W_GONE). *fp and *ref_s: the first ready
 * worker's fingerprint (caller frees) and reference time; *first_err: the
 * first refusal. */
void tt_mpi_handshake(mpi_ev *m, const char *task, char **fp, double *ref_s, tt_error *first_err);
/* A note when OpenMPI runs without recovery: a dead worker then aborts
 * the whole job (what is stored stays stored; --resume continues). */
void tt_mpi_recovery_note(void);

#endif
