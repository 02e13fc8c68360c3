/* tetune compare: every strategy, K seeds each, the same trial budget, on
 * one task; a table per strategy and an HTML report. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/compare.h"
#include "app/report.h"
#include "app/stop.h"
#include "app/target_arg.h"
#include "app/tune_args.h"
#include "tetune/search.h"

static const char usage[] =
    "usage: tetune compare KERNEL [--size S] [--template T] [--strategies LIST]\n"
    "                      [--trials N] [--seeds K] [--seed BASE] [--threads N]\n"
    "                      [--timeout SECONDS] [--db FILE] [--out FILE.html] [--json]\n"
    "                      [--cc CC] [--cflags FLAGS] [--target c|opencl|cuda]\n"
    "                      [--time-limit SECONDS] [--workers N]\n\n"
    "Runs every strategy of LIST (comma-separated, each NAME or\n"
    "NAME(OPTIONS), e.g. 'bo,bo(acq=ei),random'; default: all registered)\n"
    "with seeds BASE..BASE+K-1 (default 1..3), N trials each (default 30),\n"
    "as sessions in FILE (default ./tetune.db), and prints per strategy: the\n"
    "best time (mean and sd over seeds), how many runs came within 5% of the\n"
    "best time any run found, the median trials and wall time they needed,\n"
    "and failures. Writes an HTML report (default\n"
    "./tetune-out/compare-KERNEL-SIZE.html).\n\n"
    "--cc and --cflags choose the compiler and its flags, as for run;\n"
    "--target the target, as for tune.\n"
    "A configuration already measured on this task (by an earlier run or\n"
    "session) is taken from the database instead of measured again; the run\n"
    "still counts it as one of its trials and is charged the original\n"
    "measurement's time on the wall-time axis. Every run thus sees the same\n"
    "measurements for the same configurations — a fair comparison at a\n"
    "fraction of the cost.\n"
    "--time-limit SECONDS: each run starts no new trial after SECONDS.\n"
    "--workers N: each run keeps N configurations in flight, as for tune\n"
    "(compiled in parallel, timed one at a time); the runs themselves still\n"
    "go one after the other.\n";

enum {
  O_SIZE,
  O_TEMPLATE,
  O_STRATEGIES,
  O_TRIALS,
  O_SEEDS,
  O_SEED,
  O_THREADS,
  O_TIMEOUT,
  O_DB,
  O_OUT,
  O_JSON,
  O_CC,
  O_CFLAGS,
  O_TIME_LIMIT,
  O_TARGET,
  O_WORKERS,
  O_COUNT
};

/* 1 when the directory that would hold file path cannot be written (the
 * report is written after all runs: better to know now). */
static int out_dir_unwritable(const char *path) {
  const char *slash = strrchr(path, '/');
  tt_str dir = {0};
  if (!slash)
    tt_str_append(&dir, ".");
  else if (slash == path)
    tt_str_append(&dir, "/");
  else
    tt_str_printf(&dir, "%.*s", (int)(slash - path), path);
  int bad = access(tt_str_cstr(&dir), W_OK | X_OK) != 0;
  tt_str_free(&dir);
  return bad;
}

/* Splits and checks --strategies into c->names. */
static tt_status parse_strategies(tt_compare *c, const char *list, tt_error *err) {
  if (!list) {
    const char *const *names = tt_strategy_names();
    for (size_t i = 0; names[i] && c->nnames < TT_COMPARE_MAX; i++)
      c->names[c->nnames++] = tt_xstrdup(names[i]);
    return TT_OK;
  }
  const char *p = list;
  for (;;) {
    size_t n = (size_t)(tt_tune_spec_end(p) - p);
    if (n == 0 || n >= 64 || c->nnames == TT_COMPARE_MAX)
      return tt_error_set(err, TT_ERR_USAGE, "malformed --strategies '%s' (e.g. bo,random,ga)",
                          list);
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    if (tt_tune_check_strategy(name, err) != TT_OK) return TT_ERR_USAGE;
    for (size_t i = 0; i < c->nnames; i++)
      if (!strcmp(c->names[i], name))
        return tt_error_set(err, TT_ERR_USAGE, "strategy '%s' named twice in --strategies", name);
    c->names[c->nnames++] = tt_xstrdup(name);
    if (!p[n]) return TT_OK;
    p += n + 1;
  }
}

