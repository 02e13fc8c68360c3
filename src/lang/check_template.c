/* Semantic checks of a template: its body (knobs are integer constants
 * there), the stages and axes named by `schedule` lines, split knobs and
 * compute_at, the tensors of cache_read, and the names in factors,
 * conditions and constraints (knobs, parameters, scalars, and — in
 * conditions and constraints — the labels of choice knobs). Loop names in
 * steps are not checked here: they exist only once earlier steps ran. */
#include "lang/check.h"

#include <string.h>

/* The compute statement named name in s, or NULL. */
static const tt_stmt *find_stage(const tt_stmt *s, const char *name) {
  if (s == NULL) return NULL;
  if (s->kind == TT_ST_COMPUTE) return strcmp(s->compute->name, name) == 0 ? s : NULL;
  for (size_t i = 0; i < s->nbody; i++) {
    const tt_stmt *r = find_stage(s->body[i], name);
    if (r != NULL) return r;
  }
  return NULL;
}

/* 1 when s holds a for loop labelled label (any label when NULL). */
static int has_loop(const tt_stmt *s, const char *label) {
  if (s == NULL) return 0;
  if (s->kind == TT_ST_FOR && (label == NULL || strcmp(s->label, label) == 0)) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (has_loop(s->body[i], label)) return 1;
  return 0;
}

/* The reduction node of e, or NULL. */
static const tt_expr *find_reduce(const tt_expr *e) {
  if (e == NULL || e->kind == TT_EX_REDUCE) return e;
  for (size_t i = 0; i < e->nargs; i++) {
    const tt_expr *r = find_reduce(e->args[i]);
    if (r) return r;
  }
  return NULL;
}

/* 1 when e holds a reduction over var. */
static int reduces_over(const tt_expr *e, const char *var) {
  if (e == NULL) return 0;
  for (size_t i = 0; e->kind == TT_EX_REDUCE && i < e->nranges; i++)
    if (strcmp(e->ranges[i].var, var) == 0) return 1;
  for (size_t i = 0; i < e->nargs; i++)
    if (reduces_over(e->args[i], var)) return 1;
  return 0;
}

/* 1 when axis is an output axis or a reduction variable of cp. */
static int stage_has_axis(const tt_compute *cp, const char *axis) {
  for (size_t i = 0; i < cp->naxes; i++)
    if (strcmp(cp->axes[i].var, axis) == 0) return 1;
  return reduces_over(cp->rhs, axis);
}

/* Resolves one `schedule`/split/compute_at reference against body. */
static void check_ref(tt_checker *c, const tt_stage_ref *r, const tt_stmt *body) {
  if (r->stage[0] == '\0') {
    if (!has_loop(body, NULL))
      tt_p_diag(c->p, r->loc, "stage 'loops' is empty: the body has no for loops");
    else if (r->axis != NULL && !has_loop(body, r->axis))
      tt_p_diag(c->p, r->axis_loc, "stage 'loops' has no axis '%s'", r->axis);
    return;
  }
  const tt_stmt *st = find_stage(body, r->stage);
  if (st == NULL)
    tt_p_diag(c->p, r->loc, "unknown stage '%s'", r->stage);
  else if (r->axis != NULL && !stage_has_axis(st->compute, r->axis))
    tt_p_diag(c->p, r->axis_loc, "stage '%s' has no axis '%s'", r->stage, r->axis);
}

/* Resolves a factor (split/unroll) expression. */
static void check_factor(tt_checker *c, tt_expr *e) {
  tt_ck_expr(c, e);
  if (tt_dtype_is_float(e->type)) tt_p_diag(c->p, e->loc, "a factor is not an integer expression");
}

