/* The cost-model tuner: AutoTVM's XGBTuner in C. A gradient-boosted tree
 * model (pairwise rank objective by default) is retrained on all
 * observations; simulated annealing over the space then plans the plan_size
 * configurations the model likes best, which are proposed in order, the
 * last 5% of each plan replaced by random picks (epsilon-greedy).
 *
 * Labels follow AutoTVM: throughput relative to the best seen, i.e.
 * best_time / time in (0, 1], and 0 for a failed configuration.
 *
 * AutoTVM trains for the first time after plan_size (64) measurements and
 * then after every plan_size more. Budgets here are often a few dozen
 * trials, so training starts after init (16) observations and repeats each
 * time the history has grown by half, at least 8 and at most plan_size new
 * observations. The annealing is AutoTVM's: parallel chains (128; they
 * persist from one plan to the next, a quarter restarted from the best
 * observed configurations), one-knob random walks, temperature 1 -> 0 over
 * 500 steps, early stop after 50 steps without a change to the top list.
 *
 * Options: loss=rank|reg, plan=N (64), init=N (16), eps=F (0.05),
 * chains=N (128), iters=N (500). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "search/model.h"
#include "search/obs_table.h"
#include "search/strategy_impl.h"

typedef struct xgb_options {
  int loss; /* 0 rank, 1 reg */
  size_t plan, init, chains, iters;
  double eps;
} xgb_options;

typedef struct xgb_state {
  xgb_options opt;
  size_t nk, d;
  tt_obs_table obs;
  tt_gbt *model;
  uint32_t *plan; /* plan_len x nk, best first */
  size_t plan_len, plan_pt;
  size_t next_train; /* retrain once obs.n reaches this */
  uint32_t *chain;   /* chains x nk: annealing points, kept across plans */
  int have_chain;
} xgb_state;

#define COUNT(f, lo, hi) TT_OPTION_COUNT, offsetof(xgb_options, f), lo, hi, 0, NULL
static const char *const losses[] = {"rank", "reg", NULL};

/* xgb's options as data (see strategy_impl.h); AutoTVM's settings. */
static const tt_option xgb_option_table[] = {
    {"loss", TT_OPTION_CHOICE, offsetof(xgb_options, loss), 0, 0, 0, losses, "rank",
     "the boosted trees' loss: pairwise ranking or squared error"},
    {"plan", COUNT(plan, 1, 100000), "64", "configurations planned per model fit"},
    {"init", COUNT(init, 1, 100000), "16", "random evaluations before the first model"},
    {"chains", COUNT(chains, 1, 100000), "128", "simulated-annealing chains"},
    {"iters", COUNT(iters, 1, 1000000), "500", "annealing steps per plan"},
    {"eps", TT_OPTION_NUMBER, offsetof(xgb_options, eps), 0, 1, 0, NULL, "0.05",
     "fraction of each plan drawn at random"},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
};

/* One key=value option into the xgb_options at state. */
static tt_status set_option(void *state, const char *key, const char *v, tt_error *err) {
  return tt_option_set(xgb_option_table, "xgb", state, key, v, err);
}

/* Frees the state; see strategy_impl.h. */
static void xgb_destroy(void *state) {
  xgb_state *x = state;
  tt_obs_table_free(&x->obs);
  tt_gbt_free(x->model);
  free(x->plan);
  free(x->chain);
  free(x);
}

/* Parses options; NULL with err on a bad one. */
static void *xgb_create(tt_strategy *st, const char *options, tt_error *err) {
  xgb_state *x = tt_xcalloc(1, sizeof *x);
  tt_option_defaults(xgb_option_table, &x->opt);
  if (tt_options_parse(options, &x->opt, set_option, err) != TT_OK) {
    free(x);
    return NULL;
  }
  const tt_space *s = tt_strategy_space(st);
  x->nk = tt_space_num_knobs(s);
  tt_obs_table_init(&x->obs, s, TT_ENCODE_RANK);
  x->d = x->obs.d;
  x->plan = tt_xcalloc(x->opt.plan * x->nk + 1, sizeof *x->plan);
  x->chain = tt_xcalloc(x->opt.chains * x->nk + 1, sizeof *x->chain);
  x->next_train = x->opt.init;
  return x;
}

/* Records an observation. */
static void xgb_tell(tt_strategy *st, void *state, const tt_observation *obs) {
  xgb_state *x = state;
  tt_obs_table_put(&x->obs, obs->cfg, obs->outcome, obs->value);
}

