/* One OpenMP parallel region per call (c_region.c, issue 31): a body whose
 * parallel stages sit inside a serial loop prints as one `omp parallel`
 * region with `omp for` loops, serial statements in `omp single`, and a
 * buffer packed outside the parallel loop allocated once and filled by all
 * threads; a body that opens one region keeps `omp parallel for`; a let
 * that every thread would run reading an array keeps the old form. The
 * variants' results are checked by correctness/test_variants (lu,
 * cholesky) and test_polybench. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen_case.h"

/* The kernel and its template's steps (%s); panel_body, the template's
 * body, has a statement (%s) at the head of its panel loop. */
static const char kernel[] = "kernel k(N) f64\n"
                             "  sizes mini(16)\n"
                             "  inout A[N, N]\n"
                             "  in B[N, N]\n"
                             "  temp T[N, N]\n"
                             "  init A[i, j] = (i + j + 1) / N\n"
                             "  init B[i, j] = (i * j %% N) / N\n"
                             "  for i in 0..N {\n"
                             "    for j in 0..N {\n"
                             "      A[i, j] += 1.0\n"
                             "    }\n"
                             "  }\n"
                             "template t\n"
                             "%s";
static const char panel_body[] =
    "  body {\n"
    "    kk: for kb in 0..N step 4 {\n"
    "%s"
    "      A[kb, kb] += 1.0\n"
    "      compute S: T[i, j] = sum(k: A[i, k] * B[k, j]) for i in kb..N\n"
    "      compute U: A[i, j] += T[i, j] for i in kb..N\n"
    "    }\n"
    "  }\n";

/* The C of the template with steps and, unless head is NULL, the panel
 * body with head statement (heap). */
static char *generated(const char *steps, const char *head) {
  tt_str text = {0};
  tt_str_printf(&text, kernel, steps);
  if (head) tt_str_printf(&text, panel_body, head);
  char *c = codegen_default(tt_str_cstr(&text));
  tt_str_free(&text);
  return c;
}

static const char steps[] = "  schedule S\n"
                            "    split j by 8\n"
                            "    reorder jo, k, i, j\n"
                            "    cache_read B at jo\n"
                            "    parallel i\n"
                            "  schedule U\n"
                            "    parallel i\n";

static void test_panel_loop_is_one_region(void **state) {
  (void)state;
  char *c = generated(steps, "");
  assert_int_equal(codegen_count(c, "#pragma omp parallel\n"), 1);
  assert_int_equal(codegen_count(c, "omp parallel for"), 0);
  /* S's rows, U's rows and B's packing are shared out */
  assert_int_equal(codegen_count(c, "#pragma omp for schedule(static)\n"), 3);
  assert_int_equal(codegen_count(c, "#pragma omp single\n"), 2); /* A[kb, kb], the free */
  assert_int_equal(codegen_count(c, "#pragma omp single copyprivate(tt_B_p)\n"), 1);
  assert_int_equal(codegen_count(c, "tt_free(tt_B_p);"), 1);
  free(c);
}

static void test_one_region_keeps_parallel_for(void **state) {
  (void)state;
  char *c = generated("  schedule loops\n    parallel i\n", NULL);
  assert_int_equal(codegen_count(c, "#pragma omp parallel\n"), 0);
  assert_int_equal(codegen_count(c, "#pragma omp parallel for schedule(static)\n"), 1);
  assert_int_equal(codegen_count(c, "omp single"), 0);
  free(c);
}

static void test_array_read_by_every_thread_keeps_old_form(void **state) {
  (void)state;
  char *c = generated(steps, "      let d = A[kb, kb]\n      A[kb, 0] = d\n");
  assert_int_equal(codegen_count(c, "#pragma omp parallel\n"), 0);
  assert_int_equal(codegen_count(c, "omp single"), 0);
  assert_int_equal(codegen_count(c, "#pragma omp parallel for schedule(static)\n"), 3);
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_panel_loop_is_one_region),
      cmocka_unit_test(test_one_region_keeps_parallel_for),
      cmocka_unit_test(test_array_read_by_every_thread_keeps_old_form),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