/* Checks the factors and tensors of the template's steps. */
static void check_steps(tt_checker *c, tt_template *T) {
  for (size_t i = 0; i < T->nsteps; i++) {
    tt_step *s = &T->steps[i];
    if (s->kind == TT_STEP_CACHE_READ && tt_kernel_tensor(c->k, s->tensor) == NULL)
      tt_p_diag(c->p, s->loc, "unknown tensor '%s'", s->tensor);
    if (s->kind == TT_STEP_SPLIT || s->kind == TT_STEP_UNROLL || s->kind == TT_STEP_VECTORIZE)
      for (size_t j = 1; j < s->nargs; j++)
        check_factor(c, s->args[j]);
    if ((s->kind == TT_STEP_TIME_TILE || s->kind == TT_STEP_INTERCHANGE) && s->stage[0] != '\0')
      tt_p_diag(c->p, s->loc, "%s applies to in-place loops ('schedule loops')",
                s->kind == TT_STEP_TIME_TILE ? "time_tile" : "interchange");
    /* time_tile [T, d loops, d + 1 factors, skew, wavefront] */
    for (size_t j = (s->nargs - 4) / 2 + 1;
         s->kind == TT_STEP_TIME_TILE && s->nargs >= 6 && j + 1 < s->nargs; j++)
      check_factor(c, s->args[j]);
  }
}

/* Adds every for loop label of s to names. */
static void loop_labels(tt_checker *c, const tt_stmt *s, tt_vec *names) {
  if (s == NULL) return;
  if (s->kind == TT_ST_FOR) tt_vec_push(names, (void *)s->label);
  for (size_t i = 0; i < s->nbody; i++)
    loop_labels(c, s->body[i], names);
}

static int has_name(const tt_vec *v, const char *name) {
  for (size_t i = 0; i < v->len; i++)
    if (strcmp(v->items[i], name) == 0) return 1;
  return 0;
}

/* The loop names stage `stage` can have under T's steps, whatever their
 * conditions: its axes (or, for `loops`, the body's loop labels), the
 * levels splits make (io, im, im2, ...; a split in-place loop L makes Lo)
 * and fused pairs (a_b). */
static void stage_loop_names(tt_checker *c, const tt_template *T, const char *stage,
                             const tt_stmt *body, tt_vec *names) {
  tt_arena *a = c->p->a;
  if (stage[0] == '\0') {
    loop_labels(c, body, names);
  } else {
    const tt_stmt *st = find_stage(body, stage);
    if (st == NULL) return;
    for (size_t i = 0; i < st->compute->naxes; i++)
      tt_vec_push(names, (void *)st->compute->axes[i].var);
    const tt_expr *e = find_reduce(st->compute->rhs);
    for (size_t i = 0; e != NULL && i < e->nranges; i++)
      tt_vec_push(names, (void *)e->ranges[i].var);
  }
  for (size_t i = 0; i < T->nsteps; i++) {
    const tt_step *s = &T->steps[i];
    if (strcmp(s->stage, stage) != 0 || s->nargs == 0 || s->args[0]->kind != TT_EX_VAR) continue;
    const char *v = s->args[0]->name;
    for (size_t j = 1; s->kind == TT_STEP_SPLIT && j < s->nargs; j++) {
      const char *lv = j == 1   ? tt_arena_printf(a, "%so", v)
                       : j == 2 ? tt_arena_printf(a, "%sm", v)
                                : tt_arena_printf(a, "%sm%zu", v, j - 1);
      /* the new loop's C variable must not hide a name of the kernel */
      const char *kind = tt_p_kernel_name_kind(c->k, lv);
      const tt_sym *sym = tt_ck_lookup(c, lv);
      if (kind == NULL && sym != NULL && sym->kind == SYM_KNOB) kind = "knob";
      if (kind != NULL)
        tt_p_diag(c->p, s->args[0]->loc, "split of '%s' makes loop '%s', which is already a %s", v,
                  lv, kind);
      tt_vec_push(names, (void *)lv);
    }
    if (s->kind == TT_STEP_FUSE && s->nargs == 2 && s->args[1]->kind == TT_EX_VAR)
      tt_vec_push(names, (void *)tt_arena_printf(a, "%s_%s", v, s->args[1]->name));
    for (size_t j = 1; s->kind == TT_STEP_INTERCHANGE && j < s->nargs; j++)
      if (s->args[j]->kind == TT_EX_VAR)
        tt_vec_push(names, (void *)tt_arena_printf(a, "%s_%s", s->args[j]->name, v));
  }
}

