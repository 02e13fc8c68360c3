/* tetune replay: scores search strategies on a recorded dataset or a
 * synthetic function (see tt_replay_run and tt_replay_compute_metrics). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/tune_args.h"
#include "tetune/objective.h"
#include "tetune/search.h"
#include "tetune/tune.h"

static const char usage[] =
    "usage: tetune replay DATASET [--strategies LIST] [--budget N] [--seeds K] [--json]\n"
    "                             [--first-seed S] [--space T1FILE] [--objective COLUMN]\n"
    "                             [--restricted] [--prior DATASET [--prior-space T1FILE]\n"
    "                             [--prior-seeds K] [--prior-shuffle SEED] [--no-prior-model]]\n"
    "                             [--workers N]\n"
    "\n"
    "Runs each strategy K times (seeds S..S+K-1), one evaluation at a time, on a recorded\n"
    "exhaustive dataset and scores it against the dataset's optimum.\n"
    "\n"
    "DATASET      Kernel Tuner cache JSON, T4 results JSON or CSV (.gz allowed), or\n"
    "             synthetic:NAME with NAME one of branin, ackley, rosenbrock, tiles\n"
    "--strategies comma-separated names, each optionally with options in parentheses,\n"
    "             e.g. \"bo(acq=ei,init=10),random\" (default: every strategy)\n"
    "--budget N   evaluations per run (default 100)\n"
    "--seeds K    runs per strategy (default 10)\n"
    "--first-seed S  the first seed (default 1): compare options on seeds they were\n"
    "             not chosen on\n"
    "--json       print {dataset, optimum, strategies: {NAME: {score, best_mean,\n"
    "             best_median, evals_to_1pct, evals_to_5pct, evals_to_10pct,\n"
    "             reached_5pct, evals_to_5pct_all, evals_to_5pct_all_ci, ...}},\n"
    "             random_exact: {evals_to_5pct, ...}}\n"
    "--space F    T1 space file (default: <kernel>.t1.json next to the dataset)\n"
    "--objective C  objective column or measurement (default: time)\n"
    "--restricted the space is the configurations that evaluate ok (a dataset's valid\n"
    "             rows), as in Kernel Tuner's restricted runs: no strategy meets a\n"
    "             failure, and random search draws from those rows alone\n"
    "--prior D    transfer from a related recorded dataset D (another size, machine or\n"
    "             kernel; knobs mapped by name, values to the nearest): every run gets its\n"
    "             K best configurations first (--prior-seeds, default 3) and, unless\n"
    "             --no-prior-model, its data as the prior of a model-based strategy (bo),\n"
    "             weighted by how well it ranks the run's own measurements; the table\n"
    "             adds the mean final weight. --prior-space: D's T1 file. --prior-shuffle\n"
    "             S shuffles D's values among its configurations anew for each run (seed\n"
    "             S + the run's seed): the unrelated control\n"
    "--workers N  N simulated workers: N evaluations in flight, each lasting its recorded\n"
    "             compile and benchmark time (1 s where the dataset has none), the strategy\n"
    "             asked with the others pending; the table adds the median simulated wall\n"
    "             time to get within 5% of the optimum (seeds that did), the JSON\n"
    "             workers and time_to_5pct\n"
    "\n"
    "score: (strategy curve - expected random-search curve) / (optimum - random curve),\n"
    "averaged over the budget: 0 is random search, 1 the optimum at once. evals_to_X:\n"
    "evaluations to get within X of the optimum, median over the seeds that got there\n"
    "(how many did is shown); evals_to_X_all: median over all seeds, a seed that never\n"
    "got there counting as beyond the budget (null when the median is);\n"
    "evals_to_X_all_ci: [lo, hi], a 95% confidence interval of that median from the\n"
    "seeds' order statistics (null under 6 seeds, or a bound beyond the budget).\n"
    "random_exact: random search's median, computed exactly from the dataset, not\n"
    "sampled. A failed configuration counts as no improvement.\n";

typedef struct spec {
  char *label; /* as given: name(options) */
  char *name;
  char *options; /* NULL when none */
  tt_replay_metrics m;
  double weight; /* mean prior weight at the runs' end; NAN without one */
  double time5;  /* median simulated time to 5% (--workers); NAN when none */
  int reached5;  /* seeds that got there */
} spec;

/* Splits LIST at commas outside parentheses into specs (as tune and
 * compare do); returns count or -1 with msg set. */
