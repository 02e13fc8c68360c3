/* The parent side of a measurement: fork the child, collect its report
 * and output with a deadline, and classify what happened. The parent never
 * loads a kernel, so it stays single-threaded and unharmed by crashes. */
#include "measure_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Kernel output kept for error messages; the rest is read and dropped. */
enum { OUT_MAX = 64 * 1024, OUT_TAIL = 400 };

typedef struct collected {
  tt_mz_report rep;
  size_t rep_len; /* bytes of rep received; complete when == sizeof rep */
  tt_str out;     /* the child's stdout+stderr (first OUT_MAX bytes) */
} collected;

/* Reads once from fd into c; returns 0 at EOF. */
static int read_some(int fd, int is_report, collected *c) {
  char buf[4096];
  char *dst = buf;
  size_t room = sizeof buf;
  if (is_report && c->rep_len < sizeof c->rep) {
    dst = (char *)&c->rep + c->rep_len;
    room = sizeof c->rep - c->rep_len;
  }
  ssize_t n = read(fd, dst, room);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (n <= 0) return 0;
  if (dst != buf)
    c->rep_len += (size_t)n;
  else if (!is_report && c->out.len < OUT_MAX)
    tt_str_appendn(&c->out, buf, (size_t)n);
  return 1;
}

/* Collects from both pipes until the child has ended and its report is
 * complete or can no longer come (1), or the deadline passes (0). The
 * output pipe is read all along so a chatty child never blocks on it, but
 * its EOF is not waited for: a grandchild may hold it open (the process
 * group is killed after this). *status gets the child's wait status.
 * Returns -1 as soon as *cancel is set (a SIGINT must not wait for the
 * variant's time limit: up to 60 s, 30 min for a reference). */
static int pump(int rep_fd, int out_fd, pid_t pid, double deadline, collected *c, int *status,
                volatile sig_atomic_t *cancel) {
  struct pollfd fds[2] = {{rep_fd, POLLIN, 0}, {out_fd, POLLIN, 0}};
  int reaped = 0;
  for (;;) {
    if (cancel != NULL && *cancel) return -1;
    if (!reaped && waitpid(pid, status, WNOHANG) == pid) reaped = 1;
    if (reaped && (c->rep_len == sizeof c->rep || fds[0].fd < 0)) return 1;
    double left = deadline - tt_now();
    if (left <= 0) return 0;
    /* short slices while the child runs: its exit is noticed by polling */
    int ms = left > 0.05 ? 50 : (int)(left * 1000.0) + 1;
    int r = poll(fds, 2, ms);
    if (r < 0 && errno != EINTR) return 1;
    for (int i = 0; r > 0 && i < 2; i++)
      if (fds[i].fd >= 0 && fds[i].revents != 0 && !read_some(fds[i].fd, i == 0, c))
        fds[i].fd = -1;             /* poll ignores negative fds */
    if (reaped && r == 0) return 1; /* ended, and nothing more is coming */
  }
}

/* Reads what is left of the output for up to 0.2 s after the group was
 * killed (the pipe reaches EOF once every holder is gone). */
static void drain_output(int out_fd, collected *c) {
  double until = tt_now() + 0.2;
  struct pollfd pfd = {out_fd, POLLIN, 0};
  while (tt_now() < until && poll(&pfd, 1, 20) > 0 && read_some(out_fd, 0, c))
    ;
}

/* In the child after fork: confinement, then the job; never returns. */
static void child(const tt_mz_job *job, int rep_w, int out_w, pid_t parent, pid_t parent_group,
                  double timeout) {
  setpgid(0, 0);                    /* its own group, which the parent kills */
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the tuner */
  if (getppid() != parent) _exit(1);
  if (tt_mz_sandbox_fds(rep_w, out_w) != 0) _exit(4);
  /* A crash must end the child by its signal, even under a sanitizer
   * runtime that installed its own handlers in the parent. */
  int deadly[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXCPU};
  for (size_t i = 0; i < sizeof deadly / sizeof deadly[0]; i++)
    signal(deadly[i], SIG_DFL);
  tt_mz_sandbox_limits(job->opt, timeout);
  tt_mz_sandbox_seccomp(parent, parent_group, job->opt->spawn_ok);
  tt_mz_child_main(job, TT_MZ_REPORT_FD);
}

/* Sets a failure outcome with what happened plus the tail of the child's
 * output, newlines flattened. */
static void fail(tt_measure_result *res, tt_outcome o, const char *what, const tt_str *out) {
  res->outcome = o;
  size_t n = out->len, start = n > OUT_TAIL ? n - OUT_TAIL : 0;
  while (n > start && (out->data[n - 1] == '\n' || out->data[n - 1] == ' '))
    n--;
  if (n == start) {
    snprintf(res->message, sizeof res->message, "%s", what);
    return;
  }
  snprintf(res->message, sizeof res->message, "%s; output: %s%.*s", what, start > 0 ? "..." : "",
           (int)(n - start), out->data + start);
  for (char *p = res->message; *p; p++)
    if (*p == '\n') *p = ' ';
}

