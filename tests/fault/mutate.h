/* Random mutations of text for the robustness tests (tests/fault): bytes
 * deleted, inserted or replaced, lines dropped, duplicated or swapped,
 * numbers replaced by extreme ones. Deterministic under tt_mut_rng. */
#ifndef TT_TEST_MUTATE_H
#define TT_TEST_MUTATE_H

#include <stdint.h>
#include <string.h>

#include "tetune/support.h"

static uint64_t tt_mut_rng;

static uint64_t tt_mut_rnd(uint64_t n) {
  tt_mut_rng = tt_mut_rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (tt_mut_rng >> 33) % n;
}

/* Start offsets of the lines of s (at most max); returns the count. */
static size_t tt_mut_lines(const char *s, size_t len, size_t *out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < len && n < max; i++)
    if (i == 0 || s[i - 1] == '\n') out[n++] = i;
  return n;
}

/* One random mutation of src into out. */
static void tt_mutate(const char *src, tt_str *out) {
  static const char chars[] = "[](){}:,=+-*/%.#<>\n \t0123456789iNkAz_\"\x27";
  static const char *const numbers[] = {"0", "-1", "99999999999999999999", "1e400", "3.5", ""};
  size_t len = strlen(src), starts[4096];
  if (len == 0) {
    tt_str_init(out);
    tt_str_append(out, "kernel");
    return;
  }
  size_t nl = tt_mut_lines(src, len, starts, 4096);
  size_t at = (size_t)tt_mut_rnd(len), a = (size_t)tt_mut_rnd(nl), b = a + 1 < nl ? a + 1 : a;
  size_t a_end = a + 1 < nl ? starts[a + 1] : len, b_end = b + 1 < nl ? starts[b + 1] : len;
  tt_str_init(out);
  switch (tt_mut_rnd(7)) {
  case 0: /* delete 1-6 bytes */
    tt_str_printf(out, "%.*s%s", (int)at, src, src + (at + 6 > len ? len : at + 1 + tt_mut_rnd(6)));
    break;
  case 1: /* insert a byte */
    tt_str_printf(out, "%.*s%c%s", (int)at, src, chars[tt_mut_rnd(sizeof chars - 1)], src + at);
    break;
  case 2: /* replace a byte */
    tt_str_printf(out, "%.*s%c%s", (int)at, src, chars[tt_mut_rnd(sizeof chars - 1)], src + at + 1);
    break;
  case 3: /* drop a line */
    tt_str_printf(out, "%.*s%s", (int)starts[a], src, src + a_end);
    break;
  case 4: /* duplicate a line */
    tt_str_printf(out, "%.*s%s", (int)a_end, src, src + starts[a]);
    break;
  case 5: /* swap two adjacent lines */
    tt_str_printf(out, "%.*s%.*s%.*s%s", (int)starts[a], src, (int)(b_end - starts[b]),
                  src + starts[b], (int)(a_end - starts[a]), src + starts[a], src + b_end);
    break;
  default: { /* replace the first number at or after `at` */
    size_t i = at;
    while (i < len && !(src[i] >= '0' && src[i] <= '9'))
      i++;
    size_t j = i;
    while (j < len && ((src[j] >= '0' && src[j] <= '9') || src[j] == '.'))
      j++;
    tt_str_printf(out, "%.*s%s%s", (int)i, src, numbers[tt_mut_rnd(6)], src + j);
  }
  }
}

#endif
