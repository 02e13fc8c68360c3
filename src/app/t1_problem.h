/* Internal to src/app: a T1 tuning problem over existing C/OpenMP code
 * (`tetune tune problem.t1.json`). The kernel's tunable parameters are
 * preprocessor macros; every configuration is the kernel file compiled
 * with those macros defined, wrapped into the measuring ABI (measure.h),
 * so that compiling, the isolated run, validation and timing are
 * tetune's own.
 *
 * What is read of the T1 file (the autotuning methodology's input format):
 * ConfigurationSpace (TuningParameters, Conditions), Budget
 * (ConfigurationCount), and KernelSpecification: Language "C" (a tetune
 * extension: the schema lists OpenCL, CUDA and Vulkan) or "OpenCL" (with
 * GlobalSize, LocalSize, GlobalSizeType: see tt_t1_opencl_load), KernelName,
 * KernelFile (relative to the T1 file), CompilerOptions, Arguments (Vector
 * arguments of float or double with AccessType and FillType Constant or
 * Random with RandomSeed; Scalar arguments with FillValue, passed by value
 * in order), and the validation: ReferenceArguments whose TargetName is an
 * output, checked either against the output of a reference implementation
 * ("ReferenceKernel": {"KernelFile", "KernelName"}, a tetune extension:
 * the same arguments) or against stored expected output (FillType
 * "BinaryRaw", DataSource: raw elements of the target's type), within
 * ValidationThreshold (relative). */
#ifndef TT_APP_T1_PROBLEM_H
#define TT_APP_T1_PROBLEM_H

#include "tetune/measure.h"
#include "tetune/space.h"
#include "tetune/support.h"

typedef struct tt_t1_arg {
  char *name;
  char *ctype;  /* "double", "float", "int", "long" */
  int vector;   /* 1: an array, 0: a scalar passed by value */
  long size;    /* vectors: elements */
  int role;     /* vectors: tt_abi_role */
  int random;   /* vectors: 1 random in [0, 1), 0 constant */
  double value; /* FillValue */
  unsigned long seed;
} tt_t1_arg;

typedef struct tt_t1_problem {
  char *path;        /* the T1 file */
  char *name;        /* KernelName */
  char *source;      /* the kernel file's text */
  char *ref_name;    /* the reference implementation's function, or NULL */
  char *ref_source;  /* its file's text */
  char *ref_data;    /* stored expected output (absolute path), or NULL */
  size_t ref_target; /* the argument the reference checks */
  double tolerance;  /* relative; 0: tetune's default */
  char **flags;      /* CompilerOptions + -fPIC -shared, NULL-terminated */
  tt_t1_arg *args;
  size_t nargs;
  long budget; /* ConfigurationCount; 0: none given */
  tt_space *space;
  /* Language "OpenCL" (t1_opencl.c): the kernel file is OpenCL C, built with
   * -D NAME=VALUE per parameter plus CompilerOptions (cl_options); flags is
   * then NULL (the reference is C, built with the default flags). */
  int opencl;
  char *cl_options;   /* CompilerOptions joined by spaces */
  char *size_expr[6]; /* GlobalSize X Y Z, LocalSize X Y Z ("1" if absent) */
  int global_items;   /* GlobalSizeType "OpenCL" (default): GlobalSize counts
                         work-items (rounded up to whole groups); "CUDA": groups */
} tt_t1_problem;

/* Reads path. Anything missing or malformed is TT_ERR_USAGE with one line
 * naming the file. */
tt_status tt_t1_problem_load(tt_t1_problem *p, const char *path, tt_error *err);
void tt_t1_problem_free(tt_t1_problem *p);

/* Reads the OpenCL part of the KernelSpecification spec (a cJSON object)
 * into p (t1_opencl.c): TT_ERR_USAGE with one line when malformed. */
tt_status tt_t1_opencl_load(tt_t1_problem *p, const void *spec, tt_error *err);
/* The launch of configuration cfg: groups[3] and local[3]. TT_ERR_USAGE with
 * one line when an expression cannot be evaluated or gives no positive
 * integer (up to 2^31) for cfg. */
tt_status tt_t1_opencl_launch(const tt_t1_problem *p, const uint32_t *cfg, long *groups,
                              long *local, tt_error *err);
/* The host module of an OpenCL configuration (t1_opencl_source.c): the
 * OpenCL runtime text with the kernel file embedded, the measuring ABI and
 * the launch; NULL with err when the launch cannot be computed. */
char *tt_t1_opencl_source(const tt_t1_problem *p, const uint32_t *cfg, tt_error *err);
/* How many of p's first n arguments are vectors (the ABI's tensors). */
size_t tt_t1_num_vectors(const tt_t1_problem *p, size_t n);
/* The ABI metadata and tt_init over p's vector arguments (t1_source.c);
 * only_target: stored output checks only the reference target. */
void tt_t1_abi_metadata(tt_str *s, const tt_t1_problem *p, int only_target);

/* The translation unit of configuration cfg (reference: the reference
 * implementation or the stored output). Caller frees. */
char *tt_t1_variant_source(const tt_t1_problem *p, const uint32_t *cfg);
char *tt_t1_reference_source(const tt_t1_problem *p);

#endif
