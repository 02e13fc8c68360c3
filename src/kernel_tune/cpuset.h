/* Internal to src/kernel_tune: which cores time a kernel and which may compile the
 * next variant meanwhile. A compile never runs on a core that is timing:
 * with T timing threads on a machine whose usable physical cores number C,
 * the first T cores (all their hardware threads) are the measurement's and
 * the other C - T the compiler's; with C <= T (or T unknown: 0) there is no
 * spare core and compile and measurement take turns. */
#ifndef TT_KERNEL_TUNE_CPUSET_H
#define TT_KERNEL_TUNE_CPUSET_H

#include <sched.h>

typedef struct tt_cpu_plan {
  int split;          /* 1 when there are spare cores for compiling */
  int cores;          /* usable physical cores */
  int timing_cores;   /* cores given to the measurement */
  cpu_set_t original; /* this process's affinity before the plan */
  cpu_set_t measure;  /* the measurement's logical CPUs */
  cpu_set_t compile;  /* the compile worker's logical CPUs */
} tt_cpu_plan;

/* Plans for `threads` timing threads (0: the environment decides, i.e. all
 * cores). Reads this process's affinity and the topology in /sys; a
 * missing topology counts every logical CPU as a core. */
void tt_cpu_plan_make(int threads, tt_cpu_plan *p);

/* Pins the calling process to set (its future children inherit it).
 * Returns 0, or -1 when the kernel refused. */
int tt_cpu_pin(const cpu_set_t *set);

#endif
