/* Gaussian process regression with a Matern 5/2 kernel (ARD or isotropic)
 * plus Gaussian noise, hyper-parameters fitted by maximising the log
 * marginal likelihood with L-BFGS from a few starts. Inputs are expected in
 * roughly [0, 1] per feature (the space encodings are); y is standardised
 * internally. Parameters live on a log scale: theta = [log signal variance,
 * log length scale(s), log noise variance, and with the additive term the
 * log of its variance over the signal variance].
 *
 * The optional additive term (params.additive) adds sa2 / d times the sum
 * over features of a one-feature kernel 1 / (1 + s_k / 2), s_k the squared
 * scaled distance in feature k (rational quadratic, alpha 1: no exp), with
 * the same length scales. It carries a main effect seen in one context to
 * the others, which the product-form Matern kernel does not: a knob value
 * that is fast with one setting of another knob is predicted fast with the
 * other settings too, in proportion to the fitted sa2. A mask
 * (params.additive_mask) restricts the sum to some features (the mean is
 * then over those): a switch whose effect depends on the context, left
 * out, keeps its effect local to the product term.
 *
 * The optional linear term (params.linear, with the additive one, over
 * the features of params.linear_mask) adds sl2 times the mean over them
 * of (a_k - 1/2)(b_k - 1/2), sl2 a fitted fraction of the signal
 * variance: a Bayesian linear trend.
 * Away from the data the other terms revert to the mean; this one carries
 * a slope seen in the data on to the edge of the box. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/gp_impl.h"

#define SQRT5 2.23606797749979

/* Defaults: ARD, two random restarts besides the default start. */
void tt_gp_params_default(tt_gp_params *p) {
  p->ard = 1;
  p->restarts = 2;
  p->max_iter = 60;
  p->noise_min = 1e-6;
  p->noise_max = 1;
  p->additive = 0;
  p->additive_mask = NULL;
  p->additive_min = 0;
  p->linear = 0;
  p->linear_min = 0;
  p->linear_mask = NULL;
  p->init = NULL;
}

/* Everything the likelihood needs; scratch buffers sized n x n. */
typedef struct lml_ctx {
  size_t n, d, np;
  int ard, additive, linear;
  const unsigned char *mask; /* the additive term's features */
  double nmask;
  const unsigned char *lmask; /* the linear term's */
  double nlmask;
  const double *X, *y;
  double *K, *Kf, *Kinv, *T, *a;
  double *R, *E; /* lower triangles: scaled distances r and exp(-sqrt5 r),
                  * kept by build_kernel for the gradient */
  double *A;     /* lower triangle: the additive sum over d (additive only) */
  double *B;     /* lower triangle with the diagonal: the linear sum (linear only) */
} lml_ctx;

/* Index of the noise variance in theta (the additive one follows it). */
static size_t noise_index(int ard, size_t d) {
  return 1 + (ard ? d : 1);
}

/* Matern 5/2 at scaled distance r given e = exp(-sqrt5 r), without the
 * signal variance. */
static double matern_e(double r, double e) {
  return (1 + SQRT5 * r + 5.0 / 3.0 * r * r) * e;
}

/* Matern 5/2 at scaled distance r, without the signal variance. */
static double matern(double r) {
  return matern_e(r, exp(-SQRT5 * r));
}

/* Scaled squared distance between rows a and b under length scales ell. */
static double dist2(const double *a, const double *b, size_t d, const double *inv_ell2, int ard) {
  double s = 0;
  for (size_t k = 0; k < d; k++) {
    double t = a[k] - b[k];
    s += t * t * inv_ell2[ard ? k : 0];
  }
  return s;
}

/* The additive term's mean of one-feature kernels between a and b over
 * the nmask features in mask. */
static double additive_sum(const double *a, const double *b, size_t d, const double *inv_ell2,
                           int ard, const unsigned char *mask, double nmask) {
  double s = 0;
  for (size_t k = 0; k < d; k++) {
    double t = a[k] - b[k];
    if (mask[k]) s += 1 / (1 + 0.5 * t * t * inv_ell2[ard ? k : 0]);
  }
  return s / nmask;
}

