/* Running a child process with captured output and a timeout.
 *
 * The child gets its own process group (setpgid in both parent and child,
 * so there is no race), stdin from /dev/null and stdout+stderr on one pipe.
 * A second close-on-exec pipe reports an execvp failure: if it delivers an
 * errno, the program could not be started (TT_ERR_IO); if it closes empty,
 * the exec succeeded. On timeout the whole group gets SIGKILL, so a
 * compiler's sub-processes die with it; a supervisor process between us
 * and the program does the same when the tuner itself is killed. */
#include "tetune/support.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Output beyond this is read and dropped, so a chatty child cannot exhaust
 * our memory. */
enum { PROC_MAX_OUT = 1 << 20 };

/* SIGUSR1 in the supervisor: the tuner died; kill the whole group. */
static void kill_group(int sig) {
  (void)sig;
  kill(0, SIGKILL);
}

/* The supervisor (the group leader the tuner forked) waits for the program
 * and ends the way it ended. It gets SIGUSR1 when the tuner dies
 * (PR_SET_PDEATHSIG) and then kills its group: the program and everything
 * it started (a compiler driver's cc1, as, ld), which PR_SET_PDEATHSIG on
 * the program alone would leave running. */
__attribute__((noreturn)) static void supervise(pid_t prog, pid_t parent) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = kill_group;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  prctl(PR_SET_PDEATHSIG, SIGUSR1);
  if (getppid() != parent) kill(0, SIGKILL); /* the tuner died before prctl */
  int status = 0;
  while (waitpid(prog, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  signal(WTERMSIG(status), SIG_DFL);
  kill(getpid(), WTERMSIG(status));
  _exit(128 + WTERMSIG(status));
}

/* In the child, after fork: its own process group, wired fds, then the
 * program in a grandchild under supervise(); never returns. */
static void child_exec(char *const argv[], int out_w, int err_w, pid_t parent) {
  setpgid(0, 0);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) {
    dup2(devnull, 0);
    close(devnull);
  }
  dup2(out_w, 1);
  dup2(out_w, 2);
  close(out_w);
  pid_t prog = fork();
  if (prog == 0) {
    execvp(argv[0], argv);
    int e = errno;
    ssize_t w = write(err_w, &e, sizeof e);
    (void)w;
    _exit(127);
  }
  if (prog < 0) {
    int e = errno;
    ssize_t w = write(err_w, &e, sizeof e);
    (void)w;
    _exit(127);
  }
  close(err_w); /* the parent sees EOF once the program's exec closes its copy */
  supervise(prog, parent);
}

/* Reads what is available from fd into out; returns 0 at EOF or error. */
static int drain(int fd, tt_str *out) {
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (n <= 0) return 0;
  if (out->len < PROC_MAX_OUT) tt_str_appendn(out, buf, (size_t)n);
  return 1;
}

/* Milliseconds left until deadline (deadline <= 0: -1, meaning forever). */
static int ms_left(double deadline) {
  if (deadline <= 0) return -1;
  double left = deadline - tt_now();
  return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

/* Waits for pid until deadline (see support.h). Polls because waitpid has
 * no timeout of its own. */
int tt_proc_wait(int pid, double deadline, int *status) {
  for (;;) {
    pid_t r = waitpid(pid, status, deadline > 0 ? WNOHANG : 0);
    if (r == pid) return 1;
    if (r < 0 && errno != EINTR) {
      *status = 0; /* not our child any more: treat as reaped */
      return 1;
    }
    if (deadline > 0 && tt_now() >= deadline) return 0;
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

/* Reads the child's output until EOF or the deadline; returns 0 on
 * timeout. */
static int collect(int fd, double deadline, tt_str *out) {
  for (;;) {
    int ms = ms_left(deadline);
    if (ms == 0) return 0;
    struct pollfd pfd = {fd, POLLIN, 0};
    int r = poll(&pfd, 1, ms);
    if (r < 0 && errno != EINTR) return 1;
    if (r > 0 && !drain(fd, out)) return 1;
  }
}

/* Fills res from a waitpid status. */
static void set_status(tt_proc_result *res, int status) {
  if (WIFEXITED(status)) {
    res->exited = 1;
    res->exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    res->signal = WTERMSIG(status);
  }
}

/* Runs argv (see support.h). res->out is always allocated on return. */
tt_status tt_proc_run(char *const argv[], double timeout_s, tt_proc_result *res, tt_error *err) {
  tt_status st = TT_OK;
  int out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
  tt_str out;
  tt_str_init(&out);
  memset(res, 0, sizeof *res);
  double t0 = tt_now();
  double deadline = timeout_s > 0 ? t0 + timeout_s : 0;
  if (pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0) {
    st = tt_error_set(err, TT_ERR_IO, "pipe: %s", strerror(errno));
    goto done;
  }
  fflush(NULL); /* unflushed stdio buffers would be written twice */
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    st = tt_error_set(err, TT_ERR_IO, "fork: %s", strerror(errno));
    goto done;
  }
  if (pid == 0) child_exec(argv, out_p[1], err_p[1], parent);
  setpgid(pid, pid);
  close(out_p[1]);
  close(err_p[1]);
  out_p[1] = err_p[1] = -1;
  int exec_errno = 0;
  ssize_t got;
  do
    got = read(err_p[0], &exec_errno, sizeof exec_errno);
  while (got < 0 && errno == EINTR);
  int status = 0;
  if (got == (ssize_t)sizeof exec_errno) {
    waitpid(pid, &status, 0);
    st = tt_error_set(err, TT_ERR_IO, "cannot run %s: %s", argv[0], strerror(exec_errno));
    goto done;
  }
  int finished = collect(out_p[0], deadline, &out) && tt_proc_wait(pid, deadline, &status);
  if (!finished) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    res->timed_out = 1;
  } else {
    set_status(res, status);
  }
done:
  for (int i = 0; i < 2; i++) {
    if (out_p[i] >= 0) close(out_p[i]);
    if (err_p[i] >= 0) close(err_p[i]);
  }
  res->wall_s = tt_now() - t0;
  res->out = tt_str_take(&out);
  return st;
}

/* Describes a waitpid status in words (see support.h). */
void tt_proc_describe(int status, char *buf, size_t len) {
  if (WIFEXITED(status))
    snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    snprintf(buf, len, "ended with wait status 0x%x", (unsigned)status);
}

/* Frees the captured output; res itself belongs to the caller. */
void tt_proc_result_free(tt_proc_result *res) {
  if (res == NULL) return;
  free(res->out);
  res->out = NULL;
}
