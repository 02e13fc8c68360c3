/* Internal to tetune-mpi: what a worker's communication thread hands its
 * main thread (worker.c), under one mutex. */
#ifndef TT_APP_MPI_MAILBOX_H
#define TT_APP_MPI_MAILBOX_H

#include <pthread.h>
#include <signal.h>

typedef struct tt_mailbox {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char *task;                   /* a TASK not yet taken, or NULL */
  char *eval;                   /* an EVAL not yet taken, or NULL */
  int stop;                     /* STOP received, or rank 0 went silent */
  int finalize;                 /* STOP said every rank is alive */
  int orphaned;                 /* rank 0 went silent */
  int quit;                     /* the main thread ends the communication thread */
  volatile sig_atomic_t cancel; /* the measure layer's cancel flag */
} tt_mailbox;

/* Starts the communication thread: a BEAT to rank 0 every second, rank 0's
 * messages into m. Returns 0, or -1 when the thread cannot start. */
int tt_mailbox_start(tt_mailbox *m, pthread_t *thread);

/* Ends the communication thread and frees what m still holds. */
void tt_mailbox_stop(tt_mailbox *m, pthread_t thread);

/* Waits for a TASK (want_task) or an EVAL, or a STOP: returns the message
 * (caller frees), or NULL on STOP. */
char *tt_mailbox_wait(tt_mailbox *m, int want_task);

/* Waits for STOP (or rank 0's silence). */
void tt_mailbox_wait_stop(tt_mailbox *m);

#endif
