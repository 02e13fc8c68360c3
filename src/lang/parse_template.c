/* Schedule templates: knobs, constraints, schedule steps and an optional
 * replacement body.
 *   template NAME
 *     knob K = split(STAGE.AXIS, [v, ...] | pow2 [max N] | divisors [max N]) [default V]
 *     knob K = [v, ...] | on_off | choice(a, b) | permute(l1, l2)   [default V]
 *       (either form may end with 'if threads > 1')
 *     constraint EXPR
 *     schedule STAGE|loops
 *       split L by F[, F2]   tile L1, L2 by F1, F2   reorder L, ...   fuse L1, L2
 *       unroll L by F   vectorize L   parallel L   cache_write [T] at L
 *       cache_read T at L [local]   compute_at STAGE at L   bind L to block.x
 *       (each: [if COND])
 *     body { statements }
 * `tile` is sugar for one split per loop followed by a reorder of the
 * outer loops then the inner ones. */
#include "lang/parser.h"

#include <stdio.h>
#include <string.h>

typedef struct tmpl_caps {
  size_t knobs, constraints, steps;
  const char *stage; /* current `schedule` stage, NULL before the first */
} tmpl_caps;

/* Records a stage/axis reference for the checker. */
static void add_ref(tt_parser *p, const char *stage, const char *axis, tt_loc loc,
                    tt_loc axis_loc) {
  p->refs = tt_p_grow(p, p->refs, p->nrefs, &p->refs_cap, sizeof *p->refs);
  tt_stage_ref r = {(size_t)(p->tmpl - p->k->templates), stage, axis, loc, axis_loc};
  p->refs[p->nrefs++] = r;
}

/* '[' v, ... ']': positive integers when positive is set; no repeats. */
static void parse_values(tt_parser *p, tt_knob_decl *kd, int positive) {
  size_t cap = 0;
  uint64_t scope = tt_p_scope(p);
  tt_p_expect(p, TK_LBRACK);
  do {
    tt_loc vl;
    int64_t v = tt_p_int(p, &vl);
    if (positive && v <= 0) tt_p_diag(p, vl, "split factors must be positive");
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    if (tt_p_seen(p, scope, tt_arena_strdup(p->a, text), "value"))
      tt_p_diag(p, vl, "duplicate value %lld in knob '%s'", (long long)v, kd->name);
    kd->values = tt_p_grow(p, kd->values, kd->nvalues, &cap, sizeof *kd->values);
    kd->values[kd->nvalues++] = v;
  } while (!p->failed && tt_p_accept(p, TK_COMMA));
  tt_p_expect(p, TK_RBRACK);
}

/* '(' name, ... ')' into kd's labels (choice values, permute loops). */
static void parse_labels(tt_parser *p, tt_knob_decl *kd) {
  size_t cap = 0;
  uint64_t scope = tt_p_scope(p);
  tt_p_expect(p, TK_LPAREN);
  do {
    const tt_token *t = tt_p_peek(p);
    const char *l = tt_p_ident(p, "a name");
    if (tt_p_seen(p, scope, l, "value"))
      tt_p_diag(p, tt_p_loc(p, t), "duplicate value '%s' in knob '%s'", l, kd->name);
    kd->labels = tt_p_grow(p, kd->labels, kd->nlabels, &cap, sizeof *kd->labels);
    kd->labels[kd->nlabels++] = l;
  } while (!p->failed && tt_p_accept(p, TK_COMMA));
  tt_p_expect(p, TK_RPAREN);
}

/* split(STAGE.AXIS, generator) after 'split'. */
static void parse_split_knob(tt_parser *p, tt_knob_decl *kd) {
  kd->kind = TT_KD_SPLIT;
  tt_p_expect(p, TK_LPAREN);
  const tt_token *st = tt_p_peek(p);
  kd->stage = tt_p_ident(p, "a stage name");
  if (strcmp(kd->stage, "loops") == 0) kd->stage = "";
  tt_p_expect(p, TK_DOT);
  const tt_token *at = tt_p_peek(p);
  kd->axis = tt_p_ident(p, "an axis name");
  add_ref(p, kd->stage, kd->axis, tt_p_loc(p, st), tt_p_loc(p, at));
  tt_p_expect(p, TK_COMMA);
  if (tt_p_at(p, TK_LBRACK)) {
    kd->gen = TT_GEN_LIST;
    parse_values(p, kd, 1);
  } else if (tt_p_accept_kw(p, "pow2") || tt_p_at_kw(p, "divisors")) {
    kd->gen = tt_p_accept_kw(p, "divisors") ? TT_GEN_DIVISORS : TT_GEN_POW2;
    if (tt_p_accept_kw(p, "max")) {
      tt_loc ml;
      kd->max = tt_p_int(p, &ml);
      if (kd->max <= 0) tt_p_diag(p, ml, "split factors must be positive");
    }
  } else {
    tt_p_expected(p, "a value list, 'pow2' or 'divisors'");
  }
  tt_p_expect(p, TK_RPAREN);
}

