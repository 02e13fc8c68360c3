/* tetune code generation: a lowered kernel (tt_lowered) printed as source.
 * One C printer serves every target; a dialect overrides a few hooks (loop
 * annotations, local buffers, function qualifiers), as Halide's GPU
 * printers do. The C/OpenMP dialect is the oracle the others are checked
 * against. */
#ifndef TETUNE_CODEGEN_H
#define TETUNE_CODEGEN_H

#include "tetune/export.h"
#include "tetune/ir.h"
#include "tetune/lower.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tt_cg tt_cg; /* printer state, internal */

/* Hooks of a target dialect. NULL hooks use the C printer's default. */
typedef struct tt_dialect {
  const char *name;
  /* Lines before a loop's `for` (OpenMP pragmas in C). */
  void (*loop_annotations)(tt_cg *g, const tt_stmt *loop);
  /* Declaration of a local buffer (stack or heap in C). Returns 1 when the
   * buffer must be freed at the end of its scope. */
  int (*local_buffer)(tt_cg *g, const tt_stmt *alloc);
} tt_dialect;

extern TT_API const tt_dialect tt_dialect_c;

typedef struct tt_codegen_opts {
  const char *size_name; /* for the header comment, e.g. "large" */
  const char *template_name;
  const char *config_json; /* shown in the header comment, or NULL */
  const char *prefix;      /* function name prefix (default "tt") */
  int abi;                 /* 1: emit tetune's loader ABI (metadata, tt_init, tt_kernel) */
  int standalone;          /* 1: functions are exported (not static); for `tetune export` */
  /* GPU targets: their host module is this C translation unit with the
   * device runtime placed after the constants (preamble) and tt_kernel
   * running kernel_call instead of the kernel function; cxx makes the
   * parameter lists and ABI calls valid C++ too (CUDA host code). */
  const char *preamble;
  const char *kernel_call;
  int cxx;
} tt_codegen_opts;

/* Prints the whole translation unit for l in dialect d. Returns a heap
 * string the caller frees. */
TT_API char *tt_codegen(const tt_dialect *d, const tt_lowered *l, const tt_codegen_opts *o);

/* The OpenCL and CUDA variants of l split as p (tt_lower_gpu): one
 * translation unit of host code in C (CUDA: C++ for nvcc) with tetune's
 * loader ABI (measure.h) plus the optional symbols tt_device_prepare and
 * tt_device_time_s, and the device program inside. Caller frees. */
TT_API char *tt_codegen_opencl(const tt_lowered *l, const tt_gpu_program *p,
                               const tt_codegen_opts *o);
TT_API char *tt_codegen_cuda(const tt_lowered *l, const tt_gpu_program *p,
                             const tt_codegen_opts *o);
/* The OpenCL host runtime those variants carry (static text): context,
 * program build, buffers, tt_device_prepare, tt_device_time_s and
 * tt_dev_run(args) timing from tt_dev_first to tt_dev_last. It needs
 * before it: tt_dev_source, the launch tables (TT_DEV_NK, TT_DEV_NT,
 * tt_dev_knames, tt_dev_local, tt_dev_nscal, tt_dev_ntens, tt_dev_tens),
 * TT_DEV_HOST naming the host function, and optionally
 * TT_DEV_BUILD_OPTIONS (a string: the program's build options). */
TT_API const char *tt_codegen_opencl_runtime(void);

/* A C header declaring the standalone functions of l (for export). */
TT_API char *tt_codegen_header(const tt_lowered *l, const tt_codegen_opts *o);

/* The C identifier for kernel name `name` with prefix (e.g. "tt_3mm"). */
TT_API char *tt_codegen_symbol(const char *prefix, const char *name);

#ifdef __cplusplus
}
#endif
#endif
