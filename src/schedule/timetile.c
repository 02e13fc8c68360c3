/* Legality of time tiling (the time_tile step): a time loop t whose body is
 * a sequence of K sweeps, each a loop over the same variable i. Iteration
 * (t, k, i) of sweep k runs at virtual time tau = K*t + k; skewing by S
 * gives it the coordinate x = i + S*tau. Tiles that are rectangles in (t,
 * x), run in lexicographic order or as a wavefront of tiles, are legal when
 * every dependence (source before sink in the reference) has a non-negative
 * distance in both t and x: tiles then never wait for a later tile.
 *
 * Two accesses to one tensor, one a write, whose indices in some dimension
 * are i + cA and i + cB meet when i_B - i_A = cA - cB. Within one sweep at
 * one time the reference runs i upwards, so the distance is >= 0 there.
 * Between sweeps p and q the sink is at least dtau = q - p (q > p) or K + q
 * - p (q <= p, the next time step) later, and the distance in x is cA - cB
 * + S*dtau: the least legal skew is the largest ceil((cB - cA) / dtau).
 * Indices that are other expressions (j, 2*i, a let) count as unknown
 * distances, which no skew makes legal, unless some dimension holds two
 * different constants (the accesses never meet). */
#include <inttypes.h>
#include <string.h>

#include "schedule/internal.h"

enum { IDX_SHIFT, IDX_CONST, IDX_OTHER };

typedef struct tt_acc {
  const tt_expr *e; /* for messages: the load, or the store's indices */
  const char *tensor;
  size_t n;
  tt_expr **idx;
  int write, sweep;
} tt_acc;

typedef struct tscan {
  tt_arena *a;
  const char *var;
  tt_vec acc;  /* tt_acc* */
  tt_vec lets; /* lets declared inside the sweeps */
  int sweep;
  tt_str *why;
  int bad;
} tscan;

/* Classifies index e: var + *c (IDX_SHIFT), the constant *c (IDX_CONST),
 * or anything else. */
static int classify(tt_arena *a, const tt_expr *e, const char *var, int64_t *c) {
  tt_expr *s = tt_expr_simplify(a, e);
  if (tt_expr_const_int(s, c)) return IDX_CONST;
  if (s->kind == TT_EX_VAR && strcmp(s->name, var) == 0) {
    *c = 0;
    return IDX_SHIFT;
  }
  if (s->kind != TT_EX_BINARY || (s->op != TT_OP_ADD && s->op != TT_OP_SUB)) return IDX_OTHER;
  const tt_expr *x = s->args[0], *y = s->args[1];
  int64_t v;
  if (x->kind == TT_EX_VAR && strcmp(x->name, var) == 0 && tt_expr_const_int(y, &v)) {
    *c = s->op == TT_OP_ADD ? v : -v;
    return IDX_SHIFT;
  }
  if (s->op == TT_OP_ADD && y->kind == TT_EX_VAR && strcmp(y->name, var) == 0 &&
      tt_expr_const_int(x, &v)) {
    *c = v;
    return IDX_SHIFT;
  }
  return IDX_OTHER;
}

static void add(tscan *sc, const char *t, tt_expr **idx, size_t n, int w) {
  tt_acc *x = tt_arena_alloc(sc->a, sizeof(*x));
  *x = (tt_acc){.tensor = t, .n = n, .idx = idx, .write = w, .sweep = sc->sweep};
  tt_vec_push(&sc->acc, x);
}

static void scan_expr(tscan *sc, const tt_expr *e) {
  if (!e) return;
  if (e->kind == TT_EX_LOAD) add(sc, e->name, e->args, e->nargs, 0);
  for (size_t i = 0; i < e->nargs; i++)
    scan_expr(sc, e->args[i]);
}

static int has(const tt_vec *v, const char *name) {
  for (size_t i = 0; i < v->len; i++)
    if (strcmp(v->items[i], name) == 0) return 1;
  return 0;
}

/* Records the accesses of a sweep's statement s. */
static void scan_stmt(tscan *sc, const tt_stmt *s) {
  if (!s || sc->bad) return;
  switch (s->kind) {
  case TT_ST_COMPUTE:
    tt_str_printf(sc->why, "compute stage '%s' inside a sweep (write it as loops)",
                  s->compute->name);
    sc->bad = 1;
    return;
  case TT_ST_STORE:
    for (size_t i = 0; i < s->nidx; i++)
      scan_expr(sc, s->idx[i]);
    scan_expr(sc, s->value);
    if (s->op != '=') add(sc, s->name, s->idx, s->nidx, 0);
    add(sc, s->name, s->idx, s->nidx, 1);
    return;
  case TT_ST_LET:
    tt_vec_push(&sc->lets, (void *)s->name);
    scan_expr(sc, s->value);
    return;
  case TT_ST_ASSIGN:
    if (!has(&sc->lets, s->name)) {
      tt_str_printf(sc->why, "scalar '%s' is updated in one sweep and kept to the next", s->name);
      sc->bad = 1;
    }
    scan_expr(sc, s->value);
    return;
  case TT_ST_FOR:
    scan_expr(sc, s->lo);
    scan_expr(sc, s->hi);
    break;
  case TT_ST_IF:
    scan_expr(sc, s->value);
    break;
  default:
    break;
  }
  for (size_t i = 0; i < s->nbody; i++)
    scan_stmt(sc, s->body[i]);
}

