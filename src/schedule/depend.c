/* Loop-carried dependence test for in-place loop nests. Two accesses to the
 * same tensor, one of them a write, cannot touch the same element in two
 * different iterations of loop v when, in some dimension, their indices
 *   - lie in disjoint ranges over the whole loop (A[i, k] with i in ke..N
 *     against A[k, k] with k in kb..ke), or
 *   - move with v: iteration v touches c*v + [a, b] in both, and b - a is
 *     less than |c| times v's step (A[i - 1, j] against A[i, j] is not:
 *     iterations i and i + 1 meet; A[i, j] with j in jb..jb + 8 under a
 *     loop over jb with step 8 is).
 * Ranges come from bounds.c. Anything unproven counts as a dependence. A
 * scalar from outside the loop updated inside is a dependence too, except
 * a reduction where the caller accepts one (vectorization): a sum (only +=
 * and -=) or a running min or max (only m = min(m, e) or m = max(m, e)),
 * never read otherwise. */
#include <string.h>

#include "schedule/bounds.h"

typedef struct access {
  const char *tensor;
  size_t n;
  tt_expr **idx;
  int write;
  const tt_bind *scope; /* names bound inside the loop at this access */
} access;

typedef struct scan {
  tt_arena *a;
  tt_vec acc;           /* access* */
  tt_vec assigned;      /* names updated by ASSIGN anywhere in the loop */
  tt_vec outer_w;       /* outer scalars updated in the loop (names) */
  tt_vec outer_r;       /* outer names read in the loop */
  int nonsum_write;     /* an outer scalar is updated other than by one kind of reduction */
  int red_kind;         /* 0 none yet, else 1 + the tt_redop of the updates seen */
  const tt_bind *outer; /* names bound around the loop */
} scan;

static int in_vec(const tt_vec *v, const char *name) {
  for (size_t i = 0; i < v->len; i++)
    if (strcmp(v->items[i], name) == 0) return 1;
  return 0;
}

static const tt_bind *bound(const tt_bind *scope, const char *name) {
  for (const tt_bind *b = scope; b; b = b->up)
    if (strcmp(b->name, name) == 0) return b;
  return NULL;
}

/* A new binding on top of scope. */
static const tt_bind *bind(scan *sc, const tt_bind *scope, const char *name, const tt_expr *lo,
                           const tt_expr *hi, const tt_expr *value) {
  tt_bind *b = tt_arena_alloc(sc->a, sizeof(*b));
  *b = (tt_bind){.name = name, .lo = lo, .hi = hi, .value = value, .up = scope};
  return b;
}

static void add_access(scan *sc, const char *t, tt_expr **idx, size_t n, int w,
                       const tt_bind *scope) {
  access *x = tt_arena_alloc(sc->a, sizeof(*x));
  *x = (access){.tensor = t, .n = n, .idx = idx, .write = w, .scope = scope};
  tt_vec_push(&sc->acc, x);
}

/* Records the loads of e and the outer names it reads. */
static void scan_expr(scan *sc, const tt_expr *e, const tt_bind *scope) {
  if (!e) return;
  if (e->kind == TT_EX_VAR && !bound(scope, e->name)) tt_vec_push(&sc->outer_r, (void *)e->name);
  if (e->kind == TT_EX_LOAD) add_access(sc, e->name, e->args, e->nargs, 0, scope);
  const tt_bind *inner = scope;
  for (size_t i = 0; i < e->nranges; i++) {
    scan_expr(sc, e->ranges[i].lo, inner);
    scan_expr(sc, e->ranges[i].hi, inner);
    inner = bind(sc, inner, e->ranges[i].var, e->ranges[i].lo, e->ranges[i].hi, NULL);
  }
  for (size_t i = 0; i < e->nargs; i++)
    scan_expr(sc, e->args[i], e->nranges ? inner : scope);
}

/* The reduction an ASSIGN performs into its own name: TT_RED_SUM for += and
 * -=, TT_RED_MIN / TT_RED_MAX for x = min(x, e) / max(x, e) (either
 * order); -1 for anything else. *rest: the operand that is not x. */
static int assign_reduction(const tt_stmt *s, const tt_expr **rest) {
  *rest = s->value;
  if (s->op == '+' || s->op == '-') return TT_RED_SUM;
  const tt_expr *v = s->value;
  if (s->op != '=' || v->kind != TT_EX_BINARY || (v->op != TT_OP_MIN && v->op != TT_OP_MAX))
    return -1;
  for (int i = 0; i < 2; i++)
    if (v->args[i]->kind == TT_EX_VAR && strcmp(v->args[i]->name, s->name) == 0) {
      *rest = v->args[1 - i];
      return v->op == TT_OP_MIN ? TT_RED_MIN : TT_RED_MAX;
    }
  return -1;
}

