/* The device program of a GPU variant and the host's launch tables (see
 * gpu.h). Device functions are printed by the C printer; tensors arrive as
 * flat pointers and are viewed as arrays of their shape, so that indexing
 * reads as in the C variant. */
#include <stdlib.h>
#include <string.h>

#include "codegen/gpu.h"

void tt_cg_gpu_loop(tt_cg *g, const tt_stmt *f) {
  if (f->unroll > 1) tt_cg_line(g, "#pragma unroll %d", f->unroll);
}

int tt_cg_gpu_buffer(tt_cg *g, const tt_stmt *s) {
  tt_str dims = {0};
  for (size_t i = 0; i < s->nidx; i++) {
    tt_str_append(&dims, "[");
    tt_cg_expr(g, &dims, s->idx[i]);
    tt_str_append(&dims, "]");
  }
  tt_cg_line(g, "%s %s%s;", tt_dtype_ctype(s->type), s->name, tt_str_cstr(&dims));
  tt_str_free(&dims);
  return 0;
}

static const char HELPERS[] =
    "%s long tt_imin(long a, long b) { return a < b ? a : b; }\n"
    "%s long tt_imax(long a, long b) { return a > b ? a : b; }\n"
    "%s long tt_floordiv(long a, long b) {\n"
    "  long q = a / b;\n  return q - ((a %% b != 0) & ((a < 0) != (b < 0)));\n}\n"
    "%s long tt_floormod(long a, long b) {\n"
    "  long r = a %% b;\n  return r + ((r != 0) & ((r < 0) != (b < 0))) * b;\n}\n\n";

static void constants(tt_cg *g, const tt_gpu_dialect *gd) {
  const tt_kernel_def *k = g->l->kernel;
  tt_str_append(&g->out, "enum { ");
  for (size_t i = 0; i < k->nparams; i++)
    tt_str_printf(&g->out, "%s%s = %lld", i ? ", " : "", k->params[i], (long long)g->l->size[i]);
  tt_str_append(&g->out, " };\n");
  for (size_t i = 0; i < k->nscalars; i++) {
    tt_str_printf(&g->out, "#define %s ((%s)", k->scalars[i].name,
                  tt_dtype_ctype(k->scalars[i].type));
    tt_cg_expr(g, &g->out, k->scalars[i].value);
    tt_str_append(&g->out, ")\n");
  }
  const tt_sched_config *cfg = g->l->config;
  for (size_t i = 0; cfg && i < cfg->env.n; i++)
    if (!cfg->env.labels[i] && !cfg->env.is_float[i])
      tt_str_printf(&g->out, "enum { %s = %lld };\n", cfg->env.names[i],
                    (long long)cfg->env.ivals[i]);
  tt_str_printf(&g->out, HELPERS, gd->helper, gd->helper, gd->helper, gd->helper);
}

/* One tensor parameter, and the array view of it the body indexes. */
static void tensor_view(tt_cg *g, const tt_gpu_dialect *gd, const tt_tensor *t) {
  const char *ct = tt_dtype_ctype(t->type);
  if (t->ndim <= 1) {
    tt_cg_line(g, "%s%s *%s = tt_p_%s;", gd->global, ct, t->name, t->name);
    return;
  }
  tt_str dims = {0};
  for (size_t d = 1; d < t->ndim; d++) {
    tt_str_append(&dims, "[");
    tt_cg_expr(g, &dims, t->shape[d]);
    tt_str_append(&dims, "]");
  }
  tt_cg_line(g, "%s%s (*%s)%s = (%s%s (*)%s)tt_p_%s;", gd->global, ct, t->name, tt_str_cstr(&dims),
             gd->global, ct, tt_str_cstr(&dims), t->name);
  tt_str_free(&dims);
}

