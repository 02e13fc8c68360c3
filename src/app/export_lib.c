/* The library export (export_lib.h). The generated sources are compiled
 * for one size each (sizes are enum constants); each tuned size's file is
 * renamed by macros and given a uniform entry point, and the reference's
 * size constants become variables so that it serves every other size. */
#include "app/export_lib.h"

#include <stdlib.h>
#include <string.h>

#include "app/export.h"
#include "app/job.h"

/* The name as a C identifier fragment (sizes are names like "mini"). */
static void ident(tt_str *out, const char *name) {
  for (const char *c = name; *c; c++)
    tt_str_printf(out, "%c",
                  (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
                      ? *c
                      : '_');
}

/* "long N, long M" or "N, M" (args) or "40, 50" (values), after lead. */
static void params(tt_str *out, const tt_kernel_def *k, int decl, const int64_t *values) {
  for (size_t p = 0; p < k->nparams; p++) {
    tt_str_append(out, p ? ", " : "");
    if (values)
      tt_str_printf(out, "%lld", (long long)values[p]);
    else
      tt_str_printf(out, "%s%s", decl ? "long " : "", k->params[p]);
  }
}

/* "double *A, double *B" (own tensors) as parameters or arguments. */
static void own_tensors(tt_str *out, const tt_kernel_def *k, int decl) {
  for (size_t t = 0, n = 0; t < k->ntensors; t++) {
    const tt_tensor *x = &k->tensors[t];
    if (x->role == TT_ROLE_TEMP) continue;
    tt_str_append(out, n++ ? ", " : "");
    if (decl) tt_str_printf(out, "%s *", tt_dtype_ctype(x->type));
    tt_str_append(out, x->name);
  }
}

/* Bytes of tensor x as a C expression over the size parameters. */
static void bytes_expr(tt_str *out, const tt_tensor *x) {
  tt_str_printf(out, "sizeof(%s)", tt_dtype_ctype(x->type));
  for (size_t d = 0; d < x->ndim; d++) {
    tt_str_append(out, " * (size_t)(");
    tt_expr_print(out, x->shape[d]);
    tt_str_append(out, ")");
  }
}

/* The body that calls fn with every tensor: own ones as given, temporaries
 * carved from work at 64-byte aligned offsets. */
static void call_body(tt_str *out, const tt_kernel_def *k, const char *fn) {
  tt_str_append(out, "  char *w = (char *)work;\n  size_t off = 0;\n  (void)w;\n  (void)off;\n");
  for (size_t t = 0; t < k->ntensors; t++) {
    const tt_tensor *x = &k->tensors[t];
    if (x->role != TT_ROLE_TEMP) continue;
    tt_str_printf(out, "  void *%s = w + off;\n  off += (", x->name);
    bytes_expr(out, x);
    tt_str_append(out, " + 63) / 64 * 64;\n");
  }
  tt_str_printf(out, "  %s(", fn);
  for (size_t t = 0; t < k->ntensors; t++)
    tt_str_printf(out, "%s(void *)%s", t ? ", " : "", k->tensors[t].name);
  tt_str_append(out, ");\n");
}

/* 1 when name[0..len) is one of k's size parameters. */
static int is_param(const tt_kernel_def *k, const char *name, size_t len) {
  for (size_t p = 0; p < k->nparams; p++)
    if (strlen(k->params[p]) == len && strncmp(k->params[p], name, len) == 0) return 1;
  return 0;
}

/* Turns the reference's size constants (a line "enum { N = 40, M = 50 };")
 * into variables the entry points set, so it computes any size; other
 * constants on such a line stay constants. */
static void unfix_sizes(tt_str *out, const tt_kernel_def *k, const char *src) {
  for (const char *line = src; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line + 1) : strlen(line);
    if (strncmp(line, "enum { ", 7) != 0) {
      tt_str_appendn(out, line, len);
      line += len;
      continue;
    }
    tt_str keep = {0};
    for (const char *p = line + 7; p < line + len && *p != '}';) {
      size_t n = strcspn(p, " =");
      const char *next = strpbrk(p, ",}");
      if (!next) break;
      if (is_param(k, p, n))
        tt_str_printf(out, "static long %.*s; /* set by the entry points */\n", (int)n, p);
      else
        tt_str_printf(&keep, "%s%.*s", keep.len ? ", " : "", (int)(next - p), p);
      p = next + (*next == ',' ? 2 : 0);
      if (*next == '}') break;
    }
    if (keep.len) tt_str_printf(out, "enum { %s};\n", keep.data);
    tt_str_free(&keep);
    line += len;
  }
}

