/* Pass: time_tile T, L by FT, FL skew S [wavefront] on in-place loops.
 * The time loop T (t in tlo..thi) holds K sweeps over L (sweep k: i in
 * lo_k..hi_k). Iteration (t, k, i) gets the skewed coordinate x = i +
 * S*(K*t + k); tile (a, b) holds the time steps tlo + a*FT .. + FT and the
 * points with b*FL <= x < (b + 1)*FL, so sweep k at time t runs i over
 *   max(lo_k, b*FL - S*(K*t + k)) .. min(hi_k, (b + 1)*FL - S*(K*t + k)).
 * Tiles run in order (a, then b), or as a wavefront: wave w = a + b in
 * sequence, its tiles in parallel, or (two or more space loops) in strips:
 * a, then the tiles of the inner space loops, those of L innermost. All
 * three are legal when S is at least the least skew of
 * tt_time_tile_min_skew (schedule/timetile.c), checked here for the
 * configuration (and for every knob value when the template loads). Space
 * tiles are aligned to multiples of FL in x for every time tile, so that
 * the tile grid is one grid and the wavefront argument holds: every
 * dependence goes from tile (a, b) to some (a' >= a, b' >= b). */
#include <inttypes.h>
#include <string.h>

#include "lower/passes.h"

enum { MAXD = TT_TIME_TILE_MAX_DIMS };

typedef struct tiling {
  tt_arena *a;
  const tt_stmt *t; /* the time loop */
  const tt_stmt **sw;
  size_t K, nd;
  const char *const *vars;          /* the tiled loops: the sweeps', then inner variables */
  int64_t FT, FL[MAXD], S, R[MAXD]; /* R: inner skews, y_d = v_d + R[d]*i + S*tau */
  tt_expr *lmin[MAXD], *hmax[MAXD]; /* least lo, largest hi of each tiled level's loops */
  const char *ivar;                 /* the variable of the sweep being clipped */
  const char *tv[MAXD], *tl[MAXD];  /* the space tile loops' variables and labels */
} tiling;

static tt_expr *I(tiling *g, int64_t v) {
  return tt_ex_int(g->a, v);
}
static tt_expr *fdiv(tiling *g, tt_expr *x, int64_t d) {
  return tt_ex_bin(g->a, TT_OP_FLOORDIV, x, I(g, d));
}

/* The loop f clipped to the points of space tile x0 of its level: i from
 * max(lo, x0 - shift) to min(hi, x0 + FL - shift), the shift S*tau (and
 * R[d]*i below the sweep's loop). */
static tt_stmt *clip_loop(tiling *g, const tt_stmt *f, size_t d, tt_expr *x0, tt_expr *shift) {
  tt_arena *a = g->a;
  tt_stmt *c = tt_stmt_clone(a, f);
  if (d > 0 && g->R[d])
    shift = tt_ex_add(a, shift, tt_ex_mul(a, I(g, g->R[d]), tt_ex_var(a, g->ivar)));
  c->lo = tt_expr_simplify(a, tt_ex_max(a, f->lo, tt_ex_sub(a, x0, shift)));
  c->hi = tt_expr_simplify(
      a, tt_ex_min(a, f->hi, tt_ex_sub(a, tt_ex_add(a, x0, I(g, g->FL[d])), shift)));
  return c;
}

/* Statement s of a sweep (inside its tiled loops down to level d) with
 * every loop over the next tiled variables clipped to tile x0[]. */
static tt_stmt *clip(tiling *g, const tt_stmt *s, size_t d, tt_expr **x0, tt_expr *shift) {
  if (!s || d >= g->nd || s->nbody == 0) return (tt_stmt *)s;
  tt_stmt *c;
  size_t next = d;
  if (s->kind == TT_ST_FOR && strcmp(s->var, g->vars[d]) == 0) {
    c = clip_loop(g, s, d, x0[d], shift);
    next = d + 1;
  } else {
    c = tt_stmt_clone(g->a, s);
  }
  c->body = tt_arena_alloc(g->a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++)
    c->body[i] = clip(g, s->body[i], next, x0, shift);
  return c;
}

