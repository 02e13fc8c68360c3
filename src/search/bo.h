/* Internal to src/search: the state of the Bayesian optimisation strategy
 * (bo.c), shared with its initial design (bo_design.c) and its acquisition
 * optimiser (bo_propose.c). */
#ifndef TT_SEARCH_BO_H
#define TT_SEARCH_BO_H

#include "search/acquisition.h"
#include "search/history.h"
#include "search/model.h"
#include "search/obs_table.h"
#include "search/prior.h"
#include "search/strategy_impl.h"
#include "search/surrogate.h"

typedef enum tt_bo_liar { TT_BO_LIAR_MIN, TT_BO_LIAR_MEAN, TT_BO_LIAR_MAX } tt_bo_liar;

/* How a proposal sees the points pending (bo_pending.c): FIT puts them
 * into the surrogate's fit with the liar's value; CONDITION fits on the
 * told rows and then conditions the GP on them with the liar's value;
 * BELIEVER conditions it on them with its own mean (kriging believer);
 * PENALISE leaves them out of the model and multiplies the acquisition
 * by local penalisers around them (Gonzalez et al. 2016); THOMPSON leaves
 * them out and, while any is pending, proposes the minimum of a joint
 * posterior draw over the most promising candidates (asynchronous Thompson
 * sampling, Kandasamy et al. 2018). */
typedef enum tt_bo_pending_kind {
  TT_BO_PENDING_FIT,
  TT_BO_PENDING_CONDITION,
  TT_BO_PENDING_BELIEVER,
  TT_BO_PENDING_PENALISE,
  TT_BO_PENDING_THOMPSON
} tt_bo_pending_kind;

typedef struct tt_bo_options {
  int surrogate;      /* the index of its model in tt_surrogate_names */
  int acq;            /* tt_acq_kind */
  double kappa;       /* LCB exploration weight */
  double xi;          /* EI / PI margin, in log-time units */
  size_t init;        /* initial design size */
  int pdesign;        /* with points pending: design points only while no
                       * result is in (0, the first wave's) or while told
                       * plus pending are fewer than init (1; bo_design.c) */
  size_t pinit;       /* with points pending, at most this many design
                       * points (0: init) */
  int lhs;            /* 1: Latin hypercube design, 0: random */
  int wave;           /* space-filling points past the design: 0 while nothing
                       * is told, 1 while fewer than init results are (bo_wave.c) */
  int liar;           /* tt_bo_liar */
  int pending;        /* tt_bo_pending_kind */
  size_t cands;       /* random candidates scored per proposal */
  int enc;            /* tt_encoding */
  size_t local;       /* multi-knob perturbations of the best points per proposal */
  double radius;      /* their step deviation, as a fraction of a knob's values */
  size_t starts;      /* pool entries local search starts from */
  size_t exploit;     /* every exploit-th proposal minimises the mean (0: never) */
  double noise;       /* the GP's noise variance cap (standardised log time) */
  int additive;       /* the GP's additive term (gp.c): 0 none, 1 over ranged
                       * knobs of 3+ values, 2 over every feature */
  double add_floor;   /* its least variance, relative to the product term's, */
  size_t add_floor_n; /* while the GP has fewer rows than this */
  size_t linear;      /* 1: the GP's linear term (gp.c) */
  double lin_floor;   /* its least variance, relative to the signal's, as
                       * long as add_floor holds */
  size_t lin_card;    /* ranged knobs of at least this many values are in it */
  size_t codes_add;   /* rows after which codes leave the additive term
                       * (bo_additive.c; 0: never in it) */
  int plug_in;        /* EI/PI incumbent: 0 the observed best, 1 the least
                       * predicted mean at an observed point */
  size_t tr;          /* trust region around the incumbent (bo_trust.c): 0 none,
                       * 1 for the random candidates, 2 for the local ones */
  double tr_len;      /* its initial length, as a fraction of a knob's values */
  size_t tr_succ;     /* improvements in a row that double it */
  size_t tr_fail;     /* misses in a row that halve it (0: max(4, knobs)) */
  double tr_global;   /* fraction of the random candidates drawn globally */
  double improve;     /* the history tracker's margin (history.h) */
  size_t probe;       /* evaluations without an improvement before the
                       * incumbent's small knobs are probed (0: never) */
  size_t probe_card;  /* knobs with at most this many values are probed */
  size_t stall;       /* evaluations without an improvement after which
                       * LCB's weight is stall_kappa (0: never) */
  double stall_kappa;
  size_t feas_pairs; /* 1: the feasibility classifier sees log sums and
                      * differences of sized knobs (bo_feasible.c) */
  size_t neighbours; /* best points whose one-knob neighbourhoods join the pool */
  size_t climb;      /* one-knob hill-climbing steps from each start */
  int profile;       /* 0 default, 1 plain: the reference BO (bo_options.c) */
} tt_bo_options;

