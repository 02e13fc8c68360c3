/* Internal to tetune-mpi (src/app/mpi/): the messages between rank 0 (the
 * strategy and the database) and the worker ranks, and the few MPI calls
 * both sides share. Every message is one NUL-terminated JSON text (or an
 * empty message) with one of the tags below; see docs/engine-mpi.md.
 *
 *   TASK    0 -> w  what to build: kernel, size, template, threads, timeouts,
 *                   compiler and flags, the measurement settings
 *   READY   w -> 0  the worker opened the task and measured its reference:
 *                   {ok, fingerprint, host, pid, cores} or {ok: false, message}
 *   EVAL    0 -> w  {id, config}: build, validate and time one configuration
 *   RESULT  w -> 0  {id, outcome, value, ..., timestamps, message}
 *   CANCEL  0 -> w  abandon the trial in flight (the session stops)
 *   STOP    0 -> w  {finalize}: the session is over, exit
 *   BEAT    both    empty, every second: "I am alive" */
#ifndef TT_APP_MPI_WIRE_H
#define TT_APP_MPI_WIRE_H

#include "tetune/support.h"

enum {
  TT_MPI_TASK = 1,
  TT_MPI_READY,
  TT_MPI_EVAL,
  TT_MPI_RESULT,
  TT_MPI_CANCEL,
  TT_MPI_STOP,
  TT_MPI_BEAT
};

/* Seconds without any message from a peer after which it is declared
 * lost: $TETUNE_MPI_SILENCE when set (> 0), else 10. */
double tt_mpi_silence_s(void);

/* Sleeps about a millisecond: the wait between two polls (OpenMPI's
 * blocking receive spins, which would steal a core from the timings). */
void tt_mpi_nap(void);

/* Sends text (NULL: an empty message) to rank dst with tag, blocking.
 * Returns 0, or -1 when MPI reports an error. */
int tt_mpi_send(int dst, int tag, const char *text);

/* Receives one waiting message from src (MPI_ANY_SOURCE allowed) without
 * blocking: 1 with *from, *tag and *text (malloc'd, NULL when empty; the
 * caller frees), 0 when none waits, -1 on an MPI error. */
int tt_mpi_try_recv(int src, int *from, int *tag, char **text);

/* This host's name (static storage). */
const char *tt_mpi_host(void);

#endif
