/* Internal to src/codegen: the text the CUDA dialect embeds in every
 * variant (cuda_rt.c). */
#ifndef TT_CODEGEN_CUDA_RT_H
#define TT_CODEGEN_CUDA_RT_H

/* Host runtime; needs the launch tables (gpu.h), tt_dev_kfun and
 * TT_DEV_HOST (the host program's function) defined before it. */
extern const char tt_cuda_runtime[];
/* Device code preamble: the grid index names, TT_BARRIER, and the opening
 * of namespace tt_dev (the device code's constants and helpers would
 * clash with the host's). */
extern const char tt_cuda_device_preamble[];

#endif