static long parse_list(const char *list, spec *out, size_t max, char *msg, size_t msglen) {
  long n = 0;
  const char *p = list;
  while (*p) {
    const char *e = tt_tune_spec_end(p);
    if ((size_t)n == max || e == p) {
      snprintf(msg, msglen, "replay: bad strategy list '%s'", list);
      return -1;
    }
    spec *s = &out[n++];
    s->label = strndup(p, (size_t)(e - p));
    char name[64];
    const char *opts;
    size_t olen;
    tt_error err = {0};
    if (tt_tune_split_spec(s->label, name, sizeof name, &opts, &olen, &err) != TT_OK) {
      snprintf(msg, msglen, "replay: %s", err.msg);
      return -1;
    }
    s->name = strdup(name);
    if (opts) s->options = strndup(opts, olen);
    p = *e ? e + 1 : e;
  }
  return n;
}

/* Every registered strategy, in registry order. */
static long default_list(spec *out, size_t max) {
  const char *const *names = tt_strategy_names();
  long n = 0;
  for (; names[n] && (size_t)n < max; n++) {
    out[n].label = strdup(names[n]);
    out[n].name = strdup(names[n]);
  }
  return n;
}

/* A JSON number, or null for NAN. */
static cJSON *num_or_null(double x) {
  return isnan(x) ? cJSON_CreateNull() : cJSON_CreateNumber(x);
}

/* Random search's exact median evaluations to within the t-th tolerance
 * (1%, 5%, 10%) of o's optimum. */
static double random_exact(const tt_objective *o, int t) {
  static const double tolerance[3] = {0.01, 0.05, 0.10};
  size_t nv;
  const double *v = tt_objective_values(o, &nv);
  return tt_replay_random_evals(v, nv, tt_objective_optimum(o), tolerance[t], NULL);
}

static void print_json(const tt_objective *o, const spec *specs, long n, size_t budget,
                       size_t seeds, size_t first, long workers) {
  cJSON *root = cJSON_CreateObject(), *st = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "dataset", tt_objective_name(o));
  cJSON_AddNumberToObject(root, "optimum", tt_objective_optimum(o));
  cJSON_AddNumberToObject(root, "budget", (double)budget);
  cJSON_AddNumberToObject(root, "seeds", (double)seeds);
  cJSON_AddNumberToObject(root, "first_seed", (double)first);
  cJSON_AddBoolToObject(root, "restricted", tt_space_num_members(tt_objective_space(o)) > 0);
  if (workers) cJSON_AddNumberToObject(root, "workers", (double)workers);
  static const char *const pct[3] = {"1pct", "5pct", "10pct"};
  char key[32];
  for (long i = 0; i < n; i++) {
    const tt_replay_metrics *m = &specs[i].m;
    cJSON *s = cJSON_CreateObject();
    cJSON_AddItemToObject(s, "score", num_or_null(m->score));
    cJSON_AddItemToObject(s, "best_mean", num_or_null(m->best_mean));
    cJSON_AddItemToObject(s, "best_median", num_or_null(m->best_median));
    cJSON_AddItemToObject(s, "prior_weight", num_or_null(specs[i].weight));
    if (workers) cJSON_AddItemToObject(s, "time_to_5pct", num_or_null(specs[i].time5));
    for (int t = 0; t < 3; t++) {
      snprintf(key, sizeof key, "evals_to_%s", pct[t]);
      cJSON_AddItemToObject(s, key, num_or_null(m->evals_to[t]));
      snprintf(key, sizeof key, "reached_%s", pct[t]);
      cJSON_AddNumberToObject(s, key, m->reached[t]);
      snprintf(key, sizeof key, "evals_to_%s_all", pct[t]);
      cJSON_AddItemToObject(s, key, num_or_null(m->evals_all[t]));
      snprintf(key, sizeof key, "evals_to_%s_all_ci", pct[t]);
      cJSON *ci = cJSON_AddArrayToObject(s, key);
      cJSON_AddItemToArray(ci, num_or_null(m->evals_all_lo[t]));
      cJSON_AddItemToArray(ci, num_or_null(m->evals_all_hi[t]));
    }
    cJSON_AddItemToObject(st, specs[i].label, s);
  }
  cJSON_AddItemToObject(root, "strategies", st);
  cJSON *exact = cJSON_CreateObject();
  for (int t = 0; t < 3; t++) {
    snprintf(key, sizeof key, "evals_to_%s", pct[t]);
    cJSON_AddItemToObject(exact, key, num_or_null(random_exact(o, t)));
  }
  cJSON_AddItemToObject(root, "random_exact", exact);
  char *text = cJSON_Print(root);
  printf("%s\n", text);
  cJSON_free(text);
  cJSON_Delete(root);
}

