/* The CUDA dialect: device code in CUDA C++ inside namespace tt_dev (the C
 * printer with shared memory and thread indices), host code in the same
 * unit, compiled by nvcc. */
#include "codegen/cuda_rt.h"
#include "codegen/gpu.h"

static const tt_dialect CUDA_PRINTER = {
    .name = "cuda", .loop_annotations = tt_cg_gpu_loop, .local_buffer = tt_cg_gpu_buffer};

static const tt_gpu_dialect CUDA = {
    .printer = &CUDA_PRINTER,
    .preamble = tt_cuda_device_preamble,
    .postamble = "} /* namespace tt_dev */\n\n",
    .kernel = "__global__ void",
    .global = "",
    .local = "__shared__ ",
    .helper = "static __device__ inline",
    .host_runtime = tt_cuda_runtime,
    .embed_source = 0,
    .cxx = 1,
};

char *tt_codegen_cuda(const tt_lowered *l, const tt_gpu_program *p, const tt_codegen_opts *o) {
  return tt_cg_gpu_module(&CUDA, l, p, o);
}
