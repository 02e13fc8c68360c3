/* Legality of time tiling (the time_tile step): a time loop t whose body is
 * a sequence of K sweeps, each a loop over the same variable i (and, with
 * more tiled dimensions, loops over j inside them). Iteration (t, k, i, j)
 * of sweep k runs at virtual time tau = K*t + k; skewing by S gives it the
 * coordinates x_i = i + S*tau, x_j = j + S*tau. Tiles that are rectangles
 * in (t, x), run in lexicographic order or as a wavefront of tiles, are
 * legal when every dependence (source before sink in the reference) has a
 * non-negative distance in t and in every x: tiles then never wait for a
 * later tile.
 *
 * Two accesses to one tensor, one a write, whose indices in some dimension
 * are i + cA and i + cB meet when i_B - i_A = cA - cB. Between sweeps p
 * and q the sink is at least dtau = q - p (q > p) or K + q - p (q <= p,
 * the next time step) later, and the distance in x is cA - cB + S*dtau:
 * the least legal skew is the largest ceil((cB - cA) / dtau), over the
 * tiled dimensions. Within one sweep at one time step the skew adds
 * nothing: the reference's order (i upwards, then j upwards or the text's
 * order of the loops over j) gives the source, and the distance from it
 * must be non-negative in every tiled dimension (always so with i alone;
 * not for seidel-2d's A[i - 1, j + 1] with j tiled too). Indices that are
 * other expressions (2*i, a let) count as unknown distances, which no skew
 * makes legal, unless some dimension holds two different constants (the
 * accesses never meet). */
#include <inttypes.h>
#include <string.h>

#include "schedule/internal.h"

enum { IDX_SHIFT, IDX_CONST, IDX_OTHER };
enum { MAXD = TT_TIME_TILE_MAX_DIMS };

typedef struct tt_acc {
  const char *tensor;
  size_t n;
  tt_expr **idx;
  int write, sweep;
  const tt_stmt *loop[MAXD]; /* the enclosing loop of each tiled level (NULL: outside) */
} tt_acc;

typedef struct tt_letlev {
  const char *name;
  int level;
} tt_letlev;

typedef struct tscan {
  tt_arena *a;
  const char *const *vars; /* the tiled loops' names: the sweeps', then inner variables */
  size_t nd;
  const char *tvar; /* the time loop's variable */
  tt_vec acc;       /* tt_acc* */
  tt_vec lets;      /* tt_letlev*: lets declared inside the sweeps, with their level */
  tt_vec inner;     /* names bound inside the time loop (loop variables, lets) */
  const tt_stmt *loop[MAXD];
  int sweep, level;
  int64_t R[MAXD]; /* inner skews: y_d = v_d + R[d]*i + S*tau */
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
  memcpy(x->loop, sc->loop, sizeof x->loop);
  tt_vec_push(&sc->acc, x);
}

static void scan_expr(tscan *sc, const tt_expr *e) {
  if (!e) return;
  if (e->kind == TT_EX_LOAD) add(sc, e->name, e->args, e->nargs, 0);
  for (size_t i = 0; i < e->nargs; i++)
    scan_expr(sc, e->args[i]);
}

/* The level a let named `name` was declared at, or -1 when it is no let
 * of the sweeps. */
static int let_level(const tscan *sc, const char *name) {
  for (size_t i = sc->lets.len; i-- > 0;) {
    const tt_letlev *l = sc->lets.items[i];
    if (strcmp(l->name, name) == 0) return l->level;
  }
  return -1;
}

/* 1 when e uses the time loop's variable or a name bound inside it. */
static int uses_inner(const tscan *sc, const tt_expr *e) {
  if (tt_expr_uses_var(e, sc->tvar)) return 1;
  for (size_t i = 0; i < sc->inner.len; i++)
    if (tt_expr_uses_var(e, sc->inner.items[i])) return 1;
  return 0;
}

static void refuse(tscan *sc, const char *msg) {
  if (sc->bad) return;
  tt_str_printf(sc->why, "%s", msg);
  sc->bad = 1;
}

static void scan_stmt(tscan *sc, const tt_stmt *s);

/* A loop inside a sweep: one of the inner tiled levels (a loop over the
 * next tiled variable), or any other loop. */
static void scan_for(tscan *sc, const tt_stmt *s) {
  scan_expr(sc, s->lo);
  scan_expr(sc, s->hi);
  int tiled = sc->level < (int)sc->nd && strcmp(s->var, sc->vars[sc->level]) == 0;
  if (tiled && (uses_inner(sc, s->lo) || uses_inner(sc, s->hi)))
    refuse(sc, tt_arena_printf(sc->a,
                               "the bounds of a loop over '%s' in sweep %d depend on the time "
                               "loop or an outer loop",
                               s->var, sc->sweep + 1));
  if (tiled && s->step) refuse(sc, tt_arena_printf(sc->a, "a loop over '%s' has a step", s->var));
  tt_vec_push(&sc->inner, (void *)s->var);
  if (tiled) sc->loop[sc->level++] = s;
  for (size_t i = 0; i < s->nbody; i++)
    scan_stmt(sc, s->body[i]);
  if (tiled) sc->loop[--sc->level] = NULL;
}

