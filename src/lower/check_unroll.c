/* Pass: a loop both unrolled and parallel, or an unrolled `omp simd`
 * reduction or vector loop with a width (simdlen), has no C spelling (an unrolled plain vector loop
 * is `GCC ivdep`). Runs after chunk_reductions, which turns the unroll of a vectorized sum into
 * partial sums. */
#include "lower/passes.h"

static const tt_stmt *unroll_clash(const tt_stmt *s) {
  if (!s) return NULL;
  if (s->kind == TT_ST_FOR && s->unroll > 1 &&
      (s->loop_kind == TT_LOOP_PARALLEL ||
       (s->loop_kind == TT_LOOP_VECTORIZED && (s->red_var || s->simdlen))))
    return s;
  for (size_t i = 0; i < s->nbody; i++) {
    const tt_stmt *c = unroll_clash(s->body[i]);
    if (c) return c;
  }
  return NULL;
}

tt_status tt_pass_check_unroll(tt_lower_ctx *cx, tt_stmt **body) {
  const tt_stmt *c = unroll_clash(*body);
  if (c)
    return tt_error_set(cx->sc.err, TT_ERR_USAGE,
                        "loop '%s' cannot be both unrolled and %s (C has no pragma for both)",
                        c->label ? c->label : c->var,
                        c->loop_kind == TT_LOOP_PARALLEL ? "parallel"
                        : c->red_var                     ? "vectorized"
                                                         : "vectorized with a width");
  return TT_OK;
}
