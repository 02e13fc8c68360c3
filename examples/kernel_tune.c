/* Tuning a tetune kernel from C with libtetune, without the CLI.
 *
 * tt_kernel_tune (tetune/kernel_tune.h) opens a .te kernel (a built-in
 * name or a file) at a size with its schedule template, measures the
 * naive reference, and runs a new session through the engine with the
 * local evaluator: WORKERS configurations in flight, compiled ahead in
 * parallel and timed one at a time. Each trial is stored in the SQLite
 * database DB the moment it is measured, under the same task as `tetune
 * tune` would use (so `tetune history`, `report` and `export` read it,
 * and a configuration already measured is reused, not measured again).
 * At the end the program reads the session's best trial back from the
 * store.
 *
 * usage: kernel_tune DB [KERNEL] [SIZE] [TRIALS] [STRATEGY] [WORKERS]
 *        (defaults: gesummv mini 6 grid 2)
 * Build: part of the CMake build (build/kernel_tune); by hand:
 *   cc -std=c11 -O2 kernel_tune.c -ltetune -o kernel_tune */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "tetune/kernel_tune.h"

static volatile sig_atomic_t stop;

/* Ctrl-C: the session stops, keeping what is stored. */
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

/* One line per stored trial. */
static void on_trial(void *ctx, const tt_tune_event *ev) {
  (void)ctx;
  printf("trial %lld: %-10s %s", (long long)ev->n, tt_outcome_name(ev->outcome), ev->config);
  if (ev->outcome == TT_OUTCOME_OK) printf(" %.3g s", ev->value);
  printf("%s\n", ev->reused ? " (from the store)" : "");
}

/* The best trial of the task from the store. */
static int print_best(const char *db, int64_t task) {
  tt_error err = {0};
  tt_store *s = tt_store_open(db, TT_STORE_READ_ONLY, &err);
  tt_trial *best = NULL;
  if (s && tt_store_best_trial(s, task, &best, &err) == TT_OK && best)
    printf("best %s: %.6g s\n", best->config, best->time_median_s);
  else
    fprintf(stderr, "kernel_tune: %s\n", s && !best ? "no configuration ran" : err.msg);
  int ok = best != NULL;
  tt_trial_free(best);
  tt_store_close(s);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DB [KERNEL] [SIZE] [TRIALS] [STRATEGY] [WORKERS]\n", argv[0]);
    return 2;
  }
  tt_kernel_tune_opts o = {.db = argv[1],
                           .kernel = argc > 2 ? argv[2] : "gesummv",
                           .size = argc > 3 ? argv[3] : "mini",
                           .trials = argc > 4 ? atoll(argv[4]) : 6,
                           .strategy = argc > 5 ? argv[5] : "grid",
                           .workers = argc > 6 ? atoi(argv[6]) : 2,
                           .stop = &stop,
                           .on_trial = on_trial};
  signal(SIGINT, on_signal);
  tt_tune_result res;
  int64_t task = 0, session = 0;
  tt_error err = {0};
  if (tt_kernel_tune(&o, &res, &task, &session, &err) != TT_OK) {
    fprintf(stderr, "kernel_tune: %s\n", err.msg);
    return err.status == TT_ERR_USAGE ? 2 : 1;
  }
  printf("session %lld: %lld trials (%lld measured, %lld from the store, %lld failed), "
         "at most %d in flight\n",
         (long long)session, (long long)res.trials, (long long)res.measured, (long long)res.reused,
         (long long)res.failures, res.max_in_flight);
  return print_best(o.db, task) ? 0 : 1;
}
