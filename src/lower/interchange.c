/* The interchange step on in-place loops (run by loop_steps.c in the
 * template's order, so that it may follow a split): interchange L, M1, M2, ... The loop L (label)
 * is distributed around its child loops Mk: runs of its other statements
 * stay in copies of L (same label), and each Mk becomes
 *   Mk: for j ... { Mk_L: for i ... { Mk's body } }
 * so that the loop over L's variable is innermost there (to vectorize or
 * to walk memory in order). Lets declared at the top of L's body are
 * first expanded into arrays over L's iterations. Legal when L carries no
 * dependence (tt_interchange_check, schedule/interchange.c). */
#include <string.h>

#include "lower/passes.h"

typedef struct xchg {
  tt_lower_ctx *cx;
  const tt_step *st;
  const char *label;
  const char **inner;
  size_t n;
} xchg;

static tt_status fail(const xchg *x, const char *why) {
  return tt_error_set(x->cx->sc.err, TT_ERR_USAGE, "%s:%d:%d: cannot interchange loop '%s': %s",
                      x->st->loc.file, x->st->loc.line, x->st->loc.col, x->label, why);
}

static const char *label_of(const tt_stmt *s) {
  return s->label ? s->label : s->var;
}

/* 1 when s is one of the loops to move outside. */
static int listed(const xchg *x, const tt_stmt *s) {
  for (size_t k = 0; s->kind == TT_ST_FOR && k < x->n; k++)
    if (strcmp(label_of(s), x->inner[k]) == 0) return 1;
  return 0;
}

/* A copy of loop f over the statements items[0..n). */
static tt_stmt *copy_over(tt_arena *a, const tt_stmt *f, tt_stmt **items, size_t n) {
  tt_stmt *c = tt_stmt_clone(a, f);
  c->body = tt_arena_alloc(a, sizeof(tt_stmt *));
  c->body[0] = tt_st_block(a, items, n);
  c->nbody = 1;
  return c;
}

/* The distributed and interchanged loops replacing f (checked legal). */
static tt_stmt *distribute(const xchg *x, const tt_stmt *f) {
  tt_arena *a = x->cx->sc.a;
  const tt_stmt *b = f->body[0];
  size_t nb = b->kind == TT_ST_BLOCK ? b->nbody : 1;
  tt_stmt *const *items = b->kind == TT_ST_BLOCK ? b->body : &f->body[0];
  tt_stmt_list out = {0}, run = {0};
  for (size_t i = 0; i < nb; i++) {
    if (!listed(x, items[i])) {
      tt_stmt_list_push(a, &run, items[i]);
      continue;
    }
    if (run.len) tt_stmt_list_push(a, &out, copy_over(a, f, run.items, run.len));
    run = (tt_stmt_list){0};
    const tt_stmt *m = items[i];
    tt_stmt *in = copy_over(a, f, m->body, m->nbody);
    in->label = tt_arena_printf(a, "%s_%s", label_of(m), label_of(f));
    tt_stmt *mo = tt_stmt_clone(a, m);
    mo->body = tt_arena_alloc(a, sizeof(tt_stmt *));
    mo->body[0] = in;
    mo->nbody = 1;
    tt_stmt_list_push(a, &out, mo);
  }
  if (run.len) tt_stmt_list_push(a, &out, copy_over(a, f, run.items, run.len));
  return tt_stmt_list_block(a, &out);
}

/* Scalar expansion of the lets declared directly in f's body (each
 * iteration of f has its own value): let x becomes the element x[v - lo]
 * of a local array tt_sx_x of f's largest trip count, so that the copies
 * of f made by distribution all see it. Legal because iteration v only
 * ever touches element v - lo; the dependence test still runs on the
 * expanded loop. */
typedef struct expand {
  tt_arena *a;
  const char *name, *arr;
  tt_expr *idx;
  tt_dtype type;
} expand;

static tt_expr *elem(const expand *e) {
  tt_expr **i = tt_arena_alloc(e->a, sizeof(tt_expr *));
  i[0] = e->idx;
  tt_expr *l = tt_ex_load(e->a, e->arr, i, 1);
  l->type = e->type;
  return l;
}

static tt_expr *sub_expr(const expand *e, const tt_expr *x) {
  return x ? tt_expr_subst(e->a, x, e->name, elem(e)) : NULL;
}