/* Reads the options; returns 0, -1 after --help, or the exit code. */
static int parse(int argc, char **argv, tt_compare *c, tt_error *err) {
  tt_opt o[O_COUNT] = {
      {"size", 1, NULL},   {"template", 1, NULL},   {"strategies", 1, NULL}, {"trials", 1, NULL},
      {"seeds", 1, NULL},  {"seed", 1, NULL},       {"threads", 1, NULL},    {"timeout", 1, NULL},
      {"db", 1, NULL},     {"out", 1, NULL},        {"json", 0, NULL},       {"cc", 1, NULL},
      {"cflags", 1, NULL}, {"time-limit", 1, NULL}, {"target", 1, NULL},     {"workers", 1, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, o, O_COUNT, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? -1 : rc;
  if (npos != 1) return tt_app_fail(1, "compare: missing KERNEL (see tetune compare --help)");
  c->kernel = pos[0];
  c->size = o[O_SIZE].value;
  c->tmpl = o[O_TEMPLATE].value;
  c->db = o[O_DB].value ? o[O_DB].value : "tetune.db";
  c->out = o[O_OUT].value;
  c->json = o[O_JSON].value != NULL;
  c->cc = o[O_CC].value;
  c->cflags = o[O_CFLAGS].value;
  c->trials = tt_args_int(o, O_COUNT, "trials", 30);
  c->seeds = tt_args_int(o, O_COUNT, "seeds", 3);
  c->seed = tt_args_int(o, O_COUNT, "seed", 1);
  c->threads = tt_args_int(o, O_COUNT, "threads", 0);
  if (c->trials < 0 || c->seeds < 0 || c->seed < 0 || c->threads < 0) return 2;
  c->workers = tt_args_int(o, O_COUNT, "workers", 1);
  if (c->workers < 0) return 2;
  if (c->workers == 0 || c->workers > 256)
    return tt_app_fail(1, "compare: --workers needs a number of workers from 1 to 256");
  if (c->trials == 0 || c->seeds == 0)
    return tt_app_fail(1, "compare: --trials and --seeds must be at least 1");
  if (c->out && out_dir_unwritable(c->out)) {
    char msg[600];
    snprintf(msg, sizeof msg, "compare: --out: cannot write a file in the directory of '%.500s'",
             c->out);
    return tt_app_fail(1, msg);
  }
  if (o[O_TIME_LIMIT].value && (c->time_limit_s = tt_tune_parse_seconds(o[O_TIME_LIMIT].value)) < 0)
    return tt_app_fail(1, "compare: --time-limit needs a positive number of seconds");
  if (o[O_TIMEOUT].value && (c->timeout_s = tt_tune_parse_seconds(o[O_TIMEOUT].value)) < 0)
    return tt_app_fail(1, "compare: --timeout needs a positive number of seconds");
  if (parse_strategies(c, o[O_STRATEGIES].value, err) != TT_OK) return tt_app_fail(1, err->msg);
  return tt_target_arg(o[O_TARGET].value, 1, &c->target);
}

/* The command; see commands.h. */
int tt_cmd_compare(int argc, char **argv) {
  tt_compare c;
  memset(&c, 0, sizeof c);
  tt_error err = {0};
  int rc = parse(argc, argv, &c, &err);
  if (rc == 0) {
    tt_status st = tt_compare_run(&c, tt_stop_catch(), &err);
    if (st == TT_OK)
      rc = tt_compare_print(&c, &err);
    else
      rc = tt_app_fail(st == TT_ERR_USAGE, err.msg);
  }
  tt_compare_free(&c);
  return rc < 0 ? 0 : rc;
}
