/* The C header of an exported (standalone) variant: the problem size as an
 * enum and the prototypes of the two functions module.c emits with
 * o->standalone, with the same parameter lists (every tensor, in
 * declaration order; inputs const in the kernel; restrict on the first
 * dimension), each documented. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/cg.h"

/* Upper-case C identifier prefix for the size constants, e.g. "TT_GEMM". */
static char *upper_prefix(const char *sym) {
  char *p = tt_xstrdup(sym);
  for (char *q = p; *q; q++)
    *q = (char)toupper((unsigned char)*q);
  return p;
}

/* Prints one dimension: the prefixed size constant when the shape is a
 * bare size parameter, else its value at this size. */
static void dim(tt_str *out, const tt_lowered *l, const tt_expr *e, const char *up) {
  const tt_kernel_def *k = l->kernel;
  if (e->kind == TT_EX_VAR)
    for (size_t i = 0; i < k->nparams; i++)
      if (strcmp(k->params[i], e->name) == 0) {
        tt_str_printf(out, "%s_%s", up, e->name);
        return;
      }
  tt_env env = {0};
  double v = 0;
  for (size_t i = 0; i < k->nparams; i++)
    tt_env_set_int(&env, k->params[i], l->size[i]);
  if (tt_expr_eval(e, &env, &v, NULL) != 0) v = 0;
  tt_env_free(&env);
  tt_str_printf(out, "%lld", (long long)v);
}

/* The parameter list, as module.c's params() prints it for standalone
 * functions: every tensor, inputs const unless for_init. */
static void params(tt_str *out, const tt_lowered *l, int for_init, const char *up) {
  const tt_kernel_def *k = l->kernel;
  for (size_t i = 0; i < k->ntensors; i++) {
    const tt_tensor *t = &k->tensors[i];
    tt_str_printf(out, "%s%s%s %s", i ? ", " : "",
                  t->role == TT_ROLE_IN && !for_init ? "const " : "", tt_dtype_ctype(t->type),
                  t->name);
    for (size_t d = 0; d < t->ndim; d++) {
      tt_str_append(out, d == 0 ? "[restrict " : "[");
      dim(out, l, t->shape[d], up);
      tt_str_append(out, "]");
    }
    if (t->ndim == 0) tt_str_append(out, "[restrict 1]");
  }
  if (k->ntensors == 0) tt_str_append(out, "void");
}

/* The tensors with the given roles, as "A, B" (or "none"). */
static void tensors_with(tt_str *out, const tt_kernel_def *k, int in, int out_roles) {
  int first = 1;
  for (size_t i = 0; i < k->ntensors; i++) {
    tt_role r = k->tensors[i].role;
    int want = (in && (r == TT_ROLE_IN || r == TT_ROLE_INOUT)) ||
               (out_roles && (r == TT_ROLE_OUT || r == TT_ROLE_INOUT));
    if (!want) continue;
    tt_str_printf(out, "%s%s", first ? "" : ", ", k->tensors[i].name);
    first = 0;
  }
  if (first) tt_str_append(out, "none");
}

/* Appends text as comment lines " * <indent><line>" (at most max lines),
 * with any comment terminator inside broken up. */
static void comment_lines(tt_str *out, const char *text, const char *indent, int max) {
  const char *p = text;
  for (int lines = 0; *p && lines < max; lines++) {
    size_t n = strcspn(p, "\n");
    tt_str_printf(out, " * %s", indent);
    for (size_t i = 0; i < n; i++) {
      tt_str_appendn(out, p + i, 1);
      if (p[i] == '*' && i + 1 < n && p[i + 1] == '/') tt_str_append(out, " ");
    }
    tt_str_append(out, "\n");
    p += n + (p[n] == '\n');
  }
  if (*p) tt_str_printf(out, " * %s...\n", indent);
}

