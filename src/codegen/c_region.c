/* One OpenMP parallel region per call (issue 31). A function body that
 * would open several parallel regions per call (a parallel loop inside a
 * serial loop, as in a blocked factorisation's per-panel stages, or
 * several parallel loops in sequence) is printed as one `omp parallel`
 * region instead: its parallel loops become `omp for` work-sharing loops,
 * the serial statements between them run in `omp single` blocks, and the
 * serial loops around them run on every thread (their bounds are pure
 * index expressions). A buffer allocated between parallel loops is
 * allocated by one thread and its pointer handed to all (`single
 * copyprivate`), once before the loop nest that holds it (c_hoist.c). Forking a team per panel
 * costs a wake-up of every thread each time, and under contention from another process each fork
 * waits for a descheduled thread; one region keeps the team for the whole call.
 *
 * Applies only where it is safe to prove: the statements that every
 * thread runs (loop bounds, conditions, lets) read no array, and no
 * serial statement updates a scalar that every thread holds a copy of.
 * Otherwise the body prints as before. */
#include <string.h>

#include "codegen/cg.h"

/* 1 when s holds a parallel loop (outside any other parallel loop). */
static int has_parallel(const tt_stmt *s) {
  if (!s) return 0;
  if (s->kind == TT_ST_FOR && s->loop_kind == TT_LOOP_PARALLEL) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (has_parallel(s->body[i])) return 1;
  return 0;
}

/* Parallel regions one call of s opens: a parallel loop counts once per
 * iteration of its serial loops (counted as 2: more than one). */
static int regions(const tt_stmt *s) {
  if (!s) return 0;
  if (s->kind == TT_ST_FOR && s->loop_kind == TT_LOOP_PARALLEL) return 1;
  int n = 0;
  for (size_t i = 0; i < s->nbody; i++)
    n += regions(s->body[i]);
  if (s->kind == TT_ST_FOR && n > 0) n = 2;
  return n;
}

/* 1 when e reads an array. */
static int reads_array(const tt_expr *e) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD || e->kind == TT_EX_REDUCE) return 1;
  for (size_t i = 0; i < e->nargs; i++)
    if (reads_array(e->args[i])) return 1;
  return 0;
}

/* 1 when s assigns a scalar that it does not declare itself. */
static int assigns_outer(const tt_stmt *s, tt_vec *lets) {
  if (!s) return 0;
  if (s->kind == TT_ST_LET) tt_vec_push(lets, (void *)s->name);
  if (s->kind == TT_ST_ASSIGN) {
    int own = 0;
    for (size_t i = 0; i < lets->len; i++)
      own |= strcmp((const char *)lets->items[i], s->name) == 0;
    if (!own) return 1;
  }
  for (size_t i = 0; i < s->nbody; i++)
    if (assigns_outer(s->body[i], lets)) return 1;
  return 0;
}

/* 1 when serial statement s may run in an `omp single`. */
static int single_ok(const tt_stmt *s) {
  tt_vec lets = {0};
  int bad = s->kind == TT_ST_PRAGMA || assigns_outer(s, &lets);
  tt_vec_free(&lets);
  return !bad;
}

/* 1 when every statement of s that every thread runs is safe there. */
static int region_ok(const tt_stmt *s) {
  if (!s) return 1;
  switch (s->kind) {
  case TT_ST_BLOCK:
    for (size_t i = 0; i < s->nbody; i++)
      if (!region_ok(s->body[i])) return 0;
    return 1;
  case TT_ST_ALLOC:
    return 1;
  case TT_ST_LET:
    return !reads_array(s->value);
  case TT_ST_FOR:
    if (s->loop_kind == TT_LOOP_PARALLEL) return !reads_array(s->lo) && !reads_array(s->hi);
    if (!has_parallel(s)) return single_ok(s);
    return !reads_array(s->lo) && !reads_array(s->hi) && !reads_array(s->step) &&
           region_ok(s->body[0]);
  case TT_ST_IF:
    if (!has_parallel(s)) return single_ok(s);
    return !reads_array(s->value) && region_ok(s->body[0]) &&
           (s->nbody < 2 || region_ok(s->body[1]));
  default:
    return has_parallel(s) ? 0 : single_ok(s);
  }
}

static void region_scope(tt_cg *g, const tt_stmt *s);

/* Statements run by one thread, in one `omp single` (its end a barrier). */
static void flush_single(tt_cg *g, tt_vec *pending) {
  if (!pending->len) return;
  tt_cg_line(g, "#pragma omp single");
  tt_cg_line(g, "{");
  g->indent++;
  for (size_t i = 0; i < pending->len; i++)
    tt_cg_stmt(g, pending->items[i]);
  g->indent--;
  tt_cg_line(g, "}");
  pending->len = 0;
}