/* The linear term's mean over the nmask features in mask of the centred
 * products (a_k - 1/2)(b_k - 1/2): inputs lie in [0, 1]. */
static double linear_sum(const double *a, const double *b, size_t d, const unsigned char *mask,
                         double nmask) {
  double s = 0;
  for (size_t k = 0; k < d; k++)
    if (mask[k]) s += (a[k] - 0.5) * (b[k] - 0.5);
  return s / nmask;
}

/* additive_sum for rows already divided by their length scales. */
static double scaled_additive_sum(const double *a, const double *b, size_t d,
                                  const unsigned char *mask, double nmask) {
  double s = 0;
  for (size_t k = 0; k < d; k++)
    if (mask[k]) s += 1 / (1 + 0.5 * (a[k] - b[k]) * (a[k] - b[k]));
  return s / nmask;
}

/* The additive variance at theta, 0 without the term: a fraction of the
 * signal variance, exp(theta[0] + log ratio). */
static double additive_var(const double *theta, int ard, int additive, size_t d) {
  return additive ? exp(theta[0] + theta[noise_index(ard, d) + 1]) : 0;
}

/* The linear variance at theta, 0 without the term: a fraction of the
 * signal variance too, its log ratio after the additive one. */
static double linear_var(const double *theta, int ard, int additive, int linear, size_t d) {
  return linear ? exp(theta[0] + theta[noise_index(ard, d) + 1 + (size_t)additive]) : 0;
}

/* The fitted kernel between unscaled rows a and b (noise excluded); the
 * terms are added as tt_gp_predict adds them, so the numbers are its. */
double tt_gp_k(const tt_gp *gp, const double *a, const double *b) {
  size_t d = gp->d, nl = gp->ard ? d : 1;
  double inv_ell2[nl + 1];
  for (size_t k = 0; k < nl; k++)
    inv_ell2[k] = exp(-2 * gp->theta[1 + k]);
  double sa2 = additive_var(gp->theta, gp->ard, gp->additive, d);
  double sl2 = linear_var(gp->theta, gp->ard, gp->additive, gp->linear, d);
  double k = exp(gp->theta[0]) * matern(sqrt(dist2(a, b, d, inv_ell2, gp->ard)));
  if (gp->additive) k += sa2 * additive_sum(a, b, d, inv_ell2, gp->ard, gp->mask, gp->nmask);
  if (gp->linear) k += sl2 * linear_sum(a, b, d, gp->lmask, gp->nlmask);
  return k;
}

/* The diagonal K + noise adds to the kernel at a row a (as build_kernel). */
double tt_gp_k_self(const tt_gp *gp, const double *a) {
  size_t d = gp->d;
  double sf2 = exp(gp->theta[0]), sn2 = exp(gp->theta[noise_index(gp->ard, d)]);
  double sa2 = additive_var(gp->theta, gp->ard, gp->additive, d);
  double sl2 = linear_var(gp->theta, gp->ard, gp->additive, gp->linear, d);
  double k = sf2 + sa2 + sn2 + 1e-10 * (sf2 + sa2);
  if (gp->linear) k += sl2 * linear_sum(a, a, d, gp->lmask, gp->nlmask);
  return k;
}

/* Fills c->Kf (signal part) and c->K (with noise) for theta; returns the
 * Cholesky status of K (factor written into K). */
