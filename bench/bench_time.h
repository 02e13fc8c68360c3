/* Timing helpers shared by the baseline programs of bench/ (openblas_ref.c,
 * vendor_ref.c): a monotonic clock and the median of a few timings. */
#ifndef TT_BENCH_TIME_H
#define TT_BENCH_TIME_H

#include <time.h>

/* Wall-clock seconds. */
static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Median of v[0..n) (sorts v in place; n is small). */
static inline double bench_median(double *v, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#endif
