/* Every error of the stencil steps (issue 28 item 9). time_tile: a skew
 * too small for the sweeps' dependence distances, distances the test
 * cannot fix, a time loop whose body is not a sequence of sweeps, bad tile
 * sizes; each is one line naming the loop and the reason, when the
 * template loads (tt_template_knobs, for every value of a skew knob) or
 * when the configuration lowers. interchange: a loop that carries a
 * dependence, a let that cannot be expanded into an array, an inner loop
 * that is not a child, inner bounds over the outer variable (also through
 * an expanded let). The legal cases lower. Time tiles of i and j: a skew
 * too small, a dependence within one sweep that tiles of j would run
 * backwards, statements outside the loops over j, a let carried across
 * tiles of j, bounds of j over i; tiles in strips (the tiles of j
 * outermost) need two space loops and the same skew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tetune/lang.h"
#include "tetune/lower.h"
#include "tetune/schedule.h"

static const char base[] = "kernel st(T, N) f64\n"
                           "  sizes mini(5, 16)\n"
                           "  inout A[N], B[N]\n"
                           "  init A[i] = i / N\n"
                           "  init B[i] = (i + 1) / N\n"
                           "  for t in 0..T {\n"
                           "    for i in 1..N - 1 {\n"
                           "      B[i] = A[i - 1] + A[i + 1]\n"
                           "    }\n"
                           "  }\n"
                           "template t\n"
                           "  knob sk = [0, 1, 2] default 1\n"
                           "  knob ts = [0, 2, 4] default 2\n"
                           "  schedule loops\n";

/* Two sweeps (jacobi), an in-place sweep (seidel), and bad bodies. */
#define JACOBI                                                                                     \
  "  body {\n    t: for t in 0..T {\n      for i in 1..N - 1 {\n        B[i] = A[i - 1] + A[i + "  \
  "1]\n      }\n      for i in 1..N - 1 {\n        A[i] = B[i - 1] + B[i + 1]\n      }\n    }\n  " \
  "}\n"
#define SEIDEL                                                                                     \
  "  body {\n    t: for t in 0..T {\n      for i in 1..N - 1 {\n        A[i] = A[i - 1] + A[i + "  \
  "1]\n      }\n    }\n  }\n"
#define FAR                                                                                        \
  "  body {\n    t: for t in 0..T {\n      for i in 1..N - 2 {\n        A[i] = A[i - 1] + A[i + "  \
  "2]\n      }\n    }\n  }\n"

/* Imperfect nests over i and j for interchange. */
#define SEIDEL_X                                                                                   \
  "  body {\n    ti: for i in 1..N {\n      tj: for j in 0..N {\n        A[i] = A[i - 1] + "       \
  "B[j]\n  "                                                                                       \
  "    }\n    }\n  }\n"
#define JACOBI_X                                                                                   \
  "  body {\n    ti: for i in 0..N {\n      B[i] = 0.0\n      tj: for j in 0..N {\n        B[i] "  \
  "+= A[j]\n      }\n      B[i] = 2.0 * B[i]\n    }\n  }\n"

/* The same over rows and columns, for time tiles of i and j. */
static const char base2[] = "kernel st(T, N) f64\n"
                            "  sizes mini(5, 16)\n"
                            "  inout A[N, N], B[N, N]\n"
                            "  init A[i, j] = (i + j) / N\n"
                            "  init B[i, j] = (i * j) / N\n"
                            "  for t in 0..T {\n"
                            "    for i in 1..N - 1 {\n"
                            "      for j in 1..N - 1 {\n"
                            "        B[i, j] = A[i - 1, j] + A[i, j + 1]\n"
                            "      }\n"
                            "    }\n"
                            "  }\n"
                            "template t\n"
                            "  knob sk = [0, 1, 2] default 1\n"
                            "  knob ts = [0, 2, 4] default 2\n"
                            "  schedule loops\n";

#define J2(BODY)                                                                                   \
  "  body {\n    t: for t in 0..T {\n      for i in 1..N - 1 {\n" BODY "      }\n    }\n  }\n"
#define JACOBI2                                                                                    \
  "  body {\n    t: for t in 0..T {\n      for i in 1..N - 1 {\n        for j in 1..N - 1 {\n"     \
  "          B[i, j] = A[i - 1, j] + A[i, j + 1]\n        }\n      }\n      for i in 1..N - 1 {\n" \
  "        for j in 1..N - 1 {\n          A[i, j] = B[i + 1, j] + B[i, j - 1]\n        }\n"        \
  "      }\n    }\n  }\n"

