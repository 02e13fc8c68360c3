/* tetune targets: what a variant is generated for, as data in one registry
 * (as ggml's backends or Halide's Target). A target names its dialect, the
 * compiler and flags that build a variant, how the variant runs, what the
 * machine fingerprint records about it, which schedule steps it supports
 * and whether it can run on this machine. The C target is the reference
 * every other target is validated against. */
#ifndef TETUNE_TARGET_H
#define TETUNE_TARGET_H

#include <stddef.h>

#include "tetune/codegen.h"
#include "tetune/export.h"
#include "tetune/ir.h"
#include "tetune/lower.h"
#include "tetune/measure.h"
#include "tetune/schedule.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tt_target_kind { TT_TARGET_C = 0, TT_TARGET_OPENCL, TT_TARGET_CUDA } tt_target_kind;

typedef struct tt_target {
  tt_target_kind kind;
  const char *name;               /* "c", "opencl", "cuda" (the --target value) */
  const char *store_name;         /* the tasks.target column: "cpu", "opencl", "cuda" */
  const char *dialect;            /* "C/OpenMP", "OpenCL C 1.2", "CUDA C++" */
  const char *compiler;           /* NULL: $CC, else cc */
  const char *const *flags;       /* NULL-terminated; NULL: the measure layer's defaults */
  const char *runner;             /* how a variant runs, in words */
  const char *const *fingerprint; /* what the fingerprint records, NULL-terminated */
  unsigned steps;                 /* supported schedule steps: bit 1u << tt_step_kind */
  int local_staging;              /* cache_read ... local is supported */
  int gpu;                        /* lowered by tt_lower_gpu */
  tt_gpu_limits limits;           /* gpu: what the lowering allows */
} tt_target;

/* The registry, in order c, opencl, cuda. */
TT_API const tt_target *tt_target_list(size_t *n);
/* By name ("cpu" is the C target too); NULL when unknown. */
TT_API const tt_target *tt_target_find(const char *name);
/* 1 when variants can be built and run here; else 0 and why (one line:
 * no driver, no device, no compiler). */
TT_API int tt_target_usable(const tt_target *t, char *why, size_t n);
/* 1 when variants can at least be compiled here (a CUDA machine without a
 * GPU still has nvcc); else 0 and why. */
TT_API int tt_target_can_compile(const tt_target *t, char *why, size_t n);
/* The device variants run on, in words ("NVIDIA H100", "pthread-skylake
 * (Portable Computing Language)"); caller frees; NULL when none. */
TT_API char *tt_target_device(const tt_target *t);

/* Checks that every step of template tm is supported by t: TT_ERR_USAGE
 * with one line naming the template, target and the first step (with its
 * file:line:col) that is not. A template that binds no loop runs on a GPU
 * target as one work-item, so GPU targets reject it too. */
TT_API tt_status tt_target_check_template(const tt_target *t, const tt_kernel_def *k,
                                          const tt_template *tm, tt_error *err);
/* The first template of k that t can lower, or NULL. */
TT_API const tt_template *tt_target_default_template(const tt_target *t, const tt_kernel_def *k);

/* Prints lowered l for t (GPU targets: split by tt_lower_gpu in a, which
 * may reject the configuration with TT_ERR_USAGE). *src: caller frees. */
TT_API tt_status tt_target_codegen(const tt_target *t, tt_arena *a, const tt_lowered *l,
                                   const tt_codegen_opts *o, char **src, tt_error *err);
/* The machine fingerprint of t's tasks (JSON, caller frees): the measure
 * layer's (tt_machine_fingerprint of m), with "target" and "device" added
 * for a GPU target ("none" where no device is found). */
TT_API char *tt_target_fingerprint(const tt_target *t, const tt_measure_options *m, tt_error *err);
/* Sets the compiler and flags of t in m (the C target leaves them). */
TT_API void tt_target_measure_options(const tt_target *t, tt_measure_options *m);

#ifdef __cplusplus
}
#endif
#endif
