/* Internal to src/app: the comparison experiment behind `tetune compare`:
 * every strategy with K seeds and the same trial budget on one task
 * (compare_run.c), then its table, JSON and report (compare_print.c). */
#ifndef TT_APP_COMPARE_H
#define TT_APP_COMPARE_H

#include <signal.h>

#include "app/job.h"
#include "tetune/store.h"

enum { TT_COMPARE_MAX = 16 };

typedef struct tt_compare {
  /* the command line */
  const char *kernel, *size, *tmpl, *db, *out;
  char *names[TT_COMPARE_MAX]; /* strategies, owned */
  size_t nnames;
  long trials, seeds, seed, threads;
  const char *cc, *cflags; /* --cc, --cflags (NULL: the defaults) */
  const tt_target *target; /* --target (c unless given) */
  double timeout_s;
  double time_limit_s; /* > 0: each run starts no trial after this many seconds */
  long workers;        /* configurations in flight in each run, >= 1 */
  int json;
  /* filled by tt_compare_run */
  tt_job job;
  tt_store *store;
  int64_t task_id;
  int64_t *sessions; /* the runs' sessions, in run order */
  size_t nsessions;
  int interrupted;
  double elapsed_s;
} tt_compare;

/* Runs the experiment: strategies in the given order, seeds within each.
 * Bad input is reported before the database is written. Stops early
 * (interrupted = 1) when *stop is set. */
tt_status tt_compare_run(tt_compare *c, volatile sig_atomic_t *stop, tt_error *err);

/* Prints the table (or JSON) and writes the report. Returns the exit
 * status. */
int tt_compare_print(tt_compare *c, tt_error *err);

void tt_compare_free(tt_compare *c);

#endif