/* Copies a complete report into res. */
static void take_report(tt_measure_result *res, const tt_mz_report *rep) {
  res->outcome = (tt_outcome)rep->outcome;
  memcpy(res->message, rep->message, sizeof res->message);
  res->message[sizeof res->message - 1] = '\0';
  res->time_median_s = rep->median;
  res->time_min_s = rep->min;
  res->time_mean_s = rep->mean;
  res->time_stddev_s = rep->stddev;
  res->spread = rep->spread;
  res->repeats = rep->repeats;
  res->max_rel_err = rep->max_rel_err;
  res->wait_share = rep->wait_share;
  res->disturbed = rep->wait_share >= TT_MEASURE_DISTURBED;
}

/* Classifies a finished child from its wait status and report. A report
 * that blames the environment is TT_ERR_ENV (err filled): it says nothing
 * about the kernel, so it must not become the kernel's outcome. */
static tt_status classify(tt_measure_result *res, int status, const collected *c, tt_error *err) {
  char what[256];
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && c->rep_len == sizeof c->rep &&
      c->rep.outcome >= 0 && c->rep.outcome < TT_OUTCOME_COUNT) {
    take_report(res, &c->rep);
    if (c->rep.env) return tt_error_set(err, TT_ERR_ENV, "%s", res->message);
    return TT_OK;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    snprintf(what, sizeof what, "exited without a result");
  else
    tt_proc_describe(status, what, sizeof what);
  fail(res, TT_OUTCOME_RUNTIME_ERROR, what, &c->out);
  return TT_OK;
}

/* Classifies a child that got no result before the deadline, or that
 * spent its CPU time limit (the time limit times the cores: SIGXCPU). */
static void timed_out(tt_measure_result *res, double timeout, int cpu, const collected *c) {
  char what[128];
  if (cpu)
    snprintf(what, sizeof what, "CPU time limit exceeded (%g s times the cores)", timeout);
  else
    snprintf(what, sizeof what, "no result within the %g s time limit (killed)", timeout);
  fail(res, TT_OUTCOME_TIMEOUT, what, &c->out);
}

/* See measure_impl.h. The child leads its own process group; the whole
 * group is killed once the child has ended (or timed out), so nothing it
 * started survives to hold the pipes or compete with the next timing. */
tt_status tt_mz_spawn(const tt_mz_job *job, tt_measure_result *res, tt_error *err) {
  tt_status st = TT_OK;
  int rep_p[2] = {-1, -1}, out_p[2] = {-1, -1};
  collected c;
  memset(&c, 0, sizeof c);
  tt_str_init(&c.out);
  double timeout = job->opt->run_timeout_s > 0 ? job->opt->run_timeout_s : 1e9;
  if (pipe2(rep_p, O_CLOEXEC) != 0 || pipe2(out_p, O_CLOEXEC) != 0) {
    st = tt_error_set(err, TT_ERR_IO, "pipe: %s", strerror(errno));
    goto done;
  }
  fflush(NULL);
  pid_t parent = getpid(), group = getpgrp();
  double deadline = tt_now() + timeout;
  pid_t pid = fork();
  if (pid < 0) {
    st = tt_error_set(err, TT_ERR_IO, "fork: %s", strerror(errno));
    goto done;
  }
  if (pid == 0) child(job, rep_p[1], out_p[1], parent, group, job->opt->run_timeout_s);
  setpgid(pid, pid); /* as in the child: whichever runs first, no race */
  close(rep_p[1]);
  close(out_p[1]);
  rep_p[1] = out_p[1] = -1;
  int status = 0;
  int finished = pump(rep_p[0], out_p[0], pid, deadline, &c, &status, job->opt->cancel);
  kill(-pid, SIGKILL);
  if (finished <= 0) {
    kill(pid, SIGKILL);
    tt_proc_wait(pid, 0, &status);
  }
  drain_output(out_p[0], &c);
  int cpu = finished > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU;
  if (finished < 0)
    fail(res, TT_OUTCOME_RUNTIME_ERROR, "interrupted", &c.out);
  else if (!finished || cpu)
    timed_out(res, timeout, cpu, &c);
  else
    st = classify(res, status, &c, err);
done:
  for (int i = 0; i < 2; i++) {
    if (rep_p[i] >= 0) close(rep_p[i]);
    if (out_p[i] >= 0) close(out_p[i]);
  }
  if (st != TT_OK && st != TT_ERR_ENV)
    fail(res, TT_OUTCOME_RUNTIME_ERROR, err != NULL ? err->msg : "cannot start child", &c.out);
  tt_str_free(&c.out);
  return st;
}