static int build_kernel(lml_ctx *c, const double *theta, double *inv_ell2) {
  size_t n = c->n, d = c->d, nl = c->ard ? d : 1;
  double sf2 = exp(theta[0]), sn2 = exp(theta[noise_index(c->ard, d)]);
  double sa2 = additive_var(theta, c->ard, c->additive, d);
  double sl2 = linear_var(theta, c->ard, c->additive, c->linear, d);
  for (size_t k = 0; k < nl; k++)
    inv_ell2[k] = exp(-2 * theta[1 + k]);
  for (size_t i = 0; i < n; i++) {
    const double *xi = c->X + i * d;
    c->Kf[i * n + i] = sf2 + sa2;
    if (c->linear) {
      c->B[i * n + i] = linear_sum(xi, xi, d, c->lmask, c->nlmask);
      c->Kf[i * n + i] += sl2 * c->B[i * n + i];
    }
    for (size_t j = 0; j < i; j++) {
      const double *xj = c->X + j * d;
      double r = sqrt(dist2(xi, xj, d, inv_ell2, c->ard));
      double e = exp(-SQRT5 * r), k = sf2 * matern_e(r, e);
      c->R[i * n + j] = r;
      c->E[i * n + j] = e;
      if (c->additive) {
        c->A[i * n + j] = additive_sum(xi, xj, d, inv_ell2, c->ard, c->mask, c->nmask);
        k += sa2 * c->A[i * n + j];
      }
      if (c->linear) {
        c->B[i * n + j] = linear_sum(xi, xj, d, c->lmask, c->nlmask);
        k += sl2 * c->B[i * n + j];
      }
      c->Kf[i * n + j] = c->Kf[j * n + i] = k;
    }
  }
  memcpy(c->K, c->Kf, n * n * sizeof *c->K);
  for (size_t i = 0; i < n; i++)
    c->K[i * n + i] += sn2 + 1e-10 * (sf2 + sa2);
  return tt_chol(c->K, n);
}

/* Lower triangle of Kinv <- K^{-1} = L^-T L^-1 from the Cholesky factor in
 * c->K, with M = L^-1 (row-major, lower) in c->T: row i of M is e_i minus
 * L_ik times row k for k < i, over L_ii, and row i of Kinv is the sum over
 * k >= i of M_ki times row k of M. Written as row updates (axpy) rather
 * than dot products, each element still adds its terms in ascending k (the
 * same numbers), but the additions of a row are independent instead of one
 * chain of dependent ones; n^3 / 3 flops in all. */
static void invert(lml_ctx *c) {
  size_t n = c->n;
  double *M = c->T;
  for (size_t i = 0; i < n; i++) {
    double *mi = M + i * n;
    const double *li = c->K + i * n;
    for (size_t j = 0; j <= i; j++)
      mi[j] = i == j ? 1.0 : 0.0;
    for (size_t k = 0; k < i; k++) {
      const double *mk = M + k * n;
      double a = li[k];
      for (size_t j = 0; j <= k; j++)
        mi[j] -= a * mk[j];
    }
    for (size_t j = 0; j <= i; j++)
      mi[j] /= li[i];
  }
  for (size_t i = 0; i < n; i++) {
    double *ki = c->Kinv + i * n;
    for (size_t j = 0; j <= i; j++)
      ki[j] = 0;
    for (size_t k = i; k < n; k++) {
      const double *mk = M + k * n;
      double a = mk[i];
      for (size_t j = 0; j <= i; j++)
        ki[j] += a * mk[j];
    }
  }
}

/* Adds wa times the derivative of pair (i, j)'s additive mean with
 * respect to each log length scale into g: d/dlog ell of 1 / (1 + s / 2)
 * is k^2 s for s the scaled squared distance. */
static void additive_ell_gradient(const lml_ctx *c, size_t i, size_t j, double wa,
                                  const double *inv_ell2, double *g) {
  size_t d = c->d;
  wa /= c->nmask;
  for (size_t k = 0; k < d; k++) {
    if (!c->mask[k]) continue;
    double t = c->X[i * d + k] - c->X[j * d + k];
    double s = t * t * inv_ell2[c->ard ? k : 0], kk = 1 / (1 + 0.5 * s);
    g[c->ard ? k : 0] += wa * kk * kk * s;
  }
}

