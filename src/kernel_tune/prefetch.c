/* The compile-ahead worker (prefetch.h). */
#include "kernel_tune/prefetch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads exactly n bytes; returns 0, or -1 at EOF or on error. */
static int read_all(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* Writes exactly n bytes; returns 0, or -1 on error (a dead reader). */
static int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The worker's life: compile each request into the cache, answer it with
 * the compile's interval, end at EOF. Never returns. */
static void worker(int req_fd, int ack_fd, const tt_measure_options *opt) {
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the tuner */
  signal(SIGINT, SIG_IGN);          /* the tuner decides when to stop */
  for (;;) {
    uint64_t len;
    if (read_all(req_fd, &len, sizeof len) != 0) break;
    char *src = malloc(len + 1);
    if (!src || read_all(req_fd, src, len) != 0) break;
    src[len] = '\0';
    char *so = NULL;
    tt_measure_result res;
    double span[2] = {tt_wall_now(), 0};
    tt_compile(src, opt, &so, &res, NULL);
    span[1] = tt_wall_now();
    free(so);
    free(src);
    if (write_all(ack_fd, span, sizeof span) != 0) break;
  }
  _exit(0);
}

/* Starts a worker; see prefetch.h. */
void tt_prefetch_start(tt_prefetch *pf, const cpu_set_t *cores, const tt_measure_options *opt) {
  memset(pf, 0, sizeof *pf);
  pf->req_fd = pf->ack_fd = -1;
  int req[2], ack[2];
  if (pipe2(req, O_CLOEXEC) != 0) return;
  if (pipe2(ack, O_CLOEXEC) != 0) {
    close(req[0]);
    close(req[1]);
    return;
  }
  signal(SIGPIPE, SIG_IGN); /* a dead worker must not kill the tuner */
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    close(req[1]);
    close(ack[0]);
    sched_setaffinity(0, sizeof *cores, cores);
    worker(req[0], ack[1], opt);
  }
  close(req[0]);
  close(ack[1]);
  if (pid < 0) {
    close(req[1]);
    close(ack[0]);
    return;
  }
  pf->pid = (int)pid;
  pf->req_fd = req[1];
  pf->ack_fd = ack[0];
}

/* Queues a request; see prefetch.h. */
int tt_prefetch_submit(tt_prefetch *pf, const char *source) {
  if (pf->pid <= 0) return 0;
  uint64_t len = strlen(source);
  if (write_all(pf->req_fd, &len, sizeof len) != 0 || write_all(pf->req_fd, source, len) != 0)
    return 0;
  pf->pending++;
  return 1;
}

/* Waits for the oldest answer; see prefetch.h. */
int tt_prefetch_wait(tt_prefetch *pf, double *start, double *end) {
  double span[2];
  if (pf->pid <= 0 || pf->pending == 0 || read_all(pf->ack_fd, span, sizeof span) != 0) {
    pf->pending = 0; /* the worker died: the tuner compiles for itself */
    return -1;
  }
  pf->pending--;
  *start = span[0];
  *end = span[1];
  return 0;
}

/* Ends the worker; see prefetch.h. */
void tt_prefetch_stop(tt_prefetch *pf) {
  if (pf->pid <= 0) return;
  close(pf->req_fd); /* EOF: the worker exits after its current compile */
  close(pf->ack_fd);
  int status;
  while (waitpid(pf->pid, &status, 0) < 0 && errno == EINTR) {
  }
  memset(pf, 0, sizeof *pf);
  pf->req_fd = pf->ack_fd = -1;
}
