/* A 31 x 4 x 11 x 3 space, the shape of pnpoly's recorded space (one
 * ranged knob, two categorical, one small range), for the unit tests of
 * how bo proposes while points are pending. */
#ifndef TT_TESTS_PNPOLY_SPACE_H
#define TT_TESTS_PNPOLY_SPACE_H

#include "tetune/search.h"

static inline tt_space *pnpoly_shaped_space(void) {
  tt_space *s = tt_space_new();
  const char *m[] = {"a", "b", "c", "d"}, *u[] = {"p", "q", "r"};
  tt_space_add_int(s, "block", 32, 992, 32, NULL);
  tt_space_add_categorical(s, "between", m, 4, NULL);
  tt_space_add_int(s, "tile", 0, 10, 1, NULL);
  tt_space_add_categorical(s, "use", u, 3, NULL);
  return s;
}

#endif