/* default V: checked against the knob's values where they are known. */
static void parse_default(tt_parser *p, tt_knob_decl *kd) {
  const tt_token *t = tt_p_peek(p);
  tt_loc loc = tt_p_loc(p, t);
  kd->has_default = 1;
  if (kd->kind == TT_KD_PERMUTE) {
    tt_p_diag(p, loc, "a permute knob takes no default (the declared order comes first)");
    while (!tt_p_at(p, TK_NEWLINE) && !tt_p_at(p, TK_SEMI) && !tt_p_at(p, TK_EOF))
      tt_p_next(p);
  } else if (kd->kind == TT_KD_ON_OFF) {
    if (tt_p_accept_kw(p, "on"))
      kd->def_int = 1;
    else if (!tt_p_accept_kw(p, "off"))
      tt_p_expected(p, "'on' or 'off'");
  } else if (kd->kind == TT_KD_CHOICE) {
    kd->def_label = tt_p_ident(p, "a value name");
    for (size_t i = 0; i < kd->nlabels; i++)
      if (strcmp(kd->labels[i], kd->def_label) == 0) return;
    tt_p_diag(p, loc, "default '%s' is not among the values of '%s'", kd->def_label, kd->name);
  } else {
    kd->def_int = tt_p_int(p, NULL);
    int64_t v = kd->def_int;
    if (kd->kind == TT_KD_SPLIT && kd->gen == TT_GEN_POW2 && (v <= 0 || (v & (v - 1)) != 0))
      tt_p_diag(p, loc, "default %lld of '%s' is not a power of two", (long long)v, kd->name);
    if (kd->kind == TT_KD_SPLIT && kd->gen != TT_GEN_LIST) return;
    for (size_t i = 0; i < kd->nvalues; i++)
      if (kd->values[i] == v) return;
    tt_p_diag(p, loc, "default %lld is not among the values of '%s'", (long long)v, kd->name);
  }
}

/* if threads > 1 (after 'if'): the knob only changes how threads share
 * the work, so a 1-thread session fixes it at its default. */
static void parse_threads_cond(tt_parser *p, tt_knob_decl *kd) {
  const tt_token *t = tt_p_peek(p);
  if (tt_p_accept_kw(p, "threads") && tt_p_accept(p, TK_GT) && tt_p_at(p, TK_INT) &&
      tt_p_peek(p)->ival == 1) {
    tt_p_next(p);
    kd->threads_only = 1;
    return;
  }
  tt_p_syntax(p, t,
              "knob '%s': the one condition a knob takes is 'if threads > 1' (it only changes how "
              "threads share the work)",
              kd->name);
}

/* knob NAME = SPEC [default V] [if threads > 1] (after 'knob'). */
static void parse_knob(tt_parser *p, tt_template *T, tmpl_caps *caps) {
  const tt_token *t = tt_p_peek(p);
  tt_knob_decl kd = {.loc = tt_p_loc(p, t)};
  kd.name = tt_p_ident(p, "a knob name");
  const char *old = tt_p_seen(p, p->kernel_names, kd.name, NULL);
  if (old != NULL) tt_p_diag(p, kd.loc, "'%s' is already declared as a %s", kd.name, old);
  if (tt_p_seen(p, p->template_knobs, kd.name, "knob"))
    tt_p_diag(p, kd.loc, "duplicate knob '%s'", kd.name);
  tt_p_expect(p, TK_ASSIGN);
  if (tt_p_accept_kw(p, "split")) {
    parse_split_knob(p, &kd);
  } else if (tt_p_at(p, TK_LBRACK)) {
    kd.kind = TT_KD_LIST;
    parse_values(p, &kd, 0);
  } else if (tt_p_accept_kw(p, "on_off")) {
    kd.kind = TT_KD_ON_OFF;
  } else if (tt_p_accept_kw(p, "choice")) {
    kd.kind = TT_KD_CHOICE;
    parse_labels(p, &kd);
  } else if (tt_p_accept_kw(p, "permute")) {
    kd.kind = TT_KD_PERMUTE;
    parse_labels(p, &kd);
  } else {
    tt_p_expected(p, "a knob kind (split, [values], on_off, choice or permute)");
  }
  if (!p->failed && tt_p_accept_kw(p, "default")) parse_default(p, &kd);
  if (!p->failed && tt_p_accept_kw(p, "if")) parse_threads_cond(p, &kd);
  T->knobs = tt_p_grow(p, T->knobs, T->nknobs, &caps->knobs, sizeof *T->knobs);
  T->knobs[T->nknobs++] = kd;
}

