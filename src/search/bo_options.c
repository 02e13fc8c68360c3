/* bo's options as data: every option once, with its kind, range, default
 * and one line of documentation. Parsing, errors, the defaults and the
 * documentation (tetune list --strategies, the README's table) all come
 * from this table. Why each default is what it is, with the measurements
 * behind it, is in docs/search-decisions.md. */
#include <math.h>
#include <stddef.h>

#include "search/bo.h"

#define STR(x) #x
#define XSTR(x) STR(x)
#define COUNT(f, lo, hi) TT_OPTION_COUNT, offsetof(tt_bo_options, f), lo, hi, 0, NULL
#define NUMBER(f, lo, hi) TT_OPTION_NUMBER, offsetof(tt_bo_options, f), lo, hi, 0, NULL
#define CHOICE(f, list) TT_OPTION_CHOICE, offsetof(tt_bo_options, f), 0, 0, 0, list

static const char *const acqs[] = {"lcb", "ei", "pi", "hedge", NULL};
static const char *const designs[] = {"random", "lhs", NULL};
static const char *const liars[] = {"min", "mean", "max", NULL};
static const char *const pendings[] = {"fit",      "condition", "believer",
                                       "penalise", "thompson",  NULL};
static const char *const pdesigns[] = {"wave", "init", NULL};
static const char *const waves[] = {"first", "design", NULL};
static const char *const encs[] = {"rank", "log", NULL};
static const char *const incumbents[] = {"best", "mean", NULL};
static const char *const additives[] = {"0", "1", "all", NULL};
static const char *const profiles[] = {"default", "plain", NULL};

