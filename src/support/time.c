/* Clocks. */
#include "tetune/support.h"

#include <time.h>

/* Seconds from CLOCK_MONOTONIC: for intervals only. */
double tt_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CLOCK_MONOTONIC's resolution in seconds (1 ns when it cannot be read). */
double tt_clock_tick(void) {
  struct timespec ts;
  if (clock_getres(CLOCK_MONOTONIC, &ts) != 0) return 1e-9;
  double r = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
  return r > 0 ? r : 1e-9;
}
