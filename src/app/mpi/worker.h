/* Internal to tetune-mpi: a worker rank. It waits for rank 0's TASK, opens
 * the kernel and measures its reference on its own node, then builds,
 * validates and times each configuration it is sent, through the same
 * path as `tetune run` (tt_job_measure), and sends the outcome back. A
 * second thread sends a BEAT every second and receives rank 0's messages,
 * so a CANCEL or STOP interrupts a measurement at once (the measure
 * layer's cancel flag). */
#ifndef TT_APP_MPI_WORKER_H
#define TT_APP_MPI_WORKER_H

/* Runs the worker of this rank until rank 0 sends STOP (or goes silent).
 * Returns 1 when MPI_Finalize may be called (every rank is alive), 0 when
 * rank 0 asked to skip it (a lost rank would make it wait forever). */
int tt_mpi_worker_main(void);

#endif