typedef struct tt_bo_trust tt_bo_trust;

/* Scored candidates of one proposal: configurations with their model
 * mean, standard deviation and probability of feasibility. */
typedef struct tt_bo_pool {
  size_t len, cap;
  uint32_t *cfg; /* cap x nk */
  double *x;     /* cap x d */
  double *mu, *sd, *pf;
  double *pm;           /* the prior mean included in mu (0 without a prior) */
  unsigned char *taken; /* proposed earlier in this batch, or no longer free */
} tt_bo_pool;

typedef struct tt_bo {
  tt_bo_options opt;
  size_t nk, d;
  tt_obs_table obs;                   /* y = log(time) of ok rows; failed rows too */
  tt_surrogate *model;                /* of log time, refitted at every proposal */
  unsigned char *add_mask, *lin_mask; /* its GP's additive and linear terms' features
                                       * (d flags; tt_bo_model_configure) */
  tt_forest *feas;                    /* P(ok) classifier; NULL while nothing failed */
  size_t *feas_sized;                 /* knobs whose pairs it sees (bo_feasible.c) */
  size_t feas_nsized;
  size_t feas_d; /* its features per row: d, then the pairs' */
  tt_hedge hedge;
  int hedge_open;       /* hedge_prop awaits its gain update */
  uint32_t *hedge_prop; /* TT_HEDGE_N x nk: last proposals per acquisition */
  double *design;       /* init x nk targets in [0,1) (LHS), made lazily */
  size_t design_next;
  int design_made;
  double *fx, *fy; /* training rows: ok + pending (liar) */
  size_t fcap;
  double best_y, worst_y; /* over ok rows */
  double lie;             /* the liar's value at the last fit */
  double *pen_x;          /* penalised points (pending), pen_n x d, with */
  double *pen_mu, *pen_r; /* their predicted means and the scale of their balls */
  size_t pen_n, pen_cap;
  double pen_L; /* the Lipschitz estimate of the predicted mean */
  tt_bo_pool pool;
  size_t nprop;       /* model-based proposals so far */
  int exploiting;     /* this proposal ranks by the model mean alone */
  tt_bo_trust *trust; /* opt.tr: made at the first model-based proposal */
  int codes_out;      /* the additive term has no codes (bo_additive.c) */
  tt_history hist;    /* which observations improved; the stall */
  tt_prior *prior;    /* a related task's model (bo_prior.c), or NULL */
  tt_prior_cal cal;   /* its calibration at the last fit */
  double *praw;       /* scratch: its raw predictions of the training rows */
  double *praw_obs;   /* its raw predictions of the first praw_n obs rows: */
  size_t praw_n;      /* a row's configuration, so its prediction, never changes */
} tt_bo;

/* 1 when the next point asked is an initial-design point (bo_design.c):
 * while told plus pending points are fewer than init; with points pending,
 * only while no result is in (opt.pdesign) and fewer than opt.pinit. */
int tt_bo_in_design(tt_strategy *st, const tt_bo *b);

/* Writes the next initial-design configuration (free, valid) into out;
 * returns 0, or -1 when no free configuration is left. */
int tt_bo_design_next(tt_strategy *st, tt_bo *b, uint32_t *out);

