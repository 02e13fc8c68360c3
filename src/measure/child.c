/* The measuring child: everything that touches a kernel runs here, after
 * fork, so a crash, a hang or a heap corruption stays in this process. It
 * reports through one fixed-size record on report_fd and _exits (no atexit
 * handlers, no leak checker, no flushing of the parent's stdio buffers). */
#include "measure_impl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sets the OpenMP environment before the kernel (and libgomp, which reads
 * it once at load) is loaded: the threads, their places and how long a
 * waiting thread spins (tt_measure_omp_env: the user's own settings win). */
static void set_omp_env(const tt_measure_options *opt) {
  if (opt->threads <= 0) return;
  char buf[32];
  snprintf(buf, sizeof buf, "%d", opt->threads);
  setenv("OMP_NUM_THREADS", buf, 1);
  tt_mz_env_var vars[TT_MZ_OMP_VARS];
  char spin[32];
  size_t n = tt_mz_omp_vars(opt, vars, spin);
  for (size_t i = 0; i < n; i++)
    setenv(vars[i].name, vars[i].value, 0); /* the user's own value stays */
}

/* Writes the report in full and exits. */
__attribute__((noreturn)) static void send_and_exit(int fd, const tt_mz_report *rep) {
  const char *p = (const char *)rep;
  size_t left = sizeof *rep;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);
    p += n;
    left -= (size_t)n;
  }
  _exit(0);
}

/* One untimed-restore, timed call of the kernel; returns seconds, at least
 * one clock tick: a call shorter than the clock can see still took time,
 * and the search models log time (a time of 0 would be -inf). */
static double timed_call(tt_mz_kernel *k, double tick) {
  tt_mz_kernel_restore(k);
  double t0 = tt_now();
  k->kernel(k->args);
  double t = tt_now() - t0;
  if (k->device_time) t = k->device_time();
  return t > tick ? t : tick;
}

/* The timing loop (stopping rule in measure.h); fills rep's times. */
static void time_loop(tt_mz_kernel *k, const tt_measure_options *opt, tt_mz_report *rep) {
  int max = opt->max_repeats > 0 ? opt->max_repeats : 1;
  int min = opt->min_repeats < 1 ? 1 : opt->min_repeats > max ? max : opt->min_repeats;
  double *times = tt_xmalloc((size_t)max * sizeof *times);
  double spent = 0.0, tick = tt_clock_tick();
  int n = 0;
  while (n < max) {
    times[n] = timed_call(k, tick);
    spent += times[n++];
    if (spent >= TT_MEASURE_SLOW_BUDGETS * opt->budget_s) break;
    if (n < min) continue;
    if (spent >= opt->budget_s || tt_mz_spread(times + (n - min), min) <= opt->target_spread) break;
  }
  tt_mz_stats(times, n, min, rep);
  free(times);
}

/* Seconds this process's threads have spent waiting on a run queue for a
 * CPU (the second field of /proc/self/task/<tid>/schedstat, summed); -1
 * where the kernel does not keep it. */
static double runq_wait_s(void) {
  DIR *d = opendir("/proc/self/task");
  if (d == NULL) return -1;
  double sum = 0;
  int seen = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[64];
    unsigned long long run = 0, wait = 0;
    snprintf(path, sizeof path, "/proc/self/task/%.20s/schedstat", e->d_name);
    FILE *f = fopen(path, "r");
    if (f == NULL) continue;
    if (fscanf(f, "%llu %llu", &run, &wait) == 2) {
      sum += (double)wait * 1e-9;
      seen = 1;
    }
    fclose(f);
  }
  closedir(d);
  return seen ? sum : -1;
}

/* The timing loop, repeated (up to TT_MEASURE_DISTURBED_TRIES times in
 * all) while the kernel's threads spent more than TT_MEASURE_DISTURBED
 * of the timed wall time waiting for a CPU: another process took the cores,
 * and the times say more about it than about the kernel (gesummv at 2
 * threads read 12-16 ms instead of 1.6 us with a small spread). The least
 * disturbed attempt is kept; rep->wait_share says how disturbed it was. */
static void time_undisturbed(tt_mz_kernel *k, const tt_measure_options *opt, tt_mz_report *rep) {
  tt_mz_report best;
  memset(&best, 0, sizeof best);
  best.wait_share = -1;
  for (int attempt = 0; attempt < TT_MEASURE_DISTURBED_TRIES; attempt++) {
    tt_mz_report r = *rep;
    double w0 = runq_wait_s(), t0 = tt_now();
    time_loop(k, opt, &r);
    double w1 = runq_wait_s(), wall = tt_now() - t0;
    r.wait_share = w0 >= 0 && w1 >= 0 && wall > 0 ? (w1 - w0) / wall : -1;
    if (best.wait_share < 0 || (r.wait_share >= 0 && r.wait_share < best.wait_share)) best = r;
    if (r.wait_share < TT_MEASURE_DISTURBED) break;
  }
  *rep = best;
}

