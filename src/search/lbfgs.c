/* A small L-BFGS minimiser with box bounds handled by projection, enough
 * for fitting a Gaussian process's handful of log-hyper-parameters.
 *
 * Known and kept: when a variable sits on its bound with the gradient
 * pointing out, the projected step can lose its descent and the search
 * stops early (the GP's noise often sits on its cap). Holding such
 * variables (an active set) found higher likelihoods yet made BO slower
 * (docs/search-decisions.md, "L-BFGS"): the early stop acts as a prior
 * pulling length scales towards their start; a fix should come with
 * explicit hyper-priors, measured the same way. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/model.h"

#define LBFGS_M 8

/* Clamps x into [lo, hi] componentwise (either bound may be NULL). */
static void project(double *x, size_t n, const double *lo, const double *hi) {
  for (size_t i = 0; i < n; i++) {
    if (lo && x[i] < lo[i]) x[i] = lo[i];
    if (hi && x[i] > hi[i]) x[i] = hi[i];
  }
}

/* Dot product. */
static double dot(const double *a, const double *b, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

/* History of the last LBFGS_M steps s and gradient changes y. */
typedef struct history {
  double *s[LBFGS_M], *y[LBFGS_M], rho[LBFGS_M];
  int len, head;
} history;

/* Two-loop recursion: d <- -H g with H the implicit inverse Hessian. */
static void direction(const history *hs, const double *g, double *d, size_t n) {
  double a[LBFGS_M];
  for (size_t i = 0; i < n; i++)
    d[i] = -g[i];
  for (int k = 0; k < hs->len; k++) {
    int j = (hs->head - 1 - k + LBFGS_M) % LBFGS_M;
    a[j] = hs->rho[j] * dot(hs->s[j], d, n);
    for (size_t i = 0; i < n; i++)
      d[i] -= a[j] * hs->y[j][i];
  }
  if (hs->len) {
    int j = (hs->head - 1 + LBFGS_M) % LBFGS_M;
    double gamma = dot(hs->s[j], hs->y[j], n) / dot(hs->y[j], hs->y[j], n);
    for (size_t i = 0; i < n; i++)
      d[i] *= gamma;
  }
  for (int k = hs->len - 1; k >= 0; k--) {
    int j = (hs->head - 1 - k + LBFGS_M) % LBFGS_M;
    double b = hs->rho[j] * dot(hs->y[j], d, n);
    for (size_t i = 0; i < n; i++)
      d[i] += (a[j] - b) * hs->s[j][i];
  }
}

/* Records the step x1 - x0 and gradient change g1 - g0 when curvature is
 * positive (otherwise the update would break positive definiteness). */
static void remember(history *hs, const double *x0, const double *x1, const double *g0,
                     const double *g1, size_t n) {
  int j = hs->head;
  for (size_t i = 0; i < n; i++) {
    hs->s[j][i] = x1[i] - x0[i];
    hs->y[j][i] = g1[i] - g0[i];
  }
  double sy = dot(hs->s[j], hs->y[j], n);
  if (sy <= 1e-12) return;
  hs->rho[j] = 1.0 / sy;
  hs->head = (hs->head + 1) % LBFGS_M;
  if (hs->len < LBFGS_M) hs->len++;
}

/* Backtracking (Armijo) search along d from x; writes the accepted point
 * into xn, its gradient into gn and returns its value, or NAN on failure. */
static double line_search(tt_lbfgs_fn f, void *ctx, const double *x, double fx, const double *g,
                          const double *d, size_t n, const double *lo, const double *hi,
                          double step, double *xn, double *gn) {
  for (int t = 0; t < 30; t++, step *= 0.5) {
    for (size_t i = 0; i < n; i++)
      xn[i] = x[i] + step * d[i];
    project(xn, n, lo, hi);
    double dec = 0;
    for (size_t i = 0; i < n; i++)
      dec += g[i] * (xn[i] - x[i]);
    if (dec >= 0) continue; /* projection killed the descent */
    double fn = f(ctx, xn, gn);
    if (isfinite(fn) && fn <= fx + 1e-4 * dec) return fn;
  }
  return NAN;
}

/* Minimises f from x within [lo, hi]; see model.h. */
double tt_lbfgs_minimize(tt_lbfgs_fn f, void *ctx, double *x, size_t n, const double *lo,
                         const double *hi, int max_iter) {
  history hs = {0};
  double *buf = tt_xcalloc((2 * LBFGS_M + 4) * n + 1, sizeof *buf);
  for (int k = 0; k < LBFGS_M; k++) {
    hs.s[k] = buf + (size_t)k * n;
    hs.y[k] = buf + (size_t)(LBFGS_M + k) * n;
  }
  double *g = buf + 2 * LBFGS_M * n, *d = g + n, *xn = d + n, *gn = xn + n;
  project(x, n, lo, hi);
  double fx = f(ctx, x, g);
  for (int it = 0; it < max_iter && isfinite(fx); it++) {
    direction(&hs, g, d, n);
    if (dot(d, g, n) >= 0) { /* not a descent direction: restart */
      hs.len = 0;
      for (size_t i = 0; i < n; i++)
        d[i] = -g[i];
    }
    double gnorm = sqrt(dot(g, g, n));
    double step = hs.len ? 1.0 : 1.0 / (gnorm > 1 ? gnorm : 1);
    double fn = line_search(f, ctx, x, fx, g, d, n, lo, hi, step, xn, gn);
    if (isnan(fn)) break;
    remember(&hs, x, xn, g, gn, n);
    double df = fx - fn;
    memcpy(x, xn, n * sizeof *x);
    memcpy(g, gn, n * sizeof *g);
    fx = fn;
    if (df < 1e-9 * (1 + fabs(fx))) break;
  }
  free(buf);
  return fx;
}
