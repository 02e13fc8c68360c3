/* Statement nodes: constructors, shallow clone and block-building lists. */
#include "tetune/ir.h"

#include <string.h>

/* Allocates a statement of the given kind. */
static tt_stmt *st_new(tt_arena *a, tt_stmt_kind kind) {
  tt_stmt *s = tt_arena_alloc(a, sizeof *s);
  s->kind = kind;
  return s;
}

/* Copies an array of n pointers into the arena (NULL when n is 0). */
static void *ptrs_copy(tt_arena *a, void *const *src, size_t n) {
  if (n == 0) return NULL;
  void **p = tt_arena_alloc(a, n * sizeof *p);
  memcpy(p, src, n * sizeof *p);
  return p;
}

/* A sequence of statements (items copied; NULL items are skipped). */
tt_stmt *tt_st_block(tt_arena *a, tt_stmt **items, size_t n) {
  tt_stmt *s = st_new(a, TT_ST_BLOCK);
  s->body = n ? tt_arena_alloc(a, n * sizeof *s->body) : NULL;
  for (size_t i = 0; i < n; i++)
    if (items[i] != NULL) s->body[s->nbody++] = items[i];
  return s;
}

/* for var in [lo, hi): body; the schedule label defaults to the var. */
tt_stmt *tt_st_for(tt_arena *a, const char *var, tt_expr *lo, tt_expr *hi, tt_stmt *body) {
  tt_stmt *s = st_new(a, TT_ST_FOR);
  s->var = tt_arena_strdup(a, var);
  s->label = s->var;
  s->lo = lo;
  s->hi = hi;
  s->nbody = 1;
  s->body = tt_arena_alloc(a, sizeof *s->body);
  s->body[0] = body;
  return s;
}

/* tensor[idx...] op= value. */
tt_stmt *tt_st_store(tt_arena *a, const char *tensor, tt_expr **idx, size_t n, tt_update op,
                     tt_expr *value) {
  tt_stmt *s = st_new(a, TT_ST_STORE);
  s->name = tt_arena_strdup(a, tensor);
  s->nidx = n;
  s->idx = ptrs_copy(a, (void *const *)idx, n);
  s->op = op;
  s->value = value;
  return s;
}

/* if cond then_s else else_s (else_s may be NULL). */
tt_stmt *tt_st_if(tt_arena *a, tt_expr *cond, tt_stmt *then_s, tt_stmt *else_s) {
  tt_stmt *s = st_new(a, TT_ST_IF);
  s->value = cond;
  s->nbody = 2;
  s->body = tt_arena_alloc(a, 2 * sizeof *s->body);
  s->body[0] = then_s;
  s->body[1] = else_s;
  return s;
}

/* Local scalar of type t. */
tt_stmt *tt_st_let(tt_arena *a, tt_dtype t, const char *name, tt_expr *value) {
  tt_stmt *s = st_new(a, TT_ST_LET);
  s->type = t;
  s->name = tt_arena_strdup(a, name);
  s->value = value;
  s->op = '=';
  return s;
}

/* Update of a local scalar: name op= value. */
tt_stmt *tt_st_assign(tt_arena *a, const char *name, tt_update op, tt_expr *value) {
  tt_stmt *s = st_new(a, TT_ST_ASSIGN);
  s->name = tt_arena_strdup(a, name);
  s->op = op;
  s->value = value;
  return s;
}

/* Local buffer name[shape...] of type t. */
tt_stmt *tt_st_alloc(tt_arena *a, tt_dtype t, const char *name, tt_expr **shape, size_t n) {
  tt_stmt *s = st_new(a, TT_ST_ALLOC);
  s->type = t;
  s->name = tt_arena_strdup(a, name);
  s->nidx = n;
  s->idx = ptrs_copy(a, (void *const *)shape, n);
  return s;
}

/* A pure compute stage. */
tt_stmt *tt_st_compute(tt_arena *a, tt_compute *c) {
  tt_stmt *s = st_new(a, TT_ST_COMPUTE);
  s->compute = c;
  return s;
}

/* A verbatim backend line. */
tt_stmt *tt_st_pragma(tt_arena *a, const char *text) {
  tt_stmt *s = st_new(a, TT_ST_PRAGMA);
  s->text = tt_arena_strdup(a, text);
  return s;
}

/* Shallow copy: a new node whose body and index arrays are fresh copies
 * (so a pass may replace a child without touching the original) but whose
 * children are shared. */
tt_stmt *tt_stmt_clone(tt_arena *a, const tt_stmt *s) {
  if (s == NULL) return NULL;
  tt_stmt *c = st_new(a, s->kind);
  *c = *s;
  c->body = ptrs_copy(a, (void *const *)s->body, s->nbody);
  c->idx = ptrs_copy(a, (void *const *)s->idx, s->nidx);
  return c;
}

/* Appends s (ignored when NULL) to l; storage grows in the arena. */
void tt_stmt_list_push(tt_arena *a, tt_stmt_list *l, tt_stmt *s) {
  if (s == NULL) return;
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    tt_stmt **items = tt_arena_alloc(a, cap * sizeof *items);
    if (l->len > 0) memcpy(items, l->items, l->len * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  l->items[l->len++] = s;
}

/* A BLOCK of the list's statements; the list may be reused afterwards. */
tt_stmt *tt_stmt_list_block(tt_arena *a, tt_stmt_list *l) {
  return tt_st_block(a, l->items, l->len);
}
