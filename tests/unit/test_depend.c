/* The dependence test of in-place loops (src/schedule/depend.c, bounds.c):
 * the loops of blocked LU and Cholesky that are independent by disjoint
 * index ranges, strips, or sums are accepted (and generate the expected
 * pragmas); every illegal case is rejected with a message naming the loop
 * and the dependence. Each case is a kernel body plus schedule steps,
 * lowered at N = 16 with the template's default configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tetune/codegen.h"
#include "tetune/lang.h"
#include "tetune/lower.h"
#include "tetune/schedule.h"

static const char head[] = "kernel k(N) f64\n"
                           "  sizes mini(16)\n"
                           "  inout A[N, N], L[N, N]\n"
                           "  inout x[N]\n"
                           "  init A[i, j] = (i + j + 1) / N\n"
                           "  init L[i, j] = (i * j % N) / N\n"
                           "  init x[i] = i\n";

typedef struct dep_case {
  const char *body;  /* kernel body (statements) */
  const char *steps; /* template lines */
  const char *want;  /* illegal: a substring of the error ("" for legal cases) */
  const char *code;  /* legal: a substring of the generated C, or NULL */
} dep_case;

/* A blocked LU step on diagonal block kb..ke (NB = 4): panel rows,
 * triangular solve by strips, and their inner loops. */
#define LU_BLOCK                                                                                   \
  "  kk: for kb in 0..N step 4 {\n"                                                                \
  "    let ke = min(kb + 4, N)\n"                                                                  \
  "    li: for i in ke..N {\n"                                                                     \
  "      for k in kb..ke {\n"                                                                      \
  "        A[i, k] /= A[k, k]\n"                                                                   \
  "        lj: for j in k + 1..ke {\n"                                                             \
  "          A[i, j] -= A[i, k] * A[k, j]\n"                                                       \
  "        }\n"                                                                                    \
  "      }\n"                                                                                      \
  "    }\n"                                                                                        \
  "    ub: for jb in ke..N step 2 {\n"                                                             \
  "      for k in kb..ke {\n"                                                                      \
  "        ui: for i in k + 1..ke {\n"                                                             \
  "          uj: for j in jb..min(jb + 2, N) {\n"                                                  \
  "            A[i, j] -= A[i, k] * A[k, j]\n"                                                     \
  "          }\n"                                                                                  \
  "        }\n"                                                                                    \
  "      }\n"                                                                                      \
  "    }\n"                                                                                        \
  "  }\n"

/* PolyBench's LU nest. */
#define LU_NEST                                                                                    \
  "  for i in 0..N {\n"                                                                            \
  "    for j in 0..i {\n"                                                                          \
  "      for k in 0..j {\n"                                                                        \
  "        A[i, j] -= A[i, k] * A[k, j]\n"                                                         \
  "      }\n"                                                                                      \
  "      A[i, j] /= A[j, j]\n"                                                                     \
  "    }\n"                                                                                        \
  "    uj: for j in i..N {\n"                                                                      \
  "      uk: for k in 0..i {\n"                                                                    \
  "        A[i, j] -= A[i, k] * A[k, j]\n"                                                         \
  "      }\n"                                                                                      \
  "    }\n"                                                                                        \
  "  }\n"

/* Column strips of a prefix sum down the rows (strip width w, step 4). */
#define STRIPS(w)                                                                                  \
  "  sb: for jb in 0..N step 4 {\n"                                                                \
  "    for i in 1..N {\n"                                                                          \
  "      for j in jb..min(jb + " #w ", N) {\n"                                                     \
  "        L[i, j] = L[i - 1, j] + L[i, j]\n"                                                      \
  "      }\n"                                                                                      \
  "    }\n"                                                                                        \
  "  }\n"

/* Rows below row kb from a let (updated by `extra` or not). */
#define LET_ROWS(extra)                                                                            \
  "  for kb in 0..N step 4 {\n"                                                                    \
  "    let h = kb + 1\n"                                                                           \
  "    hi: for i in h..N {\n"                                                                      \
  "      A[i, kb] /= A[kb, kb]\n"                                                                  \
  "    }\n"                                                                                        \
  "    " extra "\n"                                                                                \
  "  }\n"

