/* Bayesian optimisation's ask latency with 1,000 observations (issue 4:
 * under 10 ms on one core), for the default and every surrogate, on a
 * 6-knob tile space (about 17,000 valid points, a permutation knob, a
 * constraint) with a tenth of the observations failed. Prints the mean,
 * median and worst of 30 asks in thread CPU time (and wall time), each ask
 * followed by its tell as in a tuning session; then the first ask apart
 * and the mean of the others. The first ask after the history is told
 * fits the GP's hyper-parameters afresh with restarts, as the first ask
 * after a resume does; later asks refit from the last optimum (see
 * src/search/surrogate.c), so the others are what each trial pays.
 *
 * The defaults are timed with a prior too (4,096 rows of a related task).
 * Build and run: bench/ask_latency.sh (compiles against build/);
 * bench/ask_latency.sh BUILD N PRIOR times only the defaults with and
 * without a prior of PRIOR rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tetune/search.h"

#define ASKS 30

/* Thread CPU time in seconds: robust to other load on the machine. */
static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The benchmark space: tile sizes, unroll, vectorise, loop order. */
static tt_space *tile_space(void) {
  tt_space *s = tt_space_new();
  double p2[] = {1, 2, 4, 8, 16, 32, 64, 128, 256}, u[] = {1, 2, 4, 8};
  const char *items[] = {"i", "j", "k"};
  tt_space_add_ordinal(s, "ti", p2, 9, NULL);
  tt_space_add_ordinal(s, "tj", p2, 9, NULL);
  tt_space_add_ordinal(s, "tk", p2, 9, NULL);
  tt_space_add_ordinal(s, "unroll", u, 4, NULL);
  tt_space_add_bool(s, "vec", NULL);
  tt_space_add_permutation(s, "order", items, 3, NULL);
  tt_space_add_constraint(s, "ti * tj <= 8192", NULL);
  return s;
}

/* A smooth landscape with noise-free values around 1..3. */
static double landscape(const uint32_t *c) {
  double a = c[0] - 5.0, b = c[1] - 6.0, k = c[2] - 4.0;
  return (1 + 0.05 * (a * a + b * b + k * k) + 0.1 * fabs(c[3] - 1.0)) * (c[4] ? 1 : 1.3) *
         (1 + 0.1 * c[5]);
}

/* qsort comparator for doubles. */
static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* The related task of the prior case: the same landscape on another
 * machine, its scale compressed and drifting along ti. */
static double related(const uint32_t *c) {
  return pow(landscape(c), 0.8) * (1 + 0.03 * c[0]);
}

/* Tells n random observations to a fresh bo(options), then times ASKS
 * ask/tell rounds and prints one line. With prior > 0, bo first gets
 * that many random configurations of the related task as its prior
 * (tt_strategy_set_prior, issue 32's transfer; ask(1) with a prior at
 * 1,000 observations is to stay within 10 ms too). */
static int measure_prior(const char *options, int n, int prior) {
  tt_space *s = tile_space();
  tt_error err = {0};
  tt_strategy *bo = tt_strategy_new("bo", s, 1, options, &err);
  tt_strategy *rnd = tt_strategy_new("random", s, 2, NULL, &err);
  if (!bo || !rnd) {
    fprintf(stderr, "ask_latency: %s\n", err.msg);
    return 1;
  }
  uint32_t cfg[6];
  if (prior > 0) {
    tt_strategy *src = tt_strategy_new("random", s, 3, NULL, &err);
    uint32_t *pc = malloc((size_t)prior * 6 * sizeof *pc);
    tt_outcome *po = malloc((size_t)prior * sizeof *po);
    double *pv = malloc((size_t)prior * sizeof *pv);
    int got = 0;
    for (; got < prior && tt_strategy_ask(src, 1, pc + got * 6) == 1; got++) {
      po[got] = TT_OUTCOME_OK;
      pv[got] = related(pc + got * 6);
      tt_strategy_tell(src, pc + got * 6, TT_OUTCOME_OK, pv[got]);
    }
    tt_strategy_set_prior(bo, pc, po, pv, (size_t)got);
    free(pc);
    free(po);
    free(pv);
    tt_strategy_free(src);
  }
  for (int i = 0; i < n; i++) {
    tt_strategy_ask(rnd, 1, cfg);
    if (i % 10 == 3)
      tt_strategy_tell(bo, cfg, TT_OUTCOME_COMPILE_ERROR, 0);
    else
      tt_strategy_tell(bo, cfg, TT_OUTCOME_OK, landscape(cfg));
  }
  double cpu[ASKS], wall_total = 0, cpu_total = 0;
  for (int i = 0; i < ASKS; i++) {
    double c0 = cpu_now(), w0 = tt_now();
    tt_strategy_ask(bo, 1, cfg);
    cpu[i] = cpu_now() - c0;
    wall_total += tt_now() - w0;
    cpu_total += cpu[i];
    tt_strategy_tell(bo, cfg, TT_OUTCOME_OK, landscape(cfg));
  }
  double first = cpu[0];
  qsort(cpu, ASKS, sizeof *cpu, cmp);
  printf("bo(%s)%s with %d observations: mean %.2f ms, median %.2f ms, worst %.2f ms CPU"
         " (wall mean %.2f ms); first ask %.2f ms, the other %d: mean %.2f ms\n",
         options[0] ? options : "defaults", prior > 0 ? " with a prior" : "", n,
         1e3 * cpu_total / ASKS, 1e3 * cpu[ASKS / 2], 1e3 * cpu[ASKS - 1], 1e3 * wall_total / ASKS,
         1e3 * first, ASKS - 1, 1e3 * (cpu_total - first) / (ASKS - 1));
  tt_strategy_free(bo);
  tt_strategy_free(rnd);
  tt_space_free(s);
  return 0;
}