static void kernel(tt_cg *g, const tt_gpu_dialect *gd, const tt_gpu_kernel *k) {
  const tt_kernel_def *kd = g->l->kernel;
  tt_str_printf(&g->out, "%s %s(", gd->kernel, k->name);
  for (size_t i = 0; i < k->ntensors; i++) {
    const tt_tensor *t = tt_kernel_tensor(kd, k->tensors[i]);
    tt_str_printf(&g->out, "%s%s%s *tt_p_%s", i ? ", " : "", gd->global, tt_dtype_ctype(t->type),
                  t->name);
  }
  for (size_t i = 0; i < k->nscalars; i++)
    tt_str_printf(&g->out, "%sconst long %s", i || k->ntensors ? ", " : "", k->scalars[i]);
  if (!k->ntensors && !k->nscalars) tt_str_append(&g->out, "void");
  tt_str_append(&g->out, ") {\n");
  g->indent = 1;
  for (size_t i = 0; i < k->ntensors; i++)
    tensor_view(g, gd, tt_kernel_tensor(kd, k->tensors[i]));
  for (size_t i = 0; i < k->nlocal; i++) {
    const tt_stmt *s = k->local_allocs[i];
    tt_str dims = {0};
    for (size_t d = 0; d < s->nidx; d++) {
      tt_str_append(&dims, "[");
      tt_cg_expr(g, &dims, s->idx[d]);
      tt_str_append(&dims, "]");
    }
    /* aligned for vector loads of 16 bytes (lower/gpu_vector.c) */
    tt_cg_line(g, "%s%s %s%s __attribute__((aligned(16)));", gd->local, tt_dtype_ctype(s->type),
               s->name, tt_str_cstr(&dims));
    tt_str_free(&dims);
  }
  g->indent = 0;
  tt_cg_body(g, k->body);
  tt_str_append(&g->out, "}\n\n");
}

void tt_cg_gpu_device(const tt_gpu_dialect *gd, const tt_lowered *l, const tt_gpu_program *p,
                      tt_str *out) {
  tt_cg g = {.d = gd->printer, .l = l};
  tt_str_append(&g.out, gd->preamble);
  constants(&g, gd);
  for (size_t i = 0; i < p->nkernels; i++)
    kernel(&g, gd, &p->kernels[i]);
  if (gd->postamble) tt_str_append(&g.out, gd->postamble);
  tt_str_append(out, tt_str_cstr(&g.out));
  tt_str_free(&g.out);
}

static tt_stmt *host_launches(tt_arena *a, tt_cg *g, const tt_gpu_program *p, const tt_stmt *s,
                              const char *launch) {
  if (!s) return NULL;
  size_t n;
  if (s->kind == TT_ST_PRAGMA && sscanf(s->text, "@launch %zu", &n) == 1 && n < p->nkernels) {
    const tt_gpu_kernel *k = &p->kernels[n];
    tt_str t = {0};
    tt_str_append(&t, "{ const long tt_g[3] = {");
    for (int d = 0; d < 3; d++) {
      tt_str_append(&t, d ? ", " : "");
      tt_cg_expr(g, &t, k->groups[d]);
    }
    tt_str_append(&t, "}, tt_s[] = {");
    for (size_t i = 0; i < k->nscalars; i++)
      tt_str_printf(&t, "%s%s", i ? ", " : "", k->scalars[i]);
    tt_str_printf(&t, "%s}; %s(%zu, tt_g, tt_s); }", k->nscalars ? "" : "0", launch, n);
    tt_stmt *c = tt_st_pragma(a, tt_arena_strdup(a, tt_str_cstr(&t)));
    tt_str_free(&t);
    return c;
  }
  if (s->nbody == 0) return (tt_stmt *)s;
  tt_stmt *c = tt_stmt_clone(a, s);
  c->body = tt_arena_alloc(a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++)
    c->body[i] = host_launches(a, g, p, s->body[i], launch);
  return c;
}

tt_stmt *tt_cg_gpu_host(tt_arena *a, const tt_lowered *l, const tt_gpu_program *p,
                        const char *launch) {
  tt_cg g = {.d = &tt_dialect_c, .l = l};
  tt_stmt *h = host_launches(a, &g, p, p->host, launch);
  tt_str_free(&g.out);
  return h;
}

