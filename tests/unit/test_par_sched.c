/* How a parallel loop shares its iterations: `parallel L dynamic` and
 * `parallel L cyclic` print schedule(dynamic) and schedule(static, 1), on
 * a compute stage's loop and on an in-place loop alike; without a word the
 * loop stays schedule(static). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen_case.h"
#include "tetune/support.h"

static const char kernel[] = "kernel k(N) f64\n"
                             "  sizes mini(16)\n"
                             "  inout A[N, N]\n"
                             "  out y[N]\n"
                             "  init A[i, j] = i + j\n"
                             "  init y[i] = 0.0\n"
                             "  compute y[i] = sum(j in 0..i + 1: A[i, j])\n"
                             "  for r in 0..N {\n"
                             "    for c in 0..r + 1 {\n"
                             "      A[r, c] *= 2.0\n"
                             "    }\n"
                             "  }\n"
                             "template t\n"
                             "  schedule y\n"
                             "    parallel i%s\n"
                             "  schedule loops\n"
                             "    parallel r%s\n";

/* The C of the template with the given words after each parallel step
 * (heap). */
static char *generated(const char *stage_sched, const char *loop_sched) {
  tt_str text = {0};
  tt_str_printf(&text, kernel, stage_sched, loop_sched);
  char *c = codegen_default(tt_str_cstr(&text));
  tt_str_free(&text);
  return c;
}

static void test_static_by_default(void **state) {
  (void)state;
  char *c = generated("", "");
  assert_int_equal(codegen_count(c, "schedule(static)"), 2);
  assert_int_equal(codegen_count(c, "schedule(dynamic)"), 0);
  free(c);
}

static void test_dynamic_and_cyclic(void **state) {
  (void)state;
  char *c = generated(" dynamic", " cyclic");
  assert_int_equal(codegen_count(c, "schedule(dynamic)"), 1);
  assert_int_equal(codegen_count(c, "schedule(static, 1)"), 1);
  assert_int_equal(codegen_count(c, "schedule(static)"), 0);
  free(c);
  c = generated(" cyclic", " dynamic");
  assert_int_equal(codegen_count(c, "schedule(dynamic)"), 1);
  assert_int_equal(codegen_count(c, "schedule(static, 1)"), 1);
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_static_by_default),
      cmocka_unit_test(test_dynamic_and_cyclic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
