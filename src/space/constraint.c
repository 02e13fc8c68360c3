/* Constraints: parsing (expr_parse.c), binding names to knobs and labels to
 * their value indices, and evaluation on a configuration. */
#include <stdlib.h>
#include <string.h>

#include "space/space_impl.h"

typedef struct binder {
  tt_space *s;
  const char *text;
} binder;

/* Pass 1: a name that is a knob becomes a slot read. */
static tt_status bind_knob(void *ctx, tt_cexpr *e, const tt_cexpr *parent, tt_error *err) {
  binder *b = ctx;
  if (e->op == TT_CX_NAME) {
    int k = tt_space_knob_index(b->s, e->str);
    if (k >= 0) {
      e->op = TT_CX_SLOT;
      e->slot = k;
    }
  }
  return TT_OK;
}

/* Turns e (a string or bare name) into the index of that label of
 * categorical knob k; an unknown label is an error naming the knob. */
static tt_status bind_label(binder *b, tt_cexpr *e, int k, tt_error *err) {
  if (e->op != TT_CX_STR && e->op != TT_CX_NAME) return TT_OK;
  const tt_knob *knob = &b->s->knobs[k];
  for (uint32_t v = 0; v < knob->card; v++)
    if (strcmp(knob->labels[v], e->str) == 0) {
      e->op = TT_CX_NUM;
      e->num = v;
      return TT_OK;
    }
  return tt_error_set(err, TT_ERR_USAGE, "constraint '%s': '%s' is not a value of knob '%s'",
                      b->text, e->str, knob->name);
}

/* The categorical knob e reads, or -1. */
static int categorical_slot(const binder *b, const tt_cexpr *e) {
  if (e->op != TT_CX_SLOT || b->s->knobs[e->slot].kind != TT_KNOB_CATEGORICAL) return -1;
  return e->slot;
}

/* Pass 2: labels compared with a categorical knob (==, !=, in). */
static tt_status bind_cmp(void *ctx, tt_cexpr *e, const tt_cexpr *parent, tt_error *err) {
  binder *b = ctx;
  tt_status st = TT_OK;
  if (e->op == TT_CX_EQ || e->op == TT_CX_NE) {
    int ka = categorical_slot(b, e->a), kb = categorical_slot(b, e->b);
    if (ka >= 0) st = bind_label(b, e->b, ka, err);
    if (st == TT_OK && kb >= 0) st = bind_label(b, e->a, kb, err);
  } else if (e->op == TT_CX_IN) {
    int k = categorical_slot(b, e->a);
    for (size_t i = 0; k >= 0 && st == TT_OK && i < e->nargs; i++)
      st = bind_label(b, e->args[i], k, err);
  }
  return st;
}

/* Pass 3: whatever is still unbound is an error. */
static tt_status check_bound(void *ctx, tt_cexpr *e, const tt_cexpr *parent, tt_error *err) {
  binder *b = ctx;
  static const char *const fns[] = {"min", "max", "abs", "int"};
  if (e->op == TT_CX_NAME)
    return tt_error_set(err, TT_ERR_USAGE, "constraint '%s': unknown knob '%s'", b->text, e->str);
  if (e->op == TT_CX_STR)
    return tt_error_set(err, TT_ERR_USAGE,
                        "constraint '%s': string '%s' is not compared with a categorical knob",
                        b->text, e->str);
  if (e->op == TT_CX_CALL) {
    for (int i = 0; i < 4; i++)
      if (strcmp(e->str, fns[i]) == 0) return TT_OK;
    return tt_error_set(err, TT_ERR_USAGE, "constraint '%s': unknown function '%s'", b->text,
                        e->str);
  }
  return TT_OK;
}

/* Collects the knobs e reads into the flags array used[nknobs]. */
static tt_status mark_used(void *ctx, tt_cexpr *e, const tt_cexpr *parent, tt_error *err) {
  char *used = ctx;
  if (e->op == TT_CX_SLOT) used[e->slot] = 1;
  return TT_OK;
}

/* Appends the bound expression e as one constraint of s. */
static void append(tt_space *s, const char *text, tt_cexpr *e) {
  char *used = tt_xcalloc(s->nknobs + 1, 1);
  tt_cexpr_walk(e, mark_used, used, NULL);
  if (s->ncons == s->cap_cons) {
    s->cap_cons = s->cap_cons ? 2 * s->cap_cons : 8;
    s->cons = tt_xrealloc(s->cons, s->cap_cons * sizeof *s->cons);
  }
  tt_constraint *c = &s->cons[s->ncons++];
  memset(c, 0, sizeof *c);
  c->text = tt_arena_strdup(s->arena, text);
  c->expr = e;
  c->knobs = tt_xcalloc(s->nknobs + 1, sizeof *c->knobs);
  for (size_t k = 0; k < s->nknobs; k++)
    if (used[k]) c->knobs[c->nknobs++] = k;
  free(used);
}

/* Splits top-level conjunctions into separate constraints: equivalent
 * (a conjunct that fails to evaluate is false either way), and smaller
 * scopes make exact counting and prefix pruning cheaper. */
static void append_conjuncts(tt_space *s, const char *text, tt_cexpr *e) {
  if (e->op == TT_CX_AND) {
    append_conjuncts(s, text, e->a);
    append_conjuncts(s, text, e->b);
  } else {
    append(s, text, e);
  }
}

/* Parses and binds expr, then appends it to s (see space.h). */
tt_status tt_space_add_constraint(tt_space *s, const char *expr, tt_error *err) {
  binder b = {s, expr};
  tt_cexpr *e = tt_cexpr_parse(s->arena, expr, "constraint", err);
  if (!e) return TT_ERR_USAGE;
  if (tt_cexpr_walk(e, bind_knob, &b, err) != TT_OK ||
      tt_cexpr_walk(e, bind_cmp, &b, err) != TT_OK ||
      tt_cexpr_walk(e, check_bound, &b, err) != TT_OK)
    return TT_ERR_USAGE;
  append_conjuncts(s, expr, e);
  tt_space_unrestrict(s);
  tt_sampler_free(s->sampler);
  s->sampler = NULL;
  return TT_OK;
}

/* Evaluates c over slots; errors (division by zero) count as false. */
int tt_constraint_holds(const tt_space *s, const tt_constraint *c, const double *slots) {
  double v;
  return tt_cexpr_eval(c->expr, slots, &v) == 0 && v != 0;
}

/* Evaluates c on cfg, filling only the slots it reads. */
int tt_constraint_holds_cfg(const tt_space *s, const tt_constraint *c, const uint32_t *cfg) {
  double local[64];
  double *slots = s->nknobs <= 64 ? local : tt_xmalloc(s->nknobs * sizeof *slots);
  for (size_t i = 0; i < c->nknobs; i++)
    slots[c->knobs[i]] = tt_space_slot_value(s, c->knobs[i], cfg[c->knobs[i]]);
  int ok = tt_constraint_holds(s, c, slots);
  if (slots != local) free(slots);
  return ok;
}

/* 1 when every value index is in range and every constraint holds. */
int tt_space_is_valid(const tt_space *s, const uint32_t *cfg) {
  for (size_t k = 0; k < s->nknobs; k++)
    if (cfg[k] >= s->knobs[k].card) return 0;
  for (size_t i = 0; i < s->ncons; i++)
    if (!tt_constraint_holds_cfg(s, &s->cons[i], cfg)) return 0;
  return tt_space_member(s, cfg);
}
