/* Internal to src/codegen: the text the OpenCL dialect embeds in every
 * variant (opencl_rt.c). */
#ifndef TT_CODEGEN_OPENCL_RT_H
#define TT_CODEGEN_OPENCL_RT_H

/* Host runtime; needs tt_dev_source, the launch tables (gpu.h) and
 * TT_DEV_HOST (the host program's function) defined before it. */
extern const char tt_opencl_runtime[];
/* Device program preamble: the grid index names and TT_BARRIER. */
extern const char tt_opencl_device_preamble[];

#endif
