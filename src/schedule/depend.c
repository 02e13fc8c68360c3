/* Loop-carried dependence test for in-place loop nests. Conservative: two
 * accesses to the same tensor, one of them a write, are independent across
 * iterations of loop v only when some dimension's index is the same
 * expression v + c (c invariant in the loop) in both — then equal elements
 * mean equal iterations. Anything else counts as a dependence. */
#include <string.h>

#include "schedule/internal.h"

typedef struct access {
  const tt_expr *load; /* LOAD node (reads), or NULL for a store */
  const tt_stmt *store;
  const char *tensor;
  size_t n;
  tt_expr **idx;
  int write;
} access;

typedef struct scan {
  tt_vec acc;   /* access* */
  tt_vec local; /* names bound inside the loop (loop vars, lets) */
  const char *scalar_write; /* a scalar from outside updated inside, or NULL */
} scan;

static void add_access(tt_arena *a, scan *sc, const char *t, tt_expr **idx, size_t n, int w,
                       const tt_expr *load, const tt_stmt *store) {
  access *x = tt_arena_alloc(a, sizeof(*x));
  *x = (access){.load = load, .store = store, .tensor = t, .n = n, .idx = idx, .write = w};
  tt_vec_push(&sc->acc, x);
}

static void scan_expr(tt_arena *a, scan *sc, const tt_expr *e) {
  if (!e) return;
  if (e->kind == TT_EX_LOAD) add_access(a, sc, e->name, e->args, e->nargs, 0, e, NULL);
  for (size_t i = 0; i < e->nargs; i++) scan_expr(a, sc, e->args[i]);
  for (size_t i = 0; i < e->nranges; i++) {
    tt_vec_push(&sc->local, (void *)e->ranges[i].var);
    scan_expr(a, sc, e->ranges[i].lo);
    scan_expr(a, sc, e->ranges[i].hi);
  }
}

static int is_local(const scan *sc, const char *name) {
  for (size_t i = 0; i < sc->local.len; i++)
    if (strcmp(sc->local.items[i], name) == 0) return 1;
  return 0;
}

static void scan_stmt(tt_arena *a, scan *sc, const tt_stmt *s) {
  if (!s) return;
  switch (s->kind) {
  case TT_ST_FOR:
    tt_vec_push(&sc->local, (void *)s->var);
    scan_expr(a, sc, s->lo);
    scan_expr(a, sc, s->hi);
    break;
  case TT_ST_LET:
  case TT_ST_ALLOC: tt_vec_push(&sc->local, (void *)s->name); break;
  case TT_ST_ASSIGN:
    if (!is_local(sc, s->name)) sc->scalar_write = s->name;
    break;
  case TT_ST_STORE:
    add_access(a, sc, s->name, s->idx, s->nidx, 1, NULL, s);
    for (size_t i = 0; i < s->nidx; i++) scan_expr(a, sc, s->idx[i]);
    break;
  case TT_ST_COMPUTE: {
    const tt_compute *c = s->compute;
    tt_expr **idx = tt_arena_alloc(a, sizeof(tt_expr *) * (c->naxes + 1));
    for (size_t d = 0; d < c->naxes; d++) {
      idx[d] = tt_ex_var(a, c->axes[d].var);
      tt_vec_push(&sc->local, (void *)c->axes[d].var);
    }
    add_access(a, sc, c->tensor, idx, c->naxes, 1, NULL, s);
    scan_expr(a, sc, c->rhs);
    break;
  }
  default: break;
  }
  scan_expr(a, sc, s->value);
  for (size_t i = 0; i < s->nbody; i++) scan_stmt(a, sc, s->body[i]);
}

/* 1 when e uses a name bound inside the loop. */
static int uses_local(const scan *sc, const tt_expr *e) {
  for (size_t i = 0; i < sc->local.len; i++)
    if (tt_expr_uses_var(e, sc->local.items[i])) return 1;
  return 0;
}

/* 1 when e is v, v + c, c + v or v - c with c invariant in the loop. */
static int unit_in(const scan *sc, const tt_expr *e, const char *v) {
  if (e->kind == TT_EX_VAR) return strcmp(e->name, v) == 0;
  if (e->kind != TT_EX_BINARY || (e->op != TT_OP_ADD && e->op != TT_OP_SUB)) return 0;
  const tt_expr *x = e->args[0], *y = e->args[1];
  if (x->kind == TT_EX_VAR && strcmp(x->name, v) == 0) return !tt_expr_uses_var(y, v) && !uses_local(sc, y);
  if (e->op == TT_OP_ADD && y->kind == TT_EX_VAR && strcmp(y->name, v) == 0)
    return !tt_expr_uses_var(x, v) && !uses_local(sc, x);
  return 0;
}

static int pinned(const scan *sc, const access *w, const access *x, const char *v) {
  for (size_t d = 0; d < w->n && d < x->n; d++)
    if (tt_expr_equal(w->idx[d], x->idx[d]) && unit_in(sc, w->idx[d], v)) return 1;
  return 0;
}

static void describe(tt_str *out, const access *x) {
  tt_str_printf(out, "%s[", x->tensor);
  for (size_t d = 0; d < x->n; d++) {
    if (d) tt_str_append(out, ", ");
    tt_expr_print(out, x->idx[d]);
  }
  tt_str_append(out, "]");
}

int tt_loop_independent(tt_lower_ctx *cx, const tt_stmt *loop, tt_str *why) {
  scan sc = {0};
  int rc = 0;
  for (size_t i = 0; i < loop->nbody; i++) scan_stmt(cx->a, &sc, loop->body[i]);
  if (sc.scalar_write) {
    tt_str_printf(why, "scalar '%s' is updated in every iteration", sc.scalar_write);
    rc = -1;
    goto done;
  }
  for (size_t i = 0; i < sc.acc.len && rc == 0; i++) {
    const access *w = sc.acc.items[i];
    if (!w->write) continue;
    for (size_t j = 0; j < sc.acc.len && rc == 0; j++) {
      const access *x = sc.acc.items[j];
      if (strcmp(w->tensor, x->tensor) != 0 || pinned(&sc, w, x, loop->var)) continue;
      describe(why, w);
      tt_str_append(why, " written in one iteration may be ");
      tt_str_append(why, x->write ? "written as " : "read as ");
      describe(why, x);
      tt_str_append(why, " in another");
      rc = -1;
    }
  }
done:
  tt_vec_free(&sc.acc);
  tt_vec_free(&sc.local);
  return rc;
}
