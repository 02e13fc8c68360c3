/* Symbolic bounds of index expressions (see bounds.h): interval arithmetic
 * whose end points are affine forms over loop-invariant atoms. Loop
 * variables bound inside the tested loop are replaced by their ranges,
 * lets by their values. */
#include <math.h>
#include <string.h>

#include "schedule/bounds.h"

/* The binding of `name` in scope, or NULL. */
static const tt_bind *lookup(const tt_bind *scope, const char *name) {
  for (const tt_bind *b = scope; b; b = b->up)
    if (strcmp(b->name, name) == 0) return b;
  return NULL;
}

/* 1 when e keeps its value while the loop runs: no loads or reductions,
 * no name bound inside the loop, and not the loop's variable unless that
 * is an atom here. */
static int invariant(const tt_bounds_ctx *bc, const tt_expr *e, const tt_bind *scope) {
  if (e->kind == TT_EX_LOAD || e->kind == TT_EX_REDUCE) return 0;
  if (e->kind == TT_EX_VAR)
    return strcmp(e->name, bc->var) == 0 ? !bc->expand : lookup(scope, e->name) == NULL;
  for (size_t i = 0; i < e->nargs; i++)
    if (!invariant(bc, e->args[i], scope)) return 0;
  return 1;
}

static void set_const(tt_affs *out, int64_t c) {
  memset(out, 0, sizeof(*out));
  out->n = 1;
  out->v[0].c = c;
}

/* x += k * y; 0 when x runs out of terms. */
static int aff_add(tt_aff *x, const tt_aff *y, int64_t k) {
  x->c += k * y->c;
  for (int t = 0; t < y->n; t++) {
    int f = -1;
    for (int s = 0; s < x->n && f < 0; s++)
      if (tt_expr_equal(x->atom[s], y->atom[t])) f = s;
    if (f < 0) {
      if (x->n == TT_AFF_TERMS) return 0;
      f = x->n++;
      x->atom[f] = y->atom[t];
      x->coef[f] = 0;
    }
    x->coef[f] += k * y->coef[t];
  }
  return 1;
}

/* out = { kx * x + ky * y } over all candidate pairs (kept up to the cap). */
static void combine(const tt_affs *x, int64_t kx, const tt_affs *y, int64_t ky, tt_affs *out) {
  tt_affs r = {0};
  for (int i = 0; i < x->n; i++)
    for (int j = 0; j < y->n && r.n < TT_AFF_CANDS; j++) {
      tt_aff a = {0};
      if (aff_add(&a, &x->v[i], kx) && aff_add(&a, &y->v[j], ky)) r.v[r.n++] = a;
    }
  *out = r;
}

/* Appends the candidates of y to x (up to the cap). */
static void add_all(tt_affs *x, const tt_affs *y) {
  for (int j = 0; j < y->n && x->n < TT_AFF_CANDS; j++)
    x->v[x->n++] = y->v[j];
}

/* The one bound of min (upper 0) or max (upper 1) of x and y that is known:
 * the pair whose difference is constant decides; else nothing. */
static void pick_extreme(const tt_affs *x, const tt_affs *y, int upper, tt_affs *out) {
  tt_affs r = {0};
  for (int i = 0; i < x->n; i++)
    for (int j = 0; j < y->n && r.n < TT_AFF_CANDS; j++) {
      int64_t d;
      if (!tt_aff_diff_const(&x->v[i], &y->v[j], &d)) continue;
      r.v[r.n++] = (d >= 0) == (upper != 0) ? x->v[i] : y->v[j];
    }
  *out = r;
}

int tt_aff_diff_const(const tt_aff *x, const tt_aff *y, int64_t *d) {
  tt_aff a = *x;
  if (!aff_add(&a, y, -1)) return 0;
  for (int t = 0; t < a.n; t++)
    if (a.coef[t] != 0) return 0;
  *d = a.c;
  return 1;
}

int64_t tt_aff_coef(const tt_aff *x, const char *var) {
  for (int t = 0; t < x->n; t++)
    if (x->atom[t]->kind == TT_EX_VAR && strcmp(x->atom[t]->name, var) == 0) return x->coef[t];
  return 0;
}

/* Bounds of a variable: the tested loop's (expanded), or one bound inside
 * the loop (its range, or a let's value). */
static void var_bounds(const tt_bounds_ctx *bc, const tt_expr *e, const tt_bind *scope, int upper,
                       tt_affs *out) {
  const tt_expr *lo = NULL, *hi = NULL;
  const tt_bind *b = NULL;
  out->n = 0;
  if (strcmp(e->name, bc->var) == 0) {
    lo = bc->lo;
    hi = bc->hi;
  } else if ((b = lookup(scope, e->name)) != NULL) {
    if (b->value) {
      tt_bounds(bc, b->value, b->up, upper, out);
      return;
    }
    lo = b->lo;
    hi = b->hi;
  }
  if (!lo || !hi) return;
  tt_bounds(bc, upper ? hi : lo, b ? b->up : NULL, upper, out);
  for (int i = 0; upper && i < out->n; i++)
    out->v[i].c -= 1; /* v < hi */
}

/* Adds to out the bounds of an atom bound around the loop: its range or
 * its let's value (both hold whatever value the atom has). */
