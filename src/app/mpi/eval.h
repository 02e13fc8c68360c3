/* Internal to tetune-mpi: the "mpi" evaluator on rank 0. Each worker rank
 * holds one trial at a time; submit sends a configuration to an idle
 * worker (or queues it), poll receives whichever result comes first, so a
 * fast worker never waits for a slow one. A worker that says nothing for
 * tt_mpi_silence_s() seconds (no BEAT), or whose trial outlives the
 * compile and run timeouts plus a margin, is lost: its trial comes back
 * with lost = 1 and it gets no more work. */
#ifndef TT_APP_MPI_EVAL_H
#define TT_APP_MPI_EVAL_H

#include "app/mpi_hook.h"

/* The evaluator (see mpi_hook.h for the contract). */
tt_evaluator *tt_mpi_evaluator_new(tt_job *j, const tt_mpi_task *task, char **fingerprint,
                                   tt_error *err);

/* 1 once a worker was lost: MPI_Finalize would then wait for it forever,
 * so no rank calls it. */
int tt_mpi_lost_any(void);

#endif