/* A dot product per row into a local. */
#define DOT(update)                                                                                \
  "  for i in 0..N {\n"                                                                            \
  "    let s = 0.0\n"                                                                              \
  "    dk: for k in 0..N {\n"                                                                      \
  "      " update "\n"                                                                             \
  "    }\n"                                                                                        \
  "    x[i] = s\n"                                                                                 \
  "  }\n"

static const dep_case legal[] = {
    /* rows below the diagonal block never meet its rows (i >= ke > k) */
    {LU_BLOCK, "  schedule loops\n    parallel li\n", "", "omp for"},
    /* j > k: the column being eliminated is not written in the j loop */
    {LU_BLOCK, "  schedule loops\n    vectorize lj\n", "", "#pragma omp simd"},
    /* strips of width 2 under a loop of step 2 are disjoint */
    {LU_BLOCK, "  schedule loops\n    parallel ub\n    vectorize uj\n", "", NULL},
    /* i > k (k's range from the enclosing loop) */
    {LU_BLOCK, "  schedule loops\n    parallel ui\n", "", NULL},
    /* the outer j loop carries no dependence: interchange, then j inner */
    {LU_NEST, "  schedule loops\n    reorder uj, uk\n    vectorize uj\n    unroll uj by 4\n", "",
     "#pragma GCC ivdep"},
    {STRIPS(4), "  schedule loops\n    parallel sb\n", "", NULL},
    /* strip-mining by split keeps the strips disjoint */
    {"  sj: for j in 0..N {\n    for i in 1..N {\n      L[i, j] = L[i - 1, j] + L[i, j]\n    }\n  "
     "}\n",
     "  schedule loops\n    split sj by 4\n    parallel sjo\n", "", NULL},
    /* a let's value bounds the range: i >= kb + 1 > kb */
    {LET_ROWS(""), "  schedule loops\n    parallel hi\n", "", NULL},
    {DOT("s += A[i, k] * A[k, i]"), "  schedule loops\n    vectorize dk\n", "", "reduction(+:s)"},
    {DOT("s -= A[i, k] * A[k, i]"), "  schedule loops\n    vectorize dk\n    unroll dk by 2\n", "",
     "reduction(+:s, tt_c0_1)"},
};

