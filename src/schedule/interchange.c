/* Legality of the interchange step: loop L distributed around child loops
 * Mk of its body, each Mk then placed outside its copy of L. Distribution
 * keeps the order of statements within one iteration of L and
 * interchange keeps the order of Mk's iterations within one iteration of
 * L; both only reorder instances from different iterations of L. So both
 * are legal when L carries no dependence (no element written in one
 * iteration of L is touched in another: tt_loop_dependence), provided the
 * copies still see the names they use: no let at the top of L's body
 * (another copy would lose it), and Mk's bounds free of L's variable. */
#include <string.h>

#include "schedule/bounds.h"

int tt_interchange_check(tt_sched_ctx *cx, const tt_stmt *loop, const tt_bind *outer,
                         const char *const *inner, size_t n, tt_str *why) {
  const tt_stmt *b = loop->body[0];
  size_t nb = b && b->kind == TT_ST_BLOCK ? b->nbody : 1;
  tt_stmt *const *items = b && b->kind == TT_ST_BLOCK ? b->body : &loop->body[0];
  for (size_t i = 0; i < nb; i++)
    if (items[i] && items[i]->kind == TT_ST_LET) {
      tt_str_printf(why, "its body declares '%s' for all of its loops (make it a tensor)",
                    items[i]->name);
      return -1;
    }
  for (size_t k = 0; k < n; k++) {
    const tt_stmt *m = NULL;
    for (size_t i = 0; i < nb && !m; i++)
      if (items[i] && items[i]->kind == TT_ST_FOR &&
          strcmp(items[i]->label ? items[i]->label : items[i]->var, inner[k]) == 0)
        m = items[i];
    if (!m) {
      tt_str_printf(why, "'%s' is not a loop directly in its body", inner[k]);
      return -1;
    }
    if (tt_expr_uses_var(m->lo, loop->var) || tt_expr_uses_var(m->hi, loop->var) ||
        (m->step && tt_expr_uses_var(m->step, loop->var))) {
      tt_str_printf(why, "the bounds of '%s' depend on '%s'", inner[k], loop->var);
      return -1;
    }
  }
  return tt_loop_dependence(cx, loop, outer, NULL, why) != 0 ? -1 : 0;
}

int tt_inplace_max_trips(tt_sched_ctx *cx, const tt_stmt *loop, const tt_bind *outer,
                         int64_t *out) {
  int64_t st = 1;
  if (loop->step && (!tt_expr_const_int(loop->step, &st) || st != 1)) return 0;
  tt_expr *n = tt_expr_simplify(cx->a, tt_ex_sub(cx->a, loop->hi, loop->lo));
  double v;
  if (tt_expr_eval(n, &cx->env, &v, NULL) == 0) {
    *out = v > 0 ? (int64_t)v : 0;
    return 1;
  }
  tt_bounds_ctx bc = {.env = &cx->env, .outer = outer, .var = ""};
  tt_affs ub;
  tt_bounds(&bc, n, NULL, 1, &ub);
  const tt_aff zero = {0};
  int found = 0;
  for (int i = 0; i < ub.n; i++) {
    int64_t c;
    if (!tt_aff_diff_const(&ub.v[i], &zero, &c)) continue;
    if (c < 0) c = 0;
    if (!found || c < *out) *out = c;
    found = 1;
  }
  return found;
}