/* Gradient of the log marginal likelihood: 1/2 tr(W dK) with
 * W = a a^T - K^{-1}, accumulated over pairs; the distances and
 * exponentials are build_kernel's, for the same theta. */
static void lml_gradient(lml_ctx *c, const double *theta, const double *inv_ell2, double *grad) {
  size_t n = c->n, d = c->d, nl = c->ard ? d : 1, ni = noise_index(c->ard, d);
  double sf2 = exp(theta[0]), sn2 = exp(theta[ni]);
  double sa2 = additive_var(theta, c->ard, c->additive, d);
  double sl2 = linear_var(theta, c->ard, c->additive, c->linear, d);
  size_t li = ni + 1 + (size_t)c->additive; /* the linear ratio's index */
  memset(grad, 0, c->np * sizeof *grad);
  for (size_t i = 0; i < n; i++) {
    double wii = c->a[i] * c->a[i] - c->Kinv[i * n + i];
    grad[0] += 0.5 * wii * c->Kf[i * n + i]; /* every term scales with sf2 */
    if (c->linear) grad[li] += 0.5 * wii * sl2 * c->B[i * n + i];
    grad[ni] += 0.5 * wii * sn2;
    if (c->additive) grad[ni + 1] += 0.5 * wii * sa2;
    for (size_t j = 0; j < i; j++) {
      double w = c->a[i] * c->a[j] - c->Kinv[i * n + j]; /* counted twice */
      grad[0] += w * c->Kf[i * n + j];
      if (c->linear) grad[li] += w * sl2 * c->B[i * n + j];
      if (c->additive) {
        grad[ni + 1] += w * sa2 * c->A[i * n + j];
        additive_ell_gradient(c, i, j, w * sa2, inv_ell2, grad + 1);
      }
      double r = c->R[i * n + j];
      double dk = w * sf2 * 5.0 / 3.0 * (1 + SQRT5 * r) * c->E[i * n + j];
      for (size_t k = 0; k < nl; k++) {
        double t2 = 0;
        if (c->ard) {
          double t = c->X[i * d + k] - c->X[j * d + k];
          t2 = t * t * inv_ell2[k];
        } else {
          t2 = r * r;
        }
        grad[1 + k] += dk * t2;
      }
    }
  }
}

/* Negative log marginal likelihood and its gradient (for L-BFGS). */
static double neg_lml(void *ctx, const double *theta, double *grad) {
  lml_ctx *c = ctx;
  size_t n = c->n;
  double inv_ell2[c->d + 1];
  if (build_kernel(c, theta, inv_ell2) != 0) {
    memset(grad, 0, c->np * sizeof *grad);
    return INFINITY;
  }
  memcpy(c->a, c->y, n * sizeof *c->a);
  tt_chol_solve_lower(c->K, n, c->a);
  double quad = 0, logdet = 0;
  for (size_t i = 0; i < n; i++) {
    quad += c->a[i] * c->a[i];
    logdet += log(c->K[i * n + i]);
  }
  tt_chol_solve_upper(c->K, n, c->a);
  invert(c);
  lml_gradient(c, theta, inv_ell2, grad);
  for (size_t k = 0; k < c->np; k++)
    grad[k] = -grad[k];
  return 0.5 * quad + logdet + 0.5 * (double)n * log(2 * M_PI);
}

/* Factorises K at theta and solves alpha = K^{-1} y into c->a; when K is
 * numerically singular, retries with the noise raised tenfold (up to three
 * times, written back into theta). Returns 0, or -1 when all failed. */
static int factorise(lml_ctx *c, double *theta) {
  double inv_ell2[c->d + 1];
  for (int t = 0; t < 4; t++, theta[noise_index(c->ard, c->d)] += log(10.0)) {
    if (build_kernel(c, theta, inv_ell2) != 0) continue;
    memcpy(c->a, c->y, c->n * sizeof *c->a);
    tt_chol_solve_lower(c->K, c->n, c->a);
    tt_chol_solve_upper(c->K, c->n, c->a);
    return 0;
  }
  return -1;
}

