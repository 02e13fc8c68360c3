/* Which features the GP's additive term carries (option additive; gp.c).
 * With additive=1, the ranged knobs of three or more values; but codes --
 * ranged knobs whose values are exactly 0, 1, ..., n-1 with n at most
 * probe_card, the way Kernel Tuner's integer-only spaces write a method
 * switch -- leave the term once the GP has codes_add rows (option; 0: never
 * in it).
 *
 * Why: carried as a main effect, a code's average effect steers the first
 * proposals well, but once the search has settled it carries a value's
 * poor average into the context where that value pays (pnpoly's
 * use_method; measurements in docs/search-decisions.md, codes_add). */
#include <stdlib.h>

#include "search/bo.h"

/* See bo.h. */
int tt_bo_code(const tt_space *s, size_t k, uint32_t max_card) {
  return (tt_space_knob_roles(s, k) & TT_ROLE_CODE) && tt_space_knob_card(s, k) <= max_card;
}

/* Sets the additive term's features (b->add_mask, with additive=1; every
 * feature otherwise), leaving codes out when without_codes. */
static void set_term(tt_bo *b, const tt_space *s, int without_codes) {
  if (b->opt.additive != 1) return;
  size_t *knob_of = tt_xmalloc((b->d + 1) * sizeof *knob_of);
  if (!b->add_mask) b->add_mask = tt_xmalloc(b->d + 1);
  tt_space_encoded_knobs(s, knob_of);
  for (size_t j = 0; j < b->d; j++) {
    size_t k = knob_of[j];
    b->add_mask[j] = (tt_space_knob_roles(s, k) & TT_ROLE_RANGED) &&
                     tt_space_knob_card(s, k) >= 3 &&
                     !(without_codes && tt_bo_code(s, k, b->opt.probe_card));
  }
  free(knob_of);
}

/* 1 when some knob of s is a code. */
static int has_codes(const tt_space *s, size_t nk, uint32_t max_card) {
  for (size_t k = 0; k < nk; k++)
    if (tt_bo_code(s, k, max_card)) return 1;
  return 0;
}

/* codes_out starts at 1 when there is nothing to take out later: no
 * codes in the space, or a term (none, or over every feature) that
 * set_term does not mask. */
void tt_bo_additive_init(tt_bo *b) {
  const tt_space *s = b->obs.space;
  b->codes_out =
      b->opt.additive != 1 || b->opt.codes_add == 0 || !has_codes(s, b->nk, b->opt.probe_card);
  set_term(b, s, b->codes_out);
}

/* Setting the term drops the GP's warm start, so it is set once, when the
 * codes leave. */
void tt_bo_additive_update(tt_bo *b, size_t n) {
  if (b->codes_out || n < b->opt.codes_add) return;
  b->codes_out = 1;
  set_term(b, b->obs.space, 1);
  tt_bo_model_configure(b);
}
