/* The vector width of `vectorize L by W`: W lanes, printed as OpenMP's
 * simdlen clause (the width a machine's registers allow is a knob, so that
 * tuning finds whether 4 or 8 doubles per operation are faster there). */
#include "schedule/internal.h"

tt_status tt_step_simdlen(tt_sched_ctx *cx, const tt_step *st, const char *loop, int *out) {
  int64_t w = 0;
  *out = 0;
  if (st->kind != TT_STEP_VECTORIZE || st->nargs < 2) return TT_OK;
  if (tt_step_int(cx, st, st->args[1], &w) != TT_OK) return cx->err->status;
  if (w < 1 || w > 64 || (w & (w - 1)) != 0)
    return tt_error_set(cx->err, TT_ERR_USAGE,
                        "%s:%d:%d: vector width of '%s' must be a power of two from 1 to 64 "
                        "lanes, not %lld",
                        st->loc.file, st->loc.line, st->loc.col, loop, (long long)w);
  *out = (int)w;
  return TT_OK;
}