/* constraint EXPR: the text is kept as written (to the end of the line). */
static void parse_constraint(tt_parser *p, tt_template *T, tmpl_caps *caps) {
  const tt_token *t = tt_p_peek(p);
  tt_constraint c = {.loc = tt_p_loc(p, t)};
  c.expr = tt_p_expr(p);
  if (!p->failed) {
    const tt_token *last = &p->toks[p->pos - 1];
    c.text = tt_arena_strndup(p->a, t->start, last->pos + last->len - t->pos);
  }
  T->constraints =
      tt_p_grow(p, T->constraints, T->nconstraints, &caps->constraints, sizeof *T->constraints);
  T->constraints[T->nconstraints++] = c;
}

/* Appends a step to T. */
static tt_step *add_step(tt_parser *p, tt_template *T, tmpl_caps *caps, tt_step_kind kind,
                         tt_loc loc) {
  T->steps = tt_p_grow(p, T->steps, T->nsteps, &caps->steps, sizeof *T->steps);
  tt_step *s = &T->steps[T->nsteps++];
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->loc = loc;
  s->stage = caps->stage != NULL ? caps->stage : "";
  return s;
}

/* Pushes e onto a step's argument list. */
static void step_arg(tt_parser *p, tt_step *s, size_t *cap, tt_expr *e) {
  s->args = tt_p_grow(p, s->args, s->nargs, cap, sizeof *s->args);
  s->args[s->nargs++] = e;
}

/* A loop name as a VAR expression. */
static tt_expr *loop_name(tt_parser *p) {
  const tt_token *t = tt_p_peek(p);
  tt_expr *e = tt_ex_var(p->a, tt_p_ident(p, "a loop name"));
  e->loc = tt_p_loc(p, t);
  return e;
}

/* L1, L2, ... as VARs into s. */
static void loop_list(tt_parser *p, tt_step *s, size_t *cap) {
  do
    step_arg(p, s, cap, loop_name(p));
  while (!p->failed && tt_p_accept(p, TK_COMMA));
}

/* tile L1, L2 by F1, F2: splits, then reorder L1o, L2o, L1, L2. */
static void parse_tile(tt_parser *p, tt_template *T, tmpl_caps *caps, tt_loc loc) {
  tt_step tmp = {0};
  size_t lcap = 0, fcap = 0;
  loop_list(p, &tmp, &lcap);
  tt_p_expect_kw(p, "by");
  tt_step fs = {0};
  do
    step_arg(p, &fs, &fcap, tt_p_expr(p));
  while (!p->failed && tt_p_accept(p, TK_COMMA));
  if (!p->failed && tmp.nargs != fs.nargs)
    tt_p_diag(p, loc, "tile has %zu loops but %zu factors", tmp.nargs, fs.nargs);
  size_t n = tmp.nargs < fs.nargs ? tmp.nargs : fs.nargs, rcap = 0;
  for (size_t i = 0; i < n; i++) {
    size_t c = 0;
    tt_step *s = add_step(p, T, caps, TT_STEP_SPLIT, loc);
    step_arg(p, s, &c, tmp.args[i]);
    step_arg(p, s, &c, fs.args[i]);
  }
  tt_step *r = add_step(p, T, caps, TT_STEP_REORDER, loc);
  for (size_t i = 0; i < 2 * n; i++) {
    const char *v = tmp.args[i % n]->name;
    tt_expr *e = tt_ex_var(p->a, i < n ? tt_arena_printf(p->a, "%so", v) : v);
    e->loc = tmp.args[i % n]->loc;
    step_arg(p, r, &rcap, e);
  }
}

/* time_tile T, L[, M...] by FT, FL[, FM...] skew S [wavefront|strips]:
 * args [T, L, M..., FT, FL, FM..., S, tt_time_tile_order]. */
