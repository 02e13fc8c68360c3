/* Confining the measuring child (runs in the child after fork, before the
 * kernel is loaded): it must not reach the tuner, its database or the
 * machine beyond what a kernel needs.
 *
 *  - descriptors: only stdin (/dev/null), stdout/stderr (the output pipe)
 *    and the report pipe (moved to fd 3) stay open; the tuner's SQLite
 *    database, -wal and -shm are closed before any kernel code runs;
 *  - resource limits: no core dumps; CPU time bounded by the time limit
 *    times the cores (a backstop against anything that escapes the
 *    process-group kill); address space bounded by the declared tensor
 *    sizes plus a margin, when they are known (not under AddressSanitizer,
 *    whose shadow memory needs terabytes of address space);
 *  - a seccomp filter (x86-64): no new processes (fork, vfork, clone
 *    without CLONE_THREAD; clone3 answers ENOSYS so threads fall back to
 *    clone) unless the options' spawn_ok (an OpenCL runtime links the
 *    device program with a linker process), no setsid/setpgid (the child stays in the process group
 * the tuner kills), no signals to the tuner, its process group or every process (kill -1), no
 * ptrace or pidfd signals. Threads (OpenMP) work. */
#include "measure_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#define TT_HAVE_SECCOMP 1
#endif

#if defined(__SANITIZE_ADDRESS__)
#define TT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TT_ASAN 1
#endif
#endif

/* See measure_impl.h. */
int tt_mz_sandbox_fds(int rep_w, int out_w) {
  int rep = fcntl(rep_w, F_DUPFD, 10); /* out of the way of 0..3 */
  if (rep < 0 || dup2(out_w, 1) < 0 || dup2(out_w, 2) < 0) return -1;
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull < 0 || dup2(devnull, 0) < 0) return -1;
  if (dup2(rep, TT_MZ_REPORT_FD) < 0) return -1;
  return close_range(TT_MZ_REPORT_FD + 1, ~0U, 0);
}

#ifndef TT_ASAN
/* Address space (virtual size) of this process in bytes (/proc/self/statm),
 * 0 when unknown. */
static size_t vm_size(void) {
  unsigned long pages = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL) return 0;
  if (fscanf(f, "%lu", &pages) != 1) pages = 0;
  fclose(f);
  return pages * (size_t)sysconf(_SC_PAGESIZE);
}
#endif

/* Sets one limit (soft and hard); failures are ignored: a limit that the
 * system refuses leaves the child as confined as before, not broken. */
static void limit(int res, rlim_t v) {
  struct rlimit r = {v, v};
  setrlimit(res, &r);
}

/* See measure_impl.h. */
void tt_mz_sandbox_limits(const tt_measure_options *opt, double timeout_s) {
  limit(RLIMIT_CORE, 0);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (timeout_s > 0 && timeout_s < 1e8)
    limit(RLIMIT_CPU, (rlim_t)(timeout_s * (double)(cores > 0 ? cores : 1)) + 10);
#ifndef TT_ASAN
  if (opt->tensor_bytes > 0) {
    /* tensors, their pristine copies and the reference read back, plus
     * per-thread stacks and malloc arenas, plus room for libgomp and the
     * kernel's own buffers */
    size_t threads = (size_t)(opt->threads > 0 ? opt->threads : cores > 0 ? cores : 1);
    size_t bytes = vm_size() + 3 * (size_t)opt->tensor_bytes + threads * ((size_t)192 << 20) +
                   ((size_t)1 << 30);
    limit(RLIMIT_AS, (rlim_t)bytes);
  }
#endif
}

#ifdef TT_HAVE_SECCOMP
/* BPF building blocks: load the syscall number / an argument's low word. */
#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARG(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i]))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define DENY(e) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (e))
/* if (acc == v) skip t else skip f */
#define IF_EQ(v, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(v), t, f)

/* See measure_impl.h. */
int tt_mz_sandbox_seccomp(pid_t tuner, pid_t tuner_group, int spawn_ok) {
  /* New processes: refused, or allowed where a device runtime spawns its
   * linker (they stay in the child's process group, killed with it). */
  struct sock_filter spawn = spawn_ok ? (struct sock_filter)ALLOW : (struct sock_filter)DENY(EPERM);
  uint32_t self_neg = (uint32_t)-1, grp_neg = (uint32_t)-tuner_group;
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      IF_EQ(AUDIT_ARCH_X86_64, 1, 0),
      ALLOW, /* another ABI (x32, i386): leave it alone */
      LD_NR,
      IF_EQ(__NR_fork, 0, 1),
      spawn,
      IF_EQ(__NR_vfork, 0, 1),
      spawn,
      IF_EQ(__NR_clone3, 0, 1),
      DENY(ENOSYS),
      IF_EQ(__NR_setsid, 0, 1),
      DENY(EPERM),
      IF_EQ(__NR_setpgid, 0, 1),
      DENY(EPERM),
      IF_EQ(__NR_ptrace, 0, 1),
      DENY(EPERM),
      IF_EQ(__NR_pidfd_send_signal, 0, 1),
      DENY(EPERM),
      IF_EQ(__NR_clone, 0, 4),
      LD_ARG(0), /* clone flags: threads only */
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1),
      ALLOW,
      spawn,
      IF_EQ(__NR_kill, 2, 0),
      IF_EQ(__NR_tkill, 1, 0),
      IF_EQ(__NR_tgkill, 0, 6),
      LD_ARG(0), /* the target */
      IF_EQ((uint32_t)tuner, 3, 0),
      IF_EQ(self_neg, 2, 0),
      IF_EQ(grp_neg, 1, 0),
      ALLOW,
      DENY(EPERM),
      ALLOW,
  };
  struct sock_fprog prog = {(unsigned short)(sizeof f / sizeof f[0]), f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}
#else
int tt_mz_sandbox_seccomp(pid_t tuner, pid_t tuner_group, int spawn_ok) {
  (void)tuner;
  (void)tuner_group;
  (void)spawn_ok;
  return -1;
}
#endif
