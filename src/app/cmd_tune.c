/* tetune tune: the main job — a tuning session of one kernel at one size,
 * stored trial by trial, ending with the best variant exported. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/mpi_hook.h"
#include "app/session.h"
#include "app/stop.h"
#include "app/target_arg.h"
#include "app/tune.h"
#include "app/tune_args.h"
#include "tetune/kernel_tune.h"

static const char usage[] =
    "usage: tetune tune KERNEL [--size S] [--template T] [--strategy NAME]\n"
    "                   [--trials N] [--seed N] [--threads N] [--timeout SECONDS]\n"
    "                   [--config JSON] [--db FILE] [--resume] [--remeasure]\n"
    "                   [--out DIR] [--json] [--cc CC] [--cflags FLAGS]\n"
    "                   [--workers N] [--time-limit SECONDS] [--target c|opencl|cuda]\n"
    "                   [--no-transfer] [--mpi]\n\n"
    "Searches KERNEL's schedule template for the fastest variant at size S\n"
    "(default: medium): trial 1 is the template's default configuration\n"
    "(--config JSON adds one of your own as trial 2; knobs left out take\n"
    "their defaults), then the strategy (default bo, Bayesian optimisation;\n"
    "also random, grid, ga, xgb) picks the rest of the N trials (default 50).\n"
    "Options go in parentheses: --strategy 'bo(init=4,acq=ei)' (see\n"
    "README.md, Strategies, for the options).\n"
    "--cc and --cflags choose the compiler and its flags, as for run.\n"
    "--target opencl or cuda tunes the kernel's GPU template on that target\n"
    "(validated against the C reference, timed with device events); the\n"
    "target is part of the task, and one that cannot run here exits 2.\n"
    "Every variant is compiled, checked against the naive reference and\n"
    "timed; each trial is committed to the SQLite database FILE (default\n"
    "./tetune.db) as soon as it is measured. A configuration already\n"
    "measured on this task (same kernel, size, template and machine,\n"
    "--threads included) is taken from the database instead of measured\n"
    "again, unless --remeasure. Failures (compile error, crash, timeout after\n"
    "--timeout seconds, wrong result) are stored and the search goes on.\n\n"
    "--resume continues the latest session of this task up to N trials in\n"
    "all (default: the N it was started with), after telling the strategy\n"
    "every stored trial. With --threads T on a machine with more than T cores\n"
    "the next variant compiles on the other cores while one is timed.\n"
    "--workers N keeps N configurations in flight (default 1): they compile\n"
    "in parallel, on the cores timing does not use when there are such cores,\n"
    "else between timings; timings never overlap. --time-limit SECONDS\n"
    "starts no new trial once SECONDS have passed (the one in flight ends).\n\n"
    "Transfer: when the database holds related tasks (the same kernel and\n"
    "template at another size, or on another machine, thread count or\n"
    "target), the nearest one's 3 best configurations are tried first and its\n"
    "trials become the strategy's prior (bo weighs it by how well it ranks\n"
    "this task's own measurements); the summary says what was reused.\n"
    "--no-transfer starts cold.\n"
    "At --threads 1, knobs the template reads only in parallel steps are\n"
    "fixed at their defaults (the summary names them).\n\n"
    "Ends with the best configuration, its time and GFLOP/s, the speed-up\n"
    "over the default configuration and over the naive reference, and writes\n"
    "the best variant as DIR/KERNEL.c and .h (default DIR: ./tetune-out).\n"
    "--json prints {kernel, size, strategy, trials, best: {config, time_s,\n"
    "gflops}, default_time_s, reference_time_s, ...} instead.\n"
    "--mpi: under mpirun with tetune-mpi (mpirun -np K tetune-mpi tune ...),\n"
    "rank 0 keeps the strategy and the database and ranks 1..K-1 build and\n"
    "time on their own nodes (docs/engine-mpi.md).\n"
    "Exit status: 0 with a validated best, 1 without one or on an\n"
    "environment failure, 2 on bad input, 130 when interrupted.\n";

enum {
  O_SIZE,
  O_TEMPLATE,
  O_STRATEGY,
  O_TRIALS,
  O_SEED,
  O_THREADS,
  O_TIMEOUT,
  O_DB,
  O_RESUME,
  O_REMEASURE,
  O_OUT,
  O_JSON,
  O_CONFIG,
  O_CC,
  O_CFLAGS,
  O_WORKERS,
  O_TIME_LIMIT,
  O_TARGET,
  O_NO_TRANSFER,
  O_MPI,
  O_COUNT
};

/* Reads the options into a; returns 0, or the exit code. */
static int parse(int argc, char **argv, tt_tune_args *a) {
  tt_opt o[O_COUNT] = {{"size", 1, NULL},        {"template", 1, NULL},   {"strategy", 1, NULL},
                       {"trials", 1, NULL},      {"seed", 1, NULL},       {"threads", 1, NULL},
                       {"timeout", 1, NULL},     {"db", 1, NULL},         {"resume", 0, NULL},
                       {"remeasure", 0, NULL},   {"out", 1, NULL},        {"json", 0, NULL},
                       {"config", 1, NULL},      {"cc", 1, NULL},         {"cflags", 1, NULL},
                       {"workers", 1, NULL},     {"time-limit", 1, NULL}, {"target", 1, NULL},
                       {"no-transfer", 0, NULL}, {"mpi", 0, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, o, O_COUNT, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? -1 : rc;
  if (npos != 1) return tt_app_fail(1, "tune: missing KERNEL (see tetune tune --help)");
  memset(a, 0, sizeof *a);
  a->kernel = pos[0];
  a->size = o[O_SIZE].value;
  a->tmpl = o[O_TEMPLATE].value;
  a->strategy = o[O_STRATEGY].value;
  a->db = o[O_DB].value ? o[O_DB].value : "tetune.db";
  a->out = o[O_OUT].value ? o[O_OUT].value : "tetune-out";
  a->config = o[O_CONFIG].value;
  a->cc = o[O_CC].value;
  a->cflags = o[O_CFLAGS].value;
  a->resume = o[O_RESUME].value != NULL;
  a->remeasure = o[O_REMEASURE].value != NULL;
  a->json = o[O_JSON].value != NULL;
  a->no_transfer = o[O_NO_TRANSFER].value != NULL;
  a->mpi = o[O_MPI].value != NULL || tt_app_mpi_new != NULL;
  if (a->mpi && !tt_app_mpi_new) return tt_app_fail(1, tt_app_mpi_refusal());
  a->trials = tt_args_int(o, O_COUNT, "trials", 0);
  a->seed = tt_args_int(o, O_COUNT, "seed", 1);
  a->threads = tt_args_int(o, O_COUNT, "threads", 0);
  if (a->trials < 0 || a->seed < 0 || a->threads < 0) return 2;
  if (o[O_TIMEOUT].value && (a->timeout_s = tt_tune_parse_seconds(o[O_TIMEOUT].value)) < 0)
    return tt_app_fail(1, "tune: --timeout needs a positive number of seconds");
  a->seed_given = o[O_SEED].value != NULL;
  a->workers = tt_args_int(o, O_COUNT, "workers", 1);
  if (a->workers < 0) return 2;
  if (a->workers == 0 || a->workers > 256)
    return tt_app_fail(1, "tune: --workers needs a number of workers from 1 to 256");
  if (a->mpi && o[O_WORKERS].value)
    return tt_app_fail(1, "tune: --workers does not apply to --mpi: the MPI ranks are the workers");
  if (o[O_TIME_LIMIT].value && (a->time_limit_s = tt_tune_parse_seconds(o[O_TIME_LIMIT].value)) < 0)
    return tt_app_fail(1, "tune: --time-limit needs a positive number of seconds");
  /* under MPI the workers run the variants: rank 0 need not */
  return tt_target_arg(o[O_TARGET].value, !a->mpi, &a->target);
}

/* Starts the workers of tetune-mpi: each opens the job and measures its
 * reference; the task is keyed on their machine's fingerprint. */
static tt_status start_mpi(tt_tune_ctx *t, tt_error *err) {
  const tt_tune_args *a = &t->args;
  tt_mpi_task task = {a->kernel, a->size, a->tmpl, a->cc, a->cflags, a->threads, a->timeout_s};
  t->mpi = tt_app_mpi_new(&t->job, &task, &t->job.fingerprint, err);
  return t->mpi ? TT_OK : err->status;
}

/* Everything before the loop: job, store, the MPI workers, then the
 * library's session preparation (strategy, transfer, resume, reference,
 * session). Bad input is found before the first write to the database. */
static tt_status prepare(tt_tune_ctx *t, tt_error *err) {
  const tt_tune_args *a = &t->args;
  if (a->strategy && tt_tune_check_strategy(a->strategy, err) != TT_OK) return TT_ERR_USAGE;
  tt_status st = tt_tune_open_job(&t->job, a->kernel, a->size, a->tmpl, a->target, a->threads,
                                  a->timeout_s, err);
  if (st == TT_OK) st = tt_job_set_compiler(&t->job, a->cc, a->cflags, err);
  if (st != TT_OK) return st;
  if (a->config) {
    t->start = tt_xcalloc(tt_job_nknobs(&t->job) + 1, sizeof(uint32_t));
    tt_error e = {0};
    if ((st = tt_job_parse_config(&t->job, a->config, t->start, &e)) != TT_OK)
      return tt_error_set(err, st, "--config: %s", e.msg);
  }
  /* The best variant goes to --out at the end: a directory that cannot be
   * made is bad input now, not after the whole session. */
  tt_error e = {0};
  if (tt_mkdirs(a->out, &e) != TT_OK) return tt_error_set(err, TT_ERR_USAGE, "--out: %s", e.msg);
  if (!(t->store = tt_tune_open_store(a->db, a->resume, err))) return err->status;
  if (a->mpi && (st = start_mpi(t, err)) != TT_OK) return st;
  tt_kernel_prepare_opts po = {.command = "tune",
                               .strategy = a->strategy,
                               .seed = (uint64_t)a->seed,
                               .seed_given = a->seed_given,
                               .trials = a->trials,
                               .resume = a->resume,
                               .no_transfer = a->no_transfer,
                               .remote = a->mpi,
                               .remeasure = a->remeasure,
                               .workers = (int)a->workers,
                               .store_name = a->db};
  return tt_kernel_session_prepare(&t->job, t->store, &po, &t->sess, err);
}

/* The command; see commands.h. */
int tt_cmd_tune(int argc, char **argv) {
  tt_tune_ctx t;
  memset(&t, 0, sizeof t);
  int rc = parse(argc, argv, &t.args);
  if (rc) return rc < 0 ? 0 : rc;
  tt_error err = {0};
  tt_status st = prepare(&t, &err);
  if (st == TT_OK) {
    char label[160];
    snprintf(label, sizeof label, "%s/%s", t.job.kernel->name, t.sess.strategy);
    tt_tune_spec spec = {t.sess.trials,
                         t.args.remeasure,
                         t.start,
                         tt_progress_auto(),
                         label,
                         tt_stop_catch(),
                         (int)t.args.workers,
                         t.args.time_limit_s,
                         t.mpi};
    st = tt_session_run(&t.job, t.store, t.sess.task_id, t.sess.session_id, t.sess.st, &spec,
                        &t.res, &err);
  }
  if (st == TT_OK)
    rc = tt_tune_summary(&t, &err);
  else
    rc = tt_app_fail(st == TT_ERR_USAGE, err.msg);
  free(t.start);
  tt_evaluator_free(t.mpi);
  tt_kernel_session_release(&t.sess);
  tt_store_close(t.store);
  tt_job_close(&t.job);
  return rc;
}
