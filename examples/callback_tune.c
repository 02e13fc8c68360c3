/* Tuning your own C function with libtetune: the callback evaluator.
 *
 * The objective is a blocked matrix transpose whose block sizes and loop
 * order are the knobs; the callback runs it and returns its median time.
 * The session goes through the same engine, strategies and SQLite store
 * as `tetune tune`: every trial is stored as it finishes, and a
 * configuration the store already holds for this task (same settings) is
 * reused instead of run again.
 *
 * usage: callback_tune DB [TRIALS] [STRATEGY]   (defaults: 16, bo)
 * Build: part of the CMake build (build/callback_tune); by hand:
 *   cc -std=c11 -O2 callback_tune.c -ltetune -o callback_tune */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tetune/tune.h"

enum { N = 512, REPEATS = 5 };

static double a[N * N], b[N * N];

/* The tuned code: b = transpose(a) in bi x bj blocks, rows or columns
 * first inside a block. */
static void transpose(int bi, int bj, int cols_first) {
  for (int i0 = 0; i0 < N; i0 += bi)
    for (int j0 = 0; j0 < N; j0 += bj)
      if (cols_first) {
        for (int j = j0; j < j0 + bj; j++)
          for (int i = i0; i < i0 + bi; i++)
            b[j * N + i] = a[i * N + j];
      } else {
        for (int i = i0; i < i0 + bi; i++)
          for (int j = j0; j < j0 + bj; j++)
            b[j * N + i] = a[i * N + j];
      }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *x, const void *y) {
  double p = *(const double *)x, q = *(const double *)y;
  return (p > q) - (p < q);
}

/* The callback: runs the configuration, checks the result, returns the
 * median of REPEATS runs. ctx counts the calls. */
static tt_outcome run(void *ctx, const tt_space *space, const uint32_t *cfg, const char *config,
                      double *value) {
  (void)config;
  (*(int *)ctx)++;
  int bi = (int)tt_space_knob_value(space, 0, cfg[0]);
  int bj = (int)tt_space_knob_value(space, 1, cfg[1]);
  int cols_first = (int)cfg[2];
  double t[REPEATS];
  for (int r = 0; r < REPEATS; r++) {
    double t0 = now();
    transpose(bi, bj, cols_first);
    t[r] = now() - t0;
  }
  for (int i = 0; i < N; i++) /* a wrong result is a failure, not a time */
    if (b[(i * 7 % N) * N + i] != a[i * N + i * 7 % N]) return TT_OUTCOME_WRONG_RESULT;
  qsort(t, REPEATS, sizeof *t, cmp);
  *value = t[REPEATS / 2];
  return TT_OUTCOME_OK;
}

/* The search space: block sizes (powers of two, 4..256 rows by 4..256
 * columns, at most 4096 elements a block) and the loop order. */
static tt_space *make_space(tt_error *err) {
  static const double sizes[] = {4, 8, 16, 32, 64, 128, 256};
  tt_space *s = tt_space_new();
  if (tt_space_add_ordinal(s, "bi", sizes, 7, err) < 0 ||
      tt_space_add_ordinal(s, "bj", sizes, 7, err) < 0 ||
      tt_space_add_bool(s, "cols_first", err) < 0 ||
      tt_space_add_constraint(s, "bi * bj <= 4096", err) != TT_OK) {
    tt_space_free(s);
    return NULL;
  }
  return s;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DB [TRIALS] [STRATEGY]\n", argv[0]);
    return 2;
  }
  int64_t trials = argc > 2 ? atoll(argv[2]) : 16;
  const char *strategy = argc > 3 ? argv[3] : "bo";
  if (trials < 1) {
    fprintf(stderr, "callback_tune: TRIALS must be at least 1\n");
    return 2;
  }
  for (int i = 0; i < N * N; i++)
    a[i] = i;
  tt_error err = {0};
  tt_space *space = make_space(&err);
  tt_store *db = space ? tt_store_open(argv[1], TT_STORE_READ_WRITE, &err) : NULL;
  tt_strategy *st = db ? tt_strategy_new(strategy, space, 1, NULL, &err) : NULL;
  if (!st) {
    fprintf(stderr, "callback_tune: %s\n", err.msg);
    return 2;
  }
  /* One task per tuned function and machine; one session per run. */
  tt_task_key key = {"transpose", "512", "callback", "blocked", "{\"host\":\"example\"}"};
  int64_t task = 0, session = 0;
  tt_session_spec spec = {0, strategy, 1, NULL, trials};
  tt_status status = tt_store_ensure_task(db, &key, &task, &err);
  spec.task_id = task;
  if (status == TT_OK) status = tt_store_add_session(db, &spec, &session, &err);
  /* Tell the strategy what earlier sessions of the task measured. */
  if (status == TT_OK) status = tt_tune_tell_stored(space, db, task, st, NULL, &err);
  int calls = 0;
  tt_evaluator *ev = tt_tune_callback_new(space, run, &calls);
  tt_tune_opts opts = {.trials = trials,
                       .store = db,
                       .task_id = task,
                       .session_id = session,
                       .settings = "repeats=5"};
  tt_tune_result res;
  if (status == TT_OK) status = tt_tune_run(space, st, ev, &opts, &res, &err);
  tt_trial *best = NULL;
  if (status == TT_OK) status = tt_store_best_trial(db, task, &best, &err);
  if (status == TT_OK && best)
    printf("%lld trials (%lld run, %lld from the store, %lld failed), %d calls; best %s: %.3g s\n",
           (long long)res.trials, (long long)res.measured, (long long)res.reused,
           (long long)res.failures, calls, best->config, best->time_median_s);
  else
    fprintf(stderr, "callback_tune: %s\n", status == TT_OK ? "no configuration ran" : err.msg);
  tt_trial_free(best);
  tt_evaluator_free(ev);
  tt_strategy_free(st);
  tt_store_close(db);
  tt_space_free(space);
  return status == TT_OK && best ? 0 : 1;
}