/* s with the let e->name replaced by its element (recursively). */
static tt_stmt *sub_stmt(const expand *e, const tt_stmt *s) {
  if (!s) return NULL;
  tt_stmt *c = tt_stmt_clone(e->a, s);
  c->lo = sub_expr(e, s->lo);
  c->hi = sub_expr(e, s->hi);
  c->step = sub_expr(e, s->step);
  c->value = sub_expr(e, s->value);
  if (s->nidx && s->kind == TT_ST_STORE) {
    c->idx = tt_arena_alloc(e->a, sizeof(tt_expr *) * s->nidx);
    for (size_t i = 0; i < s->nidx; i++)
      c->idx[i] = sub_expr(e, s->idx[i]);
  }
  if ((s->kind == TT_ST_LET || s->kind == TT_ST_ASSIGN) && strcmp(s->name, e->name) == 0) {
    tt_expr *el = elem(e);
    c = tt_st_store(e->a, e->arr, el->args, 1, s->kind == TT_ST_LET ? '=' : s->op, c->value);
    c->loc = s->loc;
    return c;
  }
  if (s->nbody) {
    c->body = tt_arena_alloc(e->a, sizeof(tt_stmt *) * s->nbody);
    for (size_t i = 0; i < s->nbody; i++)
      c->body[i] = sub_stmt(e, s->body[i]);
  }
  return c;
}

/* A compute stage anywhere in s (its expressions are not rewritten). */
static int has_compute(const tt_stmt *s) {
  if (!s) return 0;
  if (s->kind == TT_ST_COMPUTE) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (has_compute(s->body[i])) return 1;
  return 0;
}

/* f with its top-level lets expanded into local arrays (allocated by the
 * statements added to *allocs), or an error. */
static tt_status expand_lets(const xchg *x, tt_stmt *f, const tt_bind *outer, tt_stmt **out,
                             tt_stmt_list *allocs) {
  tt_arena *a = x->cx->sc.a;
  const tt_stmt *b = f->body[0];
  size_t nb = b->kind == TT_ST_BLOCK ? b->nbody : 1;
  tt_stmt *const *items = b->kind == TT_ST_BLOCK ? b->body : &f->body[0];
  *out = f;
  for (size_t i = 0; i < nb; i++) {
    if (items[i]->kind != TT_ST_LET) continue;
    int64_t n = 0;
    if (has_compute(f))
      return fail(x, tt_arena_printf(a, "its let '%s' cannot be expanded around a compute stage",
                                     items[i]->name));
    if (!tt_inplace_max_trips(&x->cx->sc, f, outer, &n))
      return fail(x, tt_arena_printf(a,
                                     "its let '%s' cannot be expanded: the trip count of '%s' has "
                                     "no constant bound",
                                     items[i]->name, x->label));
    expand e = {.a = a, .name = items[i]->name, .type = items[i]->type};
    e.arr = tt_arena_printf(a, "tt_sx_%s", e.name);
    e.idx = tt_expr_simplify(a, tt_ex_sub(a, tt_ex_var(a, f->var), f->lo));
    tt_expr **shape = tt_arena_alloc(a, sizeof(tt_expr *));
    shape[0] = tt_ex_int(a, n > 0 ? n : 1);
    tt_stmt *al = tt_st_alloc(a, e.type, e.arr, shape, 1);
    al->align = 64;
    tt_stmt_list_push(a, allocs, al);
    *out = sub_stmt(&e, *out);
  }
  return TT_OK;
}

tt_status tt_lower_interchange(tt_lower_ctx *cx, const tt_step *st, tt_stmt *f,
                               const tt_bind *outer, tt_stmt **out) {
  tt_arena *a = cx->sc.a;
  xchg x = {.cx = cx, .st = st, .label = label_of(f)};
  x.inner = tt_arena_alloc(a, sizeof(char *) * st->nargs);
  for (size_t k = 1; k < st->nargs; k++) {
    const char *m = tt_step_name(&cx->sc, st->args[k]);
    if (m) x.inner[x.n++] = m;
  }
  *out = f;
  if (x.n == 0) return TT_OK;
  tt_stmt_list allocs = {0};
  tt_status st2 = expand_lets(&x, f, outer, &f, &allocs);
  if (st2 != TT_OK) return st2;
  tt_str why = {0};
  int rc = tt_interchange_check(&cx->sc, f, outer, x.inner, x.n, &why);
  st2 = rc != 0 ? fail(&x, tt_arena_printf(a, "%s", tt_str_cstr(&why))) : TT_OK;
  tt_str_free(&why);
  if (st2 != TT_OK) return st2;
  *out = distribute(&x, f);
  if (allocs.len) {
    tt_stmt_list_push(a, &allocs, *out);
    *out = tt_stmt_list_block(a, &allocs);
  }
  return TT_OK;
}
