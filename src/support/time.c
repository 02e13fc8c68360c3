/* Clocks. */
#include "tetune/support.h"

#include <time.h>

/* Seconds from CLOCK_MONOTONIC: for intervals only. */
double tt_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
