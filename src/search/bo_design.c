/* The initial design of Bayesian optimisation: uniform random points, or a
 * Latin hypercube over the knobs' value indices whose points are snapped to
 * the nearest valid configuration not yet evaluated or pending. With one
 * worker it holds init points. With W workers (points pending at an ask)
 * it ends, by default (pdesign=wave), with the first wave: once a result
 * is in, the model proposes, so with W < init it holds W points instead of
 * going on after results have come back (a model on one result and W - 1
 * lies does at least as well as the rest of a hypercube drawn for one
 * worker). Measured in docs/engine.md (How proposals see pending
 * points). */
#include <math.h>
#include <stdlib.h>

#include "search/bo.h"

/* Number of random free configurations a hypercube point is snapped among
 * when its own cell is invalid or taken. */
#define SNAP_SAMPLES 256

/* Draws the hypercube: knob k of point i lies in stratum perm_k[i] of init
 * equal strata of [0, 1), at a uniform position inside it. */
static void make_design(tt_strategy *st, tt_bo *b) {
  size_t N = b->opt.init, K = b->nk;
  tt_rng *rng = tt_strategy_rng(st);
  b->design = tt_xmalloc((N * K + 1) * sizeof *b->design);
  int *perm = tt_xmalloc((N + 1) * sizeof *perm);
  for (size_t k = 0; k < K; k++) {
    for (size_t i = 0; i < N; i++)
      perm[i] = (int)i;
    tt_rng_shuffle(rng, perm, N);
    for (size_t i = 0; i < N; i++)
      b->design[i * K + k] = (perm[i] + tt_rng_uniform(rng)) / (double)N;
  }
  free(perm);
  b->design_made = 1;
}

/* Squared distance between cfg's value positions and target u. */
static double target_dist(const tt_space *s, const uint32_t *cfg, const double *u, size_t K) {
  double d = 0;
  for (size_t k = 0; k < K; k++) {
    double t = (cfg[k] + 0.5) / tt_space_knob_card(s, k) - u[k];
    d += t * t;
  }
  return d;
}

/* The free configuration nearest to u: u's own cell when free, else the
 * nearest of SNAP_SAMPLES random free ones. Returns -1 when none is free. */
static int snap(tt_strategy *st, const tt_bo *b, const double *u, uint32_t *out) {
  const tt_space *s = tt_strategy_space(st);
  size_t K = b->nk;
  for (size_t k = 0; k < K; k++) {
    uint32_t card = tt_space_knob_card(s, k), v = (uint32_t)(u[k] * card);
    out[k] = v < card ? v : card - 1;
  }
  if (tt_strategy_is_free(st, out)) return 0;
  uint32_t *cand = tt_xmalloc((K + 1) * sizeof *cand);
  double best = INFINITY;
  for (int t = 0; t < SNAP_SAMPLES && tt_strategy_random_free(st, cand) == 0; t++) {
    double dist = target_dist(s, cand, u, K);
    if (dist < best) {
      best = dist;
      for (size_t k = 0; k < K; k++)
        out[k] = cand[k];
    }
  }
  free(cand);
  return isinf(best) ? -1 : 0;
}

/* See bo.h. */
int tt_bo_in_design(tt_strategy *st, const tt_bo *b) {
  size_t np = tt_strategy_num_pending(st), init = b->opt.init;
  if (np && b->opt.pinit && b->opt.pinit < init) init = b->opt.pinit;
  if (np && b->opt.pdesign == 0 && b->obs.n > 0) return 0;
  return b->obs.n + np < init;
}

/* The next design point; see bo.h. Past the hypercube's size, random. */
int tt_bo_design_next(tt_strategy *st, tt_bo *b, uint32_t *out) {
  if (!b->opt.lhs || b->design_next >= b->opt.init) return tt_strategy_random_free(st, out);
  if (!b->design_made) make_design(st, b);
  return snap(st, b, b->design + b->design_next++ * b->nk, out);
}
