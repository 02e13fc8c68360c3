/* Splitting the usable cores between timing and compiling (cpuset.h). */
#include "kernel_tune/cpuset.h"

#include <stdio.h>
#include <string.h>

#include "tetune/support.h"

/* A physical core: package and core id from /sys, or the CPU number when
 * the topology cannot be read (then every logical CPU is its own core). */
static long core_of(int cpu) {
  char path[128];
  long ids[2] = {-1, -1};
  const char *names[2] = {"physical_package_id", "core_id"};
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, names[i]);
    FILE *f = fopen(path, "r");
    if (!f) return -1 - (long)cpu;
    if (fscanf(f, "%ld", &ids[i]) != 1) ids[i] = -1;
    fclose(f);
  }
  if (ids[0] < 0 || ids[1] < 0) return -1 - (long)cpu;
  return ids[0] * 100000 + ids[1];
}

/* Plans the split; see cpuset.h. Cores are taken in CPU-number order of
 * their first hardware thread, so the measurement gets the low cores. */
void tt_cpu_plan_make(int threads, tt_cpu_plan *p) {
  memset(p, 0, sizeof *p);
  CPU_ZERO(&p->original);
  if (sched_getaffinity(0, sizeof p->original, &p->original) != 0) return;
  long seen[CPU_SETSIZE];
  int nseen = 0;
  CPU_ZERO(&p->measure);
  CPU_ZERO(&p->compile);
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &p->original)) continue;
    long core = core_of(cpu);
    int rank = 0;
    while (rank < nseen && seen[rank] != core)
      rank++;
    if (rank == nseen) seen[nseen++] = core;
    if (threads > 0 && rank < threads)
      CPU_SET(cpu, &p->measure);
    else
      CPU_SET(cpu, &p->compile);
  }
  p->cores = nseen;
  p->timing_cores = threads > 0 && threads < nseen ? threads : nseen;
  p->split = threads > 0 && nseen > threads;
}

/* Pins the calling process; see cpuset.h. */
int tt_cpu_pin(const cpu_set_t *set) {
  return sched_setaffinity(0, sizeof *set, set) == 0 ? 0 : -1;
}
