/* Knob roles (tetune/space.h): what a knob is to a search, decided once
 * from its declaration rather than guessed from values in each strategy. */
#include "space/space_impl.h"

/* 1 when every value of ranged knob k is positive (an int knob is
 * monotone: its ends suffice). */
static int all_positive(const tt_space *s, size_t k) {
  const tt_knob *kn = &s->knobs[k];
  if (kn->kind == TT_KNOB_INT)
    return tt_space_knob_value(s, k, 0) > 0 && tt_space_knob_value(s, k, kn->card - 1) > 0;
  for (uint32_t v = 0; v < kn->card; v++)
    if (!(tt_space_knob_value(s, k, v) > 0)) return 0;
  return 1;
}

/* 1 when ranged knob k's values are exactly 0, 1, ..., card-1. */
static int counts_from_zero(const tt_space *s, size_t k) {
  for (uint32_t v = 0; v < s->knobs[k].card; v++)
    if (tt_space_knob_value(s, k, v) != (double)v) return 0;
  return 1;
}

void tt_knob_set_roles(tt_space *s, size_t k) {
  tt_knob *kn = &s->knobs[k];
  int ranged = kn->kind == TT_KNOB_ORDINAL || kn->kind == TT_KNOB_INT;
  unsigned r = 0;
  if (ranged) r |= TT_ROLE_RANGED;
  if (ranged && kn->card >= 2 && all_positive(s, k)) r |= TT_ROLE_SIZED;
  if (ranged && kn->card >= 3 && counts_from_zero(s, k)) r |= TT_ROLE_CODE;
  if (!ranged || kn->card == 2) r |= TT_ROLE_SWITCH;
  kn->roles = r;
}

unsigned tt_space_knob_roles(const tt_space *s, size_t knob) {
  return s->knobs[knob].roles;
}
