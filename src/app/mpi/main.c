/* tetune-mpi: `tetune tune` distributed over MPI ranks (docs/engine-mpi.md).
 * Rank 0 runs the tune command (strategy, database, progress, summary)
 * with the mpi evaluator; every other rank is a worker (worker.h). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "app/mpi/eval.h"
#include "app/mpi/wire.h"
#include "app/mpi/worker.h"
#include "app/mpi_hook.h"

/* Tells every worker the session is over (whether to call MPI_Finalize). */
static void stop_workers(int size, int finalize) {
  char msg[32];
  snprintf(msg, sizeof msg, "{\"finalize\":%s}", finalize ? "true" : "false");
  for (int r = 1; r < size; r++)
    tt_mpi_send(r, TT_MPI_STOP, msg);
}

/* Checks the command line on every rank alike: 0, or the exit status. */
static int check_args(int argc, char **argv, int rank, int size) {
  const char *why = NULL;
  if (argc < 2 || strcmp(argv[1], "tune") != 0)
    why = "usage: mpirun -np K tetune-mpi tune KERNEL [tune's options] (K >= 2: rank 0 "
          "tunes, ranks 1..K-1 build and time)";
  else if (size < 2)
    why = "needs at least 2 MPI ranks: mpirun -np K tetune-mpi tune ... with K >= 2";
  if (why && rank == 0) fprintf(stderr, "tetune-mpi: %s\n", why);
  return why ? 2 : 0;
}

/* Every rank checks the command line alike; rank 0 runs tune with the mpi
 * evaluator and then stops the workers, the others serve as workers. */
int main(int argc, char **argv) {
  int provided = 0, rank = 0, size = 1;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) return 1;
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int rc = check_args(argc, argv, rank, size);
  if (!rc && provided < MPI_THREAD_MULTIPLE) {
    if (rank == 0) fprintf(stderr, "tetune-mpi: the MPI library lacks MPI_THREAD_MULTIPLE\n");
    rc = 1;
  }
  if (rc) {
    MPI_Finalize();
    return rc;
  }
  int finalize = 1;
  if (rank == 0) {
    tt_app_mpi_new = tt_mpi_evaluator_new;
    rc = tt_cmd_tune(argc - 1, argv + 1);
    finalize = !tt_mpi_lost_any();
    stop_workers(size, finalize);
  } else {
    finalize = tt_mpi_worker_main();
  }
  if (finalize) MPI_Finalize(); /* with a lost rank it would wait forever */
  return rc;
}
