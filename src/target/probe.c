/* Whether a target can build and run variants here. The OpenCL and CUDA
 * drivers are opened with dlopen, so tetune itself never links them and a
 * machine without them still runs every other target. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tetune/target.h"

/* 1 when `prog` is an executable in $PATH (or a path to one). */
static int in_path(const char *prog) {
  if (strchr(prog, '/')) return access(prog, X_OK) == 0;
  const char *path = getenv("PATH");
  char buf[4096];
  while (path && *path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, prog);
    if (access(buf, X_OK) == 0) return 1;
    path = end ? end + 1 : NULL;
  }
  return 0;
}

typedef int32_t (*cl_platforms_fn)(uint32_t, void **, uint32_t *);
typedef int32_t (*cl_devices_fn)(void *, uint64_t, uint32_t, void **, uint32_t *);
typedef int32_t (*cl_dev_info_fn)(void *, uint32_t, size_t, void *, size_t *);

enum { CL_DEVICE_TYPE_ALL_ = 0xFFFFFFFF, CL_DEVICE_NAME_ = 0x102B, CL_PLATFORM_NAME_ = 0x0902 };

/* The first OpenCL device: 0 with its name in name (may be NULL), or -1
 * with why. */
static int opencl_device(char *name, size_t nlen, char *why, size_t n) {
  void *dl = dlopen("libOpenCL.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    snprintf(why, n, "no OpenCL driver (libOpenCL.so.1 not found; install ocl-icd-libopencl1)");
    return -1;
  }
  cl_platforms_fn plats = (cl_platforms_fn)(uintptr_t)dlsym(dl, "clGetPlatformIDs");
  cl_devices_fn devs = (cl_devices_fn)(uintptr_t)dlsym(dl, "clGetDeviceIDs");
  cl_dev_info_fn info = (cl_dev_info_fn)(uintptr_t)dlsym(dl, "clGetDeviceInfo");
  void *plat = NULL, *dev = NULL;
  uint32_t np = 0, nd = 0;
  int rc = -1;
  if (!plats || !devs || !info || plats(1, &plat, &np) != 0 || np == 0)
    snprintf(why, n, "no OpenCL platform (install pocl-opencl-icd or a GPU driver)");
  else if (devs(plat, CL_DEVICE_TYPE_ALL_, 1, &dev, &nd) != 0 || nd == 0)
    snprintf(why, n, "no OpenCL device");
  else
    rc = 0;
  if (rc == 0 && name) {
    char dn[256] = "", pn[256] = "";
    info(dev, CL_DEVICE_NAME_, sizeof dn - 1, dn, NULL);
    cl_dev_info_fn pinfo = (cl_dev_info_fn)(uintptr_t)dlsym(dl, "clGetPlatformInfo");
    if (pinfo) pinfo(plat, CL_PLATFORM_NAME_, sizeof pn - 1, pn, NULL);
    snprintf(name, nlen, "%s (%s)", dn, pn);
  }
  dlclose(dl);
  return rc;
}

typedef int (*cu_init_fn)(unsigned);
typedef int (*cu_count_fn)(int *);
typedef int (*cu_get_fn)(int *, int);
typedef int (*cu_name_fn)(char *, int, int);

/* The first CUDA GPU: as opencl_device. */
static int cuda_device(char *name, size_t nlen, char *why, size_t n) {
  void *dl = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    snprintf(why, n, "no NVIDIA GPU (the driver's libcuda.so.1 is not installed)");
    return -1;
  }
  cu_init_fn init = (cu_init_fn)(uintptr_t)dlsym(dl, "cuInit");
  cu_count_fn count = (cu_count_fn)(uintptr_t)dlsym(dl, "cuDeviceGetCount");
  cu_get_fn get = (cu_get_fn)(uintptr_t)dlsym(dl, "cuDeviceGet");
  cu_name_fn dname = (cu_name_fn)(uintptr_t)dlsym(dl, "cuDeviceGetName");
  int c = 0, rc = -1, dev = 0;
  if (!init || !count || init(0) != 0 || count(&c) != 0 || c == 0)
    snprintf(why, n, "no NVIDIA GPU (the CUDA driver finds no device)");
  else
    rc = 0;
  if (rc == 0 && name && get && dname && get(&dev, 0) == 0) dname(name, (int)nlen, dev);
  dlclose(dl);
  return rc;
}

/* Runs a device probe in a child process: an OpenCL or CUDA runtime
 * started in tetune's own process would not survive the fork of the
 * measuring child (PoCL's worker threads stay behind in the parent). */
typedef int (*probe_fn)(char *, size_t, char *, size_t);
static int probe(probe_fn f, char *name, size_t nlen, char *why, size_t n) {
  char buf[1024] = "";
  int fd[2];
  if (pipe(fd) != 0) {
    snprintf(why, n, "cannot probe the device (pipe)");
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    char nm[600] = "", wh[300] = "";
    int rc = f(nm, sizeof nm, wh, sizeof wh);
    snprintf(buf, sizeof buf, "%d\n%s\n%s", rc, nm, wh);
    ssize_t w = write(fd[1], buf, strlen(buf));
    _exit(w < 0);
  }
  close(fd[1]);
  size_t got = 0;
  ssize_t r;
  while (pid > 0 && got < sizeof buf - 1 && (r = read(fd[0], buf + got, sizeof buf - 1 - got)) > 0)
    got += (size_t)r;
  buf[got] = 0;
  close(fd[0]);
  if (pid > 0) waitpid(pid, NULL, 0);
  char *l1 = strchr(buf, '\n'), *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
  if (pid <= 0 || !l1 || !l2) {
    snprintf(why, n, "the device probe failed");
    return -1;
  }
  *l1 = *l2 = 0;
  if (name) snprintf(name, nlen, "%s", l1 + 1);
  snprintf(why, n, "%s", l2 + 1);
  return atoi(buf);
}

static const char *nvcc(void) {
  return in_path("nvcc") ? "nvcc" : "/usr/local/cuda/bin/nvcc";
}

int tt_target_can_compile(const tt_target *t, char *why, size_t n) {
  if (t->kind == TT_TARGET_OPENCL && access("/usr/include/CL/cl.h", R_OK) != 0) {
    snprintf(why, n, "no OpenCL headers (install opencl-headers and ocl-icd-opencl-dev)");
    return 0;
  }
  if (t->kind == TT_TARGET_CUDA && !in_path(nvcc())) {
    snprintf(why, n, "no CUDA compiler (nvcc not in PATH nor /usr/local/cuda/bin)");
    return 0;
  }
  return 1;
}

int tt_target_usable(const tt_target *t, char *why, size_t n) {
  if (!tt_target_can_compile(t, why, n)) return 0;
  if (t->kind == TT_TARGET_OPENCL) return probe(opencl_device, NULL, 0, why, n) == 0;
  if (t->kind == TT_TARGET_CUDA) return probe(cuda_device, NULL, 0, why, n) == 0;
  return 1;
}

char *tt_target_device(const tt_target *t) {
  char name[600] = "", why[300];
  if (t->kind == TT_TARGET_OPENCL && probe(opencl_device, name, sizeof name, why, sizeof why) == 0)
    return tt_xstrdup(name);
  if (t->kind == TT_TARGET_CUDA && probe(cuda_device, name, sizeof name, why, sizeof why) == 0)
    return tt_xstrdup(name);
  return NULL;
}
