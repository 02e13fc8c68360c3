/* Internal to src/codegen: what the OpenCL and CUDA dialects share — the
 * device program printed from a tt_gpu_program, and the host module around
 * it. A GPU dialect is the C printer with a few words changed. */
#ifndef TT_CODEGEN_GPU_H
#define TT_CODEGEN_GPU_H

#include "codegen/cg.h"

typedef struct tt_gpu_dialect {
  const tt_dialect *printer; /* hooks of the C printer for device code */
  const char *preamble;      /* index names, TT_BARRIER, fp64 */
  const char *postamble;     /* after the device code, or NULL */
  const char *kernel;        /* "__kernel void" */
  const char *global;        /* address space of tensor pointers: "__global " */
  const char *local;         /* of staged tiles: "__local " */
  const char *helper;        /* storage of helper functions: "static inline" */
  const char *host_runtime;  /* context, buffers, tt_dev_launch, tt_dev_run */
  int embed_source;          /* the device program is a string built at run time */
  int cxx;                   /* the host unit is C++ */
} tt_gpu_dialect;

/* Appends the device program of p (constants, helpers, kernels) to out. */
void tt_cg_gpu_device(const tt_gpu_dialect *gd, const tt_lowered *l, const tt_gpu_program *p,
                      tt_str *out);
/* Replaces every "@launch N" of the host tree by a call
 * `launch(N, (long[]){groups}, (long[]){scalars})`. */
tt_stmt *tt_cg_gpu_host(tt_arena *a, const tt_lowered *l, const tt_gpu_program *p,
                        const char *launch);
/* The per-kernel tables the host runtime reads: TT_DEV_NK, tt_dev_knames,
 * tt_dev_local, tt_dev_ntens, tt_dev_tens, tt_dev_nscal, and TT_DEV_NS (the
 * most scalar arguments of one kernel). */
void tt_cg_gpu_tables(const tt_lowered *l, const tt_gpu_program *p, tt_str *out);
/* name[] as a C string literal holding text. */
void tt_cg_gpu_literal(const char *name, const char *text, tt_str *out);
/* The whole variant: launch tables, device program, runtime, then the C
 * module (constants, tt_init, the host program, the loader ABI). */
char *tt_cg_gpu_module(const tt_gpu_dialect *gd, const tt_lowered *l, const tt_gpu_program *p,
                       const tt_codegen_opts *o);
/* Device loop annotations: `#pragma unroll N`. */
void tt_cg_gpu_loop(tt_cg *g, const tt_stmt *loop);
/* A private buffer: a plain array. */
int tt_cg_gpu_buffer(tt_cg *g, const tt_stmt *alloc);

#endif
