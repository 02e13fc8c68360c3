/* Exporting a GPU variant (export.h): the target's translation unit as
 * the tuner built it (host code, device program, loader ABI) and a header
 * saying how to build and call it. */
#include <stdlib.h>
#include <string.h>

#include "app/export.h"

/* The role of tensor t in words: the .te file's, and what a temp means to
 * the caller. */
static const char *role_word(const tt_tensor *t) {
  return t->role == TT_ROLE_TEMP ? "temp (the caller allocates it too)" : tt_role_name(t->role);
}

/* The header of a GPU export of j with configuration cfg_json. */
static char *gpu_header(const tt_job *j, const char *cfg_json) {
  const tt_kernel_def *k = j->kernel;
  int cuda = j->target->kind == TT_TARGET_CUDA;
  tt_arena *a = tt_arena_new();
  tt_str h = {0};
  tt_str_printf(&h,
                "/* %s for target %s (%s), size %s, template %s, configuration %s.\n"
                " * Build: %s\n"
                " * Call tt_device_prepare once (0: ready; else msg says why), tt_init(args)\n"
                " * to fill the inputs, then tt_kernel(args): copies in, runs, copies out;\n"
                " * tt_device_time_s() is the device time of the last call. args[i] points\n"
                " * to tensor i, row-major:\n",
                k->name, j->target->name, j->target->dialect, j->size_name, j->tmpl->name, cfg_json,
                cuda ? "nvcc -O3 -x cu -shared -Xcompiler -fPIC KERNEL.cu -o KERNEL.so"
                     : "cc -O2 -fPIC -shared KERNEL.c -o KERNEL.so -lOpenCL");
  for (size_t i = 0; i < k->ntensors; i++) {
    const tt_tensor *t = &k->tensors[i];
    tt_str_printf(&h, " *   %zu: %s %s", i, tt_dtype_ctype(t->type), t->name);
    for (size_t d = 0; d < t->ndim; d++)
      tt_str_printf(&h, "[%s]", tt_expr_str(a, t->shape[d]));
    tt_str_printf(&h, " (%s)\n", role_word(t));
  }
  tt_str_append(&h, " * with");
  for (size_t i = 0; i < k->nparams; i++)
    tt_str_printf(&h, "%s %s = %lld", i ? "," : "", k->params[i], (long long)j->size[i]);
  tt_str_printf(&h, ". */\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
                    "int tt_device_prepare(char *msg, unsigned long len);\n"
                    "void tt_init(void **args);\nvoid tt_kernel(void **args);\n"
                    "double tt_device_time_s(void);\n#ifdef __cplusplus\n}\n#endif\n");
  tt_arena_free(a);
  return tt_str_take(&h);
}

/* See export.h. */
tt_status tt_export_gpu_sources(tt_job *j, const uint32_t *cfg, char **c_src, char **h_src,
                                tt_error *err) {
  *c_src = *h_src = NULL;
  tt_status st = tt_job_source(j, cfg, 1, 0, c_src, err);
  if (st != TT_OK) return st;
  char *json = tt_space_config_to_json(j->space, cfg);
  *h_src = gpu_header(j, json);
  free(json);
  return TT_OK;
}
