/* Count tables over a few knobs for variable elimination (sampler.h):
 * constraint indicators, products and marginal sums. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "space/sampler.h"

/* A zero table over vars[0..nvars) (sorted). The caller checked that the
 * size is within TT_FACTOR_LIMIT. */
tt_factor *tt_factor_new(const tt_space *s, const size_t *vars, size_t nvars) {
  tt_factor *f = tt_xcalloc(1, sizeof *f);
  f->nvars = nvars;
  f->vars = tt_xmalloc((nvars + 1) * sizeof *f->vars);
  f->stride = tt_xmalloc((nvars + 1) * sizeof *f->stride);
  f->size = 1;
  for (size_t i = nvars; i-- > 0;) {
    f->vars[i] = vars[i];
    f->stride[i] = f->size;
    f->size *= s->knobs[vars[i]].card;
  }
  f->table = tt_xcalloc(f->size, sizeof *f->table);
  return f;
}

void tt_factor_free(tt_factor *f) {
  if (!f) return;
  free(f->vars);
  free(f->stride);
  free(f->table);
  free(f);
}

/* Steps the odometer digits over f's scope; returns 0 after the last. */
static int odometer_next(const tt_space *s, const tt_factor *f, uint32_t *digits) {
  for (size_t i = f->nvars; i-- > 0;) {
    if (++digits[i] < s->knobs[f->vars[i]].card) return 1;
    digits[i] = 0;
  }
  return 0;
}

/* 1 where constraint c holds, 0 elsewhere. */
tt_factor *tt_factor_from_constraint(const tt_space *s, const tt_constraint *c) {
  tt_factor *f = tt_factor_new(s, c->knobs, c->nknobs);
  uint32_t *digits = tt_xcalloc(c->nknobs + 1, sizeof *digits);
  double *slots = tt_xcalloc(s->nknobs + 1, sizeof *slots);
  uint64_t i = 0;
  do {
    for (size_t j = 0; j < c->nknobs; j++)
      slots[c->knobs[j]] = tt_space_slot_value(s, c->knobs[j], digits[j]);
    f->table[i++] = tt_constraint_holds(s, c, slots);
  } while (odometer_next(s, f, digits));
  assert(i == f->size);
  free(digits);
  free(slots);
  return f;
}

/* Sorted union of the scopes of fs into out; returns its length. */
static size_t scope_union(const tt_space *s, tt_factor *const *fs, size_t n, size_t *out) {
  char *in = tt_xcalloc(s->nknobs + 1, 1);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < fs[i]->nvars; j++)
      in[fs[i]->vars[j]] = 1;
  size_t len = 0;
  for (size_t k = 0; k < s->nknobs; k++)
    if (in[k]) out[len++] = k;
  free(in);
  return len;
}

/* Product of fs over the union of their scopes. */
tt_factor *tt_factor_product(const tt_space *s, tt_factor *const *fs, size_t n) {
  size_t *vars = tt_xmalloc((s->nknobs + 1) * sizeof *vars);
  size_t nv = scope_union(s, fs, n, vars);
  tt_factor *p = tt_factor_new(s, vars, nv);
  /* map[i * nv + j]: stride in fs[i] of the union's j-th knob (0: absent) */
  uint64_t *map = tt_xcalloc(n * nv + 1, sizeof *map);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0, q = 0; j < nv && q < fs[i]->nvars; j++)
      if (fs[i]->vars[q] == vars[j]) map[i * nv + j] = fs[i]->stride[q++];
  uint32_t *digits = tt_xcalloc(nv + 1, sizeof *digits);
  uint64_t e = 0;
  do {
    double v = 1;
    for (size_t i = 0; i < n && v != 0; i++) {
      uint64_t idx = 0;
      for (size_t j = 0; j < nv; j++)
        idx += digits[j] * map[i * nv + j];
      v *= fs[i]->table[idx];
    }
    p->table[e++] = v;
  } while (odometer_next(s, p, digits));
  free(digits);
  free(map);
  free(vars);
  return p;
}

/* Marginal of f with knob var summed out. */
tt_factor *tt_factor_sum_out(const tt_space *s, const tt_factor *f, size_t var) {
  size_t *vars = tt_xmalloc((f->nvars + 1) * sizeof *vars);
  size_t nv = 0, pos = f->nvars;
  for (size_t j = 0; j < f->nvars; j++) {
    if (f->vars[j] == var)
      pos = j;
    else
      vars[nv++] = f->vars[j];
  }
  assert(pos < f->nvars);
  tt_factor *m = tt_factor_new(s, vars, nv);
  uint64_t inner = f->stride[pos], card = s->knobs[var].card;
  for (uint64_t i = 0; i < f->size; i++) {
    uint64_t lo = i % inner, hi = i / (inner * card);
    m->table[hi * inner + lo] += f->table[i];
  }
  free(vars);
  return m;
}