typedef struct tcase {
  const char *tmpl; /* steps and body appended to base */
  const char *want; /* substring of the expected message ("" = legal) */
} tcase;

static const tcase cases[] = {
    {"    time_tile t, i by 2, 4 skew 0\n" JACOBI,
     "cannot time-tile loop 't' with skew 0: A[i] (sweep 2) depends on A[i - 1] (sweep 1) at i + "
     "1, 1 sweep earlier; skew by at least 1"},
    {"    time_tile t, i by 2, 4 skew sk\n" JACOBI, "with skew 0 (knob 'sk')"},
    {"    time_tile t, i by 2, 4 skew 0 wavefront\n" SEIDEL,
     "cannot time-tile loop 't' with skew 0: A[i] (sweep 1) depends on A[i - 1] (sweep 1) at i + "
     "1, 1 sweep earlier; skew by at least 1"},
    {"    time_tile t, i by 2, 4 skew 1\n" FAR,
     "with skew 1: A[i + 2] (sweep 1) depends on A[i] (sweep 1) at i + 2, 1 sweep earlier; skew by "
     "at least 2"},
    {"    time_tile t, i by 2, 4 skew 1\n  body {\n    t: for t in 0..T {\n      for i in 1..N "
     "- 1 {\n        for j in 0..N {\n          B[j] = A[i] + B[j]\n        }\n      }\n    }\n  "
     "}\n",
     "cannot time-tile loop 't': B[j] (sweep 1) and B[j] (sweep 1) meet at no fixed distance in "
     "'i'"},
    {"    time_tile t, i by 2, 4 skew 1\n  body {\n    t: for t in 0..T {\n      let c = 2.0\n  "
     "    for i in 1..N - 1 {\n        B[i] = c * A[i]\n      }\n    }\n  }\n",
     "cannot time-tile loop 't': its body must be a sequence of loops over 'i' (statement 1 is "
     "not)"},
    {"    time_tile t, i by 2, 4 skew 1\n  body {\n    t: for t in 0..T {\n      for i in 1..N - "
     "1 - t % 2 {\n        B[i] = A[i]\n      }\n    }\n  }\n",
     "cannot time-tile loop 't': the bounds of sweep 1 depend on 't'"},
    {"    time_tile t, i by 2, 4 skew 1\n  body {\n    let s = 0.0\n    t: for t in 0..T {\n    "
     "  for i in 1..N - 1 {\n        s += A[i]\n        B[i] = s\n      }\n    }\n  }\n",
     "cannot time-tile loop 't': scalar 's' is updated in one sweep and kept to the next"},
    {"    time_tile t, i by ts, 4 skew 1\n" JACOBI, "cannot time-tile loop 't': tile sizes must "
                                                    "be positive"},
    {"    time_tile i, t by 2, 4 skew 1\n" JACOBI,
     "cannot time-tile loop 'i': the name is ambiguous"},
    /* legal */
    {"    time_tile t, i by 2, 4 skew 1\n" JACOBI, ""},
    {"    time_tile t, i by 4, 2 skew 2 wavefront\n" JACOBI, ""},
    {"    time_tile t, i by 3, 5 skew 1 wavefront\n" SEIDEL, ""},
    {"    time_tile t, i by 2, 4 skew 2\n" FAR, ""},
    /* interchange */
    {"    interchange ti, tj\n" SEIDEL_X,
     "cannot interchange loop 'ti': A[i] written in one iteration may be read as A[i - 1] in "
     "another"},
    {"    interchange ti, tj\n  body {\n    ti: for i in 0..N {\n      let c = A[i]\n      tj: "
     "for j in 0..N {\n        B[i] += c\n      }\n    }\n  }\n",
     ""},
    /* lets at the top of the body are expanded into arrays over 'ti' */
    {"    interchange ti, tj\n  body {\n    ti: for i in 0..N {\n      let c = A[i]\n      "
     "compute X: B[i] = c\n      tj: for j in 0..N {\n        B[i] += A[j]\n      }\n    }\n  "
     "}\n",
     "cannot interchange loop 'ti': its let 'c' cannot be expanded around a compute stage"},
    {"    interchange ti, tj\n  body {\n    ti: for i in 0..N {\n      let n = i\n      tj: for "
     "j in 0..n {\n        B[i] += A[j]\n      }\n    }\n  }\n",
     "cannot interchange loop 'ti': the bounds of 'tj' depend on 'i'"},
    {"    interchange ti, tj\n  body {\n    ti: for i in 0..N {\n      let s = 0.0\n      tj: for "
     "j in 0..N {\n        s = s + A[j]\n        B[i] = s\n      }\n    }\n  }\n",
     ""},
    {"    interchange ti, tk\n  body {\n    ti: for i in 0..N {\n      for j in 0..N {\n     "
     "   tk: for k in 0..N {\n          B[i] += A[k]\n        }\n      }\n    }\n  }\n",
     "cannot interchange loop 'ti': 'tk' is not a loop directly in its body"},
    {"    interchange ti, tj\n  body {\n    ti: for i in 0..N {\n      tj: for j in 0..i {\n  "
     "      B[i] += A[j]\n      }\n    }\n  }\n",
     "cannot interchange loop 'ti': the bounds of 'tj' depend on 'i'"},
    {"    interchange ti, tj\n" JACOBI_X, ""},
    {"    split ti by 3\n    parallel tio\n    interchange ti, tj\n    vectorize tj_ti\n" JACOBI_X,
     ""},
};