/* The next point of a first wave past the design, while nothing has been
 * told (with opt.wave, while fewer than init results are; bo_wave.c): the
 * free configuration farthest from every pending and told one among
 * random samples. Returns 0, or -1 when none is free. */
int tt_bo_wave_next(tt_strategy *st, tt_bo *b, uint32_t *out);

/* After tt_bo_pool_build in a proposal: brings the pending points into
 * the pool's scores as opt.pending says (nothing for FIT). prev, nprev:
 * the points to add (the pending ones at a fresh proposal, a batch's
 * points since at a later one). Returns -1 when the GP could not be
 * conditioned (the caller refits), else 0. */
int tt_bo_pending_apply(tt_strategy *st, tt_bo *b, const uint32_t *prev, size_t nprev);

/* Multiplies pf[m] by the local penalisers of the points tt_bo_pending_apply
 * penalised (PENALISE; else nothing); X: the m rows, encoded. */
void tt_bo_pending_penalise(const tt_bo *b, const double *X, size_t m, double *pf);
void tt_bo_pending_free(tt_bo *b);

/* THOMPSON with points pending, after tt_bo_pool_build: writes the
 * candidate minimising a joint posterior draw into out and returns 0; -1
 * (nothing written) otherwise. */
int tt_bo_pending_thompson(tt_strategy *st, tt_bo *b, uint32_t *out);

/* Refits the models and writes the configuration maximising the
 * acquisition (times the probability of feasibility) into out; returns 0,
 * or -1 when no free configuration is left. */
int tt_bo_propose(tt_strategy *st, tt_bo *b, uint32_t *out);

/* The next proposal of a batch (an ask of several points) after
 * tt_bo_propose fitted the models in the same ask: the GP is conditioned
 * on the points proposed since that are not in it yet (prev, nprev x nk)
 * with the liar's value, its hyper-parameters fixed, and the pool's
 * predictions are updated instead of refitted (see gp_batch.c). Falls
 * back to tt_bo_propose (a refit) for the other surrogates. Returns 0, or
 * -1 when no free configuration is left. */
int tt_bo_propose_more(tt_strategy *st, tt_bo *b, const uint32_t *prev, size_t nprev,
                       uint32_t *out);

/* Model means, deviations and feasibilities of m configurations (cfg,
 * m x nk) and their encoded rows X under the models of the last proposal. */
void tt_bo_predict(const tt_bo *b, const uint32_t *cfg, const double *X, size_t m, double *mu,
                   double *sd, double *pf);

/* Picks the sized knobs whose pairs the feasibility classifier sees and
 * sets b->feas_d (bo_feasible.c); after the obs table is set up. */
void tt_bo_feas_init(tt_bo *b);
void tt_bo_feas_free(tt_bo *b);

/* Writes the classifier's feature row of cfg (encoded as x) into
 * out[b->feas_d]: x, then for each pair of sized knobs a, b in order
 * log2 a + log2 b and log2 a - log2 b. */
void tt_bo_feas_features(const tt_bo *b, const uint32_t *cfg, const double *x, double *out);

/* Refits the classifier on every observation (ok = 1, failed = 0), or
 * drops it while nothing has failed. */
void tt_bo_feas_fit(tt_bo *b, tt_rng *rng);

/* P(ok) of m configurations (cfg m x nk, encoded X m x d) into pf; 1 while
 * nothing has failed. */
void tt_bo_feas_predict(const tt_bo *b, const uint32_t *cfg, const double *X, size_t m, double *pf);

/* 1 when knob k is a code (tetune/space.h's TT_ROLE_CODE: ranged, values
 * exactly 0, 1, ..., n-1, n >= 3) with n <= max_card (bo_additive.c). */
int tt_bo_code(const tt_space *s, size_t k, uint32_t max_card);

/* Sets b->add_mask, the additive term's features, at creation
 * (bo_additive.c); the caller then configures the model. */
void tt_bo_additive_init(tt_bo *b);

/* Takes the codes out of the additive term once the GP has n >=
 * opt.codes_add rows and configures the model anew (bo_additive.c). */
