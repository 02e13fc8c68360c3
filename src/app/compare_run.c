/* Running the comparison experiment (compare.h): the library's
 * tt_kernel_compare with the progress display and a line per run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/compare.h"
#include "app/session.h"
#include "app/tune_args.h"
#include "tetune/kernel_tune.h"

/* The display of the run in progress. */
typedef struct run_view {
  const tt_compare *c;
  tt_progress prog;
  char label[200];
} run_view;

/* Before a run: its label and its progress display. */
static void on_run(void *ctx, const tt_kernel_compare_run *run, tt_kernel_session_opts *so) {
  run_view *v = ctx;
  snprintf(v->label, sizeof v->label, "%s/%s seed %llu (run %zu of %zu)", v->c->job.kernel->name,
           run->strategy, (unsigned long long)run->seed, run->index + 1, run->runs);
  tt_progress_mode mode = tt_progress_auto() == TT_PROGRESS_TTY ? TT_PROGRESS_TTY : TT_PROGRESS_OFF;
  tt_progress_begin(&v->prog, mode, v->label, 0, v->c->trials);
  tt_session_progress_hooks(so, &v->prog);
}

/* After a run: the end of its display and its counts. */
static void on_run_end(void *ctx, const tt_kernel_compare_run *run, const tt_tune_result *r) {
  run_view *v = ctx;
  tt_progress_end(&v->prog);
  if (run->status == TT_OK)
    fprintf(stderr, "%s: %lld trials, %lld measured, %lld from the database, %lld failed\n",
            v->label, (long long)r->trials, (long long)r->measured, (long long)r->reused,
            (long long)r->failures);
}

/* See compare.h. */
tt_status tt_compare_run(tt_compare *c, volatile sig_atomic_t *stop, tt_error *err) {
  tt_status st = tt_tune_open_job(&c->job, c->kernel, c->size, c->tmpl, c->target, c->threads,
                                  c->timeout_s, err);
  if (st == TT_OK) st = tt_job_set_compiler(&c->job, c->cc, c->cflags, err);
  if (st != TT_OK) return st;
  run_view v = {.c = c};
  tt_kernel_compare_opts o = {.strategies = (const char *const *)c->names,
                              .nstrategies = c->nnames,
                              .seeds = c->seeds,
                              .seed = (uint64_t)c->seed,
                              .trials = c->trials,
                              .workers = (int)c->workers,
                              .time_limit_s = c->time_limit_s,
                              .stop = stop,
                              .on_run = on_run,
                              .on_run_end = on_run_end,
                              .ctx = &v};
  /* bad input before the database is touched */
  if ((st = tt_kernel_compare_check(&c->job, &o, err)) != TT_OK) return st;
  if (!(c->store = tt_tune_open_store(c->db, 0, err))) return err->status;
  if ((st = tt_job_reference(&c->job, err)) != TT_OK) return st; /* not in elapsed_s */
  c->sessions = tt_xcalloc(c->nnames * (size_t)c->seeds + 1, sizeof(int64_t));
  double t0 = tt_now();
  st = tt_kernel_compare(&c->job, c->store, &o, &c->task_id, c->sessions, &c->nsessions,
                         &c->interrupted, err);
  c->elapsed_s = tt_now() - t0;
  return st;
}

/* See compare.h. */
void tt_compare_free(tt_compare *c) {
  for (size_t i = 0; i < c->nnames; i++)
    free(c->names[i]);
  free(c->sessions);
  tt_store_close(c->store);
  tt_job_close(&c->job);
  memset(c, 0, sizeof *c);
}
