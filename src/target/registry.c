/* The target registry (target.h): every target as data, and what follows
 * from it — which templates a target can lower, how its variants are
 * printed and compiled. */
#include <string.h>

#include "tetune/target.h"

#define STEP(k) (1u << (k))
/* Steps every target supports. */
#define COMMON                                                                                     \
  (STEP(TT_STEP_SPLIT) | STEP(TT_STEP_REORDER) | STEP(TT_STEP_FUSE) | STEP(TT_STEP_UNROLL) |       \
   STEP(TT_STEP_CACHE_WRITE) | STEP(TT_STEP_CACHE_READ) | STEP(TT_STEP_COMPUTE_AT))

static const char *const C_PRINT[] = {"cpu_model", "cores", "compiler", "flags", "threads", NULL};
static const char *const GPU_PRINT[] = {"cpu_model", "compiler", "flags", "device", NULL};

static const char *const OPENCL_FLAGS[] = {
    "-O2",      "-fPIC", "-shared", "-Wall", "-Wno-unused-function", "-Wl,--no-as-needed",
    "-lOpenCL", NULL};
/* The .c variant is CUDA C++ (-x cu); -arch is left to nvcc's default so
 * that any installed toolkit builds it (bench/gpu.sh sets its own). 177:
 * the helpers every variant carries, unused by most ("declared but never
 * referenced"). */
static const char *const CUDA_FLAGS[] = {"-O3",        "-x",    "cu",        "-shared",
                                         "-Xcompiler", "-fPIC", "-lineinfo", "-diag-suppress",
                                         "177",        NULL};

static const tt_target TARGETS[] = {
    {.kind = TT_TARGET_C,
     .name = "c",
     .store_name = "cpu",
     .dialect = "C/OpenMP",
     .compiler = NULL,
     .flags = NULL,
     .runner = "shared object run in an isolated child, wall-clock timed",
     .fingerprint = C_PRINT,
     .steps = COMMON | STEP(TT_STEP_VECTORIZE) | STEP(TT_STEP_PARALLEL) | STEP(TT_STEP_TIME_TILE) |
              STEP(TT_STEP_INTERCHANGE)},
    {.kind = TT_TARGET_OPENCL,
     .name = "opencl",
     .store_name = "opencl",
     .dialect = "OpenCL C 1.2",
     .compiler = NULL,
     .flags = OPENCL_FLAGS,
     .runner = "host code in an isolated child builds the program, copies, launches; timed "
               "with profiling events",
     .fingerprint = GPU_PRINT,
     .steps = COMMON | STEP(TT_STEP_BIND) | STEP(TT_STEP_VECTORIZE),
     .local_staging = 1,
     .gpu = 1,
     .limits = {.max_group_size = 1024,
                .max_groups = {1L << 30, 65535, 65535},
                .local_bytes = 48 * 1024}},
    {.kind = TT_TARGET_CUDA,
     .name = "cuda",
     .store_name = "cuda",
     .dialect = "CUDA C++",
     .compiler = "nvcc",
     .flags = CUDA_FLAGS,
     .runner = "host code in an isolated child copies, launches; timed with cudaEvents",
     .fingerprint = GPU_PRINT,
     .steps = COMMON | STEP(TT_STEP_BIND) | STEP(TT_STEP_VECTORIZE),
     .local_staging = 1,
     .gpu = 1,
     .limits = {.max_group_size = 1024,
                .max_groups = {(1L << 31) - 1, 65535, 65535},
                .local_bytes = 48 * 1024}},
};

const tt_target *tt_target_list(size_t *n) {
  *n = sizeof TARGETS / sizeof TARGETS[0];
  return TARGETS;
}

const tt_target *tt_target_find(const char *name) {
  if (name && strcmp(name, "cpu") == 0) return &TARGETS[0];
  for (size_t i = 0; name && i < sizeof TARGETS / sizeof TARGETS[0]; i++)
    if (strcmp(TARGETS[i].name, name) == 0) return &TARGETS[i];
  return NULL;
}

static const char *step_word(tt_step_kind k) {
  static const char *const W[] = {"split",      "reorder",  "fuse",        "unroll",
                                  "vectorize",  "parallel", "cache_write", "cache_read",
                                  "compute_at", "bind",     "time_tile",   "interchange"};
  return (size_t)k < sizeof W / sizeof W[0] ? W[k] : "?";
}