static void parse_time_tile(tt_parser *p, tt_step *s, tt_loc loc) {
  size_t cap = 0;
  tt_step fs = {0};
  size_t fcap = 0;
  step_arg(p, s, &cap, loop_name(p));
  tt_p_expect(p, TK_COMMA);
  loop_list(p, s, &cap);
  size_t nl = s->nargs;
  tt_p_expect_kw(p, "by");
  do
    step_arg(p, &fs, &fcap, tt_p_expr(p));
  while (!p->failed && tt_p_accept(p, TK_COMMA));
  if (!p->failed && fs.nargs != nl)
    tt_p_diag(p, loc, "time_tile has %zu loops but %zu factors", nl, fs.nargs);
  if (!p->failed && nl - 1 > TT_TIME_TILE_MAX_DIMS)
    tt_p_diag(p, loc, "time_tile tiles at most %d loops besides the time loop",
              TT_TIME_TILE_MAX_DIMS);
  for (size_t i = 0; i < fs.nargs; i++)
    step_arg(p, s, &cap, fs.args[i]);
  tt_p_expect_kw(p, "skew");
  step_arg(p, s, &cap, tt_p_expr(p));
  tt_time_tile_order order = TT_TIME_TILE_IN_ORDER;
  if (tt_p_accept_kw(p, "wavefront"))
    order = TT_TIME_TILE_WAVEFRONT;
  else if (tt_p_accept_kw(p, "strips"))
    order = TT_TIME_TILE_STRIPS;
  if (!p->failed && order == TT_TIME_TILE_STRIPS && nl < 3)
    tt_p_diag(p, loc, "time_tile strips needs two or more space loops (one tiled: drop 'strips')");
  step_arg(p, s, &cap, tt_ex_int(p->a, order));
}

/* The optional schedule after `parallel L`: dynamic or cyclic (static
 * when absent). */
static void parallel_sched(tt_parser *p, tt_step *s) {
  if (p->failed) return;
  const tt_token *t = tt_p_peek(p);
  if (tt_p_accept_kw(p, "dynamic"))
    s->sched = TT_PAR_DYNAMIC;
  else if (tt_p_accept_kw(p, "cyclic"))
    s->sched = TT_PAR_CYCLIC;
  else if (tt_p_at(p, TK_IDENT) && !tt_p_at_kw(p, "if"))
    tt_p_diag(p, tt_p_loc(p, t), "unknown schedule '%.*s' after 'parallel %s' (dynamic or cyclic)",
              (int)t->len, t->start, s->args[0]->name);
}

/* The arguments of one step kind (the keyword is consumed). */
static void parse_step_args(tt_parser *p, tt_step *s, tt_step_kind kind) {
  size_t cap = 0;
  if (kind == TT_STEP_TIME_TILE) {
    parse_time_tile(p, s, s->loc);
    return;
  }
  if (kind == TT_STEP_CACHE_READ || kind == TT_STEP_COMPUTE_AT ||
      (kind == TT_STEP_CACHE_WRITE && !tt_p_at_kw(p, "at"))) {
    const tt_token *t = tt_p_peek(p);
    s->tensor = tt_p_ident(p, kind == TT_STEP_COMPUTE_AT ? "a stage name" : "a tensor name");
    if (kind == TT_STEP_COMPUTE_AT) add_ref(p, s->tensor, NULL, tt_p_loc(p, t), tt_p_loc(p, t));
  }
  if (kind == TT_STEP_CACHE_READ || kind == TT_STEP_COMPUTE_AT || kind == TT_STEP_CACHE_WRITE)
    tt_p_expect_kw(p, "at");
  if (kind == TT_STEP_REORDER || kind == TT_STEP_FUSE || kind == TT_STEP_INTERCHANGE) {
    step_arg(p, s, &cap, loop_name(p));
    if (kind != TT_STEP_REORDER)
      tt_p_expect(p, TK_COMMA);
    else if (!tt_p_accept(p, TK_COMMA))
      return;
    loop_list(p, s, &cap);
    return;
  }
  step_arg(p, s, &cap, loop_name(p));
  if (kind == TT_STEP_CACHE_READ && tt_p_accept_kw(p, "local")) s->local = 1;
  if (kind == TT_STEP_PARALLEL) {
    parallel_sched(p, s);
    return;
  }
  if (kind == TT_STEP_BIND) {
    tt_p_expect_kw(p, "to");
    const tt_token *t = tt_p_peek(p);
    const char *grid = tt_p_ident(p, "block or thread");
    tt_p_expect(p, TK_DOT);
    const char *dim = tt_p_ident(p, "x, y or z");
    if (p->failed) return;
    s->tensor = tt_arena_printf(p->a, "%s.%s", grid, dim);
    if (tt_bind_parse(s->tensor) == TT_BIND_NONE)
      tt_p_diag(p, tt_p_loc(p, t), "unknown bind dimension '%s' (block.x|y|z or thread.x|y|z)",
                s->tensor);
    return;
  }
  if (kind == TT_STEP_VECTORIZE && tt_p_accept_kw(p, "by")) {
    step_arg(p, s, &cap, tt_p_expr(p));
    return;
  }
  if (kind == TT_STEP_SPLIT || kind == TT_STEP_UNROLL) {
    tt_p_expect_kw(p, "by");
    do
      step_arg(p, s, &cap, tt_p_expr(p));
    while (kind == TT_STEP_SPLIT && !p->failed && tt_p_accept(p, TK_COMMA));
  }
}