tt_redop tt_loop_reduction_op(const tt_stmt *loop, const char *red) {
  if (!loop) return TT_RED_SUM;
  const tt_expr *rest;
  if (loop->kind == TT_ST_ASSIGN && strcmp(loop->name, red) == 0) {
    int k = assign_reduction(loop, &rest);
    if (k >= 0) return (tt_redop)k;
  }
  for (size_t i = 0; i < loop->nbody; i++) {
    tt_redop k = tt_loop_reduction_op(loop->body[i], red);
    if (k != TT_RED_SUM) return k;
  }
  return TT_RED_SUM;
}

/* Names updated by ASSIGN anywhere in s (their lets have no known value). */
static void find_assigned(scan *sc, const tt_stmt *s) {
  if (!s) return;
  if (s->kind == TT_ST_ASSIGN) tt_vec_push(&sc->assigned, (void *)s->name);
  for (size_t i = 0; i < s->nbody; i++)
    find_assigned(sc, s->body[i]);
}

static const tt_bind *scan_stmt(scan *sc, const tt_stmt *s, const tt_bind *scope);

/* A compute stage: its axes bound in turn, its output written at them. */
static void scan_compute(scan *sc, const tt_compute *c, const tt_bind *scope) {
  tt_expr **idx = tt_arena_alloc(sc->a, sizeof(tt_expr *) * (c->naxes + 1));
  const tt_bind *in = scope;
  for (size_t d = 0; d < c->naxes; d++) {
    scan_expr(sc, c->axes[d].lo, in);
    scan_expr(sc, c->axes[d].hi, in);
    in = bind(sc, in, c->axes[d].var, c->axes[d].lo, c->axes[d].hi, NULL);
    idx[d] = tt_ex_var(sc->a, c->axes[d].var);
  }
  add_access(sc, c->tensor, idx, c->naxes, 1, in);
  scan_expr(sc, c->rhs, in);
}

/* Scans one statement; returns the scope after it (a let extends it). */
static const tt_bind *scan_stmt(scan *sc, const tt_stmt *s, const tt_bind *scope) {
  if (!s) return scope;
  switch (s->kind) {
  case TT_ST_BLOCK: {
    const tt_bind *in = scope;
    for (size_t i = 0; i < s->nbody; i++)
      in = scan_stmt(sc, s->body[i], in);
    return scope;
  }
  case TT_ST_FOR: {
    scan_expr(sc, s->lo, scope);
    scan_expr(sc, s->hi, scope);
    scan_expr(sc, s->step, scope);
    const tt_bind *in = bind(sc, scope, s->var, s->lo, s->hi, NULL);
    for (size_t i = 0; i < s->nbody; i++)
      scan_stmt(sc, s->body[i], in);
    return scope;
  }
  case TT_ST_LET:
    scan_expr(sc, s->value, scope);
    return bind(sc, scope, s->name, NULL, NULL, in_vec(&sc->assigned, s->name) ? NULL : s->value);
  case TT_ST_ALLOC:
    return bind(sc, scope, s->name, NULL, NULL, NULL);
  case TT_ST_ASSIGN: {
    const tt_expr *rest = s->value;
    if (!bound(scope, s->name)) {
      tt_vec_push(&sc->outer_w, (void *)s->name);
      int k = assign_reduction(s, &rest);
      if (k < 0 || (sc->red_kind && sc->red_kind != k + 1)) sc->nonsum_write = 1;
      sc->red_kind = k + 1;
      if (k < 0) rest = s->value;
    }
    scan_expr(sc, rest, scope);
    return scope;
  }
  case TT_ST_STORE:
    add_access(sc, s->name, s->idx, s->nidx, 1, scope);
    for (size_t i = 0; i < s->nidx; i++)
      scan_expr(sc, s->idx[i], scope);
    scan_expr(sc, s->value, scope);
    return scope;
  case TT_ST_IF:
    scan_expr(sc, s->value, scope);
    for (size_t i = 0; i < s->nbody; i++)
      scan_stmt(sc, s->body[i], scope);
    return scope;
  case TT_ST_COMPUTE:
    scan_compute(sc, s->compute, scope);
    return scope;
  default:
    return scope;
  }
}

/* 1 when, in dimension d, every index w takes over the loop is below
 * every index x takes. */
