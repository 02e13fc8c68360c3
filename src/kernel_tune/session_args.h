/* Internal to src/kernel_tune: the arguments a session records with it
 * (the sessions table's args), one builder for `tune`, `compare` and the
 * library's sessions so that they record the same fields. */
#ifndef TT_KERNEL_TUNE_SESSION_ARGS_H
#define TT_KERNEL_TUNE_SESSION_ARGS_H

#include <cjson/cJSON.h>

#include "tetune/kernel_tune.h"

/* What a session of job j records beyond the job itself. */
typedef struct tt_session_args {
  const char *command;  /* "tune", "library", "compare" */
  const char *strategy; /* its spec */
  uint64_t seed;
  int64_t trials;
  int workers;
  const tt_kernel_prepare_opts *prepare; /* NULL for compare: no timeout, remeasure,
                                            transfer nor baselines */
  const tt_transfer_info *transfer;      /* may be NULL */
  long seeds;                            /* > 0: recorded (compare) */
} tt_session_args;

/* The arguments as JSON: command, kernel, size, template, target, strategy,
 * seed, trials, [seeds], threads, [timeout_s, remeasure], workers,
 * [transfer], and with a->prepare the baselines default_config and
 * reference_time_s (the reference's warm time: it is timed again here
 * unless a->prepare->remote). Caller frees. */
char *tt_session_args_json(tt_job *j, const tt_session_args *a);

#endif
