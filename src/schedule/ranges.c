/* An axis whose range uses another axis of its stage (a triangle: `for i
 * in 0..N, j in 0..min(i + 1, N)`, or a reduction `sum(k in 0..i: ...)`)
 * is lowered as written only while every loop of that axis runs inside the
 * innermost loop of the axis it uses; a schedule that moves one outside
 * (reorder, or a split whose outer level goes out) is refused with a
 * message saying which loop to keep inside which, instead of C that uses
 * the variable outside its loop. */
#include "schedule/internal.h"

tt_status tt_stage_check_ranges(tt_sched_ctx *cx, const tt_stage_sched *s) {
  for (size_t a = 0; a < s->naxes; a++) {
    const tt_axis *ax = &s->axes[a];
    for (size_t b = 0; b < s->naxes; b++) {
      const tt_axis *by = &s->axes[b];
      if (a == b || !(tt_expr_uses_var(ax->lo, by->var) || tt_expr_uses_var(ax->hi, by->var)))
        continue;
      int inner_b = tt_loop_pos(s, (int)b, by->nsplit); /* the level named by->var */
      for (size_t p = 0; p < s->nloops; p++) {
        if (s->loops[p].axis != (int)a || (int)p > inner_b) continue;
        return tt_error_set(cx->err, TT_ERR_USAGE,
                            "stage %s: loop '%s' runs outside loop '%s', but the range of '%s' "
                            "uses '%s': keep every loop of '%s' inside loop '%s'",
                            s->c->name, tt_loop_name(s, (int)p), by->var, ax->var, by->var, ax->var,
                            by->var);
      }
    }
  }
  return TT_OK;
}
