/* Robustness of --config: a template's default configuration as JSON,
 * mutated at random, must either parse into a configuration of the space
 * (every knob index in range, and the same JSON back when nothing was
 * mutated) or fail with one line. Never a crash (the suite also runs under
 * ASan and UBSan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/job.h"
#include "fault/mutate.h"

#define MUTANTS 1500

static void check_kernel(const char *kernel, const char *tmpl) {
  tt_job j;
  memset(&j, 0, sizeof j);
  tt_error err = {0};
  if (tt_job_open(&j, kernel, "small", tmpl, &err) != TT_OK) fail_msg("%s", err.msg);
  size_t nk = tt_job_nknobs(&j);
  uint32_t *cfg = tt_xcalloc(nk + 1, sizeof *cfg);
  char *orig = tt_space_config_to_json(j.space, j.defaults);
  /* The untouched JSON round-trips to the defaults. */
  assert_int_equal(tt_job_parse_config(&j, orig, cfg, &err), TT_OK);
  assert_memory_equal(cfg, j.defaults, nk * sizeof *cfg);
  size_t ok = 0;
  for (int m = 0; m < MUTANTS; m++) {
    tt_str text;
    tt_mutate(orig, &text);
    tt_error e = {0};
    if (tt_job_parse_config(&j, tt_str_cstr(&text), cfg, &e) == TT_OK) {
      ok++;
      for (size_t k = 0; k < nk; k++)
        if (cfg[k] >= tt_space_knob_card(j.space, k))
          fail_msg("%s: knob %zu index %u out of range from %s", kernel, k, cfg[k],
                   tt_str_cstr(&text));
    } else if (!e.msg[0] || strchr(e.msg, '\n')) {
      fail_msg("%s: error is not one line: \"%s\" for %s", kernel, e.msg, tt_str_cstr(&text));
    }
    tt_str_free(&text);
  }
  printf("%s: %d mutants of %s, %zu parsed\n", kernel, MUTANTS, orig, ok);
  assert_true(ok > 0 && ok < MUTANTS);
  free(orig);
  free(cfg);
  tt_job_close(&j);
}

/* Hand-picked bad configurations and their messages. */
static void test_bad_configs(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"{\"NB\":1e400}", "knob 'NB': "},
      {"{\"NB\":64,\"NB\":32}", "knob 'NB' given twice in configuration"},
      {"{\"NB\":64}garbage", "configuration is not valid JSON (at 'garbage')"},
      {"{\"NB\":64", "configuration is not valid JSON"},
      {"[64]", "configuration is not a JSON object"},
      {"{\"NB\":3.5}", "knob 'NB': 3.5 is not one of its values"},
      {"{\"order\":[\"jo\",\"jo\",\"io\"]}", "knob 'order': [\"jo\",\"jo\",\"io\"] is not one"},
      {"{\"nosuch\":1}", "unknown knob 'nosuch' in configuration"},
  };
  tt_job j;
  memset(&j, 0, sizeof j);
  tt_error err = {0};
  if (tt_job_open(&j, "lu", "small", "blocked", &err) != TT_OK) fail_msg("%s", err.msg);
  uint32_t cfg[64];
  assert_true(tt_job_nknobs(&j) <= 64);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tt_error e = {0};
    if (tt_job_parse_config(&j, cases[i][0], cfg, &e) != TT_ERR_USAGE ||
        !strstr(e.msg, cases[i][1]))
      fail_msg("%s: want \"%s\", got \"%s\"", cases[i][0], cases[i][1], e.msg);
  }
  tt_job_close(&j);
}

static void test_mutated_configs(void **state) {
  (void)state;
  tt_mut_rng = 0x5851f42d4c957f2dULL;
  check_kernel("lu", "blocked");
  check_kernel("3mm", "staged");
  check_kernel("gemm", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_configs),
      cmocka_unit_test(test_mutated_configs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