/* Sets the size variables from the entry point's p_<name> arguments. */
static void set_sizes(tt_str *out, const tt_kernel_def *k) {
  for (size_t p = 0; p < k->nparams; p++)
    tt_str_printf(out, "  %s = p_%s;\n", k->params[p], k->params[p]);
}

/* "long p_N, long p_M". */
static void size_params(tt_str *out, const tt_kernel_def *k) {
  for (size_t p = 0; p < k->nparams; p++)
    tt_str_printf(out, "%slong p_%s", p ? ", " : "", k->params[p]);
}

/* Writes DIR/<k>_<size>.c: the variant, renamed, and its entry
 * tt_<k>__<size>_call(own tensors, work). With any, DIR/<k>_<size>_any.c:
 * the same variant with its sizes made variables (validated at its own size
 * only), entry tt_<k>__<size>_any_call(sizes, own tensors, work). */
static tt_status write_variant(tt_job *j, const uint32_t *cfg, const char *dir, int any,
                               tt_error *err) {
  const tt_kernel_def *k = j->kernel;
  char *c = NULL, *h = NULL;
  tt_status st = tt_job_export_sources(j, cfg, &c, &h, err);
  if (st != TT_OK) return st;
  tt_str id = {0}, src = {0}, path = {0};
  tt_str_printf(&id, "tt_%s__", k->name);
  ident(&id, j->size_name);
  tt_str_append(&id, any ? "_any" : "");
  tt_str_printf(&src, "/* tetune library export of %s: the variant tuned for size %s%s. */\n",
                k->name, j->size_name, any ? ", for any size (the nearest tuned one)" : "");
  tt_str_printf(&src, "#define tt_%s %s\n#define tt_%s_init %s_init\n", k->name, id.data, k->name,
                id.data);
  if (any)
    unfix_sizes(&src, k, c);
  else
    tt_str_append(&src, c);
  for (int proto = 1; proto >= 0; proto--) {
    tt_str_printf(&src, "\nvoid %s_call(", id.data);
    if (any) {
      size_params(&src, k);
      tt_str_append(&src, ", ");
    }
    own_tensors(&src, k, 1);
    tt_str_append(&src, proto ? ", void *work);" : ", void *work) {\n");
  }
  if (any) set_sizes(&src, k);
  call_body(&src, k, id.data);
  tt_str_append(&src, "}\n");
  tt_str_printf(&path, "%s/%s_", dir, k->name);
  ident(&path, j->size_name);
  tt_str_append(&path, any ? "_any.c" : ".c");
  st = tt_file_write(path.data, src.data, src.len, err);
  if (st == TT_OK) printf("  %s\n", path.data);
  tt_str_free(&id);
  tt_str_free(&src);
  tt_str_free(&path);
  free(c);
  free(h);
  return st;
}

/* Writes DIR/<k>_ref.c: the reference and the initialisation at any size,
 * and the workspace size. */
