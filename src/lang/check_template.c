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
    if (s->kind == TT_STEP_SPLIT || s->kind == TT_STEP_UNROLL)
      for (size_t j = 1; j < s->nargs; j++)
        check_factor(c, s->args[j]);
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
  for (size_t i = 0; i < T->nknobs; i++)
    for (size_t j = 0; T->knobs[i].kind == TT_KD_CHOICE && j < T->knobs[i].nlabels; j++)
      tt_ck_push(c, T->knobs[i].labels[j], SYM_LABEL, TT_DT_INT, none);
  for (size_t i = 0; i < T->nsteps; i++)
    if (T->steps[i].cond != NULL) tt_ck_expr(c, T->steps[i].cond);
  for (size_t i = 0; i < T->nconstraints; i++)
    tt_ck_expr(c, T->constraints[i].expr);
  c->n = mark;
}
