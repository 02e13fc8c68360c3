/* Pass: template steps on the loops of in-place nests (stage ""): split
 * (strip-mining, always legal), unroll (always legal), vectorize, parallel,
 * bind (GPU targets), reorder and interchange (interchange.c; legal only
 * where the dependence test allows). Runs while
 * compute stages are still stages, so that steps only ever name the
 * algorithm's own loops. */
#include <string.h>

#include "lower/passes.h"

typedef struct loop_step {
  tt_lower_ctx *cx;
  const tt_step *st;
  const char *label;
  int found;
  const tt_stmt *root; /* the whole algorithm (to find updates of lets) */
} loop_step;

static tt_status fail(loop_step *ls, const char *fmt, const char *a1, const char *a2) {
  char msg[700];
  snprintf(msg, sizeof msg, fmt, a1, a2);
  return tt_error_set(ls->cx->sc.err, TT_ERR_USAGE, "%s:%d:%d: %s", ls->st->loc.file,
                      ls->st->loc.line, ls->st->loc.col, msg);
}

static const char *label_of(const tt_stmt *s) {
  return s->label ? s->label : s->var;
}

/* The factor F of a loop made by `split L by F` (v in Lo..min(Lo + F, hi)),
 * or 0 when f is not such a loop. */
static int64_t split_factor(const tt_stmt *f) {
  const tt_expr *h = f->hi;
  if (!f->lo || f->lo->kind != TT_EX_VAR || !h || h->kind != TT_EX_BINARY || h->op != TT_OP_MIN)
    return 0;
  const tt_expr *s = h->args[0];
  if (s->kind != TT_EX_BINARY || s->op != TT_OP_ADD || !tt_expr_equal(s->args[0], f->lo) ||
      s->args[1]->kind != TT_EX_INT)
    return 0;
  return s->args[1]->ival;
}

/* bind L to block.x|y|z / thread.x|y|z on an in-place loop: legal where
 * parallel would be (no element written in one iteration is touched in
 * another); a thread loop must come from a split, whose factor is the
 * work-group size. */
static tt_status bind_loop(loop_step *ls, tt_stmt *f, const tt_bind *outer) {
  tt_str why = {0};
  tt_bind_dim b = tt_bind_parse(ls->st->tensor);
  if (f->bind)
    return fail(ls, "loop '%s' is already bound to %s", ls->label, tt_bind_name(f->bind));
  if (f->unroll > 1 || f->loop_kind != TT_LOOP_SERIAL)
    return fail(ls, "loop '%s' bound to %s cannot also be unrolled, parallel or vectorized",
                ls->label, ls->st->tensor);
  if (tt_loop_dependence(&ls->cx->sc, f, outer, NULL, &why) != 0) {
    tt_status rc = fail(ls, "cannot bind loop '%s': %s", ls->label, tt_str_cstr(&why));
    tt_str_free(&why);
    return rc;
  }
  int64_t fac = split_factor(f);
  if (b >= TT_BIND_THREAD_X && fac < 1)
    return fail(ls,
                "cannot bind loop '%s' to %s: a thread loop must be the inner loop of a split "
                "(split L by F), whose factor is the work-group size",
                ls->label, ls->st->tensor);
  f->bind = b;
  f->bind_extent = b >= TT_BIND_THREAD_X ? fac : 0;
  return TT_OK;
}

/* Transforms the matching loop f (already cloned); outer: the names bound
 * around it. */
