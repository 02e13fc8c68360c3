/* Heap buffers allocated once per call (issue 31; codegen/c_hoist.c): a
 * cache_read pack placed inside a loop nest is allocated before the
 * nest, at the function's entry, and freed after it; inside a parallel
 * loop, once per thread in the loop's `omp parallel` block, before its
 * `omp for`. Before, the pack was allocated and freed in every iteration
 * of the loop outside it (page faults on every allocation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen_case.h"

/* A blocked product with B packed per ko x jo block (32 x 64 doubles:
 * 16 KiB, a heap buffer); par on: the loop io is parallel. */
static const char kernel[] = "kernel k(N) f64\n"
                             "  sizes mini(128)\n"
                             "  inout C[N, N]\n"
                             "  in A[N, N], B[N, N]\n"
                             "  init C[i, j] = 0\n"
                             "  init A[i, j] = (i + j + 1) / N\n"
                             "  init B[i, j] = (i * j + 1) / N\n"
                             "  compute C[i, j] += sum(k: A[i, k] * B[k, j])\n"
                             "template t\n"
                             "  knob par = on_off default off\n"
                             "  schedule C\n"
                             "    split i by 32\n"
                             "    split j by 64\n"
                             "    split k by 32\n"
                             "    reorder io, jo, ko, i, k, j\n"
                             "    cache_read B at ko\n"
                             "    parallel io if par\n";

/* The kernel function of the C printed with knob par = par (heap). */
static char *generated(int par) {
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_env_set_int(&cfg.env, "par", par);
  tt_error err = {0};
  char *c = codegen_case(kernel, &cfg, &err);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  tt_sched_config_free(&cfg);
  const char *f = strstr(c, "void tt_k(");
  assert_non_null(f);
  char *body = strdup(f);
  free(c);
  return body;
}

/* Number of occurrences of needle in s. */
static int count(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

/* Offset of the last occurrence of needle in s (-1: none). */
static long last(const char *s, const char *needle) {
  long at = -1;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
    at = p - s;
  return at;
}

static void test_serial_pack_allocated_before_the_nest(void **state) {
  (void)state;
  char *c = generated(0);
  const char *alloc = strstr(c, "double (*tt_B_p)[64] = tt_aligned_alloc(64, 16384);");
  const char *loop = strstr(c, "for (long");
  assert_non_null(alloc);
  assert_non_null(loop);
  assert_true(alloc < loop); /* before every loop */
  assert_int_equal(count(c, "tt_aligned_alloc"), 1);
  assert_int_equal(count(c, "tt_free(tt_B_p);"), 1);
  assert_true(last(c, "tt_free(tt_B_p);") > last(c, "}\n    }\n  }\n")); /* after the nest */
  free(c);
}

static void test_parallel_pack_once_per_thread(void **state) {
  (void)state;
  char *c = generated(1);
  const char *region = strstr(c, "#pragma omp parallel\n  {\n");
  const char *alloc = strstr(c, "tt_aligned_alloc(64, 16384);");
  const char *omp_for = strstr(c, "#pragma omp for schedule(static)\n    for (long io = 0;");
  assert_non_null(region);
  assert_non_null(alloc);
  assert_non_null(omp_for);
  assert_true(region < alloc && alloc < omp_for);
  assert_int_equal(count(c, "parallel for"), 0);
  assert_int_equal(count(c, "tt_aligned_alloc"), 1);
  assert_true(last(c, "tt_free(tt_B_p);") > last(c, "for (long"));
  free(c);
}

/* Two stages packing B in tiles of different shapes (32 x 64 and 64 x
 * 32): each pack has a name of its own (tt_B_p, tt_B_p2), so both are
 * allocated once, at the function's level before their nests. Under one
 * name they were allocated and freed in every iteration of their ko loop
 * (c_hoist.c does not hoist one name declared with two shapes). */
static const char two_packs[] = "kernel k(N) f64\n"
                                "  sizes mini(128)\n"
                                "  inout C[N, N], D[N, N]\n"
                                "  in A[N, N], B[N, N]\n"
                                "  init C[i, j] = 0\n"
                                "  init D[i, j] = 0\n"
                                "  init A[i, j] = (i + j + 1) / N\n"
                                "  init B[i, j] = (i * j + 1) / N\n"
                                "  compute C[i, j] += sum(k: A[i, k] * B[k, j])\n"
                                "  compute D[i, j] += sum(k: A[i, k] * B[k, j])\n"
                                "template t\n"
                                "  schedule C\n"
                                "    split j by 64\n"
                                "    split k by 32\n"
                                "    reorder jo, ko, i, k, j\n"
                                "    cache_read B at ko\n"
                                "  schedule D\n"
                                "    split j by 32\n"
                                "    split k by 64\n"
                                "    reorder jo, ko, i, k, j\n"
                                "    cache_read B at ko\n";

static void test_two_stages_pack_one_tensor(void **state) {
  (void)state;
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_error err = {0};
  char *c = codegen_case(two_packs, &cfg, &err);
  tt_sched_config_free(&cfg);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  const char *f = strstr(c, "void tt_k(");
  assert_non_null(f);
  assert_non_null(strstr(f, "\n  double (*tt_B_p)[64] = tt_aligned_alloc(64, 16384);\n"));
  assert_non_null(strstr(f, "\n  double (*tt_B_p2)[32] = tt_aligned_alloc(64, 16384);\n"));
  assert_int_equal(count(f, "tt_aligned_alloc"), 2);
  assert_int_equal(count(f, "\n  tt_free(tt_B_p);"), 1);
  assert_int_equal(count(f, "\n  tt_free(tt_B_p2);"), 1);
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_serial_pack_allocated_before_the_nest),
      cmocka_unit_test(test_parallel_pack_once_per_thread),
      cmocka_unit_test(test_two_stages_pack_one_tensor),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