static const struct {
  const char *word;
  tt_step_kind kind;
} STEPS[] = {
    {"split", TT_STEP_SPLIT},
    {"reorder", TT_STEP_REORDER},
    {"fuse", TT_STEP_FUSE},
    {"unroll", TT_STEP_UNROLL},
    {"vectorize", TT_STEP_VECTORIZE},
    {"parallel", TT_STEP_PARALLEL},
    {"cache_write", TT_STEP_CACHE_WRITE},
    {"cache_read", TT_STEP_CACHE_READ},
    {"compute_at", TT_STEP_COMPUTE_AT},
    {"bind", TT_STEP_BIND},
    {"time_tile", TT_STEP_TIME_TILE},
    {"interchange", TT_STEP_INTERCHANGE},
};

/* One schedule step with its optional `if COND`. */
static void parse_step(tt_parser *p, tt_template *T, tmpl_caps *caps) {
  const tt_token *t = tt_p_peek(p);
  tt_loc loc = tt_p_loc(p, t);
  size_t first = T->nsteps;
  const char *word = tt_p_ident(p, "a template item or schedule step");
  if (p->failed) return;
  if (caps->stage == NULL) {
    tt_p_syntax(p, t, "'%s' needs a 'schedule STAGE' line before it", word);
    return;
  }
  if (strcmp(word, "tile") == 0) {
    parse_tile(p, T, caps, loc);
  } else {
    size_t i = 0;
    while (i < sizeof STEPS / sizeof STEPS[0] && strcmp(STEPS[i].word, word) != 0)
      i++;
    if (i == sizeof STEPS / sizeof STEPS[0]) {
      tt_p_syntax(p, t, "unknown schedule step '%s'", word);
      return;
    }
    parse_step_args(p, add_step(p, T, caps, STEPS[i].kind, loc), STEPS[i].kind);
  }
  if (tt_p_accept_kw(p, "if")) {
    tt_expr *cond = tt_p_expr(p);
    for (size_t i = first; i < T->nsteps; i++)
      T->steps[i].cond = cond;
  }
}

/* One line of a template. */
static void parse_template_item(tt_parser *p, tt_template *T, tmpl_caps *caps) {
  if (tt_p_accept_kw(p, "knob")) {
    parse_knob(p, T, caps);
  } else if (tt_p_accept_kw(p, "constraint")) {
    parse_constraint(p, T, caps);
  } else if (tt_p_accept_kw(p, "body")) {
    T->body = tt_p_block(p);
  } else if (tt_p_accept_kw(p, "schedule")) {
    const tt_token *t = tt_p_peek(p);
    caps->stage = tt_p_ident(p, "a stage name");
    if (strcmp(caps->stage, "loops") == 0) caps->stage = "";
    add_ref(p, caps->stage, NULL, tt_p_loc(p, t), tt_p_loc(p, t));
  } else {
    parse_step(p, T, caps);
  }
}

/* A template section, at 'template'; it runs to the next template,
 * kernel or end of file. */
void tt_p_template(tt_parser *p) {
  tt_kernel_def *k = p->k;
  tt_p_next(p);
  const tt_token *t = tt_p_peek(p);
  const char *name = tt_p_ident(p, "a template name");
  if (tt_p_seen(p, p->kernel_templates, name, "template"))
    tt_p_diag(p, tt_p_loc(p, t), "duplicate template '%s'", name);
  p->template_knobs = tt_p_scope(p);
  k->templates = tt_p_grow(p, k->templates, k->ntemplates, &p->tmpl_cap, sizeof *k->templates);
  tt_template *T = &k->templates[k->ntemplates++];
  memset(T, 0, sizeof *T);
  T->name = name;
  T->loc = tt_p_loc(p, t);
  p->tmpl = T;
  tmpl_caps caps = {0};
  tt_p_end_stmt(p);
  for (;;) {
    tt_p_skip_separators(p);
    if (p->failed || tt_p_at(p, TK_EOF) || tt_p_at_kw(p, "kernel") || tt_p_at_kw(p, "template"))
      break;
    parse_template_item(p, T, &caps);
    tt_p_end_stmt(p);
  }
  p->tmpl = NULL;
}