static tt_status write_reference(tt_job *j, const char *dir, tt_error *err) {
  const tt_kernel_def *k = j->kernel;
  char *c = NULL;
  tt_status st = tt_job_source(j, NULL, 0, 1, &c, err);
  if (st != TT_OK) return st;
  tt_str src = {0}, path = {0};
  const char *n = k->name;
  tt_str_printf(&src,
                "/* tetune library export of %s: the naive reference, for sizes without a tuned "
                "variant.\n * Its sizes are variables: one call at a time. */\n",
                n);
  tt_str_printf(&src, "#define tt_%s tt_%s__ref\n#define tt_%s_init tt_%s__ref_init\n", n, n, n, n);
  unfix_sizes(&src, k, c);
  const char *fns[2] = {"call", "init_call"};
  for (int f = 0; f < 2; f++) {
    for (int proto = 1; proto >= 0; proto--) {
      tt_str_printf(&src, "\nvoid tt_%s__ref_%s(", n, fns[f]);
      size_params(&src, k);
      tt_str_append(&src, ", ");
      own_tensors(&src, k, 1);
      tt_str_append(&src, proto ? ", void *work);" : ", void *work) {\n");
    }
    set_sizes(&src, k);
    tt_str fn = {0};
    tt_str_printf(&fn, "tt_%s__ref%s", n, f ? "_init" : "");
    call_body(&src, k, fn.data);
    tt_str_free(&fn);
    tt_str_append(&src, "}\n");
  }
  tt_str_printf(&src, "\nsize_t tt_%s__ref_workspace(", n);
  size_params(&src, k);
  tt_str_append(&src, ");\nsize_t ");
  tt_str_printf(&src, "tt_%s__ref_workspace(", n);
  size_params(&src, k);
  tt_str_append(&src, ") {\n");
  set_sizes(&src, k);
  tt_str_append(&src, "  size_t off = 0;\n");
  for (size_t t = 0; t < k->ntensors; t++)
    if (k->tensors[t].role == TT_ROLE_TEMP) {
      tt_str_append(&src, "  off += (");
      bytes_expr(&src, &k->tensors[t]);
      tt_str_append(&src, " + 63) / 64 * 64;\n");
    }
  tt_str_append(&src, "  return off;\n}\n");
  tt_str_printf(&path, "%s/%s_ref.c", dir, n);
  st = tt_file_write(path.data, src.data, src.len, err);
  if (st == TT_OK) printf("  %s\n", path.data);
  tt_str_free(&src);
  tt_str_free(&path);
  free(c);
  return st;
}

/* The OpenMP environment the variants were timed under, for a user who
 * wants the same behaviour (tetune's measuring child sets it; libgomp's own
 * spin is far longer and fragile on a shared machine). */
static void omp_wait_note(tt_str *h, const tt_measure_options *mopt) {
  tt_measure_options o = *mopt;
  char wait[512];
  if (o.threads <= 0) o.threads = 1;
  tt_measure_omp_env(&o, wait, sizeof wait);
  if (wait[0] == '\0') return;
  tt_str_printf(h,
                " *\n * OpenMP variants were timed with %s\n"
                " * in the environment: set the same to get the timed behaviour (libgomp's\n"
                " * default spin makes barriers slow when other processes share the cores).\n",
                wait);
}