/* Retrains the model on every observation with AutoTVM's labels. */
static void train(tt_strategy *st, xgb_state *x) {
  const tt_obs_table *t = &x->obs;
  double best = INFINITY;
  for (size_t i = 0; i < t->n; i++)
    if (t->ok[i] && t->value[i] < best) best = t->value[i];
  double *y = tt_xmalloc((t->n + 1) * sizeof *y);
  for (size_t i = 0; i < t->n; i++)
    y[i] = t->ok[i] && t->value[i] > 0 ? best / t->value[i] : 0;
  tt_gbt_params p;
  tt_gbt_params_default(&p);
  p.loss = x->opt.loss == 1 ? TT_GBT_REG : TT_GBT_RANK;
  tt_gbt_free(x->model);
  x->model = tt_gbt_fit(t->x, y, t->n, x->d, &p, tt_strategy_rng(st));
  free(y);
}

/* The model's score of cfg (higher is better). */
static double model_score(const xgb_state *x, const uint32_t *cfg, double *buf) {
  tt_space_encode(x->obs.space, TT_ENCODE_RANK, cfg, buf);
  return tt_gbt_predict(x->model, buf);
}

/* AutoTVM's random walk: one knob set to another random value; the walk
 * retries until the result is valid (else the point stays). */
static void random_walk(tt_strategy *st, const xgb_state *x, const uint32_t *from, uint32_t *to) {
  const tt_space *s = tt_strategy_space(st);
  tt_rng *rng = tt_strategy_rng(st);
  memcpy(to, from, x->nk * sizeof *to);
  for (int t = 0; t < 32; t++) {
    size_t k = (size_t)tt_rng_below(rng, x->nk);
    uint32_t card = tt_space_knob_card(s, k);
    if (card < 2) continue;
    uint32_t v = (uint32_t)tt_rng_below(rng, card - 1);
    to[k] = v >= from[k] ? v + 1 : v;
    if (tt_space_is_valid(s, to)) return;
    to[k] = from[k];
  }
}

/* The top list of the annealing: the plan_size best free configurations
 * seen, without duplicates. */
typedef struct top_list {
  size_t len, cap, nk;
  uint32_t *cfg;
  double *score;
  tt_keymap keys;
} top_list;

/* Offers cfg with score to the list; returns 1 when it entered. */
static int top_offer(tt_strategy *st, top_list *tl, const uint32_t *cfg, double score) {
  const tt_space *s = tt_strategy_space(st);
  size_t worst = 0;
  for (size_t i = 1; i < tl->len; i++)
    if (tl->score[i] < tl->score[worst]) worst = i;
  if (tl->len == tl->cap && score <= tl->score[worst]) return 0;
  uint64_t key = tt_space_key(s, cfg);
  if (tt_keymap_get(&tl->keys, key, NULL) || !tt_strategy_is_free(st, cfg)) return 0;
  size_t slot = worst;
  if (tl->len < tl->cap)
    slot = tl->len++;
  else
    tt_keymap_del(&tl->keys, tt_space_key(s, tl->cfg + slot * tl->nk));
  memcpy(tl->cfg + slot * tl->nk, cfg, tl->nk * sizeof *cfg);
  tl->score[slot] = score;
  tt_keymap_put(&tl->keys, key, (uint32_t)slot);
  return 1;
}

/* Starting points of the chains: a quarter restart from the best observed
 * configurations, the others continue from where the previous annealing
 * left them (AutoTVM's persistent chains), random valid ones at first. */
static void seed_chains(tt_strategy *st, xgb_state *x) {
  const tt_space *s = tt_strategy_space(st);
  size_t nb = x->opt.chains / 4, *best = tt_xmalloc((nb + 1) * sizeof *best);
  nb = tt_obs_table_best(&x->obs, best, nb);
  for (size_t c = 0; c < x->opt.chains; c++) {
    uint32_t *p = x->chain + c * x->nk;
    if (c < nb)
      memcpy(p, x->obs.cfg + best[c] * x->nk, x->nk * sizeof *p);
    else if (!x->have_chain && tt_space_sample(s, tt_strategy_rng(st), p) < 0)
      memset(p, 0, x->nk * sizeof *p);
  }
  free(best);
  x->have_chain = 1;
}