/* A GPU target's vectorize step: a width W of 2 or 4 lanes (a literal or
 * each value of a knob; 1 leaves the loop scalar) whose vector of the
 * kernel's elements fits the 16 bytes a GPU loads at once. Whether a
 * configuration's accesses are aligned is checked when it is lowered. */
static tt_status check_vector(const tt_target *t, const tt_kernel_def *k, const tt_template *tm,
                              const tt_step *s, tt_error *err) {
  int64_t one = 0;
  const int64_t *w = &one;
  size_t n = 1;
  if (s->nargs < 2) {
    n = 0;
  } else if (!tt_expr_const_int(s->args[1], &one)) {
    n = 0;
    for (size_t i = 0; s->args[1]->kind == TT_EX_VAR && i < tm->nknobs; i++)
      if (strcmp(tm->knobs[i].name, s->args[1]->name) == 0 && tm->knobs[i].kind == TT_KD_LIST) {
        w = tm->knobs[i].values;
        n = tm->knobs[i].nvalues;
      }
  }
  const char *why = n ? NULL : "without a literal width or a list knob of widths";
  char buf[160];
  for (size_t i = 0; i < n && !why; i++) {
    if (w[i] == 1) continue;
    if ((w[i] != 2 && w[i] != 4) || w[i] * tt_dtype_size(k->dtype) > 16) {
      snprintf(buf, sizeof buf,
               "by %lld lanes of %s (%lld bytes; GPU vectors have 2 or 4 lanes "
               "of 16 bytes at most)",
               (long long)w[i], tt_dtype_name(k->dtype),
               (long long)(w[i] * tt_dtype_size(k->dtype)));
      why = buf;
    }
  }
  if (!why) return TT_OK;
  return tt_error_set(err, TT_ERR_USAGE,
                      "%s:%d:%d: template '%s' of kernel %s cannot be lowered for target %s: it "
                      "uses 'vectorize' %s",
                      s->loc.file, s->loc.line, s->loc.col, tm->name, k->name, t->name, why);
}

tt_status tt_target_check_template(const tt_target *t, const tt_kernel_def *k,
                                   const tt_template *tm, tt_error *err) {
  int binds = 0;
  for (size_t i = 0; i < tm->nsteps; i++) {
    const tt_step *s = &tm->steps[i];
    binds |= s->kind == TT_STEP_BIND;
    int ok = (t->steps & STEP(s->kind)) && (!s->local || t->local_staging);
    if (!ok)
      return tt_error_set(err, TT_ERR_USAGE,
                          "%s:%d:%d: template '%s' of kernel %s cannot be lowered for target %s: "
                          "it uses '%s%s', which %s does not support",
                          s->loc.file, s->loc.line, s->loc.col, tm->name, k->name, t->name,
                          step_word(s->kind), s->local ? " ... local" : "", t->dialect);
    if (ok && t->gpu && s->kind == TT_STEP_VECTORIZE && check_vector(t, k, tm, s, err) != TT_OK)
      return err->status;
  }
  if (t->gpu && !binds)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s:%d:%d: template '%s' of kernel %s cannot be lowered for target %s: "
                        "it binds no loop to blocks or threads",
                        tm->loc.file, tm->loc.line, tm->loc.col, tm->name, k->name, t->name);
  return TT_OK;
}

const tt_template *tt_target_default_template(const tt_target *t, const tt_kernel_def *k) {
  for (size_t i = 0; i < k->ntemplates; i++) {
    tt_error e = {0};
    if (tt_target_check_template(t, k, &k->templates[i], &e) == TT_OK) return &k->templates[i];
  }
  return NULL;
}

tt_status tt_target_codegen(const tt_target *t, tt_arena *a, const tt_lowered *l,
                            const tt_codegen_opts *o, char **src, tt_error *err) {
  *src = NULL;
  if (!t->gpu) {
    *src = tt_codegen(&tt_dialect_c, l, o);
    return TT_OK;
  }
  tt_gpu_program p;
  tt_status st = tt_lower_gpu(a, l, &t->limits, &p, err);
  if (st != TT_OK) return st;
  *src = t->kind == TT_TARGET_CUDA ? tt_codegen_cuda(l, &p, o) : tt_codegen_opencl(l, &p, o);
  return TT_OK;
}

void tt_target_measure_options(const tt_target *t, tt_measure_options *m) {
  if (t->compiler) m->compiler = t->compiler;
  if (t->flags) m->flags = t->flags;
  m->spawn_ok = t->kind == TT_TARGET_OPENCL; /* PoCL links the device program with ld */
}
