/* A worker's communication thread (mailbox.h). */
#include "app/mpi/mailbox.h"

#include <cjson/cJSON.h>
#include <mpi.h>
#include <stdlib.h>

#include "app/mpi/wire.h"

/* Files one message from rank 0 into m (under m->mu). */
static void file_message(tt_mailbox *m, int tag, char *text) {
  if (tag == TT_MPI_TASK && !m->task) {
    m->task = text;
    text = NULL;
  } else if (tag == TT_MPI_EVAL && !m->eval) {
    m->eval = text;
    text = NULL;
  } else if (tag == TT_MPI_CANCEL) {
    m->cancel = 1;
  } else if (tag == TT_MPI_STOP) {
    cJSON *o = text ? cJSON_Parse(text) : NULL;
    m->finalize = cJSON_IsTrue(cJSON_GetObjectItem(o, "finalize"));
    cJSON_Delete(o);
    m->stop = 1;
    m->cancel = 1;
  }
  free(text);
  pthread_cond_broadcast(&m->cv);
}

/* The thread: beats, receives, and gives up on a silent rank 0 (one that
 * was killed while the job goes on under --enable-recovery). Rank 0 beats
 * only while it polls, so the limit is generous: it may wait on another
 * process's claim in the store meanwhile. */
static void *comm_thread(void *arg) {
  tt_mailbox *m = arg;
  double last_beat = 0, heard = tt_wall_now();
  double give_up = 30 * tt_mpi_silence_s() > 300 ? 30 * tt_mpi_silence_s() : 300;
  for (;;) {
    pthread_mutex_lock(&m->mu);
    int quit = m->quit;
    pthread_mutex_unlock(&m->mu);
    if (quit) return NULL;
    double now = tt_wall_now();
    if (now - last_beat >= 1.0) {
      tt_mpi_send(0, TT_MPI_BEAT, NULL);
      last_beat = now;
    }
    int from, tag, got;
    char *text;
    while ((got = tt_mpi_try_recv(0, &from, &tag, &text)) == 1) {
      heard = tt_wall_now();
      pthread_mutex_lock(&m->mu);
      file_message(m, tag, text);
      pthread_mutex_unlock(&m->mu);
    }
    if (got < 0 || tt_wall_now() - heard > give_up) {
      pthread_mutex_lock(&m->mu);
      m->orphaned = !m->stop;
      m->stop = m->cancel = 1;
      pthread_cond_broadcast(&m->cv);
      pthread_mutex_unlock(&m->mu);
    }
    tt_mpi_nap();
  }
}

/* See mailbox.h. */
int tt_mailbox_start(tt_mailbox *m, pthread_t *thread) {
  pthread_mutex_init(&m->mu, NULL);
  pthread_cond_init(&m->cv, NULL);
  return pthread_create(thread, NULL, comm_thread, m) == 0 ? 0 : -1;
}

/* See mailbox.h. */
void tt_mailbox_stop(tt_mailbox *m, pthread_t thread) {
  pthread_mutex_lock(&m->mu);
  m->quit = 1;
  pthread_mutex_unlock(&m->mu);
  pthread_join(thread, NULL);
  free(m->task);
  free(m->eval);
  m->task = m->eval = NULL;
  pthread_cond_destroy(&m->cv);
  pthread_mutex_destroy(&m->mu);
}

/* See mailbox.h. */
char *tt_mailbox_wait(tt_mailbox *m, int want_task) {
  pthread_mutex_lock(&m->mu);
  char **slot = want_task ? &m->task : &m->eval;
  while (!m->stop && !*slot)
    pthread_cond_wait(&m->cv, &m->mu);
  char *msg = m->stop ? NULL : *slot;
  if (msg) *slot = NULL;
  pthread_mutex_unlock(&m->mu);
  return msg;
}

/* See mailbox.h. */
void tt_mailbox_wait_stop(tt_mailbox *m) {
  pthread_mutex_lock(&m->mu);
  while (!m->stop)
    pthread_cond_wait(&m->cv, &m->mu);
  pthread_mutex_unlock(&m->mu);
}