/* Reports a loop name argument of a step (a plain name, or a choice or
 * permute knob whose labels are loop names) that stage's loops lack. */
static void check_loop_arg(tt_checker *c, const tt_template *T, const tt_step *s,
                           const tt_expr *arg, const tt_vec *names) {
  if (arg->kind != TT_EX_VAR) return;
  const tt_knob_decl *kd = NULL;
  for (size_t i = 0; i < T->nknobs; i++)
    if (strcmp(T->knobs[i].name, arg->name) == 0) kd = &T->knobs[i];
  const char *const *items = &arg->name;
  size_t n = 1;
  if (kd != NULL && kd->kind != TT_KD_CHOICE && kd->kind != TT_KD_PERMUTE) return;
  if (kd != NULL) {
    items = kd->labels;
    n = kd->nlabels;
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(items[i], "none") != 0 && !has_name(names, items[i])) {
      tt_p_diag(c->p, arg->loc, "stage '%s' has no loop '%s'%s", s->stage[0] ? s->stage : "loops",
                items[i], kd ? tt_arena_printf(c->p->a, " (a value of knob '%s')", kd->name) : "");
      return;
    }
}

/* Checks the loop names of every step against the loops its stage can
 * have, so that a typo is one diagnostic when the file loads rather than
 * a failure of every configuration. */
static void check_loop_names(tt_checker *c, const tt_template *T, const tt_stmt *body) {
  for (size_t i = 0; i < T->nsteps; i++) {
    const tt_step *s = &T->steps[i];
    if (s->nargs == 0 || (s->stage[0] != '\0' && find_stage(body, s->stage) == NULL)) continue;
    tt_vec names = {0};
    stage_loop_names(c, T, s->stage, body, &names);
    /* time_tile's second name is the sweeps' variable, checked with the
     * dependences when the template loads (schedule/timetile.c) */
    size_t nloops =
        s->kind == TT_STEP_REORDER || s->kind == TT_STEP_FUSE || s->kind == TT_STEP_INTERCHANGE
            ? s->nargs
            : 1;
    for (size_t j = 0; j < nloops; j++)
      check_loop_arg(c, T, s, s->args[j], &names);
    tt_vec_free(&names);
  }
}

/* Checks template T (index `index` in the kernel's list). */
void tt_ck_template(tt_checker *c, tt_template *T, size_t index) {
  tt_loc none = {c->p->file, 0, 0};
  const tt_stmt *body = T->body != NULL ? T->body : c->k->body;
  size_t mark = c->n;
  for (size_t i = 0; i < T->nknobs; i++)
    tt_ck_push(c, T->knobs[i].name, SYM_KNOB, TT_DT_INT, T->knobs[i].loc);
  if (T->body != NULL) {
    tt_ck_stmt(c, T->body);
    tt_ck_unique_stages(c, T->body);
  }
  for (size_t i = 0; i < c->p->nrefs; i++)
    if (c->p->refs[i].tmpl == index) check_ref(c, &c->p->refs[i], body);
  check_steps(c, T);
  check_loop_names(c, T, body);
  for (size_t i = 0; i < T->nknobs; i++)
    for (size_t j = 0; T->knobs[i].kind == TT_KD_CHOICE && j < T->knobs[i].nlabels; j++)
      tt_ck_push(c, T->knobs[i].labels[j], SYM_LABEL, TT_DT_INT, none);
  for (size_t i = 0; i < T->nsteps; i++)
    if (T->steps[i].cond != NULL) tt_ck_expr(c, T->steps[i].cond);
  for (size_t i = 0; i < T->nconstraints; i++)
    tt_ck_expr(c, T->constraints[i].expr);
  c->n = mark;
}
