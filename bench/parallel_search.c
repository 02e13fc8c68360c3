/* Parallel search on recorded datasets (issue 25): each dataset is the
 * objective of the engine's recorded evaluator, whose simulated clock
 * charges every evaluation its recorded compile and benchmark time, with
 * 1, 4 and 16 workers in flight. Per seed: the simulated wall time and
 * the evaluations until the best found is within 5% of the optimum; per
 * setting, their medians over the seeds with distribution-free 95%
 * confidence intervals, and the ratios to one worker (of the medians)
 * with 95% bootstrap intervals (ratio_ci). A seed stops at its first trial
 * within 5% (what comes after does not change either figure). Also the
 * strategy's ask latency (wall time of one tt_strategy_ask) after 100
 * told evaluations with 0, 3 and 15 other points pending: with W
 * workers, W - 1 points are pending at each ask, and the search sets the
 * pace once an ask takes longer than a W-th of an evaluation.
 *
 * usage: parallel_search DATASET[,DATASET...] STRATEGY SEEDS BUDGET [WORKERS...]
 * SEEDS: K (seeds 1..K) or FIRST:K (seeds FIRST..FIRST+K-1). Without
 * WORKERS: the ask latency and the costs only. Environment:
 * PARALLEL_SEARCH_PER_SEED=1 prints every seed's figures to stderr;
 * PARALLEL_SEARCH_NO_LATENCY=1 skips the ask latency.
 * Build and run: bench/parallel_search.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tetune/tune.h"

typedef struct seed_ctx {
  double target;               /* optimum * 1.05 */
  double hit_clock, hit_evals; /* NAN until within 5% */
  volatile sig_atomic_t stop;  /* set at the hit: the seed is done */
} seed_ctx;

/* Strategy "NAME" or "NAME(OPTIONS)". */
static tt_strategy *new_strategy(const char *spec, const tt_space *sp, uint64_t seed,
                                 tt_error *err) {
  char name[256], *opts = NULL;
  snprintf(name, sizeof name, "%s", spec);
  char *paren = strchr(name, '(');
  if (paren && name[strlen(name) - 1] == ')') {
    *paren = '\0';
    opts = paren + 1;
    opts[strlen(opts) - 1] = '\0';
  }
  return tt_strategy_new(name, sp, seed, opts, err);
}

