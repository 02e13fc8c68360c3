/* tetune tune PROBLEM.t1.json: tunes existing C/OpenMP or OpenCL code
 * described by a T1 file (t1_problem.h) with a search strategy, every trial stored as for
 * kernels (task: the T1 file's KernelName, size "t1", template the file's
 * name), so history, report and export work on it too. The loop is the
 * plain ask, measure, tell, store one; it moves onto the engine's session
 * driver when that lands. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/progress.h"
#include "app/t1_problem.h"
#include "tetune/search.h"
#include "tetune/store.h"
#include "tetune/target.h"

static const char usage[] =
    "usage: tetune tune PROBLEM.t1.json [--strategy S] [--trials N] [--seed K] [--db FILE]\n"
    "                                   [--threads T] [--timeout SEC] [--json]\n\n"
    "Tunes the C/OpenMP function or OpenCL kernel a T1 file describes: its tunable\n"
    "parameters are macros the kernel file is compiled with (-DNAME=VALUE; OpenCL:\n"
    "build options, GlobalSize and LocalSize evaluated per configuration and the\n"
    "launch timed with profiling events on the opencl target), its Conditions are\n"
    "constraints, each configuration is checked against the reference (a\n"
    "ReferenceKernel or stored BinaryRaw output) and timed like a kernel variant.\n"
    "--trials: default the file's ConfigurationCount budget, else 20. Trials are\n"
    "stored in FILE (default ./tetune.db). A reference that fails is bad input\n"
    "(exit 2).\n";

enum { O_STRATEGY, O_TRIALS, O_SEED, O_DB, O_THREADS, O_TIMEOUT, O_JSON, O_COUNT };

typedef struct t1_run {
  tt_t1_problem p;
  tt_measure_options mopt;     /* the configurations' */
  tt_measure_options ref_mopt; /* the reference's (C, whatever the language) */
  const tt_target *target;     /* OpenCL: the opencl target; else NULL */
  tt_store *store;
  int64_t session;
  char *ref_path;
  double best_s;
  char *best_config;
} t1_run;

/* Builds and runs the reference once: its output is what every
 * configuration is checked against. A failure is the problem's fault. */
static tt_status reference(t1_run *r, tt_error *err) {
  char *src = tt_t1_reference_source(&r->p), *so = NULL;
  tt_measure_result res = {0};
  char key[17], name[160];
  tt_hash_hex(tt_hash_str(src, 11), key);
  snprintf(name, sizeof name, "t1-%.60s-%s", r->p.name, key);
  for (char *c = name; *c; c++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *c)) *c = '_';
  tt_status st = tt_compile(src, &r->ref_mopt, &so, &res, err);
  if (st == TT_OK && res.outcome == TT_OUTCOME_OK)
    st = tt_measure_reference(so, name, &r->ref_mopt, &r->ref_path, &res, err);
  if (st != TT_OK || res.outcome != TT_OUTCOME_OK) {
    char *nl = strchr(res.message, '\n');
    if (nl) *nl = '\0';
    tt_error_clear(err);
    st = tt_error_set(err, TT_ERR_USAGE, "%s: the reference failed (%s): %s", r->p.path,
                      tt_outcome_name(res.outcome), res.message[0] ? res.message : "no output");
  }
  free(src);
  free(so);
  return st;
}

/* Measures cfg, tells the strategy, stores the trial, prints a line. */
static tt_status one_trial(t1_run *r, tt_strategy *st, const uint32_t *cfg, int64_t n,
                           int64_t total, int json, tt_error *err) {
  tt_error launch = {0};
  char *src =
      r->p.opencl ? tt_t1_opencl_source(&r->p, cfg, &launch) : tt_t1_variant_source(&r->p, cfg);
  char *config = tt_space_config_to_json(r->p.space, cfg);
  tt_measure_result res = {0};
  double start = tt_wall_now();
  tt_status s = TT_OK;
  if (src) {
    s = tt_measure_source(src, r->ref_path, &r->mopt, &res, err);
  } else { /* no launch for this configuration (GlobalSize or LocalSize) */
    res.outcome = TT_OUTCOME_INVALID;
    res.max_rel_err = -1;
    snprintf(res.message, sizeof res.message, "%s", launch.msg);
  }
  free(src);
  if (s == TT_OK) {
    int ok = res.outcome == TT_OUTCOME_OK;
    tt_strategy_tell(st, cfg, res.outcome, res.time_median_s);
    tt_trial t = {.session_id = r->session,
                  .config = config,
                  .outcome = res.outcome,
                  .message = res.message,
                  .time_median_s = ok ? res.time_median_s : NAN,
                  .time_min_s = ok ? res.time_min_s : NAN,
                  .time_spread = ok ? res.spread : NAN,
                  .repeats = res.repeats,
                  .max_rel_err = res.max_rel_err,
                  .compile_s = res.compile_s,
                  .gflops = NAN,
                  .started_at = start};
    s = tt_store_add_trial(r->store, &t, NULL, err);
    if (ok && (isnan(r->best_s) || res.time_median_s < r->best_s)) {
      r->best_s = res.time_median_s;
      free(r->best_config);
      r->best_config = tt_xstrdup(config);
    }
    char tb[32];
    tt_fmt_seconds(ok ? res.time_median_s : NAN, tb, sizeof tb);
    if (!json)
      fprintf(stderr, "trial %lld/%lld %s %s %s\n", (long long)n, (long long)total,
              tt_outcome_name(res.outcome), ok ? tb : "", config);
  }
  free(config);
  return s;
}