/* The access printed as T[i, j] into the arena. */
static const char *show(tt_arena *a, const tt_acc *x) {
  tt_expr *e = tt_ex_load(a, x->tensor, x->idx, x->n);
  return tt_expr_str(a, e);
}

/* The sweeps of time loop t: its body's loops over var, in order. 0 with
 * why when the body is anything else. */
static int sweeps(const tt_stmt *t, const char *var, const tt_stmt ***out, size_t *n, tt_str *why) {
  const tt_stmt *b = t->body[0];
  const tt_stmt *const *items = (const tt_stmt *const *)&t->body[0];
  *n = 1;
  if (b && b->kind == TT_ST_BLOCK) {
    items = (const tt_stmt *const *)b->body;
    *n = b->nbody;
  }
  if (t->step) {
    int64_t st;
    if (!tt_expr_const_int(t->step, &st) || st != 1) {
      tt_str_printf(why, "loop '%s' has a step", t->label ? t->label : t->var);
      return 0;
    }
  }
  for (size_t i = 0; i < *n; i++) {
    const tt_stmt *s = items[i];
    const char *lab = s && s->kind == TT_ST_FOR ? (s->label ? s->label : s->var) : NULL;
    if (!lab || (strcmp(lab, var) != 0 && strcmp(s->var, var) != 0)) {
      tt_str_printf(why, "its body must be a sequence of loops over '%s' (statement %zu is not)",
                    var, i + 1);
      return 0;
    }
    if (s->step) {
      tt_str_printf(why, "sweep %zu over '%s' has a step", i + 1, var);
      return 0;
    }
    if (tt_expr_uses_var(s->lo, t->var) || tt_expr_uses_var(s->hi, t->var)) {
      tt_str_printf(why, "the bounds of sweep %zu depend on '%s'", i + 1, t->var);
      return 0;
    }
  }
  *out = (const tt_stmt **)items;
  return 1;
}

/* The skew pair x (source) -> y (sink) needs: ceil((cy - cx) / dtau). */
static int64_t need(int64_t cx, int64_t cy, int64_t dtau) {
  int64_t d = cy - cx;
  return d <= 0 ? 0 : (d + dtau - 1) / dtau;
}

/* Distance of the pair in var's dimension: 1 with *ca, *cb; 0 when the
 * accesses never meet; -1 when unknown. */
static int pair_shift(tt_arena *a, const tt_acc *x, const tt_acc *y, const char *var, int64_t *ca,
                      int64_t *cb) {
  int found = 0;
  for (size_t d = 0; d < x->n && d < y->n; d++) {
    int64_t u, v;
    int kx = classify(a, x->idx[d], var, &u), ky = classify(a, y->idx[d], var, &v);
    if (kx == IDX_CONST && ky == IDX_CONST && u != v) return 0;
    if (kx == IDX_SHIFT && ky == IDX_SHIFT && !found) {
      *ca = u;
      *cb = v;
      found = 1;
    }
  }
  return found ? 1 : -1;
}