/* measure_prior without a prior. */
static int measure(const char *options, int n) {
  return measure_prior(options, n, 0);
}

/* Batch asks: tells n random observations to a fresh bo (defaults), then
 * times ASKS rounds of ask(q) followed by the q tells, for q = 1, 4 and 16
 * (issue 32: q proposals at once in at most 2x and 4x one ask for q = 4
 * and 16), and prints the mean round after the first (which fits the GP
 * afresh) and its ratio to q = 1's. */
static int measure_batch(int n) {
  static const size_t qs[] = {1, 4, 16};
  double one = 0;
  for (size_t qi = 0; qi < sizeof qs / sizeof *qs; qi++) {
    size_t q = qs[qi];
    tt_space *s = tile_space();
    tt_error err = {0};
    tt_strategy *bo = tt_strategy_new("bo", s, 1, NULL, &err);
    tt_strategy *rnd = tt_strategy_new("random", s, 2, NULL, &err);
    if (!bo || !rnd) {
      fprintf(stderr, "ask_latency: %s\n", err.msg);
      return 1;
    }
    uint32_t cfg[16 * 6];
    for (int i = 0; i < n; i++) {
      tt_strategy_ask(rnd, 1, cfg);
      if (i % 10 == 3)
        tt_strategy_tell(bo, cfg, TT_OUTCOME_COMPILE_ERROR, 0);
      else
        tt_strategy_tell(bo, cfg, TT_OUTCOME_OK, landscape(cfg));
    }
    double total = 0;
    for (int r = 0; r < ASKS; r++) {
      double c0 = cpu_now();
      size_t got = tt_strategy_ask(bo, q, cfg);
      if (r > 0) total += cpu_now() - c0;
      for (size_t j = 0; j < got; j++)
        tt_strategy_tell(bo, cfg + j * 6, TT_OUTCOME_OK, landscape(cfg + j * 6));
    }
    double mean = total / (ASKS - 1);
    if (q == 1) one = mean;
    printf("bo(defaults) with %d observations, ask(%zu): mean %.2f ms CPU over %d asks after the "
           "first, %.2fx ask(1)\n",
           n, q, 1e3 * mean, ASKS - 1, mean / one);
    tt_strategy_free(bo);
    tt_strategy_free(rnd);
    tt_space_free(s);
  }
  return 0;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  /* probe=0 everywhere but the defaults: the random history is a stall,
   * so with probing the first asks evaluate the incumbent's small knobs
   * without the model; the others time model-based asks only */
  const char *configs[] = {"", "probe=0", "tr=1,probe=0", "tr=2,probe=0", "additive=1,probe=0",
                           /* no knob here has the 10 values of the
                            * default lin_card: this puts the GP's linear
                            * term on over the tile sizes and unroll */
                           "lin_card=3,probe=0", "surrogate=rf,probe=0", "surrogate=et,probe=0",
                           "surrogate=gbt,probe=0"};
  int rc = 0;
  if (argc > 2 && atoi(argv[2]) > 0) /* only the transfer case: prior rows */
    return measure("", n) | measure_prior("", n, atoi(argv[2]));
  for (size_t i = 0; i < sizeof configs / sizeof *configs; i++)
    rc |= measure(configs[i], n);
  rc |= measure_prior("", n, 4096);
  return rc | measure_batch(n);
}
