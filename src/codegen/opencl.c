/* The OpenCL dialect: device code in OpenCL C (the C printer with address
 * spaces and work-item indices), host code in C against the OpenCL API. */
#include "codegen/gpu.h"
#include "codegen/opencl_rt.h"

static const tt_dialect OPENCL_PRINTER = {
    .name = "opencl", .loop_annotations = tt_cg_gpu_loop, .local_buffer = tt_cg_gpu_buffer};

static const tt_gpu_dialect OPENCL = {
    .printer = &OPENCL_PRINTER,
    .preamble = tt_opencl_device_preamble,
    .kernel = "__kernel void",
    .global = "__global ",
    .local = "__local ",
    .helper = "static inline",
    .host_runtime = tt_opencl_runtime,
    .embed_source = 1,
};

char *tt_codegen_opencl(const tt_lowered *l, const tt_gpu_program *p, const tt_codegen_opts *o) {
  return tt_cg_gpu_module(&OPENCL, l, p, o);
}
