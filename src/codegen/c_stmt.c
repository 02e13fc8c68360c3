/* Printing statements as C/OpenMP, and the C dialect's hooks. */
#include <stdarg.h>
#include <string.h>

#include "codegen/cg.h"

void tt_cg_line(tt_cg *g, const char *fmt, ...) {
  va_list ap;
  tt_str_indent(&g->out, g->indent);
  va_start(ap, fmt);
  tt_str_vprintf(&g->out, fmt, ap);
  va_end(ap);
  tt_str_append(&g->out, "\n");
}

int64_t tt_cg_alloc_bytes(const tt_stmt *s) {
  int64_t n = tt_dtype_size(s->type), v;
  for (size_t i = 0; i < s->nidx; i++)
    if (tt_expr_const_int(s->idx[i], &v)) n *= v;
  return n;
}

/* The simdlen clause of a vectorized loop with a width into buf, else "". */
static const char *c_simdlen(char buf[32], const tt_stmt *f) {
  buf[0] = '\0';
  if (f->simdlen > 0) snprintf(buf, 32, " simdlen(%d)", f->simdlen);
  return buf;
}

/* OpenMP and GCC loop pragmas. GCC accepts no other pragma between
 * `omp simd` and its loop, so a vectorized loop that is also unrolled says
 * `GCC ivdep` instead (same effect without a reduction); a vectorized
 * reduction keeps `omp simd` and cannot be unrolled here (lowering splits
 * such loops into several partial sums instead). */
static void c_loop_annotations(tt_cg *g, const tt_stmt *f) {
  char len[32];
  static const char *const sched[] = {"static", "dynamic", "static, 1"};
  if (f->loop_kind == TT_LOOP_PARALLEL)
    tt_cg_line(g, "#pragma omp %sfor schedule(%s)", g->worksharing ? "" : "parallel ",
               sched[f->par_sched]);
  g->worksharing = 0; /* loops inside this one are not the region's */
  if (f->loop_kind == TT_LOOP_VECTORIZED && f->unroll > 1 && !f->red_var) {
    tt_cg_line(g, "#pragma GCC ivdep");
    tt_cg_line(g, "#pragma GCC unroll %d", f->unroll);
    return;
  }
  if (f->loop_kind == TT_LOOP_VECTORIZED) {
    if (f->red_var)
      tt_cg_line(g, "#pragma omp simd reduction(%s:%s)%s",
                 f->red_op == TT_RED_SUM   ? "+"
                 : f->red_op == TT_RED_MIN ? "min"
                                           : "max",
                 f->red_var, c_simdlen(len, f));
    else
      tt_cg_line(g, "#pragma omp simd%s", c_simdlen(len, f));
  }
  if (f->unroll > 1 && f->loop_kind != TT_LOOP_VECTORIZED)
    tt_cg_line(g, "#pragma GCC unroll %d", f->unroll);
}

static int c_local_buffer(tt_cg *g, const tt_stmt *s) {
  tt_str dims = {0};
  for (size_t i = 0; i < s->nidx; i++) {
    tt_str_append(&dims, "[");
    tt_cg_expr(g, &dims, s->idx[i]);
    tt_str_append(&dims, "]");
  }
  const char *ct = tt_dtype_ctype(s->type);
  int64_t bytes = tt_cg_alloc_bytes(s);
  int heap = bytes > TT_STACK_LIMIT;
  if (!heap) {
    tt_cg_line(g, "%s %s%s __attribute__((aligned(64)));", ct, s->name, tt_str_cstr(&dims));
  } else {
    const char *inner = strchr(tt_str_cstr(&dims) + 1, '[');
    tt_cg_line(g, "%s (*%s)%s = tt_aligned_alloc(64, %lld);", ct, s->name, inner ? inner : "",
               (long long)((bytes + 63) / 64 * 64));
  }
  tt_str_free(&dims);
  return heap;
}

const tt_dialect tt_dialect_c = {
    .name = "c", .loop_annotations = c_loop_annotations, .local_buffer = c_local_buffer};

