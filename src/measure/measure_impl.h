/* Internal to src/measure: shared between the parent-side runner, the
 * child-side loader/timer/validator and the compile cache. Not public. */
#ifndef TT_MEASURE_IMPL_H
#define TT_MEASURE_IMPL_H

#include <sys/types.h>

#include "tetune/measure.h"

/* What the child sends back through its report pipe: one fixed-size
 * record, written once. A short read means the child died first. */
typedef struct tt_mz_report {
  int outcome; /* tt_outcome */
  int env;     /* 1: the failure is the environment's (unreadable or damaged
                  reference, a file that cannot be written), not the kernel's */
  int repeats;
  double median, min, mean, stddev, spread, max_rel_err;
  double wait_share; /* run-queue wait / timed wall time; -1 unknown */
  char message[TT_MEASURE_MSG_MAX];
} tt_mz_report;

/* What the child is asked to do. */
typedef enum tt_mz_mode {
  TT_MZ_RUN,      /* warm-up, validate against ref_path, time */
  TT_MZ_REFERENCE /* one timed call, write outputs to ref_path */
} tt_mz_mode;

typedef struct tt_mz_job {
  tt_mz_mode mode;
  const char *so_path;
  const char *ref_path; /* RUN: may be NULL (no validation) */
  const tt_measure_options *opt;
} tt_mz_job;

/* A loaded kernel: metadata from the .so and the tensors allocated for it. */
typedef struct tt_mz_kernel {
  void *dl;
  int ntensors;
  const char *const *names;
  const long *elems;
  const int *elem_size;
  const int *role;
  const int *kind;   /* 0 float, 1 signed, 2 unsigned integer; NULL: all float */
  const double *tol; /* validation tolerance per tensor (0: default); may be NULL */
  void (*init)(void **);
  void (*kernel)(void **);
  /* Optional, GPU variants: the device time of the last tt_kernel call
   * (timed instead of the wall clock), and 1 when tt_device_prepare
   * reported that the device program does not build. */
  double (*device_time)(void);
  int build_failed;
  void **args;     /* ntensors buffers, 64-byte aligned */
  void **pristine; /* out/inout copies after tt_init; NULL for others */
} tt_mz_kernel;

/* How a reference was timed (stored in its file). */
typedef struct tt_mz_ref_timing {
  double time_s; /* median */
  double spread;
  int repeats;
  uint64_t timing_key; /* tt_mz_timing_key of the settings used */
} tt_mz_ref_timing;

/* A reference file in memory (see ref_file.c for the format). */
typedef struct tt_mz_ref {
  tt_mz_ref_timing timing;
  int ntensors; /* tensors stored */
  int *index;
  int *elem_size;
  long *elems;
  void **data; /* point into buf */
  char *buf;
} tt_mz_ref;

/* sandbox.c, in the child after fork (see there for what and why). The
 * report pipe ends up on TT_MZ_REPORT_FD. */
enum { TT_MZ_REPORT_FD = 3 };
/* Moves the output pipe to stdout/stderr, /dev/null to stdin, the report
 * pipe to TT_MZ_REPORT_FD and closes every other descriptor; 0 on success. */
int tt_mz_sandbox_fds(int rep_w, int out_w);
/* Core dumps off, CPU time and (when opt->tensor_bytes is known) address
 * space bounded for a child with this time limit. */
void tt_mz_sandbox_limits(const tt_measure_options *opt, double timeout_s);
/* Installs the seccomp filter that keeps the child away from the tuner
 * (pid tuner, process group tuner_group), and with spawn_ok 0 refuses new
 * processes; 0 on success, -1 where seccomp is unavailable. */
int tt_mz_sandbox_seccomp(pid_t tuner, pid_t tuner_group, int spawn_ok);

/* child.c: runs the job in the forked child, writes one report to
 * report_fd and _exits. Never returns. */
void tt_mz_child_main(const tt_mz_job *job, int report_fd) __attribute__((noreturn));

/* runner.c: forks, runs the job, waits with opt->run_timeout_s, classifies
 * the outcome into res. Returns TT_ERR_IO only when no child could run. */
tt_status tt_mz_spawn(const tt_mz_job *job, tt_measure_result *res, tt_error *err);

/* loader.c: dlopen + metadata checks + allocation + tt_init + pristine
 * copies. On failure returns nonzero with msg filled; the kernel is
 * cleaned up either way by tt_mz_kernel_unload. */
int tt_mz_kernel_load(tt_mz_kernel *k, const char *so_path, char *msg, size_t msg_len);
void tt_mz_kernel_restore(tt_mz_kernel *k);
void tt_mz_kernel_unload(tt_mz_kernel *k);

/* ref_file.c: write k's out/inout tensors and their timing to path
 * (atomic, with a checksum); read one back, checksum verified. Both return
 * nonzero with msg filled on failure. */
int tt_mz_ref_write(const char *path, const tt_mz_kernel *k, const tt_mz_ref_timing *tm, char *msg,
                    size_t msg_len);
int tt_mz_ref_read(const char *path, tt_mz_ref *ref, char *msg, size_t msg_len);
void tt_mz_ref_free(tt_mz_ref *ref);

/* options.c: a hash of the settings that decide how a kernel is timed
 * (repeats, spread target, budget, threads), so a cached reference time is
 * kept only when it was timed the same way. */
uint64_t tt_mz_timing_key(const tt_measure_options *opt);
/* options.c: the OpenMP variables the measuring child runs under beyond the
 * thread count, in the order tt_measure_omp_env prints them (at most
 * TT_MZ_OMP_VARS); values point into the environment or into spin. The
 * child sets each without overwriting, so the user's own values stay. */
typedef struct tt_mz_env_var {
  const char *name, *value;
} tt_mz_env_var;
enum { TT_MZ_OMP_VARS = 4 };
size_t tt_mz_omp_vars(const tt_measure_options *opt, tt_mz_env_var out[TT_MZ_OMP_VARS],
                      char spin[32]);
/* The key a reference file carries when its time was disturbed (another
 * process took the cores): it matches no settings, so the time is not
 * reused. */
#define TT_MZ_UNTRUSTED_KEY UINT64_C(0)

/* validate.c: compares k's outputs with ref; returns 1 when every tensor is
 * within its tolerance. *max_rel_err gets the maximum error; msg says what
 * failed (first bad tensor and element). */
int tt_mz_validate(const tt_mz_kernel *k, const tt_mz_ref *ref, const tt_measure_options *opt,
                   double *max_rel_err, char *msg, size_t msg_len);

/* options.c: the compiler (opt, else $CC, else "cc") and the flag list
 * (opt, else the defaults), both borrowed. */
const char *tt_mz_compiler(const tt_measure_options *opt);
const char *const *tt_mz_flags(const tt_measure_options *opt);
/* Pushes the words of compiler (split at blanks) onto argv; returns the
 * buffer they point into (caller frees after argv is used). */
char *tt_mz_compiler_words(const char *compiler, tt_vec *argv);

/* fingerprint.c: the CPU model from /proc/cpuinfo, or "unknown"; caller
 * frees. */
char *tt_mz_cpu_model(void);

/* stats.c: summary of n timed calls into the report fields. */
void tt_mz_stats(const double *times, int n, int window, tt_mz_report *rep);
/* (max - min) / median of times[0..n). */
double tt_mz_spread(const double *times, int n);

#endif