/* tile(a, b_0, b_1, ...): the time loop over tile a's steps, each sweep
 * clipped to the points of space tile b. */
static tt_stmt *tile(tiling *g, tt_expr *ta, tt_expr **tb) {
  tt_arena *a = g->a;
  const tt_stmt *T = g->t;
  tt_expr *t0 = tt_ex_add(a, T->lo, tt_ex_mul(a, ta, I(g, g->FT)));
  tt_expr *x0[MAXD];
  for (size_t d = 0; d < g->nd; d++)
    x0[d] = tt_ex_mul(a, tb[d], I(g, g->FL[d]));
  tt_stmt **items = tt_arena_alloc(a, sizeof(tt_stmt *) * g->K);
  for (size_t k = 0; k < g->K; k++) {
    const tt_stmt *s = g->sw[k];
    /* S*(K*t + k) */
    tt_expr *shift = tt_ex_mul(
        a, I(g, g->S),
        tt_ex_add(a, tt_ex_mul(a, I(g, (int64_t)g->K), tt_ex_var(a, T->var)), I(g, (int64_t)k)));
    g->ivar = s->var;
    tt_stmt *f = clip_loop(g, s, 0, x0[0], shift);
    f->body = tt_arena_alloc(a, sizeof(tt_stmt *) * s->nbody);
    for (size_t i = 0; i < s->nbody; i++)
      f->body[i] = clip(g, s->body[i], 1, x0, shift);
    items[k] = f;
  }
  tt_stmt *t = tt_stmt_clone(a, T);
  t->lo = tt_expr_simplify(a, tt_ex_max(a, T->lo, t0));
  t->hi = tt_expr_simplify(a, tt_ex_min(a, T->hi, tt_ex_add(a, t0, I(g, g->FT))));
  t->body = tt_arena_alloc(a, sizeof(tt_stmt *));
  t->body[0] = tt_st_block(a, items, g->K);
  t->nbody = 1;
  return t;
}

/* The first space tile of level d in time tile ta: floor((lmin + S*K*t0)
 * / FL). */
static tt_expr *b_first(tiling *g, size_t d, tt_expr *ta) {
  tt_arena *a = g->a;
  tt_expr *t0 = tt_ex_add(a, g->t->lo, tt_ex_mul(a, ta, I(g, g->FT)));
  tt_expr *lo = tt_ex_add(a, g->lmin[d], tt_ex_mul(a, I(g, g->R[d]), g->lmin[0]));
  return fdiv(g, tt_ex_add(a, lo, tt_ex_mul(a, I(g, g->S * (int64_t)g->K), t0)), g->FL[d]);
}

/* One past the last space tile of level d in time tile ta (its time steps
 * taken as a full FT): floor((hmax - 1 - S + S*K*(t0 + FT)) / FL) + 1. */
static tt_expr *b_end(tiling *g, size_t d, tt_expr *ta) {
  tt_arena *a = g->a;
  tt_expr *t1 = tt_ex_add(a, g->t->lo, tt_ex_mul(a, tt_ex_add(a, ta, I(g, 1)), I(g, g->FT)));
  tt_expr *hi =
      tt_ex_add(a, g->hmax[d], tt_ex_mul(a, I(g, g->R[d]), tt_ex_sub(a, g->hmax[0], I(g, 1))));
  tt_expr *x =
      tt_ex_add(a, tt_ex_sub(a, hi, I(g, 1 + g->S)), tt_ex_mul(a, I(g, g->S * (int64_t)g->K), t1));
  return tt_ex_add(a, fdiv(g, x, g->FL[d]), I(g, 1));
}

/* The number of time tiles: ceil((thi - tlo) / FT). */
static tt_expr *n_tiles(tiling *g) {
  tt_arena *a = g->a;
  return fdiv(g, tt_ex_add(a, tt_ex_sub(a, g->t->hi, g->t->lo), I(g, g->FT - 1)), g->FT);
}

static tt_stmt *loop(tiling *g, const char *var, const char *label, tt_expr *lo, tt_expr *hi,
                     tt_stmt *body) {
  tt_stmt *f = tt_st_for(g->a, var, tt_expr_simplify(g->a, lo), tt_expr_simplify(g->a, hi), body);
  f->label = label;
  f->loc = g->t->loc;
  return f;
}

