/* Acquisition functions for minimisation and the GP-Hedge portfolio. */
#include <math.h>

#include "search/acquisition.h"

/* Standard normal density. */
double tt_norm_pdf(double z) {
  return 0.3989422804014327 * exp(-0.5 * z * z);
}

/* Standard normal CDF through erfc, accurate in both tails. */
double tt_norm_cdf(double z) {
  return 0.5 * erfc(-z / M_SQRT2);
}

/* mu - kappa sigma. */
double tt_acq_lcb(double mu, double sigma, double kappa) {
  return mu - kappa * sigma;
}

/* (best - xi - mu) Phi(z) + sigma phi(z), z = (best - xi - mu) / sigma;
 * with no uncertainty, the plain improvement. */
double tt_acq_ei(double mu, double sigma, double best, double xi) {
  double imp = best - xi - mu;
  if (!(sigma > 1e-300)) return imp > 0 ? imp : 0;
  double z = imp / sigma;
  double ei = imp * tt_norm_cdf(z) + sigma * tt_norm_pdf(z);
  return ei > 0 ? ei : 0;
}

/* Phi((best - xi - mu) / sigma); a step function without uncertainty. */
double tt_acq_pi(double mu, double sigma, double best, double xi) {
  double imp = best - xi - mu;
  if (!(sigma > 1e-300)) return imp > 0 ? 1 : 0;
  return tt_norm_cdf(imp / sigma);
}

/* The non-negative utility of kind; see acquisition.h. */
double tt_acq_utility(tt_acq_kind kind, double mu, double sigma, double best, double worst,
                      double kappa, double xi) {
  switch (kind) {
  case TT_ACQ_EI:
    return tt_acq_ei(mu, sigma, best, xi);
  case TT_ACQ_PI:
    return tt_acq_pi(mu, sigma, best, xi);
  case TT_ACQ_LCB: {
    double u = worst - tt_acq_lcb(mu, sigma, kappa);
    return u > 0 ? u : 0;
  }
  default:
    return 0;
  }
}

/* Zero gains: every acquisition equally likely at first. */
void tt_hedge_init(tt_hedge *h, double eta) {
  for (int i = 0; i < TT_HEDGE_N; i++)
    h->gains[i] = 0;
  h->eta = eta;
}

/* Softmax of eta * gains, shifted by the maximum for stability. */
void tt_hedge_probs(const tt_hedge *h, double p[TT_HEDGE_N]) {
  double mx = h->gains[0], s = 0;
  for (int i = 1; i < TT_HEDGE_N; i++)
    if (h->gains[i] > mx) mx = h->gains[i];
  for (int i = 0; i < TT_HEDGE_N; i++)
    s += p[i] = exp(h->eta * (h->gains[i] - mx));
  for (int i = 0; i < TT_HEDGE_N; i++)
    p[i] /= s;
}

/* One multinomial draw from the softmax probabilities. */
int tt_hedge_choose(const tt_hedge *h, tt_rng *rng) {
  double p[TT_HEDGE_N], u = tt_rng_uniform(rng);
  tt_hedge_probs(h, p);
  for (int i = 0; i < TT_HEDGE_N - 1; i++) {
    if (u < p[i]) return i;
    u -= p[i];
  }
  return TT_HEDGE_N - 1;
}

/* Lower predicted objective at a proposal is a larger reward. */
void tt_hedge_update(tt_hedge *h, const double mu[TT_HEDGE_N]) {
  for (int i = 0; i < TT_HEDGE_N; i++)
    h->gains[i] -= mu[i];
}