/* The file comment: what, which size, which configuration, how to build. */
static void intro(tt_str *out, const tt_lowered *l, const tt_codegen_opts *o, const char *sym) {
  const tt_kernel_def *k = l->kernel;
  tt_str_printf(out,
                "/* Kernel %s, exported by tetune as standalone C (no dependency on\n"
                " * tetune).\n",
                k->name);
  if (k->doc) {
    tt_str_append(out, " *\n");
    comment_lines(out, k->doc, "", 20);
  }
  tt_str_printf(out, " *\n * Problem size %s:", o->size_name ? o->size_name : "(unnamed)");
  for (size_t i = 0; i < k->nparams; i++)
    tt_str_printf(out, " %s=%lld", k->params[i], (long long)l->size[i]);
  tt_str_printf(out, "; element type %s.\n", tt_dtype_ctype(k->dtype));
  for (size_t i = 0; i < k->nscalars; i++) {
    tt_str_printf(out, " * Scalar %s = ", k->scalars[i].name);
    tt_expr_print(out, k->scalars[i].value);
    tt_str_append(out, " (built in).\n");
  }
  if (o->template_name) tt_str_printf(out, " * Schedule template %s", o->template_name);
  if (o->config_json) tt_str_printf(out, ", configuration\n *   %s", o->config_json);
  if (o->template_name) tt_str_append(out, ".\n");
  tt_str_printf(out,
                " *\n * Build the .c file with the flags it was tuned with (cc -O3\n"
                " * -march=native -fopenmp); without -fopenmp it runs on one thread.\n"
                " * Usage: allocate the arrays with the shapes below, call %s_init,\n"
                " * then %s.\n */\n",
                sym, sym);
}

/* The reference algorithm as comment lines (at most 40). */
static void algorithm(tt_str *out, const tt_kernel_def *k) {
  tt_str text = {0};
  tt_stmt_print(&text, k->body, 0);
  comment_lines(out, tt_str_cstr(&text), "  ", 40);
  tt_str_free(&text);
}

/* Prototype of one exported function with its comment. */
static void prototype(tt_str *out, const tt_lowered *l, const char *name, int for_init,
                      const char *up) {
  const tt_kernel_def *k = l->kernel;
  if (for_init) {
    tt_str_append(out, "/* Fills the inputs (");
    tensors_with(out, k, 1, 0);
    tt_str_append(out, ") with the kernel's deterministic initial values\n"
                       " * (PolyBench's), the data the variant was validated on. */\n");
  } else {
    tt_str_append(out, "/* Computes, at the size above, what this reference loop nest computes:\n");
    algorithm(out, k);
    tt_str_append(out, " * Reads ");
    tensors_with(out, k, 1, 0);
    tt_str_append(out, "; writes ");
    tensors_with(out, k, 0, 1);
    tt_str_append(out, ". Arrays must not overlap. */\n");
  }
  tt_str_printf(out, "void %s(", name);
  params(out, l, for_init, up);
  tt_str_append(out, ");\n\n");
}

/* See codegen.h. */
char *tt_codegen_header(const tt_lowered *l, const tt_codegen_opts *o) {
  const tt_kernel_def *k = l->kernel;
  char *sym = tt_codegen_symbol(o->prefix, k->name);
  char *up = upper_prefix(sym);
  tt_str out = {0}, init = {0};
  intro(&out, l, o, sym);
  tt_str_printf(&out, "#ifndef %s_H\n#define %s_H\n\n", up, up);
  tt_str_printf(&out, "/* The problem size the code was generated and tuned for. */\nenum { ");
  for (size_t i = 0; i < k->nparams; i++)
    tt_str_printf(&out, "%s%s_%s = %lld", i ? ", " : "", up, k->params[i], (long long)l->size[i]);
  if (!k->nparams) tt_str_printf(&out, "%s_NO_SIZE = 0", up);
  tt_str_append(&out, " };\n\n");
  tt_str_printf(&init, "%s_init", sym);
  prototype(&out, l, tt_str_cstr(&init), 1, up);
  prototype(&out, l, sym, 0, up);
  tt_str_printf(&out, "#endif /* %s_H */\n", up);
  tt_str_free(&init);
  free(up);
  free(sym);
  return tt_str_take(&out);
}
