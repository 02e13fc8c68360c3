/* Any loop order of a pure compute is legal: every permutation of a
 * non-linear reduction's loops (the update sqrt(1 + sum) cannot take
 * partial sums) validates against the reference, with and without
 * parallelism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/job.h"

static void test_every_order_validates(void **state) {
  (void)state;
  static const char *const orders[] = {"[\"ko\",\"i\",\"j\"]", "[\"ko\",\"j\",\"i\"]",
                                       "[\"i\",\"ko\",\"j\"]", "[\"i\",\"j\",\"ko\"]",
                                       "[\"j\",\"ko\",\"i\"]", "[\"j\",\"i\",\"ko\"]"};
  tt_job j;
  tt_error err = {0};
  if (tt_job_open(&j, TT_SOURCE_DIR "/tests/correctness/kernels/nonlinear.te", "small", NULL, &err))
    fail_msg("%s", err.msg);
  j.mopt.threads = 2;
  for (size_t o = 0; o < 6; o++) {
    for (int par = 0; par < 2; par++) {
      char json[200];
      uint32_t cfg[8];
      tt_measure_result r;
      snprintf(json, sizeof json, "{\"o\": %s, \"par\": %s}", orders[o], par ? "true" : "false");
      assert_int_equal(tt_job_parse_config(&j, json, cfg, &err), TT_OK);
      assert_int_equal(tt_job_measure(&j, cfg, &r, &err), TT_OK);
      if (r.outcome != TT_OUTCOME_OK)
        fail_msg("%s: %s %s", json, tt_outcome_name(r.outcome), r.message);
    }
  }
  tt_job_close(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_order_validates)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