/* Prints the statements of one C scope (nested blocks flattened), freeing
 * heap buffers at its end. */
static void scope(tt_cg *g, const tt_stmt *s, tt_vec *heap) {
  if (!s) return;
  if (s->kind == TT_ST_BLOCK) {
    for (size_t i = 0; i < s->nbody; i++)
      scope(g, s->body[i], heap);
    return;
  }
  if (s->kind == TT_ST_ALLOC) {
    if (tt_cg_hoisted(g, s)) return; /* declared once per call */
    const tt_dialect *d = g->d->local_buffer ? g->d : &tt_dialect_c;
    if (d->local_buffer(g, s)) tt_vec_push(heap, (void *)s->name);
    return;
  }
  tt_cg_stmt(g, s);
}

static void braced(tt_cg *g, const tt_stmt *body) {
  tt_vec heap = {0};
  g->indent++;
  scope(g, body, &heap);
  for (size_t i = heap.len; i-- > 0;)
    tt_cg_line(g, "tt_free(%s);", (const char *)heap.items[i]);
  g->indent--;
  tt_vec_free(&heap);
}

void tt_cg_for_header(tt_cg *g, const tt_stmt *s) {
  const tt_dialect *d = g->d->loop_annotations ? g->d : &tt_dialect_c;
  d->loop_annotations(g, s);
  tt_str h = {0};
  tt_str_printf(&h, "for (long %s = ", s->var);
  tt_cg_expr(g, &h, s->lo);
  tt_str_printf(&h, "; %s < ", s->var);
  tt_cg_expr(g, &h, s->hi);
  int64_t step = 1;
  if (s->step && !(tt_expr_const_int(s->step, &step) && step == 1)) {
    tt_str_printf(&h, "; %s += ", s->var);
    tt_cg_expr(g, &h, s->step);
  } else {
    tt_str_printf(&h, "; %s++", s->var);
  }
  tt_cg_line(g, "%s) {", tt_str_cstr(&h));
  tt_str_free(&h);
}

/* A loop; a parallel loop that owns hoisted buffers opens its `omp
 * parallel` block itself, the buffers (one per thread) declared before its
 * `omp for` and freed after it. */
static void print_for(tt_cg *g, const tt_stmt *s) {
  const tt_stmt *own = s->body[0]; /* the owner of the loop's buffers (c_hoist.c) */
  int wrap = s->loop_kind == TT_LOOP_PARALLEL && !g->worksharing && tt_cg_hoist_owns(g, own);
  if (wrap) {
    tt_cg_line(g, "#pragma omp parallel");
    tt_cg_line(g, "{");
    g->indent++;
    tt_cg_hoist_declare(g, own);
    g->worksharing = 1;
  }
  tt_cg_for_header(g, s);
  braced(g, s->body[0]);
  tt_cg_line(g, "}");
  if (wrap) {
    tt_cg_hoist_release(g, own);
    g->indent--;
    tt_cg_line(g, "}");
  }
}

/* Counts the loads in e into *n; 0 when one of them reads a tensor that is
 * not i32. */
static int i32_loads(const tt_kernel_def *k, const tt_expr *e, int *n) {
  if (e->kind == TT_EX_LOAD) {
    const tt_tensor *t = tt_kernel_tensor(k, e->name);
    if (!t || t->type != TT_DT_I32) return 0;
    ++*n;
  }
  for (size_t i = 0; i < e->nargs; i++)
    if (!i32_loads(k, e->args[i], n)) return 0;
  return 1;
}

/* A let's C type: its own, except that an integer let computed from
 * elements of i32 tensors only is an int (as the elements, and as
 * PolyBench's C has it): with a long, arithmetic between it and the
 * tensors' elements widens every vector lane to 64 bits, half the lanes of
 * an int (floyd-warshall's relaxation, nussinov's running maximum). Index
 * arithmetic (no loads) stays long. */