/* Bounds of the log-parameters. */
static void bounds(size_t np, size_t d, const tt_gp_params *p, double *lo, double *hi) {
  size_t ni = noise_index(p->ard, d);
  lo[0] = log(0.05);
  hi[0] = log(20.0);
  for (size_t k = 1; k < ni; k++) {
    lo[k] = log(0.01);
    hi[k] = log(100.0);
  }
  lo[ni] = log(p->noise_min > 0 ? p->noise_min : 1e-6);
  hi[ni] = fmax(lo[ni], log(p->noise_max > 0 ? p->noise_max : 1.0));
  if (np > ni + 1) { /* the additive variance, relative to the signal's */
    lo[ni + 1] = log(fmin(fmax(p->additive_min, 1e-3), TT_GP_ADD_MAX));
    hi[ni + 1] = log(TT_GP_ADD_MAX);
  }
  if (np > ni + 1 + (size_t)p->additive) { /* the linear variance, the same way */
    lo[np - 1] = log(fmin(fmax(p->linear_min, 1e-3), TT_GP_LIN_MAX));
    hi[np - 1] = log(TT_GP_LIN_MAX);
  }
}

/* Start of restart r: the default (or warm start) first, then random. */
static void start_point(size_t np, size_t d, int r, const tt_gp_params *p, tt_rng *rng, double *t) {
  if (r == 0 && p->init) {
    memcpy(t, p->init, np * sizeof *t);
    return;
  }
  size_t ni = noise_index(p->ard, d);
  double u = r == 0 ? 0.5 : tt_rng_uniform(rng);
  t[0] = r == 0 ? 0 : log(0.5) + tt_rng_uniform(rng) * log(4.0);
  for (size_t k = 1; k < ni; k++) {
    u = r == 0 ? 0.5 : tt_rng_uniform(rng);
    t[k] = log(0.05) + u * log(100.0); /* 0.05 .. 5 */
  }
  u = r == 0 ? 0.5 : tt_rng_uniform(rng);
  t[ni] = log(1e-4) + u * log(1e3); /* 1e-4 .. 0.1 */
  if (np > ni + 1) {
    u = r == 0 ? 0.5 : tt_rng_uniform(rng);
    t[ni + 1] = log(0.01) + u * log(100.0); /* 0.01 .. 1 */
  }
  if (np > ni + 1 + (size_t)p->additive) { /* from its floor or 1, to the top */
    double l0 = log(fmin(fmax(p->linear_min, 1), TT_GP_LIN_MAX));
    u = r == 0 ? 0.5 : tt_rng_uniform(rng);
    t[np - 1] = l0 + u * (log(TT_GP_LIN_MAX) - l0);
  }
}

/* Standardises y into ys; returns mean and std (1 when constant). */
static void standardise(const double *y, size_t n, double *ys, double *mean, double *std) {
  double m = 0, v = 0;
  for (size_t i = 0; i < n; i++)
    m += y[i];
  m /= (double)(n ? n : 1);
  for (size_t i = 0; i < n; i++)
    v += (y[i] - m) * (y[i] - m);
  v = n > 1 ? sqrt(v / (double)n) : 0;
  *mean = m;
  *std = v > 1e-12 ? v : 1;
  for (size_t i = 0; i < n; i++)
    ys[i] = (y[i] - m) / *std;
}

/* Optimises theta from every start and keeps the best into best. */
static double optimise(lml_ctx *c, const tt_gp_params *p, tt_rng *rng, double *best) {
  size_t np = c->np;
  double lo[np], hi[np], t[np], fbest = INFINITY;
  bounds(np, c->d, p, lo, hi);
  for (int r = 0; r <= (p->restarts > 0 ? p->restarts : 0); r++) {
    start_point(np, c->d, r, p, rng, t);
    double f = tt_lbfgs_minimize(neg_lml, c, t, np, lo, hi, p->max_iter);
    if (f < fbest) {
      fbest = f;
      memcpy(best, t, np * sizeof *t);
    }
  }
  return fbest;
}