/* A buffer every thread uses: one thread allocates, all get the pointer. */
static void shared_alloc(tt_cg *g, const tt_stmt *s, tt_vec *heap) {
  tt_str dims = {0};
  for (size_t i = 1; i < s->nidx; i++) {
    tt_str_append(&dims, "[");
    tt_cg_expr(g, &dims, s->idx[i]);
    tt_str_append(&dims, "]");
  }
  int64_t bytes = tt_cg_alloc_bytes(s);
  tt_cg_line(g, "%s (*%s)%s;", tt_dtype_ctype(s->type), s->name, tt_str_cstr(&dims));
  tt_cg_line(g, "#pragma omp single copyprivate(%s)", s->name);
  tt_cg_line(g, "%s = tt_aligned_alloc(64, %lld);", s->name, (long long)((bytes + 63) / 64 * 64));
  tt_str_free(&dims);
  tt_vec_push(heap, (void *)s->name);
}

/* One statement at region level (statements without parallel loops are
 * collected in pending for the next single). */
static void region_stmt(tt_cg *g, const tt_stmt *s, tt_vec *pending, tt_vec *heap) {
  if (s->kind == TT_ST_ALLOC && tt_cg_hoisted(g, s)) return; /* declared once per call */
  if (s->kind == TT_ST_BLOCK) {
    for (size_t i = 0; i < s->nbody; i++)
      region_stmt(g, s->body[i], pending, heap);
    return;
  }
  if (s->kind != TT_ST_ALLOC && s->kind != TT_ST_LET && !has_parallel(s)) {
    tt_vec_push(pending, (void *)s);
    return;
  }
  flush_single(g, pending);
  if (s->kind == TT_ST_ALLOC) {
    shared_alloc(g, s, heap);
  } else if (s->kind == TT_ST_LET) {
    tt_cg_stmt(g, s);
  } else if (s->kind == TT_ST_FOR && s->loop_kind == TT_LOOP_PARALLEL) {
    g->worksharing = 1; /* the loop's annotation: `omp for` */
    tt_cg_stmt(g, s);
  } else if (s->kind == TT_ST_FOR) {
    tt_cg_for_header(g, s);
    g->indent++;
    region_scope(g, s->body[0]);
    g->indent--;
    tt_cg_line(g, "}");
  } else { /* IF */
    tt_str c = {0};
    tt_cg_expr(g, &c, s->value);
    tt_cg_line(g, "if (%s) {", tt_str_cstr(&c));
    tt_str_free(&c);
    g->indent++;
    region_scope(g, s->body[0]);
    g->indent--;
    if (s->nbody > 1 && s->body[1]) {
      tt_cg_line(g, "} else {");
      g->indent++;
      region_scope(g, s->body[1]);
      g->indent--;
    }
    tt_cg_line(g, "}");
  }
}

/* Frees shared buffers (one thread), after a barrier: the end of the
 * last statement using them. */
static void free_shared(tt_cg *g, const tt_vec *heap) {
  if (!heap->len) return;
  tt_cg_line(g, "#pragma omp barrier");
  tt_cg_line(g, "#pragma omp single");
  tt_cg_line(g, "{");
  for (size_t i = heap->len; i-- > 0;)
    tt_cg_line(g, "  tt_free(%s);", (const char *)heap->items[i]);
  tt_cg_line(g, "}");
}

/* The statements of one C scope inside the region; its shared buffers are
 * freed at its end. */
static void region_scope(tt_cg *g, const tt_stmt *s) {
  tt_vec pending = {0}, heap = {0};
  region_stmt(g, s, &pending, &heap);
  flush_single(g, &pending);
  free_shared(g, &heap);
  tt_vec_free(&pending);
  tt_vec_free(&heap);
}

/* The region's function-level statements: the shared buffers a loop nest
 * holds (c_hoist.c) are allocated once before it and freed after it. */
static void region_top(tt_cg *g, const tt_stmt *body) {
  tt_vec top = {0}, pending = {0}, heap = {0};
  tt_cg_top_statements(body, &top);
  for (size_t i = 0; i < top.len; i++) {
    const tt_stmt *t = top.items[i];
    tt_vec own = {0}, l = {0};
    tt_cg_hoist_list(g, t, &l);
    if (l.len) flush_single(g, &pending);
    for (size_t j = 0; j < l.len; j++)
      shared_alloc(g, l.items[j], &own);
    region_stmt(g, t, &pending, &heap);
    if (own.len) flush_single(g, &pending);
    free_shared(g, &own);
    tt_vec_free(&own);
    tt_vec_free(&l);
  }
  flush_single(g, &pending);
  free_shared(g, &heap);
  tt_vec_free(&top);
  tt_vec_free(&pending);
  tt_vec_free(&heap);
}

int tt_cg_region_body(tt_cg *g, const tt_stmt *body) {
  if (g->d != &tt_dialect_c || regions(body) < 2 || !region_ok(body)) return 0;
  tt_cg_hoist_plan(g, body, 1);
  g->indent++;
  tt_cg_line(g, "#pragma omp parallel");
  tt_cg_line(g, "{");
  g->indent++;
  tt_cg_hoist_declare(g, body); /* one per thread */
  region_top(g, body);
  tt_cg_hoist_release(g, body);
  g->indent--;
  tt_cg_line(g, "}");
  g->indent--;
  tt_cg_hoist_free(g);
  return 1;
}