/* Tile (ta, tb0) with its space tiles of the inner levels in order: for
 * b_1 { for b_2 { tile(ta, tb0, b_1, b_2) } }. */
static tt_stmt *column(tiling *g, tt_expr *ta, tt_expr *tb0) {
  tt_expr *tb[MAXD] = {tb0};
  for (size_t d = 1; d < g->nd; d++)
    tb[d] = tt_ex_var(g->a, g->tv[d]);
  tt_stmt *s = tile(g, ta, tb);
  for (size_t d = g->nd; d-- > 1;)
    s = loop(g, g->tv[d], g->tl[d], b_first(g, d, ta), b_end(g, d, ta), s);
  return s;
}

/* Tiles in order: for a { for b_0 { column(a, b_0) } }. */
static tt_stmt *in_order(tiling *g, const char *va, const char *la) {
  tt_arena *a = g->a;
  tt_expr *ta = tt_ex_var(a, va);
  tt_stmt *inner = loop(g, g->tv[0], g->tl[0], b_first(g, 0, ta), b_end(g, 0, ta),
                        column(g, ta, tt_ex_var(a, g->tv[0])));
  return loop(g, va, la, I(g, 0), n_tiles(g), inner);
}

/* Tiles in strips: for a { for b_1 { for b_2 { for b_0 { tile } } } }:
 * the tiles of the sweeps' loop innermost, so that consecutive tiles are
 * neighbours in x and share the rows of a strip of the inner levels while
 * they are still in cache. Legal as in order: every dependence has a
 * non-negative distance in each of a, b_0, b_1, b_2, so any order of the
 * tile loops that keeps a outermost runs sources first. */
static tt_stmt *strips(tiling *g, const char *va, const char *la) {
  tt_arena *a = g->a;
  tt_expr *ta = tt_ex_var(a, va);
  tt_expr *tb[MAXD];
  for (size_t d = 0; d < g->nd; d++)
    tb[d] = tt_ex_var(a, g->tv[d]);
  tt_stmt *s = loop(g, g->tv[0], g->tl[0], b_first(g, 0, ta), b_end(g, 0, ta), tile(g, ta, tb));
  for (size_t d = g->nd; d-- > 1;)
    s = loop(g, g->tv[d], g->tl[d], b_first(g, d, ta), b_end(g, d, ta), s);
  return loop(g, va, la, I(g, 0), n_tiles(g), s);
}

/* The wavefront: for w { parallel for a in the wave { column(a, w - a) } }.
 * Tile a lies on wave w when b_first(a) <= w - a < b_end(a); with D = S*K*FT
 * + FL that is a >= ceil((w*FL - (hmax - 1 - S + S*K*(tlo + FT))) / D) and
 * a <= floor(((w + 1)*FL - lmin - S*K*tlo - 1) / D), clipped to 0..n (FL,
 * lmin and hmax of the first tiled level). */
static tt_stmt *wavefront(tiling *g, const char *vw, const char *va, const char *lw,
                          const char *la) {
  tt_arena *a = g->a;
  int64_t SK = g->S * (int64_t)g->K, FL = g->FL[0], D = SK * g->FT + FL;
  tt_expr *w = tt_ex_var(a, vw), *ta = tt_ex_var(a, va);
  tt_expr *c1 = tt_ex_add(a, tt_ex_sub(a, g->hmax[0], I(g, 1 + g->S)),
                          tt_ex_mul(a, I(g, SK), tt_ex_add(a, g->t->lo, I(g, g->FT))));
  tt_expr *alo = fdiv(g, tt_ex_add(a, tt_ex_sub(a, tt_ex_mul(a, w, I(g, FL)), c1), I(g, D - 1)), D);
  tt_expr *c2 = tt_ex_add(a, g->lmin[0], tt_ex_add(a, tt_ex_mul(a, I(g, SK), g->t->lo), I(g, 1)));
  tt_expr *ahi = tt_ex_add(
      a, fdiv(g, tt_ex_sub(a, tt_ex_mul(a, tt_ex_add(a, w, I(g, 1)), I(g, FL)), c2), D), I(g, 1));
  tt_expr *n = n_tiles(g);
  tt_stmt *par = loop(g, va, la, tt_ex_max(a, I(g, 0), alo), tt_ex_min(a, n, ahi),
                      column(g, ta, tt_ex_sub(a, w, ta)));
  par->loop_kind = TT_LOOP_PARALLEL;
  tt_expr *wlo = b_first(g, 0, I(g, 0));
  tt_expr *whi = tt_ex_add(a, b_end(g, 0, tt_ex_sub(a, n, I(g, 1))), tt_ex_sub(a, n, I(g, 1)));
  return loop(g, vw, lw, wlo, whi, par);
}

