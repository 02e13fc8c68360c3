/* Internal to src/search: acquisition functions for minimisation and the
 * GP-Hedge portfolio over them. Inputs are a surrogate's predictive mean mu
 * and standard deviation sigma at a candidate, and best, the lowest
 * observed objective (all in the model's units, here log time). */
#ifndef TT_SEARCH_ACQUISITION_H
#define TT_SEARCH_ACQUISITION_H

#include "tetune/support.h"

typedef enum tt_acq_kind { TT_ACQ_LCB, TT_ACQ_EI, TT_ACQ_PI, TT_ACQ_HEDGE } tt_acq_kind;

/* Standard normal density and distribution function (through erfc). */
double tt_norm_pdf(double z);
double tt_norm_cdf(double z);

/* Lower confidence bound mu - kappa * sigma: lower is better. */
double tt_acq_lcb(double mu, double sigma, double kappa);
/* Expected improvement below best - xi: higher is better, >= 0. */
double tt_acq_ei(double mu, double sigma, double best, double xi);
/* Probability of improving below best - xi: higher is better. */
double tt_acq_pi(double mu, double sigma, double best, double xi);

/* A utility to maximise for kind (LCB, EI or PI, not HEDGE), non-negative
 * so that it can be multiplied by a probability of feasibility: EI and PI
 * as they are; LCB as max(0, worst - lcb) where worst is the highest
 * observed objective, which keeps LCB's ranking among candidates. */
double tt_acq_utility(tt_acq_kind kind, double mu, double sigma, double best, double worst,
                      double kappa, double xi);

/* GP-Hedge (Hoffman et al. 2011, as scikit-optimize does it): one gain per
 * base acquisition; each proposes its own best candidate and one proposal is
 * chosen with probability softmax(eta * gains). After the model is refitted,
 * each gain is reduced by the new predicted mean at that acquisition's last
 * proposal (lower predicted objective: larger gain). */
#define TT_HEDGE_N 3 /* LCB, EI, PI */
typedef struct tt_hedge {
  double gains[TT_HEDGE_N];
  double eta;
} tt_hedge;

void tt_hedge_init(tt_hedge *h, double eta);
/* Softmax probabilities of the current gains into p. */
void tt_hedge_probs(const tt_hedge *h, double p[TT_HEDGE_N]);
/* Draws the index of the acquisition whose proposal is taken. */
int tt_hedge_choose(const tt_hedge *h, tt_rng *rng);
/* gains[i] -= mu[i], mu[i] the refitted model's mean at proposal i. */
void tt_hedge_update(tt_hedge *h, const double mu[TT_HEDGE_N]);

#endif
