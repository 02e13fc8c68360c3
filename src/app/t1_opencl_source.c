/* The host module of an OpenCL T1 configuration (t1_problem.h): the
 * measuring ABI over the vector arguments, the OpenCL runtime text every
 * generated OpenCL variant carries (tetune/codegen.h) with the kernel file
 * embedded and built with -D NAME=VALUE per parameter, and a host function
 * that passes the arguments in the T1 file's order and launches the kernel
 * once, timed by the runtime's profiling events. */
#include <stdlib.h>
#include <string.h>

#include "app/t1_problem.h"
#include "tetune/codegen.h"

/* text as a C string literal, a line of text per line of literal. */
static void literal(tt_str *s, const char *text) {
  tt_str_append(s, "\"");
  for (const char *c = text; *c; c++) {
    if (*c == '"' || *c == '\\') tt_str_append(s, "\\");
    if (*c == '\n')
      tt_str_append(s, *c && c[1] ? "\\n\"\n    \"" : "\\n");
    else if (*c == '\t' || *c == '\r')
      tt_str_append(s, *c == '\t' ? "\\t" : "\\r");
    else
      tt_str_appendn(s, c, 1);
  }
  tt_str_append(s, "\"");
}

/* The device program's build options: -D NAME=VALUE per parameter, then
 * the file's CompilerOptions. */
static char *build_options(const tt_t1_problem *p, const uint32_t *cfg) {
  tt_str s = {0};
  for (size_t k = 0; k < tt_space_num_knobs(p->space); k++) {
    tt_str_printf(&s, "-D %s=", tt_space_knob_name(p->space, k));
    if (tt_space_knob_kind(p->space, k) == TT_KNOB_CATEGORICAL)
      tt_str_printf(&s, "%s ", tt_space_knob_label(p->space, k, cfg[k]));
    else
      tt_str_printf(&s, "%.17g ", tt_space_knob_value(p->space, k, cfg[k]));
  }
  tt_str_append(&s, p->cl_options ? p->cl_options : "");
  return tt_str_take(&s);
}

/* The launch tables the runtime text reads: one kernel, no tables of
 * tensors or scalars (the host function below sets the arguments). */
static void tables(tt_str *s, const tt_t1_problem *p, const long *local) {
  size_t nv = tt_t1_num_vectors(p, p->nargs);
  tt_str_printf(s,
                "\n#define TT_DEV_NK 1\n#define TT_DEV_NT %zu\n#define TT_DEV_NS 1\n"
                "static const char *const tt_dev_knames[] = {",
                nv);
  literal(s, p->name);
  tt_str_printf(s,
                "};\nstatic const size_t tt_dev_local[][3] = {{%ld, %ld, %ld}};\n"
                "static const int tt_dev_nscal[] = {0};\nstatic const int tt_dev_ntens[] = {0};\n"
                "static const int tt_dev_tens[][1] = {{0}};\n",
                local[0], local[1], local[2]);
}

/* The host function: the arguments in order (vectors as their device
 * buffers, scalars by value in their C type), then one timed launch. */
static void host(tt_str *s, const tt_t1_problem *p, const long *groups) {
  tt_str_printf(
      s,
      "\n/* The kernel's arguments in the T1 file's order, then one launch. */\n"
      "static void tt_t1_host(void) {\n  static const size_t groups[3] = {%ld, %ld, %ld};\n"
      "  cl_int e = CL_SUCCESS;\n",
      groups[0], groups[1], groups[2]);
  for (size_t i = 0, k = 0; i < p->nargs; i++) {
    const tt_t1_arg *a = &p->args[i];
    if (a->vector)
      tt_str_printf(s,
                    "  if (e == CL_SUCCESS) e = clSetKernelArg(tt_dev_k[0], %zu, sizeof(cl_mem), "
                    "&tt_dev_buf[%zu]);\n",
                    i, k++);
    else
      tt_str_printf(s,
                    "  if (e == CL_SUCCESS) {\n    %s v = (%s)%.17g;\n"
                    "    e = clSetKernelArg(tt_dev_k[0], %zu, sizeof v, &v);\n  }\n",
                    a->ctype, a->ctype, a->value, i);
  }
  tt_str_append(s,
                "  if (e != CL_SUCCESS) tt_dev_fail(\"clSetKernelArg\", e);\n"
                "  size_t global[3], local[3];\n  for (int d = 0; d < 3; d++) {\n"
                "    local[d] = tt_dev_local[0][d];\n    global[d] = groups[d] * local[d];\n  }\n"
                "  cl_event ev;\n"
                "  e = clEnqueueNDRangeKernel(tt_dev_q, tt_dev_k[0], 3, NULL, global, local, 0, "
                "NULL, &ev);\n"
                "  if (e != CL_SUCCESS) tt_dev_fail(tt_dev_knames[0], e);\n"
                "  tt_dev_first = ev;\n}\n\n"
                "void tt_kernel(void **args);\nvoid tt_kernel(void **args) {\n"
                "  tt_dev_run(args);\n}\n");
}

/* See t1_problem.h. */
char *tt_t1_opencl_source(const tt_t1_problem *p, const uint32_t *cfg, tt_error *err) {
  long groups[3], local[3];
  if (tt_t1_opencl_launch(p, cfg, groups, local, err) != TT_OK) return NULL;
  tt_str s = {0};
  char *json = tt_space_config_to_json(p->space, cfg), *opts = build_options(p, cfg);
  tt_str_printf(&s, "/* T1 problem %s (OpenCL), configuration %s */\n#include <stdlib.h>\n",
                p->path, json);
  tt_t1_abi_metadata(&s, p, 0);
  tables(&s, p, local);
  tt_str_append(&s, "#define TT_DEV_BUILD_OPTIONS ");
  literal(&s, opts);
  tt_str_append(&s, "\nstatic const char tt_dev_source[] =\n    ");
  literal(&s, p->source);
  tt_str_append(&s, ";\n#define TT_DEV_HOST tt_t1_host\n\n");
  tt_str_append(&s, tt_codegen_opencl_runtime());
  host(&s, p, groups);
  free(json);
  free(opts);
  return tt_str_take(&s);
}