/* Widens g's bounds of level d (and below) with every loop over the
 * tiled variables inside statement s (already at level d). */
static void level_bounds(tiling *g, const tt_stmt *s, size_t d) {
  if (!s || d >= g->nd) return;
  size_t next = d;
  if (s->kind == TT_ST_FOR && strcmp(s->var, g->vars[d]) == 0) {
    g->lmin[d] = g->lmin[d] ? tt_ex_min(g->a, g->lmin[d], s->lo) : s->lo;
    g->hmax[d] = g->hmax[d] ? tt_ex_max(g->a, g->hmax[d], s->hi) : s->hi;
    next = d + 1;
  }
  for (size_t i = 0; i < s->nbody; i++)
    level_bounds(g, s->body[i], next);
}

typedef struct tt_tstep {
  tt_lower_ctx *cx;
  const tt_step *st;
  const char *tl;
  const char *vars[MAXD];
  size_t nd;
  int64_t FT, FL[MAXD], S, wave;
} tt_tstep;

static tt_status fail(const tt_tstep *ts, const char *msg) {
  const tt_step *st = ts->st;
  return tt_error_set(ts->cx->sc.err, TT_ERR_USAGE, "%s:%d:%d: cannot time-tile loop '%s'%s",
                      st->loc.file, st->loc.line, st->loc.col, ts->tl, msg);
}

/* The tiled nest replacing time loop T (checked legal for ts's skew). */
static tt_status tiled(const tt_tstep *ts, const tt_stmt *T, tt_stmt **out) {
  tt_arena *a = ts->cx->sc.a;
  tt_str why = {0};
  int64_t min = 0;
  tt_status rc = TT_OK;
  int64_t R[MAXD] = {0};
  if (tt_time_tile_min_skew(a, T, ts->vars, ts->nd, &min, R, &why) != 0)
    rc = fail(ts, tt_arena_printf(a, ": %s", tt_str_cstr(&why)));
  else if (ts->S < min)
    rc = fail(ts, tt_arena_printf(a, " with skew %" PRId64 ": %s; skew by at least %" PRId64, ts->S,
                                  tt_str_cstr(&why), min));
  tt_str_free(&why);
  if (rc != TT_OK) return rc;
  tiling g = {.a = a, .t = T, .FT = ts->FT, .S = ts->S, .nd = ts->nd, .vars = ts->vars};
  memcpy(g.FL, ts->FL, sizeof g.FL);
  memcpy(g.R, R, sizeof g.R);
  const tt_stmt *b = T->body[0];
  g.sw = b->kind == TT_ST_BLOCK ? (const tt_stmt **)b->body : (const tt_stmt **)&T->body[0];
  g.K = b->kind == TT_ST_BLOCK ? b->nbody : 1;
  for (size_t k = 0; k < g.K; k++) {
    const tt_stmt *s = g.sw[k];
    g.lmin[0] = g.lmin[0] ? tt_ex_min(a, g.lmin[0], s->lo) : s->lo;
    g.hmax[0] = g.hmax[0] ? tt_ex_max(a, g.hmax[0], s->hi) : s->hi;
    for (size_t i = 0; i < s->nbody; i++)
      level_bounds(&g, s->body[i], 1);
  }
  for (size_t d = 1; d < g.nd; d++)
    if (!g.lmin[d])
      return fail(ts, tt_arena_printf(a, ": no loop over '%s' in its sweeps", g.vars[d]));
  for (size_t d = 0; d < g.nd; d++) {
    g.tl[d] = tt_arena_printf(a, "%so", d ? g.vars[d] : ts->vars[0]);
    g.tv[d] =
        d ? tt_arena_printf(a, "tt_tb%zu_%s", d, T->var) : tt_arena_printf(a, "tt_tb_%s", T->var);
  }
  const char *la = tt_arena_printf(a, "%so", ts->tl);
  const char *va = tt_arena_printf(a, "tt_ta_%s", T->var);
  if (ts->wave == TT_TIME_TILE_WAVEFRONT)
    *out = wavefront(&g, tt_arena_printf(a, "tt_tw_%s", T->var), va,
                     tt_arena_printf(a, "%s_%s", la, g.tl[0]), la);
  else if (ts->wave == TT_TIME_TILE_STRIPS)
    *out = strips(&g, va, la);
  else
    *out = in_order(&g, va, la);
  return TT_OK;
}

