/* The message helpers both sides of tetune-mpi use (wire.h). */
#include "app/mpi/wire.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* See wire.h. */
double tt_mpi_silence_s(void) {
  const char *v = getenv("TETUNE_MPI_SILENCE");
  double s = v ? strtod(v, NULL) : 0;
  return s > 0 ? s : 10;
}

/* See wire.h. */
void tt_mpi_nap(void) {
  struct timespec ts = {0, 1000 * 1000};
  nanosleep(&ts, NULL);
}

/* See wire.h. */
int tt_mpi_send(int dst, int tag, const char *text) {
  int n = text ? (int)strlen(text) + 1 : 0;
  return MPI_Send(text, n, MPI_CHAR, dst, tag, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

/* See wire.h. */
int tt_mpi_try_recv(int src, int *from, int *tag, char **text) {
  int flag = 0, n = 0;
  MPI_Status s;
  *text = NULL;
  if (MPI_Iprobe(src, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &s) != MPI_SUCCESS) return -1;
  if (!flag) return 0;
  if (MPI_Get_count(&s, MPI_CHAR, &n) != MPI_SUCCESS || n < 0) return -1;
  char *buf = n > 0 ? tt_xmalloc((size_t)n + 1) : NULL;
  if (MPI_Recv(buf, n, MPI_CHAR, s.MPI_SOURCE, s.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
      MPI_SUCCESS) {
    free(buf);
    return -1;
  }
  if (buf) buf[n] = 0;
  *from = s.MPI_SOURCE;
  *tag = s.MPI_TAG;
  *text = buf;
  return 1;
}

/* See wire.h. */
const char *tt_mpi_host(void) {
  static char host[64];
  if (!host[0] && gethostname(host, sizeof host - 1) != 0) strcpy(host, "unknown");
  return host;
}
