/* Heap buffers allocated once per call (issue 31). A buffer the lowering
 * creates (a cache_read pack, a large cache_write tile) is an ALLOC
 * statement where it is first needed, often inside the loops that refill
 * it: printed in place it was malloc'ed and freed on every iteration, and
 * glibc could hand the freed pages back to the system, so that each
 * allocation page-faulted them in again (docs/performance.md).
 *
 * In the C dialect every heap buffer with a constant shape is declared
 * instead once per call: a buffer outside every parallel loop before the
 * function-level statement (loop nest) that holds it, freed after it
 * (shared, as before; buffers of successive nests are not live together),
 * one inside a parallel loop at the start of that loop's `omp parallel`
 * block (one per thread, as before), or, when the body prints as one region
 * (c_region.c), at the start of the region. The allocation sites then print
 * nothing.
 *
 * Buffers sharing a name are hoisted together (one buffer) only when they
 * have the same type and shape, the same owner and never shadow each other;
 * otherwise every buffer of that name prints in place, as before. */
#include <stdlib.h>
#include <string.h>

#include "codegen/cg.h"

/* One heap buffer: the ALLOC and its owner: the body of the outermost
 * parallel loop around it (in region mode the function's body: the
 * region), else the function-level statement that holds it. */
typedef struct hoist {
  const tt_stmt *s;
  const void *owner;
  int merged; /* a later site of a buffer declared by an earlier one */
} hoist;

/* 1 when s prints as a heap buffer with a constant shape. */
static int heap_buffer(const tt_stmt *s) {
  int64_t v;
  if (s->local_mem) return 0;
  for (size_t i = 0; i < s->nidx; i++)
    if (!tt_expr_const_int(s->idx[i], &v)) return 0;
  return tt_cg_alloc_bytes(s) > TT_STACK_LIMIT;
}

/* 1 when a and b declare the same buffer (type and shape). */
static int same_decl(const tt_stmt *a, const tt_stmt *b) {
  int64_t x, y;
  if (a->type != b->type || a->nidx != b->nidx) return 0;
  for (size_t i = 0; i < a->nidx; i++) {
    tt_expr_const_int(a->idx[i], &x);
    tt_expr_const_int(b->idx[i], &y);
    if (x != y) return 0;
  }
  return 1;
}

typedef struct walk {
  tt_vec found; /* hoist * */
  tt_vec bad;   /* names that must print in place */
  tt_vec live;  /* ALLOCs of the enclosing C scopes */
  int region;
  const void *body;
} walk;

static void mark_bad(walk *w, const char *name) {
  tt_vec_push(&w->bad, (void *)name);
}

/* Records heap buffers of s, owned by owner (see hoist); in_par: inside a
 * parallel loop. */
static void collect(walk *w, const tt_stmt *s, const void *owner, int in_par) {
  if (!s) return;
  if (s->kind == TT_ST_ALLOC) {
    for (size_t i = 0; i < w->live.len; i++)
      if (strcmp(((const tt_stmt *)w->live.items[i])->name, s->name) == 0) mark_bad(w, s->name);
    tt_vec_push(&w->live, (void *)s);
    if (!heap_buffer(s) || owner == NULL) { /* a function-level one is allocated once already */
      mark_bad(w, s->name);
      return;
    }
    hoist *h = calloc(1, sizeof *h);
    *h = (hoist){.s = s, .owner = owner};
    tt_vec_push(&w->found, h);
    return;
  }
  if (s->kind == TT_ST_FOR && s->loop_kind == TT_LOOP_PARALLEL && !in_par) {
    owner = w->region ? w->body : (const void *)s->body[0]; /* the loop's body: the loop itself
                                                               may own its nest's buffers */
    in_par = 1;
  }
  size_t live = w->live.len;
  for (size_t i = 0; i < s->nbody; i++) {
    collect(w, s->body[i], owner, in_par);
    if (s->kind != TT_ST_BLOCK) w->live.len = live; /* FOR and IF bodies are C scopes */
  }
}

void tt_cg_top_statements(const tt_stmt *s, tt_vec *out) {
  if (!s) return;
  if (s->kind != TT_ST_BLOCK) {
    tt_vec_push(out, (void *)s);
    return;
  }
  for (size_t i = 0; i < s->nbody; i++)
    tt_cg_top_statements(s->body[i], out);
}

/* 1 when name is in v (names). */
static int has_name(const tt_vec *v, const char *name) {
  for (size_t i = 0; i < v->len; i++)
    if (strcmp((const char *)v->items[i], name) == 0) return 1;
  return 0;
}

void tt_cg_hoist_plan(tt_cg *g, const tt_stmt *body, int region) {
  tt_cg_hoist_free(g);
  if (g->d != &tt_dialect_c) return;
  walk w = {.region = region, .body = body};
  tt_vec top = {0};
  tt_cg_top_statements(body, &top);
  for (size_t i = 0; i < top.len; i++) { /* a nest owns its serial buffers */
    const tt_stmt *t = top.items[i];
    collect(&w, t, t->kind == TT_ST_ALLOC ? NULL : t, 0);
  }
  tt_vec_free(&top);
  for (size_t i = 0; i < w.found.len; i++) { /* conflicting sites of one name */
    hoist *h = w.found.items[i];
    for (size_t j = 0; j < i; j++) {
      const hoist *e = w.found.items[j];
      if (strcmp(e->s->name, h->s->name) != 0) continue;
      if (!same_decl(e->s, h->s) || e->owner != h->owner) mark_bad(&w, h->s->name);
      h->merged = 1;
    }
  }
  for (size_t i = 0; i < w.found.len; i++) {
    hoist *h = w.found.items[i];
    if (has_name(&w.bad, h->s->name))
      free(h);
    else
      tt_vec_push(&g->hoisted, h);
  }
  tt_vec_free(&w.found);
  tt_vec_free(&w.bad);
  tt_vec_free(&w.live);
}

int tt_cg_hoisted(const tt_cg *g, const tt_stmt *alloc) {
  for (size_t i = 0; i < g->hoisted.len; i++)
    if (((const hoist *)g->hoisted.items[i])->s == alloc) return 1;
  return 0;
}

void tt_cg_hoist_list(const tt_cg *g, const void *owner, tt_vec *out) {
  for (size_t i = 0; i < g->hoisted.len; i++) {
    const hoist *h = g->hoisted.items[i];
    if (h->owner == owner && !h->merged) tt_vec_push(out, (void *)h->s);
  }
}

void tt_cg_hoist_declare(tt_cg *g, const void *owner) {
  tt_vec l = {0};
  tt_cg_hoist_list(g, owner, &l);
  for (size_t i = 0; i < l.len; i++)
    tt_dialect_c.local_buffer(g, l.items[i]);
  tt_vec_free(&l);
}

int tt_cg_hoist_owns(const tt_cg *g, const void *owner) {
  for (size_t i = 0; i < g->hoisted.len; i++)
    if (((const hoist *)g->hoisted.items[i])->owner == owner) return 1;
  return 0;
}

void tt_cg_hoist_release(tt_cg *g, const void *owner) {
  for (size_t i = g->hoisted.len; i-- > 0;) {
    const hoist *h = g->hoisted.items[i];
    if (h->owner == owner && !h->merged) tt_cg_line(g, "tt_free(%s);", h->s->name);
  }
}

void tt_cg_hoist_free(tt_cg *g) {
  for (size_t i = 0; i < g->hoisted.len; i++)
    free(g->hoisted.items[i]);
  tt_vec_free(&g->hoisted);
}
