/* Internal to src/space: the structure behind uniform sampling and exact
 * counting of valid configurations.
 *
 * Knobs that no constraint reads are sampled independently. The others are
 * split into connected components (knobs linked by a shared constraint);
 * components are independent, so sampling each uniformly samples the valid
 * set uniformly. Inside a component we run variable elimination over
 * constraint indicator tables ("factors"): eliminating knob x multiplies
 * the factors that mention x into a table P over x and its neighbours and
 * sums x out. The final scalar is the exact number of valid completions;
 * sampling in reverse elimination order, each knob proportionally to its
 * stored P given the knobs already drawn, yields every valid configuration
 * with exactly equal probability (forward filtering, backward sampling).
 *
 * The tables are bounded (TT_FACTOR_LIMIT entries each); a component whose
 * tables would exceed that (a constraint over many large knobs, or dense
 * coupling) falls back to rejection sampling inside the component, which is
 * still exactly uniform, with its count estimated. Only when rejection
 * found nothing in its budget does a randomised depth-first search return
 * some valid point (then not uniform). */
#ifndef TT_SPACE_SAMPLER_H
#define TT_SPACE_SAMPLER_H

#include "space/space_impl.h"

#define TT_FACTOR_LIMIT ((uint64_t)1 << 21) /* entries in one table */
#define TT_FACTOR_TOTAL ((uint64_t)1 << 23) /* entries kept per component */
#define TT_REJECT_TRIES ((uint64_t)1 << 20) /* per sample, fallback only */

/* A table over knobs vars[0..nvars) (sorted); entry for values x is at
 * sum x[i] * stride[i]; the last var varies fastest. */
typedef struct tt_factor {
  size_t nvars;
  size_t *vars;
  uint64_t *stride;
  uint64_t size;
  double *table;
} tt_factor;

tt_factor *tt_factor_new(const tt_space *s, const size_t *vars, size_t nvars);
void tt_factor_free(tt_factor *f);
/* Indicator table of constraint c (1 where it holds). */
tt_factor *tt_factor_from_constraint(const tt_space *s, const tt_constraint *c);
/* Product of fs[0..n) over the union of their scopes. */
tt_factor *tt_factor_product(const tt_space *s, tt_factor *const *fs, size_t n);
/* Sums knob var out of f. */
tt_factor *tt_factor_sum_out(const tt_space *s, const tt_factor *f, size_t var);

typedef struct tt_elim_step {
  size_t var;
  tt_factor *prod; /* over var and knobs eliminated after it */
} tt_elim_step;

typedef struct tt_component {
  size_t *vars, nvars;
  size_t *cons, ncons; /* indices into the space's constraints */
  int exact;           /* variable elimination succeeded */
  tt_elim_step *steps; /* nvars steps, in elimination order */
  double count;        /* valid assignments (estimated when !exact) */
  int use_dfs;         /* rejection hopeless: randomised DFS (not uniform) */
} tt_component;

struct tt_sampler {
  tt_component *comps;
  size_t ncomps;
  char *constrained; /* per knob: read by some constraint */
  int empty;         /* no valid configuration at all */
  double valid;      /* number of valid configurations */
  int exact;
};

/* Builds the sampler of s (sampler.c). */
tt_sampler *tt_sampler_build(const tt_space *s);
/* Draws the component's knobs into cfg (sample.c). */
int tt_component_sample(const tt_space *s, const tt_component *c, tt_rng *rng, uint32_t *cfg);
/* Randomised DFS for any valid assignment of c's knobs; 0 or -1 if none. */
int tt_component_dfs(const tt_space *s, const tt_component *c, tt_rng *rng, uint32_t *cfg);

#endif
