/* The --mpi seam (mpi_hook.h). */
#include "app/mpi_hook.h"

tt_mpi_new_fn tt_app_mpi_new;

/* See mpi_hook.h. */
const char *tt_app_mpi_refusal(void) {
#ifdef TT_HAVE_MPI
  return "tune --mpi: run it under MPI with tetune-mpi: mpirun -np K tetune-mpi tune KERNEL ...";
#else
  return "tune --mpi: this build has no MPI support (install libopenmpi-dev, e.g. with "
         "scripts/setup.sh, and rebuild)";
#endif
}
