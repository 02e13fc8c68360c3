/* Internal to src/kernel_tune: compile-ahead workers. A worker process (pinned to
 * the cores it is given) compiles variants into tt_compile's cache while
 * others are timed, so that the tuner's own tt_compile of them is a cache
 * hit. A worker only fills the cache: a variant it failed to compile is
 * compiled again (and its error reported) by the tuner. Requests are
 * answered in order, each with when its compile began and ended. */
#ifndef TT_KERNEL_TUNE_PREFETCH_H
#define TT_KERNEL_TUNE_PREFETCH_H

#include <sched.h>

#include "tetune/measure.h"

typedef struct tt_prefetch {
  int pid;     /* worker process, 0 when there is none */
  int req_fd;  /* requests: 8-byte length + source */
  int ack_fd;  /* two doubles per finished request: compile start, end */
  int pending; /* requests not yet acknowledged */
} tt_prefetch;

/* Starts a worker pinned to `cores`. opt is copied by fork: it must not
 * change afterwards. When fork fails pf->pid stays 0 and every call below
 * does nothing. */
void tt_prefetch_start(tt_prefetch *pf, const cpu_set_t *cores, const tt_measure_options *opt);

/* Queues source for compiling. Returns 1 when queued. */
int tt_prefetch_submit(tt_prefetch *pf, const char *source);

/* Waits for the oldest pending request's answer: 0 with its compile's wall
 * interval, -1 when the worker died (every pending request is dropped). */
int tt_prefetch_wait(tt_prefetch *pf, double *start, double *end);

/* Ends the worker and waits for it. */
void tt_prefetch_stop(tt_prefetch *pf);

#endif
