/* Synthetic objectives on discretised spaces: Branin, Ackley, Rosenbrock
 * and a noisy tile-size landscape. Each is a plain function of the knob
 * values; the optimum is found by evaluating the whole (small) space. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* Adds an ordinal knob of n evenly spaced values lo..hi. */
static void add_grid(tt_space *s, const char *name, double lo, double hi, size_t n) {
  double *v = tt_xmalloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++)
    v[i] = lo + (hi - lo) * (double)i / (double)(n - 1);
  tt_space_add_ordinal(s, name, v, n, NULL);
  free(v);
}

/* Branin-Hoo; minimum 0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475). */
static tt_outcome branin(const tt_space *s, const uint32_t *cfg, double *value) {
  double x = tt_space_knob_value(s, 0, cfg[0]), y = tt_space_knob_value(s, 1, cfg[1]);
  double b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, t = 1 / (8 * M_PI);
  double r = y - b * x * x + c * x - 6;
  *value = r * r + 10 * (1 - t) * cos(x) + 10;
  return TT_OUTCOME_OK;
}

/* Ackley in 4-D plus 1 (minimum 1 at the origin). */
static tt_outcome ackley(const tt_space *s, const uint32_t *cfg, double *value) {
  double sq = 0, cs = 0;
  for (size_t i = 0; i < 4; i++) {
    double x = tt_space_knob_value(s, i, cfg[i]);
    sq += x * x;
    cs += cos(2 * M_PI * x);
  }
  *value = -20 * exp(-0.2 * sqrt(sq / 4)) - exp(cs / 4) + 20 + M_E + 1;
  return TT_OUTCOME_OK;
}

/* Rosenbrock in 4-D plus 1 (minimum 1 at (1, 1, 1, 1)). */
static tt_outcome rosenbrock(const tt_space *s, const uint32_t *cfg, double *value) {
  double sum = 1;
  for (size_t i = 0; i + 1 < 4; i++) {
    double x = tt_space_knob_value(s, i, cfg[i]), y = tt_space_knob_value(s, i + 1, cfg[i + 1]);
    sum += 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
  }
  *value = sum;
  return TT_OUTCOME_OK;
}

/* The tile landscape: a blocked matrix product's time in ms under a toy
 * cache model. Working set beyond L1/L2 costs, small tiles pay loop
 * overhead, a unit-stride innermost loop (j) pays off and vectorises,
 * unrolling helps up to 4 (8 with vectors); deterministic noise of +-2.5%
 * from a hash of the configuration. Fails: vectorising tj < 4 and
 * unrolling beyond tk do not compile, ti * tj > 32768 overflows a local
 * buffer at run time. */
static tt_outcome tiles(const tt_space *s, const uint32_t *cfg, double *value) {
  double ti = tt_space_knob_value(s, 0, cfg[0]), tj = tt_space_knob_value(s, 1, cfg[1]);
  double tk = tt_space_knob_value(s, 2, cfg[2]), unroll = tt_space_knob_value(s, 3, cfg[3]);
  int order[3], vec = (int)cfg[5];
  tt_space_perm_decode(s, 4, cfg[4], order);
  if ((vec && tj < 4) || unroll > tk) return TT_OUTCOME_COMPILE_ERROR;
  if (ti * tj > 32768) return TT_OUTCOME_RUNTIME_ERROR;
  double ws = 8 * (ti * tk + tk * tj + ti * tj);
  double cache = ws <= 32768 ? 1 : ws <= 1048576 ? 1.25 + 0.1 * log2(ws / 32768) : 3.2;
  double overhead = 1 + 2 / ti + 2 / tj + 1 / tk;
  static const double inner_cost[3] = {2.2, 1.0, 1.35}; /* innermost i, j, k */
  double ord = inner_cost[order[2]] * (order[0] == 1 ? 1.1 : 1.0);
  double unr = unroll == 1 ? 1 : unroll == 2 ? 0.9 : unroll == 4 ? 0.82 : vec ? 0.76 : 0.86;
  double vf = vec ? (order[2] == 1 ? 0.5 : 0.92) : 1;
  uint64_t h = tt_hash_bytes(cfg, 6 * sizeof *cfg, 0x7111e5);
  double noise = 1 + 0.05 * ((double)(h >> 11) * 0x1.0p-53 - 0.5);
  *value = 4 * cache * overhead * ord * unr * vf * noise;
  return TT_OUTCOME_OK;
}

/* The tile landscape's space: 9^3 tile sizes x 4 unrolls x 6 orders x 2. */
static tt_space *tiles_space(void) {
  tt_space *s = tt_space_new();
  double t[] = {1, 2, 4, 8, 16, 32, 64, 128, 256}, u[] = {1, 2, 4, 8};
  const char *items[] = {"i", "j", "k"};
  tt_space_add_ordinal(s, "ti", t, 9, NULL);
  tt_space_add_ordinal(s, "tj", t, 9, NULL);
  tt_space_add_ordinal(s, "tk", t, 9, NULL);
  tt_space_add_ordinal(s, "unroll", u, 4, NULL);
  tt_space_add_permutation(s, "order", items, 3, NULL);
  tt_space_add_bool(s, "vec", NULL);
  tt_space_add_constraint(s, "ti * tj * tk <= 262144", NULL);
  return s;
}

static const char *const names[] = {"branin", "ackley", "rosenbrock", "tiles", NULL};

const char *const *tt_objective_synthetic_names(void) {
  return names;
}

/* Builds synthetic objective name; see objective.h. */
tt_objective *tt_objective_synthetic(const char *name, tt_error *err) {
  tt_space *s = NULL;
  tt_synthetic_fn fn = NULL;
  const char *axes[] = {"x0", "x1", "x2", "x3"};
  if (strcmp(name, "branin") == 0) {
    s = tt_space_new();
    add_grid(s, "x1", -5, 10, 61);
    add_grid(s, "x2", 0, 15, 61);
    fn = branin;
  } else if (strcmp(name, "ackley") == 0 || strcmp(name, "rosenbrock") == 0) {
    int ack = name[0] == 'a';
    s = tt_space_new();
    for (int i = 0; i < 4; i++)
      add_grid(s, axes[i], ack ? -4 : -2, ack ? 4 : 2, ack ? 21 : 17);
    fn = ack ? ackley : rosenbrock;
  } else if (strcmp(name, "tiles") == 0) {
    s = tiles_space();
    fn = tiles;
  } else {
    tt_error_set(err, TT_ERR_USAGE,
                 "unknown synthetic function '%s' (branin, ackley, rosenbrock, tiles)", name);
    return NULL;
  }
  tt_objective *o = tt_xcalloc(1, sizeof *o);
  size_t len = strlen(name) + 11;
  o->name = tt_xmalloc(len);
  snprintf(o->name, len, "synthetic:%s", name);
  o->space = s;
  o->fn = fn;
  tt_objective_enumerate(o);
  return o;
}