/* Notes the first trial whose best is within 5%. */
static void on_trial(void *ctx, const tt_tune_event *ev) {
  seed_ctx *c = ctx;
  if (isnan(c->hit_evals) && ev->best <= c->target) {
    c->hit_evals = (double)ev->n;
    c->hit_clock = ev->clock;
    c->stop = 1;
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median and 95% interval of v[0..n) (sorted here; NAN = never: last). */
static void summary(double *v, size_t n, double *med, double *lo, double *hi) {
  for (size_t i = 0; i < n; i++)
    if (isnan(v[i])) v[i] = INFINITY;
  qsort(v, n, sizeof *v, cmp_double);
  *med = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  size_t l, h;
  *lo = *hi = NAN;
  if (tt_replay_median_ci_ranks(n, &l, &h) == 0) {
    *lo = v[l - 1];
    *hi = v[h - 1];
  }
}

/* Median of v[idx[0..n)] (scratch: n values). */
static double median_at(const double *v, const size_t *idx, size_t n, double *scratch) {
  for (size_t i = 0; i < n; i++)
    scratch[i] = v[idx[i]];
  qsort(scratch, n, sizeof *scratch, cmp_double);
  return n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

/* 95% bootstrap interval (percentiles of 2,000 resamples of the seeds,
 * each seed's pair of results kept together; a fixed generator, so the
 * same numbers on every run) of median(x) / median(y), x and y per seed
 * (INFINITY: never). The ratio of two 30-seed medians moves a lot between
 * seed sets; this says how much. */
static void ratio_ci(const double *x, const double *y, size_t n, double *lo, double *hi) {
  enum { B = 2000 };
  size_t *idx = malloc((n + 1) * sizeof *idx);
  double *scratch = malloc((n + 1) * sizeof *scratch), *r = malloc(B * sizeof *r);
  uint64_t z = 0x9e3779b97f4a7c15u;
  for (int b = 0; b < B; b++) {
    for (size_t i = 0; i < n; i++) {
      z ^= z << 13, z ^= z >> 7, z ^= z << 17; /* xorshift64 */
      idx[i] = (size_t)(z % n);
    }
    double mx = median_at(x, idx, n, scratch), my = median_at(y, idx, n, scratch);
    r[b] = isinf(mx) ? INFINITY : mx / my;
  }
  qsort(r, B, sizeof *r, cmp_double);
  *lo = r[B / 40];
  *hi = r[B - 1 - B / 40];
  free(idx);
  free(scratch);
  free(r);
}

/* One setting: every seed with `workers` in flight. Prints the start of
 * its row; writes each seed's wall time and evaluations to 5% into t and
 * e (INFINITY: never) and their medians into *wall, *evals. */
static int run_setting(const tt_objective *o, const char *strategy, int first, int seeds,
                       int budget, int workers, double *t, double *e, double *wall, double *evals) {
  int per_seed = getenv("PARALLEL_SEARCH_PER_SEED") != NULL;
  double *ts = calloc((size_t)seeds, sizeof *ts), *es = calloc((size_t)seeds, sizeof *es);
  int reached = 0;
  for (int s = 0; s < seeds; s++) {
    tt_error err = {0};
    tt_strategy *st = new_strategy(strategy, tt_objective_space(o), (uint64_t)(first + s), &err);
    if (!st) {
      fprintf(stderr, "%s\n", err.msg);
      return -1;
    }
    tt_strategy_set_budget(st, (size_t)budget);
    tt_recorded_options ro = {workers, 1.0};
    tt_evaluator *ev = tt_tune_recorded_new(o, &ro);
    seed_ctx c = {tt_objective_optimum(o) * 1.05 * (1 + 1e-12), NAN, NAN, 0};
    tt_tune_opts opts = {.trials = budget, .on_trial = on_trial, .ctx = &c, .stop = &c.stop};
    tt_tune_result res;
    if (tt_tune_run(tt_objective_space(o), st, ev, &opts, &res, &err) != TT_OK) {
      fprintf(stderr, "%s\n", err.msg);
      return -1;
    }
    ts[s] = t[s] = isnan(c.hit_clock) ? INFINITY : c.hit_clock;
    es[s] = e[s] = isnan(c.hit_evals) ? INFINITY : c.hit_evals;
    reached += !isnan(c.hit_evals);
    if (per_seed)
      fprintf(stderr, "seed %d workers %d: wall %.3f evals %.0f\n", first + s, workers, t[s], e[s]);
    tt_evaluator_free(ev);
    tt_strategy_free(st);
  }
  double tm, tl, th, em, el, eh;
  summary(ts, (size_t)seeds, &tm, &tl, &th);
  summary(es, (size_t)seeds, &em, &el, &eh);
  printf("| %d | %d/%d | %.2f [%.2f, %.2f] | %.1f [%.1f, %.1f] |", workers, reached, seeds, tm, tl,
         th, em, el, eh);
  *wall = tm;
  *evals = em;
  free(ts);
  free(es);
  return 0;
}

/* Thread CPU time in seconds: robust to other load on the machine. */
static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Mean wall milliseconds of one ask after `told` random evaluations with
 * `pending` points asked and not told (20 asks, each followed by the tell
 * of the oldest pending point, so that `pending` stays the same). */
static double ask_ms(const tt_objective *o, const char *strategy, int told, int pending,
                     double *cpu_ms) {
  const tt_space *sp = tt_objective_space(o);
  size_t k = tt_space_num_knobs(sp);
  tt_strategy *st = new_strategy(strategy, sp, 1, NULL);
  tt_strategy *rnd = tt_strategy_new("random", sp, 1, NULL, NULL);
  uint32_t *cfg = calloc((k + 1) * (size_t)(pending + 21), sizeof *cfg);
  for (int i = 0; i < told; i++) {
    double v;
    if (tt_strategy_ask(rnd, 1, cfg) != 1) break;
    tt_strategy_tell(st, cfg, tt_objective_eval(o, cfg, &v), v);
  }
  for (int i = 0; i < pending; i++)
    tt_strategy_ask(st, 1, cfg + (size_t)i * k);
  double t0 = tt_wall_now(), c0 = cpu_now();
  int n = 0;
  for (; n < 20; n++) {
    if (tt_strategy_ask(st, 1, cfg + (size_t)(pending + n) * k) != 1) break;
    double v;
    tt_strategy_tell(st, cfg + (size_t)n * k, tt_objective_eval(o, cfg + (size_t)n * k, &v), v);
  }
  double ms = n ? 1e3 * (tt_wall_now() - t0) / n : NAN;
  *cpu_ms = n ? 1e3 * (cpu_now() - c0) / n : NAN;
  free(cfg);
  tt_strategy_free(rnd);
  tt_strategy_free(st);
  return ms;
}

/* Mean recorded cost (seconds) of the configurations that have one. */
static double mean_cost(const tt_objective *o) {
  const tt_space *sp = tt_objective_space(o);
  uint32_t *cfg = calloc(tt_space_num_knobs(sp) + 1, sizeof *cfg);
  double sum = 0;
  size_t n = 0;
  for (int after = 0; tt_space_next_valid(sp, cfg, after) == 0; after = 1) {
    double c = tt_objective_cost(o, cfg);
    if (c >= 0) {
      sum += c;
      n++;
    }
  }
  free(cfg);
  return n ? sum / (double)n : NAN;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s DATASET[,DATASET...] STRATEGY SEEDS BUDGET [WORKERS...]\n", argv[0]);
    return 2;
  }
  int first = 1, seeds = atoi(argv[3]), budget = atoi(argv[4]);
  if (strchr(argv[3], ':')) {
    first = atoi(argv[3]);
    seeds = atoi(strchr(argv[3], ':') + 1);
  }
  char *list = strdup(argv[1]);
  for (char *path = strtok(list, ","); path; path = strtok(NULL, ",")) {
    tt_error err = {0};
    tt_objective *o = tt_objective_open(path, NULL, &err);
    if (!o) {
      fprintf(stderr, "%s\n", err.msg);
      return 1;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    printf("\n%s: strategy %s, seeds %d-%d, budget %d, optimum %.6g\n\n", base, argv[2], first,
           first + seeds - 1, budget, tt_objective_optimum(o));
    if (argc > 5) {
      printf(
          "| workers | seeds within 5%% | simulated wall s to 5%% [95%% CI] | evaluations to 5%% "
          "[95%% CI] | wall / 1 worker [95%% CI] | evaluations / 1 worker [95%% CI] |\n");
      printf("| --- | --- | --- | --- | --- | --- |\n");
    }
    double wall1 = NAN, evals1 = NAN, *t = calloc(4 * (size_t)seeds, sizeof *t);
    double *e = t + seeds, *t1 = e + seeds, *e1 = t1 + seeds;
    for (int a = 5; a < argc; a++) {
      double w, ev, tl, th, el, eh;
      if (run_setting(o, argv[2], first, seeds, budget, atoi(argv[a]), t, e, &w, &ev) != 0)
        return 1;
      if (a == 5) {
        wall1 = w;
        evals1 = ev;
        memcpy(t1, t, 2 * (size_t)seeds * sizeof *t); /* t1, e1 follow t, e */
      }
      ratio_ci(t, t1, (size_t)seeds, &tl, &th);
      ratio_ci(e, e1, (size_t)seeds, &el, &eh);
      printf(" %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] |\n", w / wall1, tl, th, ev / evals1, el, eh);
      fflush(stdout);
    }
    free(t);
    if (getenv("PARALLEL_SEARCH_NO_LATENCY")) {
      tt_objective_free(o);
      continue;
    }
    printf("\n%s ask latency after 100 evaluations (mean of 20 asks, ms of CPU time / wall):",
           argv[2]);
    static const int pendings[] = {0, 3, 15};
    for (int i = 0; i < 3; i++) {
      double cpu, wall = ask_ms(o, argv[2], 100, pendings[i], &cpu);
      printf("%s %d pending %.2f / %.2f", i ? "," : "", pendings[i], cpu, wall);
    }
    printf("\n");
    double cost = mean_cost(o);
    printf("\nmean recorded cost of an evaluation %.3f s: with 16 workers an ask is due every "
           "%.1f ms\n",
           cost, 1e3 * cost / 16);
    tt_objective_free(o);
  }
  free(list);
  return 0;
}
