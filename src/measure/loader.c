/* Loading a kernel shared object in the measuring child: metadata checks,
 * tensor allocation, tt_init and pristine copies (see the ABI in
 * measure.h). Runs only in the child: the parent never loads kernels. */
#include "measure_impl.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Looks up a required symbol; NULL with msg filled when missing. */
static void *need_sym(void *dl, const char *name, char *msg, size_t len) {
  void *p = dlsym(dl, name);
  if (p == NULL) snprintf(msg, len, "kernel library lacks symbol %s", name);
  return p;
}

/* Reads and checks the metadata symbols into k. Returns 0 on success. */
static int load_metadata(tt_mz_kernel *k, char *msg, size_t len) {
  const int *abi = need_sym(k->dl, "tt_abi_version", msg, len);
  const int *n = abi ? need_sym(k->dl, "tt_ntensors", msg, len) : NULL;
  if (n == NULL) return -1;
  if (*abi != TT_MEASURE_ABI_VERSION) {
    snprintf(msg, len, "kernel ABI version %d, expected %d", *abi, TT_MEASURE_ABI_VERSION);
    return -1;
  }
  k->names = need_sym(k->dl, "tt_tensor_names", msg, len);
  k->elems = need_sym(k->dl, "tt_tensor_elems", msg, len);
  k->elem_size = need_sym(k->dl, "tt_tensor_elem_size", msg, len);
  k->role = need_sym(k->dl, "tt_tensor_role", msg, len);
  *(void **)&k->init = need_sym(k->dl, "tt_init", msg, len);
  *(void **)&k->kernel = need_sym(k->dl, "tt_kernel", msg, len);
  if (!k->names || !k->elems || !k->elem_size || !k->role || !k->init || !k->kernel) return -1;
  /* optional (generated since integer tensors and tolerances): element
   * kinds and per-tensor tolerances */
  k->kind = dlsym(k->dl, "tt_tensor_kind");
  k->tol = dlsym(k->dl, "tt_tensor_tol");
  if (*n <= 0 || *n > 4096) {
    snprintf(msg, len, "kernel declares %d tensors", *n);
    return -1;
  }
  k->ntensors = *n;
  for (int i = 0; i < k->ntensors; i++) {
    int es = k->elem_size[i], r = k->role[i];
    int kind = k->kind ? k->kind[i] : 0;
    if ((es != 4 && es != 8 && !(es == 1 && kind == 2)) || kind < 0 || kind > 2 ||
        (kind == 0 && es == 1) || k->elems[i] < 0 || r < TT_ABI_ROLE_IN || r > TT_ABI_ROLE_TEMP) {
      snprintf(msg, len, "tensor %d: bad metadata (elem_size %d, elems %ld, role %d)", i, es,
               k->elems[i], r);
      return -1;
    }
  }
  return 0;
}

/* Allocates zeroed, 64-byte aligned tensors. Returns 0 on success. */
static int alloc_tensors(tt_mz_kernel *k, char *msg, size_t len) {
  k->args = tt_xcalloc((size_t)k->ntensors, sizeof *k->args);
  k->pristine = tt_xcalloc((size_t)k->ntensors, sizeof *k->pristine);
  for (int i = 0; i < k->ntensors; i++) {
    size_t bytes = (size_t)k->elems[i] * (size_t)k->elem_size[i];
    if (posix_memalign(&k->args[i], 64, bytes ? bytes : 64) != 0) {
      k->args[i] = NULL;
      snprintf(msg, len, "cannot allocate %zu bytes for tensor %s", bytes, k->names[i]);
      return -1;
    }
    memset(k->args[i], 0, bytes);
  }
  return 0;
}

/* GPU variants define tt_device_prepare (build the device program,
 * allocate device memory: 0 ok, 1 build error, 2 other) and
 * tt_device_time_s. Returns 0 when ready. */
static int prepare_device(tt_mz_kernel *k, char *msg, size_t len) {
  int (*prepare)(char *, unsigned long);
  *(void **)&prepare = dlsym(k->dl, "tt_device_prepare");
  *(void **)&k->device_time = dlsym(k->dl, "tt_device_time_s");
  int rc = prepare ? prepare(msg, len) : 0;
  k->build_failed = rc == 1;
  return rc;
}

/* Bytes of tensor i. */
static size_t tensor_bytes(const tt_mz_kernel *k, int i) {
  return (size_t)k->elems[i] * (size_t)k->elem_size[i];
}

/* Loads so_path and prepares its tensors (see measure_impl.h). */
int tt_mz_kernel_load(tt_mz_kernel *k, const char *so_path, char *msg, size_t len) {
  memset(k, 0, sizeof *k);
  k->dl = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
  if (k->dl == NULL) {
    snprintf(msg, len, "cannot load kernel: %s", dlerror());
    return -1;
  }
  if (load_metadata(k, msg, len) != 0 || prepare_device(k, msg, len) != 0 ||
      alloc_tensors(k, msg, len) != 0)
    return -1;
  k->init(k->args);
  for (int i = 0; i < k->ntensors; i++) {
    if (k->role[i] != TT_ABI_ROLE_OUT && k->role[i] != TT_ABI_ROLE_INOUT) continue;
    k->pristine[i] = tt_xmalloc(tensor_bytes(k, i));
    memcpy(k->pristine[i], k->args[i], tensor_bytes(k, i));
  }
  return 0;
}

/* Restores every out/inout tensor to its state right after tt_init. */
void tt_mz_kernel_restore(tt_mz_kernel *k) {
  for (int i = 0; i < k->ntensors; i++)
    if (k->pristine[i] != NULL) memcpy(k->args[i], k->pristine[i], tensor_bytes(k, i));
}

/* Frees the tensors; safe after a failed load. The library stays mapped:
 * unloading libgomp under its idle worker threads can crash, and the child
 * exits right after anyway. */
void tt_mz_kernel_unload(tt_mz_kernel *k) {
  for (int i = 0; k->args != NULL && i < k->ntensors; i++) {
    free(k->args[i]);
    free(k->pristine[i]);
  }
  free(k->args);
  free(k->pristine);
  memset(k, 0, sizeof *k);
}
