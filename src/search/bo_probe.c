/* Probing a stalled incumbent, a bo policy (bo_policy.h). Once the best
 * time has not improved (the history tracker's judgement, history.h) in
 * opt.probe evaluations after the initial design, and until it does, the
 * best configuration's other values of its small knobs
 * (at most opt.probe_card values: method switches, flags, small tile
 * counts) are evaluated before the acquisition is asked again, least lower
 * confidence bound (under the last proposal's model) first. A probe is
 * skipped when the feasibility classifier expects it to fail, or when the
 * switch was already seen in this context: an observation with the probe's
 * small knobs and its other ranged knobs within PROBE_NEAR of their values.
 * The stall is a function of the history, so a resumed search rebuilds it;
 * probes wait for a proposal's models (after a resume, the first ask).
 *
 * Why: a stationary GP does not carry a switch's effect from one context
 * to another, so a search can sit one switch away from the optimum while
 * the model, having seen that switch do badly elsewhere, rates it poor
 * (what was seen on pnpoly: docs/search-decisions.md, probe). Spaces
 * without small knobs never probe.
 *
 * The same stall, when longer (opt.stall), lowers LCB's weight: the stall
 * policy, bo_stall.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo_policy.h"

/* Fraction of a ranged knob's values within which an observation counts as
 * the same context (at least one value; measured in
 * docs/search-decisions.md, probe). */
#define PROBE_NEAR 0.35

/* 1 when some observation (ok or failed) has cfg's small knobs and lies
 * near it on the ranged others: the switch was seen in this context and
 * the models have it. Permutations and large categorical knobs are not
 * compared. */
static int covered(const tt_space *s, const tt_bo *b, const uint32_t *cfg) {
  for (size_t i = 0; i < b->obs.n; i++) {
    const uint32_t *y = b->obs.cfg + i * b->nk;
    int near = 1;
    for (size_t k = 0; k < b->nk && near; k++) {
      uint32_t card = tt_space_knob_card(s, k);
      if (card <= b->opt.probe_card) {
        near = y[k] == cfg[k];
      } else if ((tt_space_knob_roles(s, k) & TT_ROLE_RANGED)) {
        uint32_t hw = (uint32_t)fmax(1, floor(PROBE_NEAR * card));
        near = y[k] + hw >= cfg[k] && cfg[k] + hw >= y[k];
      }
    }
    if (near) return 1;
  }
  return 0;
}

/* Writes centre's free, uncovered one-knob changes on small knobs into out
 * (room for nk * probe_card + 1); returns how many. */
static size_t eligible(tt_strategy *st, const tt_bo *b, const uint32_t *centre, uint32_t *out) {
  const tt_space *s = tt_strategy_space(st);
  size_t n = 0;
  for (size_t k = 0; k < b->nk; k++) {
    uint32_t card = tt_space_knob_card(s, k);
    if (card < 2 || card > b->opt.probe_card) continue;
    for (uint32_t v = 0; v < card; v++) {
      uint32_t *cfg = out + n * b->nk;
      memcpy(cfg, centre, b->nk * sizeof *cfg);
      cfg[k] = v;
      n += v != centre[k] && tt_strategy_is_free(st, cfg) && !covered(s, b, cfg);
    }
  }
  return n;
}

/* Writes into out centre's eligible probe with the least lower confidence
 * bound (kappa as LCB's) among those the feasibility classifier does not
 * expect to fail; returns 0, or -1 when none is left. */
static int next_probe(tt_strategy *st, const tt_bo *b, const uint32_t *centre, uint32_t *out) {
  uint32_t *cand = tt_xmalloc((b->nk * b->opt.probe_card + 1) * b->nk * sizeof *cand);
  size_t n = eligible(st, b, centre, cand);
  double *x = tt_xmalloc((n * b->d + 1) * sizeof *x), *mu = tt_xmalloc((3 * n + 1) * sizeof *mu);
  for (size_t i = 0; i < n; i++)
    tt_space_encode(tt_strategy_space(st), b->opt.enc, cand + i * b->nk, x + i * b->d);
  tt_bo_predict(b, cand, x, n, mu, mu + n, mu + 2 * n);
  double best = INFINITY;
  for (size_t i = 0; i < n; i++) {
    double lcb = mu[i] - tt_bo_kappa(b) * mu[n + i];
    if (mu[2 * n + i] >= 0.5 && lcb < best) {
      best = lcb;
      memcpy(out, cand + i * b->nk, b->nk * sizeof *out);
    }
  }
  free(cand);
  free(x);
  free(mu);
  return best < INFINITY ? 0 : -1;
}

/* See bo_policy.h. Needs the models of a proposal: after a resume the
 * first ask is one. */
int tt_bo_probe_next(tt_strategy *st, tt_bo *b, uint32_t *out) {
  if (!b->opt.probe || !b->obs.n_ok || !b->nprop) return -1;
  tt_history_update(&b->hist, &b->obs);
  if (tt_history_stall(&b->hist) < b->opt.probe) return -1;
  size_t r;
  tt_obs_table_best(&b->obs, &r, 1);
  return next_probe(st, b, b->obs.cfg + r * b->nk, out);
}
