/* The C type of a let: an integer let that holds one element of an i32
 * tensor (or computed from i32 elements only) is an int in the generated C (32-bit vector lanes
 * when it meets the tensor's elements, as in floyd-warshall's relaxation); other integer lets
 * (index arithmetic, or reading other tensors) stay long, float lets keep their type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen_case.h"

static const char kernel[] = "kernel k(N) i32\n"
                             "  sizes mini(16)\n"
                             "  inout D[N, N]\n"
                             "  in W[N, N] f64\n"
                             "  in c[N] u8\n"
                             "  out s[N] f64\n"
                             "  init D[i, j] = (i * j) % 7 + 1\n"
                             "  init W[i, j] = i + j\n"
                             "  init c[i] = i % 4\n"
                             "  init s[i] = 0.0\n"
                             "  for k in 0..N {\n"
                             "    for i in 0..N {\n"
                             "      let dik = D[i, k]\n"
                             "      let twice = 2 * dik\n"
                             "      let m = max(D[i, k], D[k, i]) + 1\n"
                             "      let mixed = D[i, k] + c[i]\n"
                             "      let idx = i * N + k\n"
                             "      let w = W[i, k]\n"
                             "      s[i] = s[i] + w\n"
                             "      for j in 0..N {\n"
                             "        D[i, j] = min(D[i, j], dik + D[k, j] + twice - twice + m - m "
                             "+ mixed - mixed + idx - idx)\n"
                             "      }\n"
                             "    }\n"
                             "  }\n";

/* The reference's C (heap). */
static char *generated(void) {
  tt_error err = {0};
  char *c = codegen_case(kernel, NULL, &err);
  if (!c) fail_msg("case does not lower: %s", err.msg);
  return c;
}

static void test_let_types(void **state) {
  (void)state;
  char *c = generated();
  assert_non_null(c);
  assert_non_null(strstr(c, "int dik = D[i][k];"));
  assert_non_null(strstr(c, "long twice = ")); /* reads a let, not a tensor */
  assert_non_null(strstr(c, "int m = "));
  assert_non_null(strstr(c, "long mixed = ")); /* reads a u8 tensor too */
  assert_non_null(strstr(c, "long idx = "));
  assert_non_null(strstr(c, "double w = W[i][k];"));
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_let_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
