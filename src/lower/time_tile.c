/* Pass: time_tile T, L by FT, FL skew S [wavefront] on in-place loops.
 * The time loop T (t in tlo..thi) holds K sweeps over L (sweep k: i in
 * lo_k..hi_k). Iteration (t, k, i) gets the skewed coordinate x = i +
 * S*(K*t + k); tile (a, b) holds the time steps tlo + a*FT .. + FT and the
 * points with b*FL <= x < (b + 1)*FL, so sweep k at time t runs i over
 *   max(lo_k, b*FL - S*(K*t + k)) .. min(hi_k, (b + 1)*FL - S*(K*t + k)).
 * Tiles run in order (a, then b), or as a wavefront: wave w = a + b in
 * sequence, its tiles in parallel. Both are legal when S is at least the
 * least skew of tt_time_tile_min_skew (schedule/timetile.c), checked here
 * for the configuration (and for every knob value when the template
 * loads). Space tiles are aligned to multiples of FL in x for every time
 * tile, so that the tile grid is one grid and the wavefront argument holds:
 * every dependence goes from tile (a, b) to some (a' >= a, b' >= b). */
#include <inttypes.h>
#include <string.h>

#include "lower/passes.h"

typedef struct tiling {
  tt_arena *a;
  const tt_stmt *t; /* the time loop */
  const tt_stmt **sw;
  size_t K;
  int64_t FT, FL, S;
  tt_expr *lmin, *hmax; /* least lo_k, largest hi_k */
} tiling;

static tt_expr *I(tiling *g, int64_t v) {
  return tt_ex_int(g->a, v);
}
static tt_expr *fdiv(tiling *g, tt_expr *x, int64_t d) {
  return tt_ex_bin(g->a, TT_OP_FLOORDIV, x, I(g, d));
}

/* tile(a, b): the time loop over tile a's steps, each sweep clipped to the
 * points of space tile b. */