int tt_time_tile_min_skew(tt_arena *a, const tt_stmt *tloop, const char *var, int64_t *min_skew,
                          tt_str *why) {
  const tt_stmt **sw = NULL;
  size_t K = 0;
  *min_skew = 0;
  if (!sweeps(tloop, var, &sw, &K, why)) return -1;
  tscan sc = {.a = a, .var = sw[0]->var, .why = why};
  for (size_t k = 0; k < K && !sc.bad; k++) {
    sc.sweep = (int)k;
    sc.var = sw[k]->var;
    scan_stmt(&sc, sw[k]->body[0]);
  }
  int rc = sc.bad ? -1 : 0;
  for (size_t i = 0; rc == 0 && i < sc.acc.len; i++)
    for (size_t j = i + 1; rc == 0 && j < sc.acc.len; j++) {
      const tt_acc *x = sc.acc.items[i], *y = sc.acc.items[j];
      if (strcmp(x->tensor, y->tensor) != 0 || !(x->write || y->write)) continue;
      int64_t cx = 0, cy = 0;
      int r = pair_shift(a, x, y, sw[x->sweep]->var, &cx, &cy);
      if (r == 0) continue;
      if (r < 0 || strcmp(sw[x->sweep]->var, sw[y->sweep]->var) != 0) {
        tt_str_printf(why, "%s (sweep %d) and %s (sweep %d) meet at no fixed distance in '%s'",
                      show(a, x), x->sweep + 1, show(a, y), y->sweep + 1, var);
        rc = -1;
        break;
      }
      int64_t p = x->sweep, q = y->sweep;
      int64_t dxy = q > p ? q - p : (int64_t)K + q - p, dyx = p > q ? p - q : (int64_t)K + p - q;
      int64_t s1 = need(cx, cy, dxy), s2 = need(cy, cx, dyx);
      if (s1 > *min_skew || s2 > *min_skew) {
        int fwd = s1 >= s2;
        const tt_acc *src = fwd ? x : y, *snk = fwd ? y : x;
        *min_skew = fwd ? s1 : s2;
        why->len = 0;
        tt_str_printf(why,
                      "%s (sweep %d) depends on %s (sweep %d) at %s + %" PRId64 ", %" PRId64
                      " sweep%s earlier",
                      show(a, snk), snk->sweep + 1, show(a, src), src->sweep + 1, var,
                      fwd ? cy - cx : cx - cy, fwd ? dxy : dyx, (fwd ? dxy : dyx) > 1 ? "s" : "");
      }
    }
  tt_vec_free(&sc.acc);
  tt_vec_free(&sc.lets);
  return rc;
}

const tt_stmt *tt_find_loop(const tt_stmt *s, const char *label, int *count) {
  const tt_stmt *r = NULL;
  if (!s) return NULL;
  if (s->kind == TT_ST_FOR && strcmp(s->label ? s->label : s->var, label) == 0) {
    r = s;
    (*count)++;
  }
  for (size_t i = 0; i < s->nbody; i++) {
    const tt_stmt *f = tt_find_loop(s->body[i], label, count);
    if (!r) r = f;
  }
  return r;
}

/* The smallest value step argument e takes: a constant, or the least of a
 * knob's values. 0 when it is neither (then lowering checks it). */
static int least_value(const tt_expr *e, const tt_knob_values *kv, size_t nkv, int64_t *v,
                       const char **knob) {
  *knob = NULL;
  if (tt_expr_const_int(e, v)) return 1;
  for (size_t i = 0; e->kind == TT_EX_VAR && i < nkv; i++) {
    if (strcmp(kv[i].name, e->name) != 0 || !kv[i].ivalues || !kv[i].nvalues) continue;
    *v = kv[i].ivalues[0];
    for (size_t j = 1; j < kv[i].nvalues; j++)
      if (kv[i].ivalues[j] < *v) *v = kv[i].ivalues[j];
    *knob = kv[i].name;
    return 1;
  }
  return 0;
}

tt_status tt_template_check_time_tiles(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                                       const tt_knob_values *kv, size_t nkv, tt_error *err) {
  const tt_stmt *body = t->body ? t->body : k->body;
  for (size_t i = 0; i < t->nsteps; i++) {
    const tt_step *st = &t->steps[i];
    if (st->kind != TT_STEP_TIME_TILE || st->nargs != 6 || st->args[0]->kind != TT_EX_VAR ||
        st->args[1]->kind != TT_EX_VAR)
      continue;
    const char *tl = st->args[0]->name, *var = st->args[1]->name;
    int count = 0;
    const tt_stmt *loop = tt_find_loop(body, tl, &count);
    if (!loop) continue; /* a knob's label: lowering checks it */
    tt_str why = {0};
    int64_t min = 0, s = 0;
    const char *knob = NULL;
    tt_status rc = TT_OK;
    if (count > 1)
      rc = tt_error_set(
          err, TT_ERR_USAGE,
          "%s:%d:%d: cannot time-tile loop '%s': the name is ambiguous (label the loop)",
          st->loc.file, st->loc.line, st->loc.col, tl);
    else if (tt_time_tile_min_skew(a, loop, var, &min, &why) != 0)
      rc = tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: cannot time-tile loop '%s': %s", st->loc.file,
                        st->loc.line, st->loc.col, tl, tt_str_cstr(&why));
    else if (least_value(st->args[4], kv, nkv, &s, &knob) && s < min)
      rc = tt_error_set(err, TT_ERR_USAGE,
                        "%s:%d:%d: cannot time-tile loop '%s' with skew %" PRId64
                        "%s%s%s: %s; skew by at least %" PRId64,
                        st->loc.file, st->loc.line, st->loc.col, tl, s, knob ? " (knob '" : "",
                        knob ? knob : "", knob ? "')" : "", tt_str_cstr(&why), min);
    tt_str_free(&why);
    if (rc != TT_OK) return rc;
  }
  return TT_OK;
}