static const char *let_ctype(const tt_cg *g, const tt_stmt *s) {
  int n = 0;
  if (s->type == TT_DT_INT && g->l && g->l->kernel && i32_loads(g->l->kernel, s->value, &n) &&
      n > 0)
    return "int";
  return tt_dtype_ctype(s->type);
}

/* Points the C compiler's diagnostics at the .te line a statement comes
 * from (a compile error in generated code is a tetune bug; its report
 * should say where to look). */
static void line_directive(tt_cg *g, const tt_stmt *s) {
  if (s->loc.line <= 0 || s->loc.file == NULL) return;
  const char *base = strrchr(s->loc.file, '/'); /* the file name: sources stay path-free */
  base = base ? base + 1 : s->loc.file;
  if (strpbrk(base, "\"\\\n") == NULL)
    tt_str_printf(&g->out, "#line %d \"%s\"\n", s->loc.line, base);
}

void tt_cg_stmt(tt_cg *g, const tt_stmt *s) {
  tt_str e = {0};
  if (s->kind != TT_ST_BLOCK && s->kind != TT_ST_PRAGMA) line_directive(g, s);
  switch (s->kind) {
  case TT_ST_BLOCK:
  case TT_ST_ALLOC: {
    tt_cg_line(g, "{");
    braced(g, s);
    tt_cg_line(g, "}");
    break;
  }
  case TT_ST_FOR:
    print_for(g, s);
    break;
  case TT_ST_STORE:
    if (s->simdlen > 1) tt_str_printf(&e, "TT_VST%d(", s->simdlen); /* a GPU vector store */
    tt_cg_expr(g, &e,
               &(tt_expr){.kind = TT_EX_LOAD, .name = s->name, .nargs = s->nidx, .args = s->idx});
    if (s->simdlen > 1)
      tt_str_append(&e, ", ");
    else
      tt_str_printf(&e, " %s ", tt_update_symbol(s->op));
    tt_cg_expr(g, &e, s->value);
    tt_cg_line(g, "%s%s;", tt_str_cstr(&e), s->simdlen > 1 ? ")" : "");
    break;
  case TT_ST_LET:
    tt_cg_expr(g, &e, s->value);
    tt_cg_line(g, "%s %s = %s;", let_ctype(g, s), s->name, tt_str_cstr(&e));
    break;
  case TT_ST_ASSIGN:
    tt_cg_expr(g, &e, s->value);
    tt_cg_line(g, "%s %s %s;", s->name, tt_update_symbol(s->op), tt_str_cstr(&e));
    break;
  case TT_ST_IF:
    tt_cg_expr(g, &e, s->value);
    tt_cg_line(g, "if (%s) {", tt_str_cstr(&e));
    braced(g, s->body[0]);
    if (s->nbody > 1 && s->body[1]) {
      tt_cg_line(g, "} else {");
      braced(g, s->body[1]);
    }
    tt_cg_line(g, "}");
    break;
  case TT_ST_PRAGMA:
    tt_cg_line(g, "%s", s->text);
    break;
  case TT_ST_COMPUTE:
    tt_cg_line(g, "/* error: compute stage %s was not lowered */", s->compute->name);
    break;
  }
  tt_str_free(&e);
}

void tt_cg_body(tt_cg *g, const tt_stmt *body) {
  tt_vec top = {0}, heap = {0};
  tt_cg_hoist_plan(g, body, 0);
  tt_cg_top_statements(body, &top);
  g->indent++;
  for (size_t i = 0; i < top.len; i++) { /* a nest's buffers around it */
    tt_cg_hoist_declare(g, top.items[i]);
    scope(g, top.items[i], &heap);
    tt_cg_hoist_release(g, top.items[i]);
  }
  for (size_t i = heap.len; i-- > 0;)
    tt_cg_line(g, "tt_free(%s);", (const char *)heap.items[i]);
  g->indent--;
  tt_cg_hoist_free(g);
  tt_vec_free(&top);
  tt_vec_free(&heap);
}