/* Opens the store, the task and the session. */
static tt_status open_session(t1_run *r, const char *db, const char *strategy, uint64_t seed,
                              int64_t trials, tt_error *err) {
  if (!(r->store = tt_store_open(db, TT_STORE_READ_WRITE, err))) return err->status;
  char *fp = r->target ? tt_target_fingerprint(r->target, &r->mopt, NULL)
                       : tt_machine_fingerprint(&r->mopt, NULL);
  const char *base = strrchr(r->p.path, '/');
  tt_task_key key = {r->p.name, "t1", r->target ? r->target->store_name : "cpu",
                     base ? base + 1 : r->p.path, fp};
  int64_t task = 0;
  tt_status st = tt_store_ensure_task(r->store, &key, &task, err);
  free(fp);
  cJSON *a = cJSON_CreateObject();
  cJSON_AddStringToObject(a, "command", "tune");
  cJSON_AddStringToObject(a, "problem", r->p.path);
  cJSON_AddStringToObject(a, "strategy", strategy);
  char *args = cJSON_PrintUnformatted(a);
  cJSON_Delete(a);
  tt_session_spec spec = {task, strategy, seed, args, trials};
  if (st == TT_OK) st = tt_store_add_session(r->store, &spec, &r->session, err);
  free(args);
  return st;
}

/* The tuning loop and its summary. */
static int run(t1_run *r, const tt_opt *o, int64_t trials, uint64_t seed) {
  tt_error err = {0};
  const char *strategy = o[O_STRATEGY].value ? o[O_STRATEGY].value : "bo";
  const char *db = o[O_DB].value ? o[O_DB].value : "tetune.db";
  tt_strategy *st = tt_strategy_new(strategy, r->p.space, seed, NULL, &err);
  if (!st) return tt_app_fail(1, err.msg);
  tt_strategy_set_budget(st, (size_t)trials);
  tt_status s = reference(r, &err);
  if (s == TT_OK) s = open_session(r, db, strategy, seed, trials, &err);
  uint32_t *cfg = tt_xcalloc(tt_space_num_knobs(r->p.space) + 1, sizeof *cfg);
  int64_t n = 0;
  while (s == TT_OK && n < trials && tt_strategy_ask(st, 1, cfg) == 1)
    s = one_trial(r, st, cfg, ++n, trials, o[O_JSON].value != NULL, &err);
  if (r->store && r->session)
    tt_store_end_session(r->store, r->session,
                         s == TT_OK ? TT_SESSION_COMPLETED : TT_SESSION_FAILED, NULL);
  free(cfg);
  tt_strategy_free(st);
  if (s != TT_OK) return tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  char tb[32];
  tt_fmt_seconds(r->best_s, tb, sizeof tb);
  if (o[O_JSON].value)
    printf("{\"problem\":\"%s\",\"trials\":%lld,\"best_time_s\":%.9g,\"best_config\":%s}\n",
           r->p.path, (long long)n, r->best_s, r->best_config ? r->best_config : "null");
  else if (r->best_config)
    printf("tuned %s (%s) with %s, seed %llu: %lld trials\nbest: %s per call\n  config %s\n",
           r->p.name, r->p.path, strategy, (unsigned long long)seed, (long long)n, tb,
           r->best_config);
  else
    printf("tuned %s: %lld trials, no configuration validated\n", r->p.name, (long long)n);
  return r->best_config ? 0 : 1;
}

/* See commands.h. */
int tt_cmd_tune_t1(int argc, char **argv) {
  tt_opt o[O_COUNT] = {{"strategy", 1, NULL}, {"trials", 1, NULL},  {"seed", 1, NULL},
                       {"db", 1, NULL},       {"threads", 1, NULL}, {"timeout", 1, NULL},
                       {"json", 0, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, o, O_COUNT, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  long trials = tt_args_int(o, O_COUNT, "trials", 0), seed = tt_args_int(o, O_COUNT, "seed", 1);
  long threads = tt_args_int(o, O_COUNT, "threads", 0);
  double timeout = o[O_TIMEOUT].value ? atof(o[O_TIMEOUT].value) : 60;
  if (trials < 0 || seed < 0 || threads < 0) return 2;
  if (!(timeout > 0)) return tt_app_fail(1, "tune: --timeout must be a positive number of seconds");
  t1_run r = {.best_s = NAN};
  tt_error err = {0};
  if (tt_t1_problem_load(&r.p, pos[0], &err) != TT_OK) {
    tt_t1_problem_free(&r.p);
    return tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  }
  r.mopt = tt_measure_options_default();
  r.mopt.flags = (const char *const *)r.p.flags;
  r.mopt.threads = (int)threads;
  r.mopt.run_timeout_s = timeout;
  if (r.p.tolerance > 0) r.mopt.tol_f64 = r.mopt.tol_f32 = r.p.tolerance;
  r.ref_mopt = r.mopt;
  char why[256] = "";
  if (r.p.opencl && !tt_target_usable(r.target = tt_target_find("opencl"), why, sizeof why)) {
    tt_t1_problem_free(&r.p);
    char msg[400];
    snprintf(msg, sizeof msg, "tune: target opencl cannot run here: %s", why);
    return tt_app_fail(1, msg);
  }
  if (r.target) tt_target_measure_options(r.target, &r.mopt);
  rc = run(&r, o, trials ? trials : r.p.budget ? r.p.budget : 20, (uint64_t)seed);
  free(r.ref_path);
  free(r.best_config);
  tt_store_close(r.store);
  tt_t1_problem_free(&r.p);
  return rc;
}