/* A term's d feature flags from the caller's (NULL: every feature), and
 * how many are set. */
static unsigned char *make_mask(const unsigned char *from, size_t d, size_t *count) {
  unsigned char *mask = tt_xmalloc(d + 1);
  *count = 0;
  for (size_t k = 0; k < d; k++) {
    mask[k] = !from || from[k];
    *count += mask[k];
  }
  return mask;
}

/* Fits the GP; see model.h. The model copies X. */
tt_gp *tt_gp_fit(const double *X, const double *y, size_t n, size_t d, const tt_gp_params *p,
                 tt_rng *rng) {
  size_t nmask, nlmask;
  unsigned char *mask = make_mask(p->additive_mask, d, &nmask);
  unsigned char *lmask = make_mask(p->linear_mask, d, &nlmask);
  int additive = p->additive && nmask > 0; /* an empty mask: no term */
  /* with the additive term only, so that its parameter's index is known */
  int linear = additive && p->linear && nlmask > 0;
  size_t np = 2 + (p->ard ? d : 1) + (size_t)additive + (size_t)linear;
  tt_gp *gp = tt_xcalloc(1, sizeof *gp + np * sizeof(double));
  gp->n = n;
  gp->d = d;
  gp->np = np;
  gp->ard = p->ard;
  gp->additive = additive;
  gp->linear = linear;
  gp->lmask = lmask;
  gp->nlmask = linear ? (double)nlmask : 1;
  gp->mask = mask;
  gp->nmask = additive ? (double)nmask : 1;
  gp->X = tt_xmalloc((n * d + 1) * sizeof *gp->X);
  memcpy(gp->X, X, n * d * sizeof *X);
  double *ys = tt_xmalloc((n + 1) * sizeof *ys);
  standardise(y, n, ys, &gp->ymean, &gp->ystd);
  lml_ctx c = {.n = n,
               .d = d,
               .np = np,
               .ard = p->ard,
               .additive = gp->additive,
               .linear = gp->linear,
               .lmask = gp->lmask,
               .nlmask = gp->nlmask,
               .mask = gp->mask,
               .nmask = gp->nmask,
               .X = gp->X,
               .y = ys};
  c.K = tt_xmalloc((n * n + 1) * sizeof *c.K);
  c.Kf = tt_xmalloc((n * n + 1) * sizeof *c.Kf);
  c.Kinv = tt_xmalloc((n * n + 1) * sizeof *c.Kinv);
  c.T = tt_xmalloc((n * n + 1) * sizeof *c.T);
  c.a = tt_xmalloc((n + 1) * sizeof *c.a);
  c.R = tt_xmalloc((n * n + 1) * sizeof *c.R);
  c.E = tt_xmalloc((n * n + 1) * sizeof *c.E);
  if (gp->additive) c.A = tt_xmalloc((n * n + 1) * sizeof *c.A);
  if (gp->linear) c.B = tt_xmalloc((n * n + 1) * sizeof *c.B);
  if (p->init && p->max_iter <= 0) /* fixed hyper-parameters */
    memcpy(gp->theta, p->init, np * sizeof *gp->theta);
  else if (!isfinite(optimise(&c, p, rng, gp->theta)))
    goto fail;
  if (factorise(&c, gp->theta) != 0) goto fail;
  gp->L = c.K;
  gp->alpha = c.a;
  c.K = c.a = NULL;
  gp->Xs = tt_xmalloc((n * d + 1) * sizeof *gp->Xs);
  for (size_t i = 0; i < n * d; i++)
    gp->Xs[i] = gp->X[i] * exp(-gp->theta[1 + (gp->ard ? i % d : 0)]);
  goto done;
fail:
  tt_gp_free(gp);
  gp = NULL;
done:
  free(ys);
  free(c.K);
  free(c.Kf);
  free(c.Kinv);
  free(c.T);
  free(c.a);
  free(c.R);
  free(c.E);
  free(c.A);
  free(c.B);
  return gp;
}

