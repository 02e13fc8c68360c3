/* Summary statistics of timed calls. */
#include "measure_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* qsort comparator for doubles. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of a sorted array (n > 0). */
static double median_sorted(const double *v, int n) {
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* (max - min) / median of times[0..n); 0 for n < 2 or a zero median. */
double tt_mz_spread(const double *times, int n) {
  if (n < 2) return 0.0;
  double *v = tt_xmalloc((size_t)n * sizeof *v);
  memcpy(v, times, (size_t)n * sizeof *v);
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  double med = median_sorted(v, n);
  double spread = med > 0 ? (v[n - 1] - v[0]) / med : 0.0;
  free(v);
  return spread;
}

/* Fills median/min/mean/stddev over all n calls and spread over the last
 * `window` calls (all of them when n < window). n > 0. */
void tt_mz_stats(const double *times, int n, int window, tt_mz_report *rep) {
  double *v = tt_xmalloc((size_t)n * sizeof *v);
  memcpy(v, times, (size_t)n * sizeof *v);
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; i++)
    sum += v[i];
  double mean = sum / n;
  for (int i = 0; i < n; i++)
    sum2 += (v[i] - mean) * (v[i] - mean);
  rep->repeats = n;
  rep->median = median_sorted(v, n);
  rep->min = v[0];
  rep->mean = mean;
  rep->stddev = n > 1 ? sqrt(sum2 / (n - 1)) : 0.0;
  int w = window > 0 && window < n ? window : n;
  rep->spread = tt_mz_spread(times + (n - w), w);
  free(v);
}
