/* Internal to src/app: the seam between `tune --mpi` and tetune-mpi. The
 * library (and the plain tetune binary) hold only this function pointer,
 * NULL; tetune-mpi's main (src/app/mpi/, linked with MPI) sets it on rank 0,
 * so libtetune and tetune never depend on MPI (docs/engine-mpi.md). */
#ifndef TT_APP_MPI_HOOK_H
#define TT_APP_MPI_HOOK_H

#include "app/job.h"
#include "tetune/tune.h"

/* What the worker ranks open: the command line's values as given (a kernel
 * path must exist on every node). */
typedef struct tt_mpi_task {
  const char *kernel, *size, *tmpl;
  const char *cc, *cflags; /* NULL: the defaults */
  long threads;
  double timeout_s; /* <= 0: the default */
} tt_mpi_task;

/* Makes the MPI evaluator for job j (opened on rank 0 with the same
 * values): sends the task to every worker, waits until each has measured
 * its reference, and sets *fingerprint (caller frees) to the workers'
 * machine fingerprint, which keys the task in the store. NULL with err
 * set when no worker can run it. */
typedef tt_evaluator *(*tt_mpi_new_fn)(tt_job *j, const tt_mpi_task *task, char **fingerprint,
                                       tt_error *err);

/* NULL unless this process is rank 0 of tetune-mpi. */
extern tt_mpi_new_fn tt_app_mpi_new;

/* The one-line refusal of --mpi where tt_app_mpi_new is NULL. */
const char *tt_app_mpi_refusal(void);

#endif