const tt_option tt_bo_option_table[] = {
    {"profile", CHOICE(profile, profiles), "default",
     "plain: the reference BO, a GP with the Matern 5/2 kernel alone and the acquisition over "
     "random candidates, every extra off (" TT_BO_PLAIN "); options after it override"},
    {"surrogate", CHOICE(surrogate, tt_surrogate_names), "gp",
     "the model of log time: random forest, extra-trees, quantile boosting, Gaussian process, or "
     "gp and rf averaged"},
    {"acq", CHOICE(acq, acqs), "hedge",
     "the acquisition: lower confidence bound, expected or probable improvement, or the "
     "GP-Hedge portfolio of the three"},
    {"kappa", NUMBER(kappa, 0, INFINITY), "1.96", "LCB's exploration weight"},
    {"xi", NUMBER(xi, 0, INFINITY), "0.01", "EI's and PI's margin, in log-time units"},
    {"init", COUNT(init, 1, 100000), "5", "evaluations in the initial design"},
    {"pdesign", CHOICE(pdesign, pdesigns), "wave",
     "with points pending (several workers), design points are asked only until the first "
     "result is in, the design being the first wave's (wave), or until told plus pending points "
     "reach init, as with one worker (init)"},
    {"pinit", COUNT(pinit, 0, 100000), "0",
     "with points pending, at most this many design points, the rest of the first wave "
     "space-filling (0: no cap)"},
    {"design", CHOICE(lhs, designs), "lhs", "the initial design: random or a Latin hypercube"},
    {"wave", CHOICE(wave, waves), "first",
     "with several workers and the lhs design, points asked past the design are space-filling "
     "while no result is in (first) or until init results are (design); model-based after"},
    {"liar", CHOICE(liar, liars), "mean",
     "the value pending points enter the model with: the least, mean or largest observed log "
     "time"},
    {"pending", CHOICE(pending, pendings), "fit",
     "how proposals see pending points: in the model's fit at the liar's value, conditioning "
     "the GP at the liar's value after a fit on the told rows, conditioning it at its own mean "
     "(kriging believer), out of the model with the acquisition penalised around them, or "
     "out of it with Thompson sampling while any is pending"},
    {"cands", COUNT(cands, 1, 1000000), "700", "random candidates scored per proposal"},
    {"encoding", CHOICE(enc, encs), "log", "ordinal and integer knobs as their rank or log value"},
    {"local", COUNT(local, 0, 1000000), "300",
     "random multi-knob perturbations of the best points scored per proposal"},
    {"radius", NUMBER(radius, 0, INFINITY), "0.2",
     "their normal step on a ranged knob, as a fraction of its values"},
    {"starts", COUNT(starts, 1, 1000), "3", "best candidates the local search climbs from"},
    {"exploit", COUNT(exploit, 0, 1000000), "0",
     "every N-th model-based proposal minimises the predicted mean instead (0: never)"},
    {"incumbent", CHOICE(plug_in, incumbents), "best",
     "EI's and PI's incumbent: the best observed log time, or the least predicted mean at an "
     "observed point"},
    {"noise", TT_OPTION_NUMBER, offsetof(tt_bo_options, noise), 0, 1, 1, NULL,
     XSTR(TT_SURROGATE_GP_NOISE_MAX),
     "the GP's noise variance cap, as a fraction of the observed log times' variance"},
    {"additive", CHOICE(additive, additives), "1",
     "the GP's main-effects term: none, over the ranged knobs of 3 or more values, or over every "
     "feature"},
    {"add_floor", NUMBER(add_floor, 0, TT_GP_ADD_MAX), "1",
     "least variance of the main-effects term over the product term's while the GP has fewer "
     "than add_floor_n rows (0: the likelihood decides)"},
    {"add_floor_n", COUNT(add_floor_n, 0, 1000000), "20", "rows the add_floor holds for"},
    {"linear", COUNT(linear, 0, 1), "1",
     "the GP's linear trend term over the ranged knobs of lin_card or more values"},
    {"lin_floor", NUMBER(lin_floor, 0, TT_GP_LIN_MAX), "8",
     "least variance of the linear term over the signal's while add_floor holds"},
    {"lin_card", COUNT(lin_card, 2, 1000000), "10", "values a ranged knob needs to be in it"},
    {"codes_add", COUNT(codes_add, 0, 1000000), "20",
     "rows after which codes (integer method switches) leave the main-effects term (0: never "
     "in it)"},
    {"tr", COUNT(tr, 0, 2), "0",
     "a trust region around the incumbent: 0 none, 1 for the random candidates, 2 for the "
     "perturbations"},
    {"tr_len", NUMBER(tr_len, 1e-6, 1), "0.8",
     "its initial length, as a fraction of a knob's values"},
    {"tr_succ", COUNT(tr_succ, 1, 1000000), "3", "improvements in a row that double it"},
    {"tr_fail", COUNT(tr_fail, 0, 1000000), "0",
     "misses in a row that halve it (0: max(4, knobs))"},
    {"tr_global", NUMBER(tr_global, 0, 1), "0.2",
     "fraction of the random candidates drawn outside it"},
    {"improve", NUMBER(improve, 0, 0.5), "0.02",
     "the relative margin by which a time must beat the best so far to count as an improvement "
     "(for the trust region, probe and stall)"},
    {"probe", COUNT(probe, 0, 1000000), "4",
     "evaluations without an improvement after which the incumbent's small knobs are probed "
     "(0: never)"},
    {"probe_card", COUNT(probe_card, 2, 64), "4", "knobs with at most this many values are probed"},
    {"stall", COUNT(stall, 0, 1000000), "50",
     "evaluations without an improvement after which LCB's weight is stall_kappa (0: never)"},
    {"stall_kappa", NUMBER(stall_kappa, 0, INFINITY), "0.5", "LCB's weight during a stall"},
    {"feas_pairs", COUNT(feas_pairs, 0, 1), "1",
     "the feasibility model also sees the log sum and difference of every pair of sized knobs"},
    {"neighbours", COUNT(neighbours, 0, 5), "5",
     "best observed points whose one-knob neighbourhoods join the candidates"},
    {"climb", COUNT(climb, 0, 64), "8",
     "one-knob hill-climbing steps on the acquisition from each of the starts (0: none)"},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
};