static void outer_bounds(const tt_bounds_ctx *bc, const char *name, int upper, tt_affs *out) {
  const tt_bind *b = lookup(bc->outer, name);
  tt_affs x;
  if (!b) return;
  tt_bounds_ctx up = *bc;
  up.outer = b->up; /* its own bounds only use names bound further out */
  if (b->value) {
    tt_bounds(&up, b->value, NULL, upper, &x);
  } else if (b->lo && b->hi) {
    tt_bounds(&up, upper ? b->hi : b->lo, NULL, upper, &x);
    for (int i = 0; upper && i < x.n; i++)
      x.v[i].c -= 1;
  } else {
    return;
  }
  add_all(out, &x);
}

/* Bounds of a binary expression. */
static void bin_bounds(const tt_bounds_ctx *bc, const tt_expr *e, const tt_bind *scope, int upper,
                       tt_affs *out) {
  tt_affs x, y;
  double k;
  out->n = 0;
  switch (e->op) {
  case TT_OP_ADD:
  case TT_OP_SUB:
    tt_bounds(bc, e->args[0], scope, upper, &x);
    tt_bounds(bc, e->args[1], scope, e->op == TT_OP_ADD ? upper : !upper, &y);
    combine(&x, 1, &y, e->op == TT_OP_ADD ? 1 : -1, out);
    return;
  case TT_OP_MUL:
    for (int s = 0; s < 2; s++) {
      if (tt_expr_eval(e->args[s], bc->env, &k, NULL) != 0 || k != floor(k)) continue;
      tt_bounds(bc, e->args[1 - s], scope, k >= 0 ? upper : !upper, &x);
      for (int i = 0; i < x.n; i++) {
        tt_aff a = {0};
        if (aff_add(&a, &x.v[i], (int64_t)k)) out->v[out->n++] = a;
      }
      return;
    }
    return;
  case TT_OP_MIN:
  case TT_OP_MAX:
    tt_bounds(bc, e->args[0], scope, upper, &x);
    tt_bounds(bc, e->args[1], scope, upper, &y);
    if ((e->op == TT_OP_MIN) == (upper != 0)) { /* upper of min, lower of max: either */
      *out = x;
      add_all(out, &y);
    } else {
      pick_extreme(&x, &y, upper, out);
    }
    return;
  case TT_OP_MOD:
    if (tt_expr_eval(e->args[1], bc->env, &k, NULL) == 0 && k >= 1 && k == floor(k))
      set_const(out, upper ? (int64_t)k - 1 : 0); /* floor modulo */
    return;
  default:
    return;
  }
}

/* out = the single atom e. */
static void set_atom(tt_affs *out, const tt_expr *e) {
  memset(out, 0, sizeof(*out));
  out->n = 1;
  out->v[0].n = 1;
  out->v[0].atom[0] = e;
  out->v[0].coef[0] = 1;
}

void tt_bounds(const tt_bounds_ctx *bc, const tt_expr *e, const tt_bind *scope, int upper,
               tt_affs *out) {
  double v;
  out->n = 0;
  if (tt_expr_eval(e, bc->env, &v, NULL) == 0) {
    if (v == floor(v) && fabs(v) < 9e15) set_const(out, (int64_t)v);
    return;
  }
  /* Invariant sums and minima are still taken apart: min(v + 8, N) has the
   * candidate v + 8 even though it is invariant as a whole. */
  if (e->kind == TT_EX_VAR) {
    if (invariant(bc, e, scope)) {
      set_atom(out, e);
      outer_bounds(bc, e->name, upper, out);
    } else {
      var_bounds(bc, e, scope, upper, out);
    }
  } else if (e->kind == TT_EX_BINARY) {
    bin_bounds(bc, e, scope, upper, out);
  } else if (e->kind == TT_EX_UNARY && e->op == TT_OP_NEG) {
    tt_affs x;
    tt_bounds(bc, e->args[0], scope, !upper, &x);
    for (int i = 0; i < x.n; i++) {
      tt_aff a = {0};
      if (aff_add(&a, &x.v[i], -1)) out->v[out->n++] = a;
    }
  }
  if (out->n == 0 && invariant(bc, e, scope)) set_atom(out, e);
}

/* 1 when s updates the local `name` (x OP e) anywhere. */
static int updates(const tt_stmt *s, const char *name) {
  if (!s) return 0;
  if (s->kind == TT_ST_ASSIGN && strcmp(s->name, name) == 0) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (updates(s->body[i], name)) return 1;
  return 0;
}

const tt_bind *tt_bind_push(tt_arena *a, const tt_stmt *root, const tt_stmt *s,
                            const tt_bind *outer) {
  if (!s || (s->kind != TT_ST_FOR && s->kind != TT_ST_LET)) return outer;
  tt_bind *b = tt_arena_alloc(a, sizeof(*b));
  *b = (tt_bind){.name = s->kind == TT_ST_FOR ? s->var : s->name, .up = outer};
  if (s->kind == TT_ST_FOR) {
    b->lo = s->lo;
    b->hi = s->hi;
  } else if (!updates(root, s->name)) {
    b->value = s->value;
  }
  return b;
}