/* Records the accesses of a sweep's statement s. Below the last tiled
 * level every statement must lie in a loop over the next tiled variable
 * (it would run once a tile otherwise), and a let may only be updated at
 * the level that declares it (a tile would restart it). */
static void scan_stmt(tscan *sc, const tt_stmt *s) {
  if (!s || sc->bad) return;
  switch (s->kind) {
  case TT_ST_COMPUTE:
    refuse(sc, tt_arena_printf(sc->a, "compute stage '%s' inside a sweep (write it as loops)",
                               s->compute->name));
    return;
  case TT_ST_STORE:
    if (sc->level < (int)sc->nd)
      refuse(sc,
             tt_arena_printf(sc->a, "a store to '%s' in sweep %d lies outside every loop over '%s'",
                             s->name, sc->sweep + 1, sc->vars[sc->level]));
    for (size_t i = 0; i < s->nidx; i++)
      scan_expr(sc, s->idx[i]);
    scan_expr(sc, s->value);
    if (s->op != '=') add(sc, s->name, s->idx, s->nidx, 0);
    add(sc, s->name, s->idx, s->nidx, 1);
    return;
  case TT_ST_LET: {
    tt_letlev *l = tt_arena_alloc(sc->a, sizeof(*l));
    *l = (tt_letlev){.name = s->name, .level = sc->level};
    tt_vec_push(&sc->lets, l);
    tt_vec_push(&sc->inner, (void *)s->name);
    scan_expr(sc, s->value);
    return;
  }
  case TT_ST_ASSIGN: {
    int lv = let_level(sc, s->name);
    if (lv < 0)
      refuse(sc, tt_arena_printf(sc->a, "scalar '%s' is updated in one sweep and kept to the next",
                                 s->name));
    else if (lv < sc->level)
      refuse(sc, tt_arena_printf(sc->a, "scalar '%s' is carried from one tile of '%s' to the next",
                                 s->name, sc->vars[lv]));
    scan_expr(sc, s->value);
    return;
  }
  case TT_ST_FOR:
    scan_for(sc, s);
    return;
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

/* Distances of the pair in the tiled dimensions: 1 with ca[d], cb[d]
 * (x's index of dimension d is v_d + ca[d], y's v_d + cb[d]); 0 when the
 * accesses never meet; -1 when unknown (*dim: the first such dimension). */
static int pair_shift(tt_arena *a, const tt_acc *x, const tt_acc *y, const char *const *v,
                      size_t nd, int64_t *ca, int64_t *cb, size_t *dim) {
  for (size_t d = 0; d < x->n && d < y->n; d++) {
    int64_t u, w;
    if (classify(a, x->idx[d], v[0], &u) == IDX_CONST &&
        classify(a, y->idx[d], v[0], &w) == IDX_CONST && u != w)
      return 0;
  }
  for (size_t k = 0; k < nd; k++) {
    int found = 0;
    for (size_t d = 0; d < x->n && d < y->n && !found; d++) {
      int64_t u, w;
      if (classify(a, x->idx[d], v[k], &u) == IDX_SHIFT &&
          classify(a, y->idx[d], v[k], &w) == IDX_SHIFT) {
        ca[k] = u;
        cb[k] = w;
        found = 1;
      }
    }
    if (!found) {
      *dim = k;
      return -1;
    }
  }
  return 1;
}

/* Two accesses of one sweep at one time step that meet: the one that runs
 * first is the source, and tiles keep its order only when the distance
 * from source to sink is non-negative in every tiled dimension (a skew
 * cannot help at distance 0 in time). 0 when legal. */
static int same_time(tscan *sc, const tt_acc *x, const tt_acc *y, const int64_t *cx,
                     const int64_t *cy) {
  size_t d = 0;
  while (d < sc->nd && cx[d] == cy[d])
    d++;
  if (d == sc->nd) return 0;
  /* y meets x at v + (cx - cy): the same loop at level d runs upwards;
   * different loops at that level run in the order of the text */
  int sign = x->loop[d] && x->loop[d] == y->loop[d] ? (cx[d] > cy[d] ? 1 : -1) : 1;
  for (size_t k = 0; k < sc->nd; k++) {
    int64_t dist = sign * (cx[k] - cy[k] + (k ? sc->R[k] * (cx[0] - cy[0]) : 0));
    if (dist >= 0) continue;
    tt_str *s = sc->why;
    s->len = 0;
    const tt_acc *src = sign > 0 ? x : y, *snk = sign > 0 ? y : x;
    tt_str_printf(s, "%s (sweep %d) depends on %s of the same sweep and time step at distance (",
                  show(sc->a, snk), snk->sweep + 1, show(sc->a, src));
    for (size_t m = 0; m < sc->nd; m++)
      tt_str_printf(s, "%s%" PRId64, m ? ", " : "", sign * (cx[m] - cy[m]));
    tt_str_printf(s, ") in (");
    for (size_t m = 0; m < sc->nd; m++)
      tt_str_printf(s, "%s%s", m ? ", " : "", sc->vars[m]);
    tt_str_printf(s, "): tiles of '%s' would run it backwards", sc->vars[k]);
    return -1;
  }
  return 0;
}

/* Raises the inner skew R[k] of every tiled dimension k > 0 so that a
 * pair of one sweep and time step whose distance from its source is
 * positive in i becomes non-negative in y_k = v_k + R[k]*i (seidel-2d's
 * (1, -1) needs R = 1). */
static void inner_skew(tscan *sc, const tt_acc *x, const tt_acc *y, const int64_t *cx,
                       const int64_t *cy) {
  int64_t d0 = cx[0] - cy[0];
  if (d0 == 0 || x->sweep != y->sweep) return;
  int sign = d0 > 0 ? 1 : -1;
  for (size_t k = 1; k < sc->nd; k++) {
    int64_t v = sign * (cx[k] - cy[k]), u = sign * d0;
    if (v < 0 && (-v + u - 1) / u > sc->R[k]) sc->R[k] = (-v + u - 1) / u;
  }
}

/* Raises *min_skew to what pair x -> y (dtau sweeps later) needs in each
 * dimension, saying why. */
static void skew_pair(tscan *sc, const tt_acc *x, const tt_acc *y, const int64_t *cx,
                      const int64_t *cy, int64_t dtau, int64_t *min_skew) {
  for (size_t d = 0; d < sc->nd; d++) {
    int64_t s = need(cx[d] + sc->R[d] * cx[0], cy[d] + sc->R[d] * cy[0], dtau);
    if (s <= *min_skew) continue;
    *min_skew = s;
    sc->why->len = 0;
    tt_str_printf(sc->why,
                  "%s (sweep %d) depends on %s (sweep %d) at %s + %" PRId64 ", %" PRId64
                  " sweep%s earlier",
                  show(sc->a, y), y->sweep + 1, show(sc->a, x), x->sweep + 1, sc->vars[d],
                  cy[d] - cx[d], dtau, dtau > 1 ? "s" : "");
    if (d > 0 && sc->R[d] > 0)
      tt_str_printf(sc->why, " (%s skewed by %" PRId64 "*%s)", sc->vars[d], sc->R[d], sc->vars[0]);
  }
}

/* The shifts of pair (x, y) in the tiled dimensions: 1 when they meet at
 * fixed distances, 0 when they never meet, -1 with why when unknown. */
static int shifts(tscan *sc, const tt_stmt **sw, const tt_acc *x, const tt_acc *y, int64_t *cx,
                  int64_t *cy) {
  if (strcmp(x->tensor, y->tensor) != 0 || !(x->write || y->write)) return 0;
  const char *vx[MAXD], *vy[MAXD];
  memcpy(vx, sc->vars, sizeof(char *) * sc->nd);
  memcpy(vy, sc->vars, sizeof(char *) * sc->nd);
  vx[0] = sw[x->sweep]->var;
  vy[0] = sw[y->sweep]->var;
  size_t dim = 0;
  int r = pair_shift(sc->a, x, y, vx, sc->nd, cx, cy, &dim);
  if (r >= 0 && (r == 0 || strcmp(vx[0], vy[0]) == 0)) return r;
  sc->why->len = 0;
  tt_str_printf(sc->why, "%s (sweep %d) and %s (sweep %d) meet at no fixed distance in '%s'",
                show(sc->a, x), x->sweep + 1, show(sc->a, y), y->sweep + 1, sc->vars[dim]);
  return -1;
}

/* The pairs of accesses: the inner skews (first pass), then the least
 * skew, or -1 with why. */
static int check_pairs(tscan *sc, const tt_stmt **sw, size_t K, int64_t *min_skew) {
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < sc->acc.len; i++)
      for (size_t j = i + 1; j < sc->acc.len; j++) {
        const tt_acc *x = sc->acc.items[i], *y = sc->acc.items[j];
        int64_t cx[MAXD] = {0}, cy[MAXD] = {0};
        int r = shifts(sc, sw, x, y, cx, cy);
        if (r < 0) return -1;
        if (r == 0) continue;
        if (pass == 0) {
          inner_skew(sc, x, y, cx, cy);
          continue;
        }
        int64_t p = x->sweep, q = y->sweep;
        if (p == q && same_time(sc, x, y, cx, cy) != 0) return -1;
        int64_t dxy = q > p ? q - p : (int64_t)K + q - p, dyx = p > q ? p - q : (int64_t)K + p - q;
        skew_pair(sc, x, y, cx, cy, dxy, min_skew);
        skew_pair(sc, y, x, cy, cx, dyx, min_skew);
      }
  return 0;
}

int tt_time_tile_min_skew(tt_arena *a, const tt_stmt *tloop, const char *const *vars, size_t nd,
                          int64_t *min_skew, int64_t *inner, tt_str *why) {
  const tt_stmt **sw = NULL;
  size_t K = 0;
  *min_skew = 0;
  if (nd < 1 || nd > MAXD) {
    tt_str_printf(why, "it tiles 1 to %d loops besides the time loop", MAXD);
    return -1;
  }
  if (!sweeps(tloop, vars[0], &sw, &K, why)) return -1;
  tscan sc = {.a = a, .vars = vars, .nd = nd, .tvar = tloop->var, .why = why};
  for (size_t k = 0; k < K && !sc.bad; k++) {
    sc.sweep = (int)k;
    sc.inner.len = 0;
    tt_vec_push(&sc.inner, (void *)sw[k]->var);
    sc.loop[0] = sw[k];
    sc.level = 1;
    for (size_t i = 0; i < sw[k]->nbody; i++)
      scan_stmt(&sc, sw[k]->body[i]);
  }
  int rc = sc.bad ? -1 : check_pairs(&sc, sw, K, min_skew);
  for (size_t d = 0; inner && d < nd; d++)
    inner[d] = sc.R[d];
  tt_vec_free(&sc.acc);
  tt_vec_free(&sc.lets);
  tt_vec_free(&sc.inner);
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

/* The tile sizes of time_tile step st (nd space loops of time loop tl)
 * and its skew, each a constant or every value of its knob: sizes of at
 * least 1, a skew of at least 0. */
static tt_status check_sizes(const tt_step *st, size_t nd, const char *tl, const tt_knob_values *kv,
                             size_t nkv, tt_error *err) {
  for (size_t f = nd + 1; f <= 2 * nd + 2; f++) {
    int64_t v = 0;
    const char *knob = NULL;
    int skew = f == 2 * nd + 2;
    if (!least_value(st->args[f], kv, nkv, &v, &knob) || v >= (skew ? 0 : 1)) continue;
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s:%d:%d: cannot time-tile loop '%s': %s (%s%s%s%" PRId64 ")",
                        st->loc.file, st->loc.line, st->loc.col, tl,
                        skew ? "the skew must not be negative" : "tile sizes must be positive",
                        knob ? "knob '" : "", knob ? knob : "", knob ? "' has " : "", v);
  }
  return TT_OK;
}

tt_status tt_template_check_time_tiles(tt_arena *a, const tt_kernel_def *k, const tt_template *t,
                                       const tt_knob_values *kv, size_t nkv, tt_error *err) {
  const tt_stmt *body = t->body ? t->body : k->body;
  for (size_t i = 0; i < t->nsteps; i++) {
    const tt_step *st = &t->steps[i];
    size_t nd = st->nargs >= 6 ? (st->nargs - 4) / 2 : 0;
    if (st->kind != TT_STEP_TIME_TILE || nd < 1 || nd > TT_TIME_TILE_MAX_DIMS ||
        st->args[0]->kind != TT_EX_VAR)
      continue;
    const char *tl = st->args[0]->name, *vars[TT_TIME_TILE_MAX_DIMS];
    int names = 1;
    for (size_t d = 0; d < nd; d++) {
      names = names && st->args[1 + d]->kind == TT_EX_VAR;
      vars[d] = names ? st->args[1 + d]->name : NULL;
    }
    if (!names) continue;
    int count = 0;
    const tt_stmt *loop = tt_find_loop(body, tl, &count);
    if (!loop) continue; /* a knob's label: lowering checks it */
    tt_status rc = check_sizes(st, nd, tl, kv, nkv, err);
    if (rc != TT_OK) return rc;
    tt_str why = {0};
    int64_t min = 0, s = 0;
    const char *knob = NULL;
    if (count > 1)
      rc = tt_error_set(
          err, TT_ERR_USAGE,
          "%s:%d:%d: cannot time-tile loop '%s': the name is ambiguous (label the loop)",
          st->loc.file, st->loc.line, st->loc.col, tl);
    else if (tt_time_tile_min_skew(a, loop, vars, nd, &min, NULL, &why) != 0)
      rc = tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: cannot time-tile loop '%s': %s", st->loc.file,
                        st->loc.line, st->loc.col, tl, tt_str_cstr(&why));
    else if (least_value(st->args[2 * nd + 2], kv, nkv, &s, &knob) && s < min)
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