static const dep_case illegal[] = {
    /* i starts at k: row k itself is in the loop */
    {"  for k in 0..N {\n    ri: for i in k..N {\n      A[i, k] /= A[k, k]\n    }\n  }\n",
     "  schedule loops\n    parallel ri\n",
     "cannot parallelize loop 'ri': A[i, k] written in one iteration may be read as A[k, k] in "
     "another",
     NULL},
    /* strips of width 5 under a loop of step 4 overlap */
    {STRIPS(5), "  schedule loops\n    parallel sb\n",
     "cannot parallelize loop 'sb': L[i, j] written in one iteration may be written as L[i, j] in "
     "another",
     NULL},
    /* the rows loop of the prefix sum is sequential */
    {STRIPS(4), "  schedule loops\n    parallel i\n",
     "cannot parallelize loop 'i': L[i, j] written in one iteration may be read as L[i - 1, j] in "
     "another",
     NULL},
    /* a sum is a dependence for parallel loops */
    {DOT("s += A[i, k]"), "  schedule loops\n    parallel dk\n",
     "cannot parallelize loop 'dk': scalar 's' is updated in every iteration", NULL},
    /* ... and for vectorized ones when it is read or not a sum */
    {DOT("s += A[i, k] * s"), "  schedule loops\n    vectorize dk\n",
     "cannot vectorize loop 'dk': scalar 's' is updated in every iteration", NULL},
    {DOT("s *= A[i, k]"), "  schedule loops\n    vectorize dk\n",
     "cannot vectorize loop 'dk': scalar 's' is updated in every iteration", NULL},
    /* different multiples of the loop variable may meet */
    {"  di: for i in 0..N // 2 {\n    x[2 * i] = x[i] + 1.0\n  }\n",
     "  schedule loops\n    vectorize di\n",
     "cannot vectorize loop 'di': x[2 * i] written in one iteration may be read as x[i] in another",
     NULL},
    /* the k loop of the U part updates the same A[i, j]: it must stay inside */
    {LU_NEST, "  schedule loops\n    vectorize uk\n",
     "cannot vectorize loop 'uk': A[i, j] written in one iteration may be written as A[i, j] in "
     "another",
     NULL},
    /* the L part reads what earlier j iterations wrote */
    {"  for i in 0..N {\n    lj: for j in 0..i {\n      for k in 0..j {\n        A[i, j] -= A[i, "
     "k] * "
     "A[k, j]\n      }\n    }\n  }\n",
     "  schedule loops\n    parallel lj\n",
     "cannot parallelize loop 'lj': A[i, j] written in one iteration may be read as A[i, k] in "
     "another",
     NULL},
    /* the value of an updated let says nothing */
    {LET_ROWS("h += 1"), "  schedule loops\n    parallel hi\n",
     "cannot parallelize loop 'hi': A[i, kb] written in one iteration may be read as A[kb, kb] in "
     "another",
     NULL},
    /* an outer loop whose iterations depend on each other stays outside */
    {"  for i in 1..N {\n    for j in 0..N {\n      L[i, j] = L[i - 1, j] + L[i, j]\n    }\n  }\n",
     "  schedule loops\n    reorder i, j\n",
     "cannot reorder loops: L[i, j] written in one iteration may be read as L[i - 1, j] in another",
     NULL},
    /* the same element in every iteration */
    {"  mi: for i in 0..N {\n    x[0] = x[i]\n  }\n", "  schedule loops\n    parallel mi\n",
     "cannot parallelize loop 'mi': x[0] written in one iteration may be written as x[0] in "
     "another",
     NULL},
};

/* Lowers head + body + a template with steps; on success prints the C into
 * *code (heap, caller frees). */
static tt_status lower_case(const dep_case *c, tt_error *err, char **code) {
  tt_arena *a = tt_arena_new();
  tt_str text = {0};
  tt_str_printf(&text, "%s%stemplate t\n%s", head, c->body, c->steps);
  tt_kernel_def **ks = NULL;
  size_t n = 0, nk = 0;
  tt_status st = tt_lang_parse(a, "case.te", tt_str_cstr(&text), &ks, &n, err);
  if (st != TT_OK) fail_msg("case does not parse: %s\n%s", err->msg, tt_str_cstr(&text));
  tt_knob_values *kv = NULL;
  st = tt_template_knobs(a, ks[0], &ks[0]->templates[0], ks[0]->sizes[0].values, &kv, &nk, err);
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_lowered l;
  if (st == TT_OK)
    st = tt_lower(a, ks[0], ks[0]->sizes[0].values, &ks[0]->templates[0], &cfg, &l, err);
  if (st == TT_OK) {
    tt_codegen_opts o = {.size_name = "mini"};
    *code = tt_codegen(&tt_dialect_c, &l, &o);
  }
  tt_sched_config_free(&cfg);
  tt_str_free(&text);
  tt_arena_free(a);
  return st;
}

static void test_legal_loops(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof legal / sizeof *legal; i++) {
    tt_error err = {0};
    char *code = NULL;
    tt_status st = lower_case(&legal[i], &err, &code);
    if (st != TT_OK) fail_msg("legal case %zu fails: %s", i, err.msg);
    if (legal[i].code && !strstr(code, legal[i].code))
      fail_msg("legal case %zu: no \"%s\" in\n%s", i, legal[i].code, code);
    free(code);
  }
}

static void test_illegal_loops(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof illegal / sizeof *illegal; i++) {
    tt_error err = {0};
    char *code = NULL;
    tt_status st = lower_case(&illegal[i], &err, &code);
    free(code);
    if (st != TT_ERR_USAGE || !strstr(err.msg, illegal[i].want))
      fail_msg("case %zu: want \"%s\", got status %d \"%s\"", i, illegal[i].want, (int)st, err.msg);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_legal_loops),
      cmocka_unit_test(test_illegal_loops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