/* Warm-up + validation, timing, validation of the last timed output. */
static void run_variant(tt_mz_kernel *k, const tt_mz_ref *ref, const tt_measure_options *opt,
                        tt_mz_report *rep) {
  double err1 = -1, err2 = -1;
  k->kernel(k->args);
  if (ref != NULL && !tt_mz_validate(k, ref, opt, &err1, rep->message, sizeof rep->message)) {
    rep->outcome = TT_OUTCOME_WRONG_RESULT;
    rep->max_rel_err = err1;
    return;
  }
  time_undisturbed(k, opt, rep);
  if (ref != NULL && !tt_mz_validate(k, ref, opt, &err2, rep->message, sizeof rep->message)) {
    char first[TT_MEASURE_MSG_MAX];
    memcpy(first, rep->message, sizeof first);
    snprintf(rep->message, sizeof rep->message, "after the timed calls: %.*s",
             (int)sizeof first - 64, first);
    rep->outcome = TT_OUTCOME_WRONG_RESULT;
    rep->max_rel_err = err2;
    return;
  }
  rep->max_rel_err = err2 > err1 ? err2 : err1;
  rep->outcome = TT_OUTCOME_OK;
  if (rep->wait_share >= TT_MEASURE_DISTURBED)
    snprintf(rep->message, sizeof rep->message,
             "disturbed: its threads waited %.0f%% of the timed time for a CPU (another process "
             "was running); times are unreliable",
             100.0 * rep->wait_share);
}

/* The reference, timed like a variant: one warm-up call, then the timing
 * loop. A first call longer than the timing loop's own limit
 * (TT_MEASURE_SLOW_BUDGETS budgets) is the one timing instead: a variant
 * that slow is timed once too, and at that length a cold cache is lost in
 * the noise while a second call can cost half an hour at large sizes. The
 * naive reference is sequential and deterministic, so the output after the
 * last call is the one written. A file that cannot be written is the
 * environment's failure, not the reference's. */
static void run_reference(tt_mz_kernel *k, const tt_mz_job *job, tt_mz_report *rep) {
  double w0 = runq_wait_s(), t0 = tt_now();
  double first = timed_call(k, tt_clock_tick());
  double w1 = runq_wait_s(), wall = tt_now() - t0;
  if (first >= TT_MEASURE_SLOW_BUDGETS * job->opt->budget_s) {
    tt_mz_stats(&first, 1, 1, rep);
    rep->wait_share = w0 >= 0 && w1 >= 0 && wall > 0 ? (w1 - w0) / wall : -1;
  } else {
    time_undisturbed(k, job->opt, rep);
  }
  /* A disturbed time is this run's only: stored with the untrusted key, the
   * next session times the reference again instead of reusing it (a time
   * taken under load made later speed-ups on a quiet machine 2x too high). */
  uint64_t key =
      rep->wait_share >= TT_MEASURE_DISTURBED ? TT_MZ_UNTRUSTED_KEY : tt_mz_timing_key(job->opt);
  tt_mz_ref_timing tm = {rep->median, rep->spread, rep->repeats, key};
  if (tt_mz_ref_write(job->ref_path, k, &tm, rep->message, sizeof rep->message) != 0) {
    rep->env = 1;
    return;
  }
  rep->outcome = TT_OUTCOME_OK;
}

/* Runs when the kernel calls exit(): ends the process at once with the
 * kernel's status, before atexit handlers inherited from the parent (a
 * sanitizer's leak check among them) can change it. */
static void exit_now(int status, void *arg) {
  (void)arg;
  _exit(status);
}

/* Entry point of the child (see measure_impl.h). */
void tt_mz_child_main(const tt_mz_job *job, int report_fd) {
  tt_mz_report rep;
  memset(&rep, 0, sizeof rep);
  rep.outcome = TT_OUTCOME_RUNTIME_ERROR;
  rep.max_rel_err = -1;
  tt_mz_kernel k;
  tt_mz_ref ref, *refp = NULL;
  on_exit(exit_now, NULL);
  set_omp_env(job->opt);
  if (job->mode == TT_MZ_RUN && job->ref_path != NULL) {
    if (tt_mz_ref_read(job->ref_path, &ref, rep.message, sizeof rep.message) != 0) {
      rep.env = 1; /* the reference's fault, not the variant's */
      send_and_exit(report_fd, &rep);
    }
    refp = &ref;
  }
  if (tt_mz_kernel_load(&k, job->so_path, rep.message, sizeof rep.message) != 0) {
    if (k.build_failed) rep.outcome = TT_OUTCOME_COMPILE_ERROR;
    send_and_exit(report_fd, &rep);
  }
  if (job->mode == TT_MZ_REFERENCE)
    run_reference(&k, job, &rep);
  else
    run_variant(&k, refp, job->opt, &rep);
  send_and_exit(report_fd, &rep);
}