/* Time tiles of i and j (on base2). */
static const tcase cases2[] = {
    {"    time_tile t, i, j by 2, 4, 4 skew 1\n" JACOBI2, ""},
    {"    time_tile t, i, j by 3, 2, 5 skew 2 wavefront\n" JACOBI2, ""},
    {"    time_tile t, i, j by 3, 1, 5 skew 1 strips\n" JACOBI2, ""},
    {"    time_tile t, i, j by 2, 4, 4 skew 0 strips\n" JACOBI2, "with skew 0"},
    {"    time_tile t, i, j by 2, 4, 4 skew 0\n" JACOBI2,
     "cannot time-tile loop 't' with skew 0: A[i, j] (sweep 2) depends on A[i - 1, j] (sweep 1) "
     "at i + 1, 1 sweep earlier; skew by at least 1"},
    /* seidel's (1, -1) within a sweep: j is skewed by i, the least skew 2 */
    {"    time_tile t, i, j by 2, 4, 4 skew 2\n" J2(
         "        for j in 1..N - 1 {\n          A[i, j] "
         "= A[i - 1, j + 1] + A[i - 1, j - 1]\n        }\n"),
     ""},
    {"    time_tile t, i, j by 2, 4, 4 skew 1\n" J2(
         "        for j in 1..N - 1 {\n          A[i, j] "
         "= A[i - 1, j + 1] + A[i - 1, j - 1]\n        }\n"),
     "cannot time-tile loop 't' with skew 1: A[i, j] (sweep 1) depends on A[i - 1, j - 1] (sweep "
     "1) at j + 1, 1 sweep earlier (j skewed by 1*i); skew by at least 2"},
    {"    time_tile t, i, j by 2, 4, 4 skew 1\n" J2(
         "        for j in 1..N - 1 {\n          B[i, j] "
         "= A[i, j]\n        }\n        for j in 1..N - 2 "
         "{\n          A[i, j] = B[i, j + 1]\n        }\n"),
     "cannot time-tile loop 't': B[i, j + 1] (sweep 1) depends on B[i, j] of the same sweep and "
     "time step at distance (0, -1) in (i, j)"},
    {"    time_tile t, i, j by 2, 4, 4 skew 1\n" J2(
         "        B[i, 0] = 1.0\n        for j in 1..N "
         "- 1 {\n          B[i, j] = A[i, j]\n        }\n"),
     "cannot time-tile loop 't': a store to 'B' in sweep 1 lies outside every loop over 'j'"},
    {"    time_tile t, i, j by 2, 4, 4 skew 1\n" J2(
         "        let s = 0.0\n        for j in 1..N - "
         "1 {\n          s += A[i, j]\n          B[i, j] = "
         "s\n        }\n"),
     "cannot time-tile loop 't': scalar 's' is carried from one tile of 'j' to the next"},
    {"    time_tile t, i, j by 2, 4, 4 skew 1\n" J2("        for j in 1..i {\n          B[i, j] = "
                                                    "A[i, j]\n        }\n"),
     "cannot time-tile loop 't': the bounds of a loop over 'j' in sweep 1 depend on the time loop "
     "or an outer loop"},
    {"    time_tile t, i, j by 2, 4, 0 skew 1\n" JACOBI2,
     "cannot time-tile loop 't': tile sizes must be positive (0)"},
    {"    time_tile t, i, j by 2, 4, 4 skew -1\n" JACOBI2,
     "cannot time-tile loop 't': the skew must not be negative (-1)"},
    {"    time_tile t, i, q by 2, 4, 4 skew 1\n" JACOBI2, "lies outside every loop over 'q'"},
};