static tt_stmt *tile(tiling *g, tt_expr *ta, tt_expr *tb) {
  tt_arena *a = g->a;
  const tt_stmt *T = g->t;
  tt_expr *t0 = tt_ex_add(a, T->lo, tt_ex_mul(a, ta, I(g, g->FT)));
  tt_expr *x0 = tt_ex_mul(a, tb, I(g, g->FL));
  tt_stmt **items = tt_arena_alloc(a, sizeof(tt_stmt *) * g->K);
  for (size_t k = 0; k < g->K; k++) {
    const tt_stmt *s = g->sw[k];
    /* S*(K*t + k) */
    tt_expr *shift = tt_ex_mul(
        a, I(g, g->S),
        tt_ex_add(a, tt_ex_mul(a, I(g, (int64_t)g->K), tt_ex_var(a, T->var)), I(g, (int64_t)k)));
    tt_stmt *f = tt_stmt_clone(a, s);
    f->lo = tt_expr_simplify(a, tt_ex_max(a, s->lo, tt_ex_sub(a, x0, shift)));
    f->hi = tt_expr_simplify(
        a, tt_ex_min(a, s->hi, tt_ex_sub(a, tt_ex_add(a, x0, I(g, g->FL)), shift)));
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

/* The first space tile of time tile ta: floor((lmin + S*K*t0) / FL). */
static tt_expr *b_first(tiling *g, tt_expr *ta) {
  tt_arena *a = g->a;
  tt_expr *t0 = tt_ex_add(a, g->t->lo, tt_ex_mul(a, ta, I(g, g->FT)));
  return fdiv(g, tt_ex_add(a, g->lmin, tt_ex_mul(a, I(g, g->S * (int64_t)g->K), t0)), g->FL);
}

/* One past the last space tile of time tile ta (its time steps taken as a
 * full FT): floor((hmax - 1 - S + S*K*(t0 + FT)) / FL) + 1. */
static tt_expr *b_end(tiling *g, tt_expr *ta) {
  tt_arena *a = g->a;
  tt_expr *t1 = tt_ex_add(a, g->t->lo, tt_ex_mul(a, tt_ex_add(a, ta, I(g, 1)), I(g, g->FT)));
  tt_expr *x = tt_ex_add(a, tt_ex_sub(a, g->hmax, I(g, 1 + g->S)),
                         tt_ex_mul(a, I(g, g->S * (int64_t)g->K), t1));
  return tt_ex_add(a, fdiv(g, x, g->FL), I(g, 1));
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

/* Tiles in order: for a { for b { tile(a, b) } }. */
static tt_stmt *in_order(tiling *g, const char *va, const char *vb, const char *la,
                         const char *lb) {
  tt_arena *a = g->a;
  tt_expr *ta = tt_ex_var(a, va);
  tt_stmt *inner = loop(g, vb, lb, b_first(g, ta), b_end(g, ta), tile(g, ta, tt_ex_var(a, vb)));
  return loop(g, va, la, I(g, 0), n_tiles(g), inner);
}

/* The wavefront: for w { parallel for a in the wave { tile(a, w - a) } }.
 * Tile a lies on wave w when b_first(a) <= w - a < b_end(a); with D = S*K*FT
 * + FL that is a >= ceil((w*FL - (hmax - 1 - S + S*K*(tlo + FT))) / D) and
 * a <= floor(((w + 1)*FL - lmin - S*K*tlo - 1) / D), clipped to 0..n. */
static tt_stmt *wavefront(tiling *g, const char *vw, const char *va, const char *lw,
                          const char *la) {
  tt_arena *a = g->a;
  int64_t SK = g->S * (int64_t)g->K, D = SK * g->FT + g->FL;
  tt_expr *w = tt_ex_var(a, vw), *ta = tt_ex_var(a, va);
  tt_expr *c1 = tt_ex_add(a, tt_ex_sub(a, g->hmax, I(g, 1 + g->S)),
                          tt_ex_mul(a, I(g, SK), tt_ex_add(a, g->t->lo, I(g, g->FT))));
  tt_expr *alo =
      fdiv(g, tt_ex_add(a, tt_ex_sub(a, tt_ex_mul(a, w, I(g, g->FL)), c1), I(g, D - 1)), D);
  tt_expr *c2 = tt_ex_add(a, g->lmin, tt_ex_add(a, tt_ex_mul(a, I(g, SK), g->t->lo), I(g, 1)));
  tt_expr *ahi = tt_ex_add(
      a, fdiv(g, tt_ex_sub(a, tt_ex_mul(a, tt_ex_add(a, w, I(g, 1)), I(g, g->FL)), c2), D),
      I(g, 1));
  tt_expr *n = n_tiles(g);
  tt_stmt *par = loop(g, va, la, tt_ex_max(a, I(g, 0), alo), tt_ex_min(a, n, ahi),
                      tile(g, ta, tt_ex_sub(a, w, ta)));
  par->loop_kind = TT_LOOP_PARALLEL;
  tt_expr *wlo = b_first(g, I(g, 0));
  tt_expr *whi = tt_ex_add(a, b_end(g, tt_ex_sub(a, n, I(g, 1))), tt_ex_sub(a, n, I(g, 1)));
  return loop(g, vw, lw, wlo, whi, par);
}

typedef struct tt_tstep {
  tt_lower_ctx *cx;
  const tt_step *st;
  const char *tl, *var;
  int64_t FT, FL, S, wave;
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
  if (tt_time_tile_min_skew(a, T, ts->var, &min, &why) != 0)
    rc = fail(ts, tt_arena_printf(a, ": %s", tt_str_cstr(&why)));
  else if (ts->S < min)
    rc = fail(ts, tt_arena_printf(a, " with skew %" PRId64 ": %s; skew by at least %" PRId64, ts->S,
                                  tt_str_cstr(&why), min));
  tt_str_free(&why);
  if (rc != TT_OK) return rc;
  tiling g = {.a = a, .t = T, .FT = ts->FT, .FL = ts->FL, .S = ts->S};
  const tt_stmt *b = T->body[0];
  g.sw = b->kind == TT_ST_BLOCK ? (const tt_stmt **)b->body : (const tt_stmt **)&T->body[0];
  g.K = b->kind == TT_ST_BLOCK ? b->nbody : 1;
  g.lmin = g.sw[0]->lo;
  g.hmax = g.sw[0]->hi;
  for (size_t k = 1; k < g.K; k++) {
    g.lmin = tt_ex_min(a, g.lmin, g.sw[k]->lo);
    g.hmax = tt_ex_max(a, g.hmax, g.sw[k]->hi);
  }
  const char *la = tt_arena_printf(a, "%so", ts->tl), *lb = tt_arena_printf(a, "%so", ts->var);
  const char *va = tt_arena_printf(a, "tt_ta_%s", T->var);
  if (ts->wave)
    *out = wavefront(&g, tt_arena_printf(a, "tt_tw_%s", T->var), va,
                     tt_arena_printf(a, "%s_%s", la, lb), la);
  else
    *out = in_order(&g, va, tt_arena_printf(a, "tt_tb_%s", T->var), la, lb);
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

/* Reads the step's arguments for this configuration. */
static tt_status read_step(tt_tstep *ts) {
  tt_sched_ctx *sc = &ts->cx->sc;
  const tt_step *st = ts->st;
  int64_t *dst[] = {&ts->FT, &ts->FL, &ts->S, &ts->wave};
  for (size_t i = 0; i < 4; i++)
    if (tt_step_int(sc, st, st->args[2 + i], dst[i]) != TT_OK) return sc->err->status;
  if (ts->FT < 1 || ts->FL < 1) return fail(ts, ": tile sizes must be positive");
  if (ts->S < 0) return fail(ts, ": the skew must not be negative");
  return TT_OK;
}

tt_status tt_pass_time_tile(tt_lower_ctx *cx, tt_stmt **body) {
  for (size_t i = 0; cx->sc.t && i < cx->sc.t->nsteps; i++) {
    const tt_step *st = &cx->sc.t->steps[i];
    if (st->kind != TT_STEP_TIME_TILE || st->nargs != 6 || !tt_step_enabled(&cx->sc, st)) continue;
    tt_tstep ts = {.cx = cx, .st = st};
    ts.tl = tt_step_name(&cx->sc, st->args[0]);
    ts.var = tt_step_name(&cx->sc, st->args[1]);
    if (!ts.tl || !ts.var) continue;
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
