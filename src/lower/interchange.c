/* The interchange step on in-place loops (run by loop_steps.c in the
 * template's order, so that it may follow a split): interchange L, M1, M2, ... The loop L (label)
 * is distributed around its child loops Mk: runs of its other statements
 * stay in copies of L (same label), and each Mk becomes
 *   Mk: for j ... { Mk_L: for i ... { Mk's body } }
 * so that the loop over L's variable is innermost there (to vectorize or
 * to walk memory in order). Legal when L carries no dependence
 * (tt_interchange_check, schedule/interchange.c). */
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
  tt_str why = {0};
  int rc = tt_interchange_check(&cx->sc, f, outer, x.inner, x.n, &why);
  tt_status st2 = rc != 0 ? fail(&x, tt_arena_printf(a, "%s", tt_str_cstr(&why))) : TT_OK;
  tt_str_free(&why);
  if (st2 == TT_OK) *out = distribute(&x, f);
  return st2;
}
