/* Internal to src/app: compile-ahead. A worker process, pinned to the cores
 * the measurement does not use (cpuset.h), compiles the next variant into
 * tt_compile's cache while the current one is timed, so that the tuner's
 * own tt_compile of it is a cache hit. The worker only fills the cache: a
 * variant it failed to compile is compiled again (and its error reported)
 * by the tuner. Requests are answered in order. */
#ifndef TT_APP_PREFETCH_H
#define TT_APP_PREFETCH_H

#include "app/cpuset.h"
#include "tetune/measure.h"

typedef struct tt_prefetch {
  int pid;     /* worker process, 0 when there is none */
  int req_fd;  /* requests: 8-byte length + source */
  int ack_fd;  /* one byte per finished request */
  int pending; /* requests not yet acknowledged */
} tt_prefetch;

/* Starts the worker when plan->split: the worker is pinned to
 * plan->compile, then the calling process pins itself to plan->measure (so
 * the measuring child inherits it). opt is copied by fork: it must not
 * change afterwards. Without a split, or when fork fails, pf->pid stays 0
 * and every call below does nothing. */
void tt_prefetch_start(tt_prefetch *pf, const tt_cpu_plan *plan, const tt_measure_options *opt);

/* Queues source for compiling. Returns 1 when queued. */
int tt_prefetch_submit(tt_prefetch *pf, const char *source);

/* Waits until every queued request is finished (or the worker died). The
 * tuner drains before queueing the next variant and measuring the current
 * one, so the current one is in the cache and the next compiles meanwhile. */
void tt_prefetch_drain(tt_prefetch *pf);

/* Ends the worker, waits for it and restores the original affinity. */
void tt_prefetch_stop(tt_prefetch *pf, const tt_cpu_plan *plan);

#endif