static void print_table(const tt_objective *o, const spec *specs, long n, size_t budget,
                        size_t seeds, size_t first, long workers) {
  size_t nv, ok = 0;
  const double *v = tt_objective_values(o, &nv);
  for (size_t i = 0; i < nv; i++)
    ok += isfinite(v[i]) != 0;
  printf("%s: %zu valid configurations (%zu ok)%s, optimum %.6g\n", tt_objective_name(o), nv, ok,
         tt_space_num_members(tt_objective_space(o)) ? ", restricted to those" : "",
         tt_objective_optimum(o));
  printf("budget %zu, %zu seeds (%zu..%zu); to X%%: median evaluations to get within X%% of the "
         "optimum (seeds that did)\n\n",
         budget, seeds, first, first + seeds - 1);
  if (workers)
    printf("%ld simulated workers; time to 5%%: median simulated seconds (seeds that did)\n\n",
           workers);
  printf("%-24s %7s %11s %11s %12s %12s %12s", "strategy", "score", "best mean", "best median",
         "to 1%", "to 5%", "to 10%");
  printf(workers ? " %16s\n" : "\n", "time to 5%");
  char cell[3][32];
  for (long i = 0; i < n; i++) {
    const tt_replay_metrics *m = &specs[i].m;
    for (int t = 0; t < 3; t++)
      if (m->reached[t])
        snprintf(cell[t], sizeof cell[t], "%.1f (%d)", m->evals_to[t], m->reached[t]);
      else
        snprintf(cell[t], sizeof cell[t], "- (0)");
    printf("%-24s %7.3f %11.5g %11.5g %12s %12s %12s", specs[i].label, m->score, m->best_mean,
           m->best_median, cell[0], cell[1], cell[2]);
    if (workers) {
      char t5[32] = "- (0)";
      if (specs[i].reached5)
        snprintf(t5, sizeof t5, "%.4g (%d)", specs[i].time5, specs[i].reached5);
      printf(" %16s", t5);
    }
    if (isfinite(specs[i].weight)) printf("  prior weight %.2f", specs[i].weight);
    printf("\n");
  }
  printf("%-24s %7s %11s %11s", "random search (exact)", "0", "", "");
  for (int t = 0; t < 3; t++)
    printf(" %12.0f", random_exact(o, t));
  printf("\n");
}

/* Checks every strategy can be created (name and options) before running. */
static int check_specs(const tt_objective *o, const spec *specs, long n, char *msg, size_t len) {
  for (long i = 0; i < n; i++) {
    tt_error err = {0};
    tt_strategy *st =
        tt_strategy_new(specs[i].name, tt_objective_space(o), 1, specs[i].options, &err);
    if (!st) {
      snprintf(msg, len, "replay: %s", err.msg);
      return -1;
    }
    tt_strategy_free(st);
  }
  return 0;
}

/* Mean of the finite entries of w[0..n), NAN when none. */
static double mean_finite(const double *w, size_t n) {
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(w[i])) {
      sum += w[i];
      k++;
    }
  return k ? sum / (double)k : NAN;
}

/* Runs and scores every strategy, with transfer when tr is not NULL;
 * returns 0 or an exit status. */
static int run_all(const tt_objective *o, spec *specs, long n, size_t budget, size_t seeds,
                   size_t first, const tt_replay_transfer *tr, long workers) {
  size_t nv;
  const double *values = tt_objective_values(o, &nv);
  double *random = tt_xmalloc(budget * sizeof *random);
  double *curves = tt_xmalloc(seeds * budget * sizeof *curves);
  double *weights = tt_xmalloc(seeds * sizeof *weights);
  double *clocks = workers ? tt_xmalloc(seeds * budget * sizeof *clocks) : NULL;
  tt_replay_transfer t = tr ? *tr : (tt_replay_transfer){0};
  t.weights = weights;
  tt_replay_random_curve(values, nv, budget, random);
  int rc = 0;
  for (long i = 0; i < n && rc == 0; i++) {
    tt_error err = {0};
    tt_replay_options ro = {first, seeds, tr ? &t : NULL, (int)workers, clocks};
    if (tt_replay_run_opts(o, specs[i].name, specs[i].options, budget, &ro, curves, &err) !=
        TT_OK) {
      char msg[600];
      snprintf(msg, sizeof msg, "replay: %s", err.msg);
      rc = tt_app_fail(err.status == TT_ERR_USAGE, msg);
    } else {
      tt_replay_compute_metrics(curves, seeds, budget, tt_objective_optimum(o), random,
                                &specs[i].m);
      specs[i].weight = tr ? mean_finite(weights, seeds) : NAN;
      specs[i].time5 = clocks
                           ? tt_replay_time_to(curves, clocks, seeds, budget,
                                               tt_objective_optimum(o) * 1.05, &specs[i].reached5)
                           : NAN;
    }
  }
  free(random);
  free(curves);
  free(weights);
  free(clocks);
  return rc;
}

/* The --prior options: the related rows mapped onto o's space, in *rows,
 * and the transfer settings in *tr. Returns 0, 1 when there is no --prior,
 * or an exit status (> 1) after printing the error. */
