/* The first wave of a parallel session: with W workers, W points are asked
 * before any result is known. The initial design covers only opt.init of
 * them; past it, a proposal without observations fits nothing and was a
 * uniform random draw. With the Latin hypercube design (opt.lhs) the wave
 * stays space-filling instead: while nothing has been told, each further
 * point is the free configuration farthest from every pending one
 * (maximin over random samples). With wave=design it stays so until init
 * results are in (a GP fitted on fewer than the design's worth of results,
 * lies included, knows little), each point then also far from the told
 * ones. With one worker, or W <= init under wave=first, nothing changes: a
 * result arrives before the design runs out. Measured in docs/engine.md
 * (Parallel search on recorded datasets). */
#include <math.h>
#include <stdlib.h>

#include "search/bo.h"

/* Random free configurations the next point is chosen among. */
#define WAVE_SAMPLES 256

/* Squared distance between two configurations' value positions in [0,1). */
static double pos_dist(const tt_space *s, const uint32_t *a, const uint32_t *b, size_t K) {
  double d = 0;
  for (size_t k = 0; k < K; k++) {
    double c = tt_space_knob_card(s, k), t = ((double)a[k] - (double)b[k]) / c;
    d += t * t;
  }
  return d;
}

/* Least distance from cand to the pending points (the wave so far) and
 * the told ones. */
static double nearest(tt_strategy *st, const tt_bo *b, const uint32_t *cand, size_t K) {
  const tt_space *s = tt_strategy_space(st);
  double best = INFINITY;
  for (size_t i = 0; i < tt_strategy_num_pending(st); i++)
    best = fmin(best, pos_dist(s, cand, tt_strategy_pending(st, i), K));
  for (size_t i = 0; i < b->obs.n; i++)
    best = fmin(best, pos_dist(s, cand, b->obs.cfg + i * K, K));
  return best;
}

/* See bo.h. */
int tt_bo_wave_next(tt_strategy *st, tt_bo *b, uint32_t *out) {
  size_t K = b->nk;
  uint32_t *cand = tt_xmalloc((K + 1) * sizeof *cand);
  double best = -1;
  for (int t = 0; t < WAVE_SAMPLES && tt_strategy_random_free(st, cand) == 0; t++) {
    double d = nearest(st, b, cand, K);
    if (d > best) {
      best = d;
      for (size_t k = 0; k < K; k++)
        out[k] = cand[k];
    }
  }
  free(cand);
  return best < 0 ? -1 : 0;
}