/* Parses base + tmpl, loads the template and lowers its default (with the
 * knob ts at 0 for the tile-size case). */
static tt_status lower_case(const char *b, const tcase *c, tt_error *err) {
  tt_arena *a = tt_arena_new();
  tt_str text = {0};
  tt_str_append(&text, b);
  tt_str_append(&text, c->tmpl);
  tt_kernel_def **ks = NULL;
  size_t n = 0, nk = 0;
  tt_status st = tt_lang_parse(a, "case.te", tt_str_cstr(&text), &ks, &n, err);
  if (st != TT_OK) fail_msg("case does not parse: %s", err->msg);
  tt_knob_values *kv = NULL;
  st = tt_template_knobs(a, ks[0], &ks[0]->templates[0], ks[0]->sizes[0].values, &kv, &nk, err);
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_env_set_int(&cfg.env, "sk", 1);
  tt_env_set_int(&cfg.env, "ts", 0);
  tt_lowered l;
  if (st == TT_OK)
    st = tt_lower(a, ks[0], ks[0]->sizes[0].values, &ks[0]->templates[0], &cfg, &l, err);
  tt_sched_config_free(&cfg);
  tt_str_free(&text);
  tt_arena_free(a);
  return st;
}

/* Lowers every case of cs on base b and checks its outcome. */
static void run_cases(const char *b, const tcase *cs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    tt_error err = {0};
    tt_status st = lower_case(b, &cs[i], &err);
    if (cs[i].want[0] == '\0') {
      if (st != TT_OK) fail_msg("legal case %zu fails: %s", i, err.msg);
    } else if (st != TT_ERR_USAGE || !strstr(err.msg, cs[i].want)) {
      fail_msg("case %zu: want \"%s\", got status %d \"%s\"", i, cs[i].want, (int)st, err.msg);
    }
  }
}

static void test_stencil_step_errors(void **state) {
  (void)state;
  run_cases(base, cases, sizeof cases / sizeof *cases);
}

static void test_time_tile_2d_errors(void **state) {
  (void)state;
  run_cases(base2, cases2, sizeof cases2 / sizeof *cases2);
}

/* Parse-time errors: time_tile on a compute stage, a loop name no
 * configuration has, a missing skew. */
static void test_stencil_step_syntax(void **state) {
  (void)state;
  static const tcase bad[] = {
      {"  schedule C\n    time_tile t, i by 2, 4 skew 1\n",
       "time_tile applies to in-place loops ('schedule loops')"},
      {"  schedule loops\n    time_tile q, i by 2, 4 skew 1\n", "stage 'loops' has no loop 'q'"},
      {"  schedule loops\n    time_tile t, i by 2, 4\n", "expected 'skew'"},
      {"  schedule loops\n    time_tile t, i, j by 2, 4 skew 1\n",
       "time_tile has 3 loops but 2 factors"},
      {"  schedule loops\n    time_tile t, i, j, k, l by 2, 4, 4, 4, 4 skew 1\n",
       "time_tile tiles at most 3 loops besides the time loop"},
      {"  schedule loops\n    time_tile t, i by 2, 4 skew 1 strips\n",
       "time_tile strips needs two or more space loops (one tiled: drop 'strips')"},
      {"  schedule C\n    interchange i, j\n",
       "interchange applies to in-place loops ('schedule loops')"},
      {"  schedule loops\n    interchange t, q\n", "stage 'loops' has no loop 'q'"},
  };
  static const char k[] = "kernel st(T, N) f64\n  sizes mini(5, 16)\n  inout A[N], C[N]\n"
                          "  compute C[i] = A[i]\n  t: for t in 0..T {\n    for i in 1..N - 1 {\n"
                          "      A[i] = A[i - 1]\n    }\n  }\ntemplate t\n";
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    tt_arena *a = tt_arena_new();
    tt_str text = {0};
    tt_str_append(&text, k);
    tt_str_append(&text, bad[i].tmpl);
    tt_kernel_def **ks = NULL;
    size_t n = 0;
    tt_error err = {0};
    tt_status st = tt_lang_parse(a, "case.te", tt_str_cstr(&text), &ks, &n, &err);
    if (st != TT_ERR_USAGE || !strstr(err.msg, bad[i].want))
      fail_msg("syntax case %zu: want \"%s\", got \"%s\"", i, bad[i].want, err.msg);
    tt_str_free(&text);
    tt_arena_free(a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stencil_step_errors),
      cmocka_unit_test(test_time_tile_2d_errors),
      cmocka_unit_test(test_stencil_step_syntax),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
