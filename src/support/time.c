/* Clocks. */
#include "tetune/support.h"

#include <time.h>

static double seconds(const struct timespec *ts) {
  return (double)ts->tv_sec + (double)ts->tv_nsec * 1e-9;
}

/* Seconds from CLOCK_MONOTONIC: for intervals only. */
double tt_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return seconds(&ts);
}

/* Unix time now; see support.h. */
double tt_wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return seconds(&ts);
}

/* CLOCK_MONOTONIC's resolution in seconds (1 ns when it cannot be read). */
double tt_clock_tick(void) {
  struct timespec ts;
  if (clock_getres(CLOCK_MONOTONIC, &ts) != 0) return 1e-9;
  double r = seconds(&ts);
  return r > 0 ? r : 1e-9;
}