/* Rebuilds s with the loop labelled ts->tl replaced by its tiled nest. */
static tt_status rewrite(const tt_tstep *ts, tt_stmt *s, tt_stmt **out) {
  *out = s;
  if (!s) return TT_OK;
  if (s->kind == TT_ST_FOR && strcmp(s->label ? s->label : s->var, ts->tl) == 0)
    return tiled(ts, s, out);
  if (s->nbody == 0) return TT_OK;
  tt_stmt *c = tt_stmt_clone(ts->cx->sc.a, s);
  c->body = tt_arena_alloc(ts->cx->sc.a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++) {
    tt_status st = rewrite(ts, s->body[i], &c->body[i]);
    if (st != TT_OK) return st;
  }
  *out = c;
  return TT_OK;
}

/* Reads the step's arguments for this configuration: [T, d loops, FT, d
 * space factors, S, wavefront]. */
static tt_status read_step(tt_tstep *ts) {
  tt_sched_ctx *sc = &ts->cx->sc;
  const tt_step *st = ts->st;
  size_t nd = ts->nd;
  if (tt_step_int(sc, st, st->args[nd + 1], &ts->FT) != TT_OK) return sc->err->status;
  for (size_t d = 0; d < nd; d++)
    if (tt_step_int(sc, st, st->args[nd + 2 + d], &ts->FL[d]) != TT_OK) return sc->err->status;
  if (tt_step_int(sc, st, st->args[2 * nd + 2], &ts->S) != TT_OK ||
      tt_step_int(sc, st, st->args[2 * nd + 3], &ts->wave) != TT_OK)
    return sc->err->status;
  for (size_t d = 0; d < nd; d++)
    if (ts->FL[d] < 1) return fail(ts, ": tile sizes must be positive");
  if (ts->FT < 1) return fail(ts, ": tile sizes must be positive");
  if (ts->S < 0) return fail(ts, ": the skew must not be negative");
  return TT_OK;
}

tt_status tt_pass_time_tile(tt_lower_ctx *cx, tt_stmt **body) {
  for (size_t i = 0; cx->sc.t && i < cx->sc.t->nsteps; i++) {
    const tt_step *st = &cx->sc.t->steps[i];
    size_t nd = st->nargs >= 6 ? (st->nargs - 4) / 2 : 0;
    if (st->kind != TT_STEP_TIME_TILE || nd < 1 || nd > MAXD || !tt_step_enabled(&cx->sc, st))
      continue;
    tt_tstep ts = {.cx = cx, .st = st, .nd = nd};
    ts.tl = tt_step_name(&cx->sc, st->args[0]);
    int named = ts.tl != NULL;
    for (size_t d = 0; d < nd; d++)
      named = named && (ts.vars[d] = tt_step_name(&cx->sc, st->args[1 + d])) != NULL;
    if (!named) continue;
    tt_status rc = read_step(&ts);
    int count = 0;
    if (rc == TT_OK && !tt_find_loop(*body, ts.tl, &count))
      rc = fail(&ts, ": no such loop in the algorithm");
    else if (rc == TT_OK && count > 1)
      rc = fail(&ts, ": the name is ambiguous (label the loop)");
    if (rc == TT_OK) rc = rewrite(&ts, *body, body);
    if (rc != TT_OK) return rc;
  }
  return TT_OK;
}
