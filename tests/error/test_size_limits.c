/* Sizes a .te file can declare but generated code cannot index: every one
 * is a one-line error with the file's location, never a wrapped buffer
 * size or an undefined double -> int64 cast (reliability issue, item 2);
 * and split value lists cost O(values), not O(extent) (item 7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tetune/lang.h"
#include "tetune/schedule.h"

/* Parses a one-kernel file whose size is `size`, tensor shape `shape` and
 * knob `knob`, then computes its knob lists into *kv / *n. */
static tt_status knobs_of(tt_arena *a, const char *size, const char *shape, const char *knob,
                          tt_knob_values **kv, size_t *n, tt_error *err) {
  char text[4096];
  snprintf(text, sizeof text,
           "kernel k(N) f64\n  sizes s(%s)\n  in X[N]\n  in Z[%s]\n  out Y[N]\n  init X[i] = i\n"
           "  compute Y[i] = 2 * X[i]\n\ntemplate t\n  knob ti = %s\n  schedule Y\n"
           "    split i by ti\n",
           size, shape, knob);
  tt_kernel_def **ks = NULL;
  size_t nk = 0;
  tt_status st = tt_lang_parse(a, "size.te", text, &ks, &nk, err);
  if (st != TT_OK) fail_msg("does not parse: %s", err->msg);
  return tt_template_knobs(a, ks[0], &ks[0]->templates[0], ks[0]->sizes[0].values, kv, n, err);
}

/* Expects a usage error whose message holds want. */
static void expect_error(const char *size, const char *shape, const char *knob, const char *want) {
  tt_arena *a = tt_arena_new();
  tt_knob_values *kv = NULL;
  size_t n = 0;
  tt_error err = {0};
  tt_status st = knobs_of(a, size, shape, knob, &kv, &n, &err);
  if (st != TT_ERR_USAGE || !strstr(err.msg, want))
    fail_msg("size %s: want \"%s\", got status %d \"%s\"", size, want, (int)st, err.msg);
  tt_arena_free(a);
}

/* 2^61 with a 100-value list: the value buffer was 8 * (2^61 + 64) bytes,
 * which wraps to 512 (heap overflow); 2^63 - 1 went through an undefined
 * double -> int64 cast. Both are refused with the kernel's location. */
static void test_huge_sizes_refused(void **state) {
  (void)state;
  char list[1024] = "split(Y.i, [1";
  for (int v = 2; v <= 100; v++)
    snprintf(list + strlen(list), sizeof list - strlen(list), ", %d", v);
  strcat(list, "])");
  expect_error("2305843009213693952", "N", list,
               "size.te:1:8: kernel k: size N = 2305843009213693952 is outside 0..2^53");
  expect_error("9223372036854775807", "N", "split(Y.i, [4, 8])", "is outside 0..2^53");
  /* each extent fits, the tensor's byte count does not */
  expect_error("1073741824", "N, N", "split(Y.i, [4, 8])",
               "size.te:4:6: tensor Z is too large at this size (more than 2^48 bytes");
}

/* The largest accepted tensor (2^48 bytes: 2^45 doubles) still works,
 * with pow2 values up to its extent; one element more does not. */
static void test_limit_accepted(void **state) {
  (void)state;
  tt_arena *a = tt_arena_new();
  tt_knob_values *kv = NULL;
  size_t n = 0;
  tt_error err = {0};
  assert_int_equal(knobs_of(a, "35184372088832", "N", "split(Y.i, pow2)", &kv, &n, &err), TT_OK);
  assert_int_equal(kv[0].nvalues, 46); /* 2^0 .. 2^45 */
  assert_true(kv[0].ivalues[45] == INT64_C(35184372088832));
  expect_error("35184372088833", "N", "split(Y.i, pow2)", "tensor X is too large");
  tt_arena_free(a);
}

/* divisors over a prime near 10^9 took 41 s and 7.8 GB (a memset of 8 N
 * bytes and a loop over N); now sqrt(N) trials. Values and order are
 * checked on a composite size with a cap. */
static void test_divisors_fast(void **state) {
  (void)state;
  tt_arena *a = tt_arena_new();
  tt_knob_values *kv = NULL;
  size_t n = 0;
  tt_error err = {0};
  clock_t t0 = clock();
  assert_int_equal(knobs_of(a, "999999937", "N", "split(Y.i, divisors)", &kv, &n, &err), TT_OK);
  assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
  assert_int_equal(kv[0].nvalues, 2);
  assert_true(kv[0].ivalues[0] == 1 && kv[0].ivalues[1] == 999999937);
  assert_int_equal(knobs_of(a, "360", "N", "split(Y.i, divisors max 40)", &kv, &n, &err), TT_OK);
  static const int64_t want[] = {1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 18, 20, 24, 30, 36, 40};
  assert_int_equal(kv[0].nvalues, sizeof want / sizeof *want);
  for (size_t i = 0; i < kv[0].nvalues; i++)
    assert_true(kv[0].ivalues[i] == want[i]);
  assert_int_equal(knobs_of(a, "36", "N", "split(Y.i, divisors)", &kv, &n, &err), TT_OK);
  static const int64_t want36[] = {1, 2, 3, 4, 6, 9, 12, 18, 36};
  assert_int_equal(kv[0].nvalues, 9);
  for (size_t i = 0; i < 9; i++)
    assert_true(kv[0].ivalues[i] == want36[i]);
  tt_arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_huge_sizes_refused),
      cmocka_unit_test(test_limit_accepted),
      cmocka_unit_test(test_divisors_fast),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
