/* Bayesian optimisation, the default strategy: an initial design, then at
 * every ask a surrogate of log time (forest, extra-trees, quantile boosting
 * or Gaussian process) and a feasibility classifier are refitted and the
 * acquisition (LCB, EI, PI or the GP-Hedge portfolio) is maximised over
 * free configurations. Pending points enter the surrogate with a constant
 * lie, so a batch or an asynchronous driver gets distinct proposals; the
 * points of one batch condition the GP instead of refitting it
 * (gp_batch.c). Options: the table in bo_options.c; the measurements
 * behind each default: docs/search-decisions.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"
#include "search/bo_policy.h"

/* GP-Hedge's softmax temperature (skopt's default). */
#ifndef TT_BO_HEDGE_ETA
#define TT_BO_HEDGE_ETA 1.0
#endif

/* The linear term's features (the additive term's are bo_additive.c's):
 * the ranged knobs of lin_card or more values. */
static void set_terms(tt_bo *b, const tt_space *s) {
  size_t *knob_of = tt_xmalloc((b->d + 1) * sizeof *knob_of);
  b->lin_mask = tt_xmalloc(b->d + 1);
  tt_space_encoded_knobs(s, knob_of);
  for (size_t j = 0; j < b->d; j++)
    b->lin_mask[j] = (tt_space_knob_roles(s, knob_of[j]) & TT_ROLE_RANGED) &&
                     tt_space_knob_card(s, knob_of[j]) >= b->opt.lin_card;
  free(knob_of);
}

/* See bo.h. The additive term's mask is add_mask with additive=1, every
 * feature (NULL) with additive=all. */
void tt_bo_model_configure(tt_bo *b) {
  const tt_surrogate_setting set[] = {
      {"noise_max", b->opt.noise, NULL},
      {"additive", b->opt.additive != 0, b->opt.additive == 1 ? b->add_mask : NULL},
      {"add_floor", b->opt.add_floor, NULL},
      {"add_floor_n", (double)b->opt.add_floor_n, NULL},
      {"linear", (double)b->opt.linear, b->lin_mask},
      {"lin_floor", b->opt.lin_floor, NULL},
  };
  tt_surrogate_configure(b->model, set, sizeof set / sizeof set[0], b->d, NULL);
}

/* One key=value option into the tt_bo_options at state; profile=plain sets
 * TT_BO_PLAIN's options there and then. */
static tt_status set_option(void *state, const char *key, const char *v, tt_error *err) {
  tt_bo_options *o = state;
  tt_status st = tt_option_set(tt_bo_option_table, "bo", state, key, v, err);
  if (st == TT_OK && strcmp(key, "profile") == 0 && o->profile == 1)
    st = tt_options_parse(TT_BO_PLAIN, state, set_option, err);
  return st;
}

/* Frees the strategy state; see strategy_impl.h. */
static void bo_destroy(void *state) {
  tt_bo *b = state;
  tt_obs_table_free(&b->obs);
  tt_surrogate_free(b->model);
  free(b->add_mask);
  free(b->lin_mask);
  tt_bo_feas_free(b);
  free(b->hedge_prop);
  free(b->design);
  free(b->fx);
  free(b->fy);
  free(b->pool.cfg);
  free(b->pool.x);
  free(b->pool.mu);
  free(b->pool.sd);
  free(b->pool.pf);
  free(b->pool.pm);
  tt_prior_free(b->prior);
  free(b->praw);
  free(b->praw_obs);
  free(b->pool.taken);
  tt_bo_trust_free(b->trust);
  tt_bo_pending_free(b);
  tt_history_free(&b->hist);
  free(b);
}

/* Parses options and sets up empty models; NULL with err on a bad option. */
static void *bo_create(tt_strategy *st, const char *options, tt_error *err) {
  tt_bo *b = tt_xcalloc(1, sizeof *b);
  tt_option_defaults(tt_bo_option_table, &b->opt);
  if (tt_options_parse(options, &b->opt, set_option, err) != TT_OK ||
      !(b->model = tt_surrogate_new(tt_surrogate_names[b->opt.surrogate], err))) {
    free(b);
    return NULL;
  }
  const tt_space *s = tt_strategy_space(st);
  b->nk = tt_space_num_knobs(s);
  tt_obs_table_init(&b->obs, s, b->opt.enc);
  b->d = b->obs.d;
  tt_bo_feas_init(b);
  set_terms(b, s);
  tt_bo_additive_init(b);
  tt_bo_model_configure(b);
  tt_hedge_init(&b->hedge, TT_BO_HEDGE_ETA);
  b->hedge_prop = tt_xcalloc(TT_HEDGE_N * b->nk + 1, sizeof *b->hedge_prop);
  tt_history_init(&b->hist, b->opt.improve, b->opt.init);
  return b;
}

/* Records a told observation in the encoded table. */
static void bo_tell(tt_strategy *st, void *state, const tt_observation *obs) {
  tt_bo *b = state;
  tt_obs_table_put(&b->obs, obs->cfg, obs->outcome, obs->value);
}

/* Proposes up to n configurations, each marked pending before the next is
 * chosen so that the liar and the free checks see it. The initial design
 * runs while told plus pending configurations are fewer than init (with
 * points pending, only until the first result: tt_bo_in_design). The
 * models are fitted once an ask: the proposals after the first model-based
 * one condition the GP on the points proposed since (tt_bo_propose_more),
 * so a batch of q costs far less than q asks. */
static size_t bo_ask(tt_strategy *st, void *state, size_t n, uint32_t *out) {
  tt_bo *b = state;
  size_t got = 0, fitted = 0, since = 0; /* out[since..got): not in the GP */
  for (; got < n; got++) {
    uint32_t *cfg = out + got * b->nk;
    int in_design = tt_bo_in_design(st, b), rc = 0;
    if (in_design) {
      rc = tt_bo_design_next(st, b, cfg);
    } else if (b->opt.lhs && (b->obs.n == 0 || (b->opt.wave && b->obs.n < b->opt.init))) {
      /* a first wave past the design (wave=design: until init results) */
      rc = tt_bo_wave_next(st, b, cfg);
    } else if (tt_bo_policy_preempt(st, b, cfg) != 0) {
      rc = fitted ? tt_bo_propose_more(st, b, out + since * b->nk, got - since, cfg)
                  : tt_bo_propose(st, b, cfg);
      fitted = b->obs.n_ok > 0; /* a proposal without ok rows fits nothing */
      since = got;
    }
    if (rc < 0) break;
    tt_strategy_mark_pending(st, cfg);
  }
  return got;
}

const tt_strategy_ops tt_strategy_bo_ops = {
    .name = "bo",
    .create = bo_create,
    .destroy = bo_destroy,
    .ask = bo_ask,
    .tell = bo_tell,
    .options = tt_bo_option_table,
    .set_prior = tt_bo_set_prior,
    .prior_weight = tt_bo_prior_weight,
};