/* Sorts the top list into the plan, best first (selection sort: 64). */
static void list_to_plan(xgb_state *x, top_list *tl) {
  for (size_t i = 0; i < tl->len; i++) {
    size_t b = i;
    for (size_t j = i + 1; j < tl->len; j++)
      if (tl->score[j] > tl->score[b]) b = j;
    double ts = tl->score[i];
    tl->score[i] = tl->score[b];
    tl->score[b] = ts;
    for (size_t k = 0; k < x->nk; k++) {
      uint32_t t = tl->cfg[i * x->nk + k];
      tl->cfg[i * x->nk + k] = tl->cfg[b * x->nk + k];
      tl->cfg[b * x->nk + k] = t;
    }
  }
  memcpy(x->plan, tl->cfg, tl->len * x->nk * sizeof *x->plan);
  x->plan_len = tl->len;
  x->plan_pt = 0;
}

/* One annealing step of every chain; returns 1 when the top list changed. */
static int anneal_step(tt_strategy *st, xgb_state *x, top_list *tl, double *score, double temp,
                       uint32_t *next, double *buf) {
  int changed = 0;
  for (size_t c = 0; c < x->opt.chains; c++) {
    uint32_t *p = x->chain + c * x->nk;
    random_walk(st, x, p, next);
    double ns = model_score(x, next, buf);
    changed |= top_offer(st, tl, next, ns);
    double ac = exp(fmin((ns - score[c]) / (temp + 1e-5), 1.0));
    if (tt_rng_uniform(tt_strategy_rng(st)) < ac) {
      memcpy(p, next, x->nk * sizeof *p);
      score[c] = ns;
    }
  }
  return changed;
}

/* Simulated annealing over the space with the model (AutoTVM's
 * find_maximums); the result becomes the plan. */
static void plan(tt_strategy *st, xgb_state *x) {
  top_list tl = {0, x->opt.plan, x->nk, NULL, NULL, {0}};
  tl.cfg = tt_xmalloc((tl.cap + 1) * x->nk * sizeof *tl.cfg);
  tl.score = tt_xmalloc((tl.cap + 1) * sizeof *tl.score);
  double *score = tt_xmalloc((x->opt.chains + 1) * sizeof *score);
  double *buf = tt_xmalloc((x->d + 1) * sizeof *buf);
  uint32_t *next = tt_xmalloc((x->nk + 1) * sizeof *next);
  seed_chains(st, x);
  for (size_t c = 0; c < x->opt.chains; c++) {
    score[c] = model_score(x, x->chain + c * x->nk, buf);
    top_offer(st, &tl, x->chain + c * x->nk, score[c]);
  }
  double temp = 1.0, cool = 1.0 / (double)(x->opt.iters + 1);
  for (size_t k = 0, last = 0; k < x->opt.iters && k < last + 50; k++, temp -= cool)
    if (anneal_step(st, x, &tl, score, temp, next, buf)) last = k;
  list_to_plan(x, &tl);
  free(tl.cfg);
  free(tl.score);
  tt_keymap_free(&tl.keys);
  free(score);
  free(buf);
  free(next);
}

/* Retrains and replans when enough new observations arrived. */
static void maybe_replan(tt_strategy *st, xgb_state *x) {
  if (x->obs.n < x->next_train || !x->obs.n_ok) return;
  train(st, x);
  plan(st, x);
  size_t step = x->obs.n / 2;
  step = step < 8 ? 8 : step > x->opt.plan ? x->opt.plan : step;
  x->next_train = x->obs.n + step;
}

/* The next configuration: from the plan in order while it lasts (skipping
 * what is no longer free), random for the last eps of it or without one. */
static int next_config(tt_strategy *st, xgb_state *x, uint32_t *out) {
  maybe_replan(st, x);
  while (x->plan_pt < x->plan_len && !tt_strategy_is_free(st, x->plan + x->plan_pt * x->nk))
    x->plan_pt++;
  size_t tail = (size_t)(x->opt.eps * (double)x->opt.plan);
  if (x->plan_pt + tail >= x->plan_len) return tt_strategy_random_free(st, out);
  memcpy(out, x->plan + x->plan_pt++ * x->nk, x->nk * sizeof *out);
  return 0;
}

/* Proposes up to n configurations, each marked pending at once. */
static size_t xgb_ask(tt_strategy *st, void *state, size_t n, uint32_t *out) {
  xgb_state *x = state;
  size_t got = 0;
  for (; got < n; got++) {
    uint32_t *cfg = out + got * x->nk;
    if (next_config(st, x, cfg) < 0) break;
    tt_strategy_mark_pending(st, cfg);
  }
  return got;
}

const tt_strategy_ops tt_strategy_xgb_ops = {
    .name = "xgb",
    .create = xgb_create,
    .destroy = xgb_destroy,
    .ask = xgb_ask,
    .tell = xgb_tell,
    .options = xgb_option_table,
};
