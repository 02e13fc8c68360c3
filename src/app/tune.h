/* Internal to src/app: the state of one `tetune tune` run, shared by the
 * command (cmd_tune.c) and its summary (tune_summary.c). */
#ifndef TT_APP_TUNE_H
#define TT_APP_TUNE_H

#include "app/session.h"
#include "app/transfer.h"

/* The command line of `tune`, checked. */
typedef struct tt_tune_args {
  const char *kernel, *size, *tmpl, *strategy, *db, *out, *config;
  const char *cc, *cflags;    /* --cc, --cflags (NULL: the defaults) */
  const tt_target *target;    /* --target (c unless given) */
  long trials, seed, threads; /* trials 0: default (or the resumed session's) */
  long workers;               /* configurations in flight, >= 1 */
  double time_limit_s;        /* > 0: no new trial after this many seconds */
  int seed_given;
  double timeout_s; /* 0: the measure layer's default */
  int resume, remeasure, json;
  int no_transfer; /* --no-transfer */
  int mpi;         /* --mpi (implied under tetune-mpi) */
} tt_tune_args;

typedef struct tt_tune_ctx {
  tt_tune_args args;
  tt_job job;
  tt_store *store;
  tt_kernel_session sess; /* strategy, seed, trials, task, session, transfer */
  uint32_t *start;        /* --config, or NULL */
  tt_evaluator *mpi;      /* the mpi evaluator (tetune-mpi), or NULL */
  tt_tune_result res;
} tt_tune_ctx;

/* Prints the end of a session (text or --json), exporting the best
 * variant to args.out. Returns the exit status. */
int tt_tune_summary(tt_tune_ctx *t, tt_error *err);

#endif