void tt_bo_additive_update(tt_bo *b, size_t n);

/* Passes bo's GP options (noise, additive, add_floor, add_floor_n,
 * linear, lin_floor) with add_mask and lin_mask to the surrogate as its
 * settings (surrogate.h; models other than the GP ignore them), which
 * drops the GP's warm start (bo.c). */
void tt_bo_model_configure(tt_bo *b);

/* LCB's weight now: opt.kappa as the policies (bo_policy.h) change it;
 * with the defaults, opt.stall_kappa during a stall of opt.stall
 * evaluations or more (bo_policies.c). */
double tt_bo_kappa(const tt_bo *b);

/* Writes up to max valid free configurations one knob away from cfg into
 * out (tt_space_neighbours_sampled with the strategy's rng): every other
 * value of small knobs, the nearest and some random values of large ones,
 * every swap of a permutation. Returns how many. */
size_t tt_bo_neighbours(tt_strategy *st, const uint32_t *cfg, uint32_t *out, size_t max);

/* A random other value v of categorical or bool knob k, or a random swap
 * of two positions of permutation knob k (v's code); card(k) >= 2. */
uint32_t tt_bo_random_change(tt_strategy *st, size_t k, uint32_t v);

/* Writes into out a free configuration that moves each of cfg's K knobs
 * with probability 2 / K (every knob when K <= 2; at least one): ordinal
 * and integer knobs by a normal step of radius times their number of
 * values (at least one value), others to a random other value, a
 * permutation by one swap. Returns 0, or -1 when 16 tries found none free. */
int tt_bo_perturb(tt_strategy *st, const uint32_t *cfg, double radius, uint32_t *out);

/* The options profile=plain sets: every component beyond a GP with the
 * Matern kernel, its acquisition and random candidates off. */
#define TT_BO_PLAIN                                                                                \
  "additive=0,linear=0,codes_add=0,tr=0,probe=0,stall=0,feas_pairs=0,local=0,neighbours=0,"        \
  "climb=0"

/* bo's options as data (bo_options.c): name, kind, range, default, doc. */
extern const tt_option tt_bo_option_table[];

/* Transfer (bo_prior.c). ops->set_prior: fits the prior on related data. */
int tt_bo_set_prior(tt_strategy *st, void *state, const uint32_t *cfgs, const tt_outcome *outcomes,
                    const double *values, size_t n);
/* ops->prior_weight: the calibration's weight, NAN without a prior. */
double tt_bo_prior_weight(const void *state);
/* Calibrates the prior on the m ok training rows (fx, fy: log times) and
 * turns the n training rows' targets (lies included) into residuals from
 * its mean; nothing without a prior. */
void tt_bo_prior_fit(tt_bo *b, size_t m, size_t n);
/* The calibrated prior mean of m encoded rows X into pm (0s without a
 * prior); with add, also added to mu. */
void tt_bo_prior_mean(const tt_bo *b, const double *X, size_t m, double *pm, double *mu);

/* The trust region (bo_trust.c). */
void tt_bo_trust_free(tt_bo_trust *t);
/* Judges the observations told since the last call (improvement of the
 * incumbent or not), resizes the region and centres it on the incumbent;
 * makes the region on the first call. */
void tt_bo_trust_update(tt_strategy *st, tt_bo *b);
/* Passes to add up to n (tr=1: n * (1 - tr_global)) free configurations
 * drawn inside the region (scratch: nk values); returns how many, 0
 * without a region. */
size_t tt_bo_trust_fill(tt_strategy *st, tt_bo *b, size_t n, uint32_t *scratch,
                        void (*add)(tt_bo *, const uint32_t *));
/* 1 when cfg's ordinal and integer knobs lie inside the region (always
 * without one). */
int tt_bo_trust_contains(const tt_strategy *st, const tt_bo *b, const uint32_t *cfg);
double tt_bo_trust_len(const tt_bo *b);
size_t tt_bo_trust_restarts(const tt_bo *b);

#endif
