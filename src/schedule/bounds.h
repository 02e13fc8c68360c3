/* Internal to src/schedule (used by depend.c and stage.c): symbolic bounds of integer
 * index expressions inside a loop, as lists of affine forms over atoms —
 * integer expressions that do not change while the loop runs (outer loop
 * variables, lets bound outside it, and the tested loop's own variable when
 * it is not expanded). */
#ifndef TT_SCHEDULE_BOUNDS_H
#define TT_SCHEDULE_BOUNDS_H

#include "schedule/internal.h"

#define TT_AFF_TERMS 6
#define TT_AFF_CANDS 8

/* c + sum coef[t] * atom[t], atoms compared structurally. */
typedef struct tt_aff {
  int64_t c;
  int n;
  const tt_expr *atom[TT_AFF_TERMS];
  int64_t coef[TT_AFF_TERMS];
} tt_aff;

/* Candidate bounds of one expression: as a lower bound every candidate is
 * <= the expression, as an upper bound every candidate is >= it (so any
 * one of them may be used). n == 0: nothing is known. */
typedef struct tt_affs {
  int n;
  tt_aff v[TT_AFF_CANDS];
} tt_affs;

/* A name bound inside the tested loop, in a chain from the innermost scope
 * outwards. A loop variable or compute axis has its range [lo, hi); a let
 * has its value (NULL when the let is updated somewhere, i.e. unknown). */
struct tt_bind {
  const char *name;
  const tt_expr *lo, *hi;
  const tt_expr *value;
  const struct tt_bind *up;
};

/* What the bounds are taken over: the tested loop's variable `var` with
 * range [lo, hi) (expanded into that range when expand is 1, else kept as
 * an atom) and the constants of env (parameters, knobs, scalars). An atom
 * bound in outer also has the bounds of its range (or let value) as
 * candidates. */
typedef struct tt_bounds_ctx {
  const tt_env *env;
  const tt_bind *outer; /* names bound around the loop: atoms with known ranges */
  const char *var;
  const tt_expr *lo, *hi;
  int expand;
} tt_bounds_ctx;

/* Bounds of integer expression e in scope (upper: 1 for upper bounds, 0
 * for lower). Sound by construction; incomplete (unknown) for anything
 * beyond + - * by constants, min, max, % by a positive constant. */
void tt_bounds(const tt_bounds_ctx *bc, const tt_expr *e, const tt_bind *scope, int upper,
               tt_affs *out);
/* 1 and *d = x - y when that difference is a constant. */
int tt_aff_diff_const(const tt_aff *x, const tt_aff *y, int64_t *d);
/* Coefficient of the variable `var` in x (0 when absent). */
int64_t tt_aff_coef(const tt_aff *x, const char *var);

#endif
