/* The replay driver: runs strategies against an objective one evaluation
 * at a time and scores their best-so-far curves against the exact
 * expectation of random search (the autotuning methodology of Willemsen,
 * van Nieuwpoort and van Werkhoven, 2024: 0 is random search, 1 is the
 * optimum found at the first evaluation). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/objective.h"

/* Expected best-so-far of random search without replacement; see
 * objective.h. With w_1 <= ... <= w_N the population (failures replaced by
 * the worst ok value W, "no improvement"), the minimum of n draws has rank
 * > i with probability S_n(i) = C(N - i, n) / C(N, n), so
 * E[min] = sum_i w_i (S_n(i - 1) - S_n(i)), with the recurrence
 * S_n(i + 1) = S_n(i) (N - i - n) / (N - i). */
void tt_replay_random_curve(const double *values, size_t nv, size_t budget, double *out) {
  double worst = 0;
  for (size_t i = 0; i < nv; i++)
    if (isfinite(values[i])) worst = values[i];
  for (size_t n = 1; n <= budget; n++) {
    double e = 0, s = 1; /* s = S_n(i) */
    for (size_t i = 0; i < nv && s > 0; i++) {
      double next = n + i >= nv ? 0 : s * (double)(nv - i - n) / (double)(nv - i);
      double w = isfinite(values[i]) ? values[i] : worst;
      e += w * (s - next);
      s = next;
    }
    out[n - 1] = e;
  }
}

/* The largest value within tol of optimum (with rounding slack). */
static double within(double optimum, double tol) {
  return optimum * (1 + tol) * (1 + 1e-12);
}

/* Exact median draws of random search to within tol; see objective.h. */
double tt_replay_random_evals(const double *values, size_t nv, double optimum, double tol,
                              double *mean) {
  double limit = within(optimum, tol);
  size_t m = 0;
  while (m < nv && values[m] <= limit)
    m++;
  if (mean) *mean = m ? (double)(nv + 1) / (double)(m + 1) : NAN;
  if (!m) return NAN;
  double miss = 1; /* P(no hit in n draws) */
  size_t n = 0;
  while (miss > 0.5) {
    miss *= (double)(nv - m - n) / (double)(nv - n);
    n++;
  }
  return (double)n;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v); NAN when n == 0. */
static double median(double *v, size_t n) {
  if (n == 0) return NAN;
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Ranks of the median's confidence interval; see objective.h. The lower
 * rank l is the largest with P(Binomial(n, 1/2) <= l - 1) <= 2.5%; the
 * upper is n + 1 - l by symmetry. */
int tt_replay_median_ci_ranks(size_t n, size_t *lo, size_t *hi) {
  double cdf = 0, log_half_n = (double)n * log(0.5);
  size_t l = 0;
  for (size_t k = 0; k < n; k++) { /* cdf = P(B <= k) */
    cdf += exp(lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) +
               log_half_n);
    if (cdf > 0.025) break;
    l = k + 1;
  }
  if (l == 0) return -1;
  *lo = l;
  *hi = n + 1 - l;
  return 0;
}

/* Computes a strategy's metrics from its curves; see objective.h. */
void tt_replay_compute_metrics(const double *curves, size_t seeds, size_t budget, double optimum,
                               const double *random, tt_replay_metrics *m) {
  static const double tol[3] = {0.01, 0.05, 0.10};
  double *tmp = tt_xmalloc((seeds + 1) * sizeof *tmp);
  memset(m, 0, sizeof *m);
  for (size_t s = 0; s < seeds; s++) {
    tmp[s] = curves[s * budget + budget - 1];
    m->best_mean += tmp[s] / (double)seeds;
  }
  m->best_median = median(tmp, seeds);
  size_t lo = 0, hi = 0; /* the medians' interval ranks: the same seeds */
  int ci = tt_replay_median_ci_ranks(seeds, &lo, &hi) == 0;
  for (int t = 0; t < 3; t++) {
    double limit = within(optimum, tol[t]);
    size_t got = 0;
    for (size_t s = 0; s < seeds; s++)
      for (size_t n = 0; n < budget; n++)
        if (curves[s * budget + n] <= limit) {
          tmp[got++] = (double)(n + 1);
          break;
        }
    m->reached[t] = (int)got;
    m->evals_to[t] = median(tmp, got);
    /* the seeds that never got there sort last (INFINITY): a median of
     * all seeds that lands on one is beyond the budget */
    for (size_t s = got; s < seeds; s++)
      tmp[s] = INFINITY;
    double all = median(tmp, seeds); /* sorts tmp */
    m->evals_all[t] = isfinite(all) ? all : NAN;
    m->evals_all_lo[t] = ci && isfinite(tmp[lo - 1]) ? tmp[lo - 1] : NAN;
    m->evals_all_hi[t] = ci && isfinite(tmp[hi - 1]) ? tmp[hi - 1] : NAN;
  }
  double sum = 0;
  size_t terms = 0;
  for (size_t n = 0; n < budget; n++) {
    double mean = 0, gap = random[n] - optimum;
    for (size_t s = 0; s < seeds; s++)
      mean += curves[s * budget + n] / (double)seeds;
    if (gap > 1e-12 * fabs(optimum)) {
      sum += (random[n] - mean) / gap;
      terms++;
    }
  }
  m->score = terms ? sum / (double)terms : NAN;
  free(tmp);
}
