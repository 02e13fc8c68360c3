/* An assigning (=) stage whose sum is split outside its register tile
 * (lower/compute.c first_slice): the tiles of the first slice assign and
 * the later ones add, instead of a pass that zeroes the output first (a
 * full write of the output, as costly as a copy: trmm's T, 3mm's E and
 * F). Only a reduction whose range is empty zeroes the output, under a
 * test of that range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen_case.h"

static const char kernel[] = "kernel k(N) f64\n"
                             "  sizes mini(64)\n"
                             "  out C[N, N]\n"
                             "  in A[N, N], B[N, N]\n"
                             "  init A[i, j] = (i + j + 1) / N\n"
                             "  init B[i, j] = (i * j + 1) / N\n"
                             "  compute C[i, j] = 2.0 * sum(k: A[i, k] * B[k, j])\n"
                             "template t\n"
                             "  schedule C\n"
                             "    split i by 4\n"
                             "    split j by 8\n"
                             "    split k by 16\n"
                             "    reorder ko, io, jo, k, i, j\n"
                             "    cache_write at jo\n";

static void test_first_slice_assigns(void **state) {
  (void)state;
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_error err = {0};
  char *c = codegen_case(kernel, &cfg, &err);
  tt_sched_config_free(&cfg);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  const char *f = strstr(c, "void tt_k(");
  assert_non_null(f);
  const char *guard = strstr(f, "if (N <= 0) {");
  const char *zero = strstr(f, "C[i][j] = 0.0;");
  const char *first = strstr(f, "if (ko == 0) {");
  const char *assign = strstr(f, "C[i][j] = 2.0 * tt_C_l[i - io][j - jo];");
  const char *add = strstr(f, "C[i][j] += 2.0 * tt_C_l[i - io][j - jo];");
  assert_non_null(first);
  assert_non_null(assign);
  assert_non_null(add);
  assert_true(first < assign && assign < add);
  /* the output is zeroed only where the sum is empty */
  assert_non_null(zero);
  assert_non_null(guard);
  assert_true(guard < zero && zero < first);
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_first_slice_assigns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