/* Predictive mean and latent variance at x, in the units of y. */
void tt_gp_predict(const tt_gp *gp, const double *x, double *mean, double *var) {
  size_t n = gp->n, d = gp->d, nl = gp->ard ? d : 1;
  double inv_ell2[nl + 1], sf2 = exp(gp->theta[0]);
  double sa2 = additive_var(gp->theta, gp->ard, gp->additive, d);
  double sl2 = linear_var(gp->theta, gp->ard, gp->additive, gp->linear, d);
  for (size_t k = 0; k < nl; k++)
    inv_ell2[k] = exp(-2 * gp->theta[1 + k]);
  double *ks = tt_xmalloc((n + 1) * sizeof *ks), m = 0, v = 0;
  for (size_t i = 0; i < n; i++) {
    const double *xi = gp->X + i * d;
    ks[i] = sf2 * matern(sqrt(dist2(x, xi, d, inv_ell2, gp->ard)));
    if (gp->additive) ks[i] += sa2 * additive_sum(x, xi, d, inv_ell2, gp->ard, gp->mask, gp->nmask);
    if (gp->linear) ks[i] += sl2 * linear_sum(x, xi, d, gp->lmask, gp->nlmask);
    m += ks[i] * gp->alpha[i];
  }
  tt_chol_solve_lower(gp->L, n, ks);
  for (size_t i = 0; i < n; i++)
    v += ks[i] * ks[i];
  free(ks);
  v = sf2 + sa2 - v;
  if (gp->linear) v += sl2 * linear_sum(x, x, d, gp->lmask, gp->nlmask);
  *mean = gp->ymean + gp->ystd * m;
  *var = (v > 0 ? v : 0) * gp->ystd * gp->ystd;
}

/* y += a x over one block row; restrict and the constant trip count let
 * the compiler vectorise it at -O2. */
static void block_axpy(double *restrict y, const double *restrict x, double a) {
  for (size_t j = 0; j < GP_BLOCK; j++)
    y[j] += a * x[j];
}

/* y += a0 x0 + a1 x1 + a2 x2 + a3 x3 over one block row, added in that
 * order (the same numbers as four block_axpy calls) with one load and
 * store of y instead of four: the solve is bound by those. */
static void block_axpy4(double *restrict y, const double *restrict x0, const double *restrict x1,
                        const double *restrict x2, const double *restrict x3, const double *a) {
  for (size_t j = 0; j < GP_BLOCK; j++) {
    double t = y[j];
    t += a[0] * x0[j];
    t += a[1] * x1[j];
    t += a[2] * x2[j];
    t += a[3] * x3[j];
    y[j] = t;
  }
}

/* Predicts the bm <= GP_BLOCK candidates X (bm x d) into mean and var,
 * leaving L^-1 k(X_train, x) of candidate j in column j of V (n x
 * GP_BLOCK): the same numbers as tt_gp_predict, with the triangular solve
 * done for the block together so its inner loop runs over candidates
 * (unit stride, vectorisable). */