static tt_status transform(loop_step *ls, tt_stmt *f, const tt_bind *outer, tt_stmt **out) {
  tt_lower_ctx *cx = ls->cx;
  tt_arena *a = cx->sc.a;
  const tt_step *st = ls->st;
  tt_str why = {0};
  tt_status rc = TT_OK;
  *out = f;
  switch (st->kind) {
  case TT_STEP_UNROLL: {
    int64_t u = 1;
    if (st->nargs < 2 || tt_step_int(&cx->sc, st, st->args[1], &u) != TT_OK || u < 1)
      return cx->sc.err->status ? cx->sc.err->status
                                : fail(ls, "unroll of '%s' needs a positive factor", ls->label, "");
    f->unroll = (int)u;
    return TT_OK;
  }
  case TT_STEP_VECTORIZE:
  case TT_STEP_PARALLEL: {
    /* A vectorized loop may sum into one outer scalar (omp simd reduction). */
    const char *red = NULL;
    if (tt_loop_dependence(&cx->sc, f, outer, st->kind == TT_STEP_VECTORIZE ? &red : NULL, &why) !=
        0) {
      rc = fail(ls,
                st->kind == TT_STEP_PARALLEL ? "cannot parallelize loop '%s': %s"
                                             : "cannot vectorize loop '%s': %s",
                ls->label, tt_str_cstr(&why));
      tt_str_free(&why);
      return rc;
    }
    f->loop_kind = st->kind == TT_STEP_PARALLEL ? TT_LOOP_PARALLEL : TT_LOOP_VECTORIZED;
    if (st->kind == TT_STEP_PARALLEL) f->par_sched = st->sched;
    f->red_var = red;
    f->red_op = red ? tt_loop_reduction_op(f, red) : TT_RED_SUM;
    return st->kind == TT_STEP_VECTORIZE ? tt_step_simdlen(&cx->sc, st, ls->label, &f->simdlen)
                                         : TT_OK;
  }
  case TT_STEP_SPLIT: {
    int64_t fac = 1;
    if (st->nargs != 2 || tt_step_int(&cx->sc, st, st->args[1], &fac) != TT_OK || fac < 1)
      return cx->sc.err->status
                 ? cx->sc.err->status
                 : fail(ls, "split of loop '%s' needs one positive factor", ls->label, "");
    if (f->step) return fail(ls, "cannot split loop '%s': it already has a step", ls->label, "");
    /* split twice, the new outer loop would take the name of the first */
    if (tt_expr_uses_var(f->lo, tt_arena_printf(a, "%so", f->var)))
      return fail(ls, "cannot split loop '%s' twice", ls->label, "");
    const char *outer = tt_arena_printf(a, "%so", f->var);
    tt_stmt *inner = tt_stmt_clone(a, f);
    inner->lo = tt_ex_var(a, outer);
    inner->hi = tt_ex_min(a, tt_ex_add(a, tt_ex_var(a, outer), tt_ex_int(a, fac)), f->hi);
    tt_stmt *o = tt_st_for(a, outer, f->lo, f->hi, inner);
    o->step = tt_ex_int(a, fac);
    o->label = tt_arena_printf(a, "%so", label_of(f));
    *out = o;
    return TT_OK;
  }
  case TT_STEP_REORDER: {
    /* Interchange of two perfectly nested loops, the inner's bounds
     * independent of the outer: legal when the outer loop carries no
     * dependence (every dependence then has direction (=, *), which the
     * interchange keeps lexicographically positive as (*, =)). */
    const char *other = st->nargs == 2 ? tt_step_name(&cx->sc, st->args[1]) : NULL;
    tt_stmt *g = f->body[0];
    while (g && g->kind == TT_ST_BLOCK && g->nbody == 1)
      g = g->body[0];
    if (!other || !g || g->kind != TT_ST_FOR || strcmp(label_of(g), other) != 0)
      return fail(ls,
                  "reorder of in-place loops needs two perfectly nested loops '%s' and its child",
                  ls->label, "");
    if (tt_expr_uses_var(g->lo, f->var) || tt_expr_uses_var(g->hi, f->var))
      return fail(ls, "cannot reorder '%s' and '%s': inner bounds depend on the outer loop",
                  ls->label, other);
    if (tt_loop_dependence(&cx->sc, f, outer, NULL, &why) != 0) {
      rc = fail(ls, "cannot reorder loops: %s%s", tt_str_cstr(&why), "");
      tt_str_free(&why);
      return rc;
    }
    tt_stmt *no = tt_stmt_clone(a, g), *ni = tt_stmt_clone(a, f);
    ni->body = tt_arena_alloc(a, sizeof(tt_stmt *));
    ni->body[0] = g->body[0];
    no->body = tt_arena_alloc(a, sizeof(tt_stmt *));
    no->body[0] = ni;
    *out = no;
    return TT_OK;
  }
  case TT_STEP_BIND:
    return bind_loop(ls, f, outer);
  case TT_STEP_INTERCHANGE:
    return tt_lower_interchange(cx, st, f, outer, out);
  default:
    return fail(ls, "this step is not supported on in-place loops (loop '%s')", ls->label, "");
  }
}

/* Rebuilds s with the loop labelled ls->label transformed; outer: the names
 * bound around s. */
static tt_status rewrite(loop_step *ls, tt_stmt *s, const tt_bind *outer, tt_stmt **out) {
  *out = s;
  if (!s || s->nbody == 0) return TT_OK;
  tt_stmt *c = tt_stmt_clone(ls->cx->sc.a, s);
  c->body = tt_arena_alloc(ls->cx->sc.a, sizeof(tt_stmt *) * s->nbody);
  const tt_bind *in = s->kind == TT_ST_FOR ? tt_bind_push(ls->cx->sc.a, ls->root, s, outer) : outer;
  for (size_t i = 0; i < s->nbody; i++) {
    tt_status st = rewrite(ls, s->body[i], in, &c->body[i]);
    if (st != TT_OK) return st;
    if (s->kind == TT_ST_BLOCK && s->body[i] && s->body[i]->kind == TT_ST_LET)
      in = tt_bind_push(ls->cx->sc.a, ls->root, s->body[i], in);
  }
  *out = c;
  if (s->kind == TT_ST_FOR && strcmp(label_of(s), ls->label) == 0) {
    if (ls->found++) return fail(ls, "loop name '%s' is ambiguous: label the loop", ls->label, "");
    return transform(ls, c, outer, out);
  }
  return TT_OK;
}

tt_status tt_pass_loop_steps(tt_lower_ctx *cx, tt_stmt **out) {
  for (size_t i = 0; cx->sc.t && i < cx->sc.t->nsteps; i++) {
    const tt_step *st = &cx->sc.t->steps[i];
    if (st->stage[0] != '\0' || st->kind == TT_STEP_TIME_TILE || !tt_step_enabled(&cx->sc, st))
      continue;
    const char *label = st->nargs ? tt_step_name(&cx->sc, st->args[0]) : NULL;
    if (!label) continue;
    loop_step ls = {.cx = cx, .st = st, .label = label, .root = *out};
    tt_status rc = rewrite(&ls, *out, NULL, out);
    if (rc != TT_OK) return rc;
    if (!ls.found) return fail(&ls, "no loop '%s' in the algorithm", label, "");
  }
  return TT_OK;
}