void tt_cg_gpu_tables(const tt_lowered *l, const tt_gpu_program *p, tt_str *out) {
  const tt_kernel_def *kd = l->kernel;
  size_t nk = p->nkernels ? p->nkernels : 1;
  size_t ns = 1; /* the most scalar arguments of a kernel (at least one) */
  for (size_t i = 0; i < p->nkernels; i++)
    if (p->kernels[i].nscalars > ns) ns = p->kernels[i].nscalars;
  tt_str_printf(out, "#define TT_DEV_NK %zu\n#define TT_DEV_NT %zu\n#define TT_DEV_NS %zu\n",
                p->nkernels, kd->ntensors, ns);
  tt_str_append(out, "static const char *const tt_dev_knames[] = {");
  for (size_t i = 0; i < nk; i++)
    tt_str_printf(out, "%s\"%s\"", i ? ", " : "", i < p->nkernels ? p->kernels[i].name : "");
  tt_str_append(out, "};\nstatic const size_t tt_dev_local[][3] = {");
  for (size_t i = 0; i < nk; i++) {
    const int64_t *lc = i < p->nkernels ? p->kernels[i].local : (int64_t[]){1, 1, 1};
    tt_str_printf(out, "%s{%lld, %lld, %lld}", i ? ", " : "", (long long)lc[0], (long long)lc[1],
                  (long long)lc[2]);
  }
  tt_str_append(out, "};\nstatic const int tt_dev_nscal[] = {");
  for (size_t i = 0; i < nk; i++)
    tt_str_printf(out, "%s%zu", i ? ", " : "", i < p->nkernels ? p->kernels[i].nscalars : 0);
  tt_str_append(out, "};\nstatic const int tt_dev_ntens[] = {");
  for (size_t i = 0; i < nk; i++)
    tt_str_printf(out, "%s%zu", i ? ", " : "", i < p->nkernels ? p->kernels[i].ntensors : 0);
  tt_str_printf(out, "};\nstatic const int tt_dev_tens[][%zu] = {", kd->ntensors + 1);
  for (size_t i = 0; i < nk; i++) {
    tt_str_append(out, i ? ", {" : "{");
    for (size_t t = 0; i < p->nkernels && t < p->kernels[i].ntensors; t++)
      for (size_t j = 0; j < kd->ntensors; j++)
        if (strcmp(kd->tensors[j].name, p->kernels[i].tensors[t]) == 0)
          tt_str_printf(out, "%s%zu", t ? ", " : "", j);
    if (i >= p->nkernels || !p->kernels[i].ntensors) tt_str_append(out, "0");
    tt_str_append(out, "}");
  }
  tt_str_append(out, "};\n\n");
}

void tt_cg_gpu_literal(const char *name, const char *text, tt_str *out) {
  tt_str_printf(out, "static const char %s[] =\n", name);
  const char *p = text;
  while (*p) {
    tt_str_append(out, "    \"");
    for (; *p && *p != '\n'; p++) {
      if (*p == '"' || *p == '\\') tt_str_append(out, "\\");
      tt_str_appendn(out, p, 1);
    }
    tt_str_append(out, "\\n\"\n");
    if (*p) p++;
  }
  tt_str_append(out, "    \"\";\n\n");
}

char *tt_cg_gpu_module(const tt_gpu_dialect *gd, const tt_lowered *l, const tt_gpu_program *p,
                       const tt_codegen_opts *o) {
  tt_arena *a = tt_arena_new();
  tt_str dev = {0}, pre = {0};
  tt_cg_gpu_device(gd, l, p, &dev);
  tt_cg_gpu_tables(l, p, &pre);
  if (gd->embed_source) /* OpenCL: built at run time from a string */
    tt_cg_gpu_literal("tt_dev_source", tt_str_cstr(&dev), &pre);
  else { /* CUDA: the device code is part of this unit */
    tt_str_append(&pre, tt_str_cstr(&dev));
    tt_str_append(&pre, "static const void *const tt_dev_kfun[] = {");
    for (size_t i = 0; i < p->nkernels; i++)
      tt_str_printf(&pre, "%s(const void *)tt_dev::%s", i ? ", " : "", p->kernels[i].name);
    tt_str_append(&pre, p->nkernels ? "};\n\n" : "0};\n\n");
  }
  char *ksym = tt_codegen_symbol(o->prefix, l->kernel->name);
  tt_str_printf(&pre, "#define TT_DEV_HOST %s\n", ksym);
  tt_str_append(&pre, gd->host_runtime);
  tt_lowered h = *l;
  h.body = tt_cg_gpu_host(a, l, p, "tt_dev_launch");
  tt_codegen_opts ho = *o;
  ho.abi = 1;
  ho.standalone = 0;
  ho.preamble = tt_str_cstr(&pre);
  ho.kernel_call = "tt_dev_run(args)";
  ho.cxx = gd->cxx;
  char *src = tt_codegen(&tt_dialect_c, &h, &ho);
  free(ksym);
  tt_str_free(&dev);
  tt_str_free(&pre);
  tt_arena_free(a);
  return src;
}