static int below(const tt_bounds_ctx *bc, const access *w, const access *x, size_t d) {
  tt_affs hw, lx;
  tt_bounds(bc, w->idx[d], w->scope, 1, &hw);
  tt_bounds(bc, x->idx[d], x->scope, 0, &lx);
  for (int i = 0; i < hw.n; i++)
    for (int j = 0; j < lx.n; j++) {
      int64_t diff;
      if (tt_aff_diff_const(&lx.v[j], &hw.v[i], &diff) && diff >= 1) return 1;
    }
  return 0;
}

/* 1 when hi - lo is a constant below limit for some candidates with the
 * loop variable's coefficient coef in both. */
static int width_below(const tt_affs *hi, const tt_affs *lo, const char *v, int64_t coef,
                       int64_t limit) {
  for (int i = 0; i < hi->n; i++)
    for (int j = 0; j < lo->n; j++) {
      int64_t diff;
      if (tt_aff_coef(&hi->v[i], v) == coef && tt_aff_coef(&lo->v[j], v) == coef &&
          tt_aff_diff_const(&hi->v[i], &lo->v[j], &diff) && diff < limit)
        return 1;
    }
  return 0;
}

/* 1 when, in dimension d, both indices move with the loop variable by the
 * same coefficient c and span less than |c| * step within one iteration. */
static int strip(const tt_bounds_ctx *bc, const access *w, const access *x, size_t d,
                 int64_t step) {
  tt_affs lw, hw, lx, hx;
  tt_bounds(bc, w->idx[d], w->scope, 0, &lw);
  if (lw.n == 0) return 0;
  tt_bounds(bc, w->idx[d], w->scope, 1, &hw);
  tt_bounds(bc, x->idx[d], x->scope, 0, &lx);
  tt_bounds(bc, x->idx[d], x->scope, 1, &hx);
  for (int i = 0; i < lw.n; i++) {
    int64_t c = tt_aff_coef(&lw.v[i], bc->var), lim = (c < 0 ? -c : c) * step;
    if (c != 0 && width_below(&hw, &lx, bc->var, c, lim) && width_below(&hx, &lw, bc->var, c, lim))
      return 1;
  }
  return 0;
}

/* 1 when w and x never touch the same element in different iterations. */
static int separated(tt_sched_ctx *cx, const scan *sc, const tt_stmt *loop, const access *w,
                     const access *x) {
  tt_bounds_ctx whole = {.env = &cx->env,
                         .outer = sc->outer,
                         .var = loop->var,
                         .lo = loop->lo,
                         .hi = loop->hi,
                         .expand = 1};
  tt_bounds_ctx moving = whole;
  moving.expand = 0;
  double st = 1;
  if (loop->step && (tt_expr_eval(loop->step, &cx->env, &st, NULL) != 0 || st < 1)) st = 1;
  for (size_t d = 0; d < w->n && d < x->n; d++) {
    if (below(&whole, w, x, d) || below(&whole, x, w, d)) return 1;
    if (strip(&moving, w, x, d, (int64_t)st)) return 1;
  }
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

/* Checks the outer scalars the loop updates: none, or (when red is given)
 * one sum that is not otherwise read, returned in *red. */
static int check_scalars(const scan *sc, const char **red, tt_str *why) {
  if (sc->outer_w.len == 0) return 0;
  const char *s = sc->outer_w.items[0];
  int ok = red && !sc->nonsum_write && !in_vec(&sc->outer_r, s);
  for (size_t i = 1; i < sc->outer_w.len && ok; i++)
    ok = strcmp(sc->outer_w.items[i], s) == 0;
  if (ok) {
    *red = s;
    return 0;
  }
  tt_str_printf(why, "scalar '%s' is updated in every iteration", s);
  return -1;
}

int tt_loop_dependence(tt_sched_ctx *cx, const tt_stmt *loop, const tt_bind *outer,
                       const char **red, tt_str *why) {
  scan sc = {.a = cx->a, .outer = outer};
  int rc = 0;
  if (red) *red = NULL;
  for (size_t i = 0; i < loop->nbody; i++)
    find_assigned(&sc, loop->body[i]);
  for (size_t i = 0; i < loop->nbody; i++)
    scan_stmt(&sc, loop->body[i], NULL);
  if ((rc = check_scalars(&sc, red, why)) != 0) goto done;
  for (size_t i = 0; i < sc.acc.len && rc == 0; i++) {
    const access *w = sc.acc.items[i];
    if (!w->write) continue;
    for (size_t j = 0; j < sc.acc.len && rc == 0; j++) {
      const access *x = sc.acc.items[j];
      if (strcmp(w->tensor, x->tensor) != 0 || separated(cx, &sc, loop, w, x)) continue;
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
  tt_vec_free(&sc.assigned);
  tt_vec_free(&sc.outer_w);
  tt_vec_free(&sc.outer_r);
  return rc;
}