void tt_gp_predict_block(const tt_gp *gp, const double *X, size_t bm, double *V, double *mean,
                         double *var) {
  size_t n = gp->n, d = gp->d;
  double sf2 = exp(gp->theta[0]), xs[d + 1];
  double sa2 = additive_var(gp->theta, gp->ard, gp->additive, d);
  double sl2 = linear_var(gp->theta, gp->ard, gp->additive, gp->linear, d);
  if (bm < GP_BLOCK) /* the unused columns solve zeros */
    memset(V, 0, n * GP_BLOCK * sizeof *V);
  for (size_t j = 0; j < bm; j++) {
    const double *x = X + j * d;
    for (size_t k = 0; k < d; k++)
      xs[k] = x[k] * exp(-gp->theta[1 + (gp->ard ? k : 0)]);
    double mu = 0;
    for (size_t i = 0; i < n; i++) {
      const double *xi = gp->Xs + i * d;
      double r2 = 0;
      for (size_t k = 0; k < d; k++)
        r2 += (xs[k] - xi[k]) * (xs[k] - xi[k]);
      double k = sf2 * matern(sqrt(r2));
      if (gp->additive) k += sa2 * scaled_additive_sum(xs, xi, d, gp->mask, gp->nmask);
      if (gp->linear) k += sl2 * linear_sum(x, gp->X + i * d, d, gp->lmask, gp->nlmask);
      V[i * GP_BLOCK + j] = k;
      mu += k * gp->alpha[i];
    }
    mean[j] = gp->ymean + gp->ystd * mu;
  }
  for (size_t i = 0; i < n; i++) { /* V <- L^-1 V, a row at a time */
    double *vi = V + i * GP_BLOCK;
    const double *li = gp->L + i * n;
    size_t k = 0;
    for (; k + 4 <= i; k += 4) {
      const double a[4] = {-li[k], -li[k + 1], -li[k + 2], -li[k + 3]};
      const double *vk = V + k * GP_BLOCK;
      block_axpy4(vi, vk, vk + GP_BLOCK, vk + 2 * GP_BLOCK, vk + 3 * GP_BLOCK, a);
    }
    for (; k < i; k++)
      block_axpy(vi, V + k * GP_BLOCK, -li[k]);
    double inv = 1.0 / li[i];
    for (size_t j = 0; j < GP_BLOCK; j++)
      vi[j] *= inv;
  }
  for (size_t j = 0; j < bm; j++) {
    double v = 0;
    for (size_t i = 0; i < n; i++)
      v += V[i * GP_BLOCK + j] * V[i * GP_BLOCK + j];
    v = sf2 + sa2 - v;
    if (gp->linear) v += sl2 * linear_sum(X + j * d, X + j * d, d, gp->lmask, gp->nlmask);
    var[j] = (v > 0 ? v : 0) * gp->ystd * gp->ystd;
  }
}

/* Predicts m candidates at once, a block at a time; see model.h. */
void tt_gp_predict_many(const tt_gp *gp, const double *X, size_t m, double *mean, double *var) {
  double *V = tt_xmalloc((gp->n * GP_BLOCK + 1) * sizeof *V);
  for (size_t c0 = 0; c0 < m; c0 += GP_BLOCK) {
    size_t bm = m - c0 < GP_BLOCK ? m - c0 : GP_BLOCK;
    tt_gp_predict_block(gp, X + c0 * gp->d, bm, V, mean + c0, var + c0);
  }
  free(V);
}

/* Log marginal likelihood of the standardised targets at the fit. */
double tt_gp_log_marginal(const tt_gp *gp) {
  size_t n = gp->n;
  double quad = 0, logdet = 0;
  /* alpha = K^-1 y and y = L L^T alpha, so y^T K^-1 y = |L^T alpha|^2. */
  for (size_t i = 0; i < n; i++) {
    double t = 0;
    for (size_t k = i; k < n; k++)
      t += gp->L[k * n + i] * gp->alpha[k];
    quad += t * t;
    logdet += log(gp->L[i * n + i]);
  }
  return -0.5 * quad - logdet - 0.5 * (double)n * log(2 * M_PI);
}

/* Copies up to max fitted log-parameters into out; returns their count. */
size_t tt_gp_params_get(const tt_gp *gp, double *out, size_t max) {
  size_t k = gp->np < max ? gp->np : max;
  memcpy(out, gp->theta, k * sizeof *out);
  return gp->np;
}

/* Frees gp and its arrays; NULL is a no-op. */
void tt_gp_free(tt_gp *gp) {
  if (!gp) return;
  free(gp->X);
  free(gp->mask);
  free(gp->lmask);
  free(gp->Xs);
  free(gp->L);
  free(gp->alpha);
  free(gp);
}