static int load_prior(const tt_opt *opts, size_t nopts, const tt_objective *o,
                      tt_related_rows *rows, tt_replay_transfer *tr) {
  const char *path = tt_args_get(opts, nopts, "prior");
  if (!path) return 1;
  long k = tt_args_int(opts, nopts, "prior-seeds", 3);
  long shuffle = tt_args_int(opts, nopts, "prior-shuffle", 0);
  if (k < 0 || shuffle < 0) return 2;
  tt_dataset_options dopt = {tt_args_get(opts, nopts, "prior-space"), NULL};
  tt_error err = {0};
  tt_objective *src = tt_objective_open(path, &dopt, &err);
  tt_status st =
      src ? tt_objective_related(src, tt_objective_space(o), (uint64_t)shuffle, rows, &err)
          : err.status;
  tt_objective_free(src);
  if (st != TT_OK) {
    char msg[600];
    snprintf(msg, sizeof msg, "replay: --prior: %s", err.msg);
    return tt_app_fail(1, msg);
  }
  *tr = (tt_replay_transfer){rows, (size_t)k, !tt_args_get(opts, nopts, "no-prior-model"),
                             (uint64_t)shuffle, NULL};
  return 0;
}

/* tetune replay DATASET ...; see usage. */
int tt_cmd_replay(int argc, char **argv) {
  tt_opt opts[] = {
      {"strategies", 1, NULL},     {"budget", 1, NULL},      {"seeds", 1, NULL},
      {"json", 0, NULL},           {"space", 1, NULL},       {"objective", 1, NULL},
      {"first-seed", 1, NULL},     {"restricted", 0, NULL},  {"prior", 1, NULL},
      {"prior-space", 1, NULL},    {"prior-seeds", 1, NULL}, {"prior-shuffle", 1, NULL},
      {"no-prior-model", 0, NULL}, {"workers", 1, NULL}};
  size_t nopts = sizeof opts / sizeof opts[0], npos;
  const char *pos[1];
  int rc = tt_args_parse(argc, argv, opts, nopts, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  if (npos != 1) return tt_app_fail(1, "replay: which dataset? (see tetune replay --help)");
  long budget = tt_args_int(opts, nopts, "budget", 100);
  long seeds = tt_args_int(opts, nopts, "seeds", 10);
  long first = tt_args_int(opts, nopts, "first-seed", 1);
  if (budget < 0 || seeds < 0 || first < 0) return 2;
  if (budget == 0 || seeds == 0 || first == 0)
    return tt_app_fail(1, "replay: --budget, --seeds and --first-seed must be positive");
  if (budget > 1000000 || seeds > 100000)
    return tt_app_fail(1, "replay: --budget is at most 1000000 and --seeds at most 100000");
  long workers = tt_args_get(opts, nopts, "workers") ? tt_args_int(opts, nopts, "workers", 1) : 0;
  if (workers < 0) return 2;
  if (tt_args_get(opts, nopts, "workers") && (workers == 0 || workers > 256))
    return tt_app_fail(1, "replay: --workers needs a number of workers from 1 to 256");
  spec specs[64] = {{0}};
  char msg[600] = "";
  const char *list = tt_args_get(opts, nopts, "strategies");
  long n = list ? parse_list(list, specs, 64, msg, sizeof msg) : default_list(specs, 64);
  tt_dataset_options dopt = {tt_args_get(opts, nopts, "space"),
                             tt_args_get(opts, nopts, "objective")};
  tt_error err = {0};
  tt_objective *o = NULL;
  tt_related_rows rows = {0};
  tt_replay_transfer tr = {0};
  int prc = 1;
  if (n < 0) {
    rc = tt_app_fail(1, msg);
  } else if (!(o = tt_objective_open(pos[0], &dopt, &err)) ||
             (tt_args_get(opts, nopts, "restricted") && tt_objective_restrict(o, &err) != TT_OK)) {
    snprintf(msg, sizeof msg, "replay: %s", err.msg);
    rc = tt_app_fail(err.status == TT_ERR_USAGE || err.status == TT_ERR_IO, msg);
  } else if (check_specs(o, specs, n, msg, sizeof msg) < 0) {
    rc = tt_app_fail(1, msg);
  } else if ((prc = load_prior(opts, nopts, o, &rows, &tr)) > 1) {
    rc = prc;
  } else if ((rc = run_all(o, specs, n, (size_t)budget, (size_t)seeds, (size_t)first,
                           prc == 0 ? &tr : NULL, workers)) == 0) {
    if (tt_args_get(opts, nopts, "json"))
      print_json(o, specs, n, (size_t)budget, (size_t)seeds, (size_t)first, workers);
    else
      print_table(o, specs, n, (size_t)budget, (size_t)seeds, (size_t)first, workers);
  }
  for (long i = 0; i < 64; i++) {
    free(specs[i].label);
    free(specs[i].name);
    free(specs[i].options);
  }
  tt_related_rows_free(&rows);
  tt_objective_free(o);
  return rc;
}