/* Writes DIR/<k>.h: the routine, its workspace, its initialisation. */
static tt_status write_header(const tt_kernel_def *k, tt_job *jobs, size_t n, const char *dir,
                              int nearest, tt_error *err) {
  tt_str h = {0}, path = {0};
  const char *K = k->name;
  tt_str_printf(&h,
                "/* Kernel %s, exported by tetune as a library routine (no dependency on\n"
                " * tetune). Tuned sizes:",
                K);
  for (size_t i = 0; i < n; i++) {
    tt_str_printf(&h, "%s %s (", i ? "," : "", jobs[i].size_name);
    for (size_t p = 0; p < k->nparams; p++)
      tt_str_printf(&h, "%s%s=%lld", p ? ", " : "", k->params[p], (long long)jobs[i].size[p]);
    tt_str_append(&h, ")");
  }
  tt_str_append(
      &h, nearest
              ? ".\n * Other sizes run the variant of the nearest tuned size (validated at its\n"
                " * own size only; one such call at a time).\n"
              : ".\n * Other sizes run the naive reference (one such call at a time).\n");
  if (k->doc) {
    tt_str_append(&h, " *\n * ");
    for (const char *c = k->doc; *c; c++)
      tt_str_append(&h, *c == '\n' ? "\n * " : (char[2]){*c, 0});
    tt_str_append(&h, "\n");
  }
  omp_wait_note(&h, &jobs[0].mopt);
  tt_str_append(&h, " *\n * Arrays are flat and row-major, shapes:");
  for (size_t t = 0; t < k->ntensors; t++) {
    const tt_tensor *x = &k->tensors[t];
    if (x->role == TT_ROLE_TEMP) continue;
    tt_str_printf(&h, " %s (%s)[", x->name, tt_role_name(x->role));
    for (size_t d = 0; d < x->ndim; d++) {
      tt_str_append(&h, d ? "][" : "");
      tt_expr_print(&h, x->shape[d]);
    }
    tt_str_append(&h, "]");
  }
  tt_str guard = {0};
  for (const char *c = K; *c; c++)
    tt_str_printf(&guard, "%c", *c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
  tt_str_printf(
      &h,
      ".\n * Build all the .c files with -O3 -march=native -fopenmp. */\n#ifndef TT_%s_LIB_H\n"
      "#define TT_%s_LIB_H\n\n#include <stddef.h>\n\n",
      guard.data, guard.data);
  tt_str_free(&guard);
  tt_str_printf(
      &h, "/* Bytes of scratch tt_%s needs at this size (0: none). */\nsize_t tt_%s_workspace(", K,
      K);
  params(&h, k, 1, NULL);
  tt_str_printf(
      &h,
      ");\n\n/* 1 when this size has a tuned variant, 0 when the reference serves it. */\n"
      "int tt_%s_tuned(",
      K);
  params(&h, k, 1, NULL);
  tt_str_printf(
      &h,
      ");\n\n/* Computes %s at this size. workspace: tt_%s_workspace bytes, or NULL to\n"
      " * allocate them inside. Returns 0, or -1 when that allocation failed. */\nint tt_%s(",
      K, K, K);
  params(&h, k, 1, NULL);
  tt_str_append(&h, ", ");
  own_tensors(&h, k, 1);
  tt_str_printf(&h,
                ", void *workspace);\n\n/* Fills the arrays with the kernel's initial values "
                "(PolyBench's) at this\n"
                " * size; workspace as for tt_%s. Returns 0 or -1. */\nint tt_%s_init(",
                K, K);
  params(&h, k, 1, NULL);
  tt_str_append(&h, ", ");
  own_tensors(&h, k, 1);
  tt_str_append(&h, ", void *workspace);\n\n#endif\n");
  tt_str_printf(&path, "%s/%s.h", dir, K);
  tt_status st = tt_file_write(path.data, h.data, h.len, err);
  if (st == TT_OK) printf("  %s\n", path.data);
  tt_str_free(&h);
  tt_str_free(&path);
  return st;
}

/* Writes DIR/<k>.c: the dispatcher. */
static tt_status write_dispatcher(const tt_kernel_def *k, tt_job *jobs, size_t n, const char *dir,
                                  int nearest, tt_error *err) {
  tt_str c = {0}, path = {0};
  const char *K = k->name;
  tt_str_printf(&c,
                "/* tetune library export of %s: dispatch on the problem size. */\n"
                "#include <stdlib.h>\n\n#include \"%s.h\"\n\n",
                K, K);
  for (size_t i = 0; i < n; i++) {
    tt_str_printf(&c, "void tt_%s__", K);
    ident(&c, jobs[i].size_name);
    tt_str_append(&c, "_call(");
    own_tensors(&c, k, 1);
    tt_str_append(&c, ", void *work);\n");
    if (!nearest) continue;
    tt_str_printf(&c, "void tt_%s__", K);
    ident(&c, jobs[i].size_name);
    tt_str_append(&c, "_any_call(");
    params(&c, k, 1, NULL);
    tt_str_append(&c, ", ");
    own_tensors(&c, k, 1);
    tt_str_append(&c, ", void *work);\n");
  }
  for (int f = 0; f < 2; f++) {
    tt_str_printf(&c, "void tt_%s__ref_%s(", K, f ? "init_call" : "call");
    params(&c, k, 1, NULL);
    tt_str_append(&c, ", ");
    own_tensors(&c, k, 1);
    tt_str_append(&c, ", void *work);\n");
  }
  tt_str_printf(&c, "size_t tt_%s__ref_workspace(", K);
  params(&c, k, 1, NULL);
  tt_str_append(&c, ");\n\n/* The tuned sizes, in the order of the size parameters. */\n");
  tt_str_printf(&c, "static const long tuned[%zu][%zu] = {", n, k->nparams);
  for (size_t i = 0; i < n; i++) {
    tt_str_append(&c, i ? ", {" : "{");
    params(&c, k, 0, jobs[i].size);
    tt_str_append(&c, "}");
  }
  tt_str_printf(&c, "};\n\n/* The index of this size in tuned, or -1. */\nstatic int find(");
  params(&c, k, 1, NULL);
  tt_str_printf(&c, ") {\n  for (int i = 0; i < %zu; i++)\n    if (1", n);
  for (size_t p = 0; p < k->nparams; p++)
    tt_str_printf(&c, " && tuned[i][%zu] == %s", p, k->params[p]);
  tt_str_append(&c, ") return i;\n  return -1;\n}\n\n");
  if (nearest) {
    tt_str_append(&c, "/* The tuned size nearest this one (relative distance summed over the\n"
                      " * size parameters). */\nstatic int nearest(");
    params(&c, k, 1, NULL);
    tt_str_printf(&c,
                  ") {\n  int best = 0;\n  double dbest = -1;\n  for (int i = 0; i < %zu; i++) {\n"
                  "    double d = 0;\n",
                  n);
    for (size_t p = 0; p < k->nparams; p++)
      tt_str_printf(&c,
                    "    d += (%s > tuned[i][%zu] ? %s - tuned[i][%zu] : tuned[i][%zu] - %s) / "
                    "(double)tuned[i][%zu];\n",
                    k->params[p], p, k->params[p], p, p, k->params[p], p);
    tt_str_append(&c,
                  "    if (dbest < 0 || d < dbest) {\n      dbest = d;\n      best = i;\n    }\n"
                  "  }\n  return best;\n}\n\n");
  }
  tt_str_append(&c, "size_t ");
  tt_str_printf(&c, "tt_%s_workspace(", K);
  params(&c, k, 1, NULL);
  tt_str_printf(&c, ") { return tt_%s__ref_workspace(", K);
  params(&c, k, 0, NULL);
  tt_str_printf(&c, "); }\n\nint tt_%s_tuned(", K);
  params(&c, k, 1, NULL);
  tt_str_append(&c, ") { return find(");
  params(&c, k, 0, NULL);
  tt_str_append(&c, ") >= 0; }\n");
  for (int f = 0; f < 2; f++) {
    tt_str_printf(&c, "\nint tt_%s%s(", K, f ? "_init" : "");
    params(&c, k, 1, NULL);
    tt_str_append(&c, ", ");
    own_tensors(&c, k, 1);
    tt_str_printf(&c, ", void *workspace) {\n  void *own = NULL;\n  size_t need = tt_%s_workspace(",
                  K);
    params(&c, k, 0, NULL);
    tt_str_append(
        &c, ");\n  if (!workspace && need && !(workspace = own = malloc(need))) return -1;\n");
    if (!f) {
      tt_str_append(&c, "  switch (find(");
      params(&c, k, 0, NULL);
      tt_str_append(&c, ")) {\n");
      for (size_t i = 0; i < n; i++) {
        tt_str_printf(&c, "  case %zu:\n    tt_%s__", i, K);
        ident(&c, jobs[i].size_name);
        tt_str_append(&c, "_call(");
        own_tensors(&c, k, 0);
        tt_str_append(&c, ", workspace);\n    break;\n");
      }
      tt_str_append(&c, "  default:\n");
      if (nearest) {
        tt_str_append(&c, "    switch (nearest(");
        params(&c, k, 0, NULL);
        tt_str_append(&c, ")) {\n");
        for (size_t i = 0; i < n; i++) {
          tt_str_printf(&c, "    case %zu:\n      tt_%s__", i, K);
          ident(&c, jobs[i].size_name);
          tt_str_append(&c, "_any_call(");
          params(&c, k, 0, NULL);
          tt_str_append(&c, ", ");
          own_tensors(&c, k, 0);
          tt_str_append(&c, ", workspace);\n      break;\n");
        }
        tt_str_append(&c, "    }\n  }\n  free(own);\n  return 0;\n}\n");
        continue;
      }
      tt_str_append(&c, "  ");
    }
    tt_str_printf(&c, "  tt_%s__ref_%s(", K, f ? "init_call" : "call");
    params(&c, k, 0, NULL);
    tt_str_append(&c, ", ");
    own_tensors(&c, k, 0);
    tt_str_append(&c, ", workspace);\n");
    if (!f) tt_str_append(&c, "  }\n");
    tt_str_append(&c, "  free(own);\n  return 0;\n}\n");
  }
  tt_str_printf(&path, "%s/%s.c", dir, K);
  tt_status st = tt_file_write(path.data, c.data, c.len, err);
  if (st == TT_OK) printf("  %s\n", path.data);
  tt_str_free(&c);
  tt_str_free(&path);
  return st;
}

/* Opens the job of the best variant at size and parses its configuration
 * into *cfg (caller frees). */
static tt_status open_best(tt_store *s, const char *kernel, const char *size, const char *tmpl,
                           const char *machine, tt_job *j, uint32_t **cfg, tt_error *err) {
  tt_trial *best = NULL;
  char *size_out = NULL, *tmpl_out = NULL;
  size_t elsewhere = 0;
  tt_status st = tt_export_find_best(s, kernel, size, tmpl, "cpu", machine, &best, &size_out,
                                     &tmpl_out, &elsewhere, err);
  if (st == TT_OK && !best)
    st = tt_error_set(err, TT_ERR_USAGE, "no validated configuration of %s at size %s%s", kernel,
                      size, elsewhere ? " on this machine (--any-machine takes others')" : "");
  if (st == TT_OK) st = tt_job_open(j, kernel, size_out, tmpl_out, err);
  if (st == TT_OK) {
    *cfg = tt_xcalloc(tt_job_nknobs(j) + 1, sizeof **cfg);
    st = tt_job_parse_config(j, best->config, *cfg, err);
  }
  tt_trial_free(best);
  free(size_out);
  free(tmpl_out);
  return st;
}

/* See export_lib.h. */
tt_status tt_export_library(tt_store *s, const char *kernel, const char *const *sizes,
                            size_t nsizes, const char *tmpl, const char *machine, int nearest,
                            const char *dir, tt_error *err) {
  tt_job *jobs = tt_xcalloc(nsizes + 1, sizeof *jobs);
  size_t opened = 0;
  tt_status st = tt_mkdirs(dir, err);
  for (size_t i = 0; st == TT_OK && i < nsizes; i++) {
    uint32_t *cfg = NULL;
    st = open_best(s, kernel, sizes[i], tmpl, machine, &jobs[i], &cfg, err);
    opened = i + 1;
    if (st == TT_OK) st = write_variant(&jobs[i], cfg, dir, 0, err);
    if (st == TT_OK && nearest) st = write_variant(&jobs[i], cfg, dir, 1, err);
    free(cfg);
  }
  if (st == TT_OK) st = write_reference(&jobs[0], dir, err);
  if (st == TT_OK) st = write_header(jobs[0].kernel, jobs, nsizes, dir, nearest, err);
  if (st == TT_OK) st = write_dispatcher(jobs[0].kernel, jobs, nsizes, dir, nearest, err);
  for (size_t i = 0; i < opened; i++)
    tt_job_close(&jobs[i]);
  free(jobs);
  return st;
}
