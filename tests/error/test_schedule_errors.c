/* Every user-facing error of the schedule layer: an illegal template
 * (primitive applied where it is not legal) must fail lowering with the
 * expected message, naming the stage or loop and the reason. */
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

static const char base[] = "kernel mm(N) f64\n"
                           "  sizes mini(8) small(16)\n"
                           "  scalar beta = 1.5\n"
                           "  inout C[N, N]\n"
                           "  in A[N, N]\n"
                           "  in B[N, N]\n"
                           "  inout L[N, N]\n"
                           "  init A[i, j] = (i + j) / N\n"
                           "  init B[i, j] = (i * j % N) / N\n"
                           "  init L[i, j] = (i + 2*j + 1) / N\n"
                           "  compute C[i, j] = beta * C[i, j] + sum(k: A[i, k] * B[k, j])\n"
                           "  for i in 1..N {\n"
                           "    for j in 0..N {\n"
                           "      L[i, j] = L[i - 1, j] + L[i, j]\n"
                           "    }\n"
                           "  }\n"
                           "template t\n";

typedef struct error_case {
  const char *steps; /* template lines appended to base */
  const char *want;  /* substring of the expected message */
} error_case;

/* A loop name no configuration can have (split q, unroll zz, parallel q
 * on the loops) is a diagnostic when the file loads: test_lang_errors. */
static const error_case cases[] = {
    {"  schedule C\n    parallel k\n", "stage C: cannot parallelize reduction loop 'k'"},
    {"  schedule C\n    split i by 4\n    reorder i, io\n",
     "stage C: loop 'i' must be inside loop 'io'"},
    {"  schedule C\n    split i by 4\n    split i by 2\n", "stage C: axis 'i' is already split"},
    {"  schedule C\n    vectorize j\n    split i by 2\n",
     "stage C: split of 'i' must come before other steps on this stage"},
    {"  schedule C\n    fuse j, k\n", "stage C: cannot fuse reduction loops 'j' and 'k'"},
    {"  schedule C\n    split i by 2\n    fuse io, j\n",
     "stage C: cannot fuse 'io' and 'j': not directly nested"},
    {"  schedule C\n    split i by 4\n    cache_write at io\n    vectorize k\n",
     "stage C: cannot vectorize reduction loop 'k' unless it is the innermost loop accumulating "
     "into a scalar"},
    {"  schedule C\n    cache_read C at j\n", "stage C: cannot cache_read its output 'C'"},
    {"  schedule C\n    reorder i, j, k\n    cache_read L at j\n",
     "stage C: cache_read of 'L', which it does not read"},
    {"  schedule C\n    cache_write at k\n    reorder i, k, j\n",
     "stage C: reduction loop 'k' is outside the accumulation"},
    {"  schedule loops\n    parallel i\n", "cannot parallelize loop 'i': L[i, j] written in one "
                                           "iteration may be read as L[i - 1, j] in another"},
    {"  schedule loops\n    vectorize i\n", "cannot vectorize loop 'i'"},
    {"  schedule loops\n    split i by 2\n    split i by 2\n", "cannot split loop 'i' twice"},
    {"  schedule loops\n    parallel j\n    unroll j by 2\n",
     "loop 'j' cannot be both unrolled and parallel"},
    {"  schedule C\n    parallel j\n    unroll j by 2\n",
     "stage C: loop 'j' cannot be both unrolled and parallel"},
    {"  schedule C\n    vectorize k\n    unroll k by 2\n",
     "stage C: loop 'k' cannot be both unrolled and vectorized"},
    {"  schedule C\n    vectorize j by 8\n    unroll j by 2\n",
     "stage C: loop 'j' cannot be both unrolled and vectorized with a width"},
    {"  schedule loops\n    vectorize j by 4\n    unroll j by 2\n",
     "loop 'j' cannot be both unrolled and vectorized with a width"},
    {"  schedule C\n    vectorize j by 6\n",
     "vector width of 'j' must be a power of two from 1 to 64 lanes, not 6"},
    {"  schedule loops\n    vectorize j by 0\n",
     "vector width of 'j' must be a power of two from 1 to 64 lanes, not 0"},
    {"  schedule loops\n    cache_write at i\n",
     "this step is not supported on in-place loops (loop 'i')"},
    {"  schedule loops\n    bind i to block.x\n",
     "cannot bind loop 'i': L[i, j] written in one iteration"},
    {"  schedule loops\n    bind j to thread.x\n",
     "cannot bind loop 'j' to thread.x: a thread loop must be the inner loop of a split (split L "
     "by F), whose factor is the work-group size"},
    {"  schedule loops\n    split j by 4\n    bind jo to block.x\n    bind jo to block.y\n",
     "loop 'jo' is already bound to block.x"},
    {"  schedule loops\n    split j by 4\n    unroll j by 2\n    bind j to thread.x\n",
     "loop 'j' bound to thread.x cannot also be unrolled, parallel or vectorized"},
    {"  schedule loops\n    reorder i, j\n",
     "cannot reorder loops: L[i, j] written in one iteration"},
    /* reductions across the work-items of a group (bind of a reduction loop) */
    {"  schedule C\n    split k by 4\n    bind ko to block.x\n",
     "stage C: cannot bind reduction loop 'ko' to block.x: a reduction is shared only by the "
     "work-items of one group (bind it to a thread dimension)"},
    {"  schedule C\n    split k by 4, 2\n    bind km to thread.x\n    bind k to thread.y\n",
     "stage C: reduction loops 'km' and 'k' are both bound to threads: only one reduction loop "
     "can be spread over a group's work-items"},
    {"  schedule C\n    split k by 4\n    reorder i, ko, j, k\n    bind k to thread.x\n",
     "stage C: loop 'j' is inside reduction loop 'ko': a reduction bound to threads ('k') needs "
     "the reduction loops innermost"},
    {"  schedule C\n    split k by 4\n    cache_write at j\n    bind k to thread.x\n",
     "stage C: cache_write cannot accumulate a reduction bound to threads (loop 'k')"},
};

/* A stencil (reads at neighbouring indices) and a strided read, for the
 * halo of a staged tile. */
static const char stencil[] = "kernel st(N) f64\n"
                              "  sizes mini(64)\n"
                              "  in A[N]\n"
                              "  out B[N], D[N]\n"
                              "  init A[i] = i / N\n"
                              "  compute B[i] = A[i - 1] + A[1 + i] for i in 1..N - 1\n"
                              "  compute D[i] = A[i // 2] for i in 0..N\n"
                              "template t\n";

static const error_case stencil_cases[] = {
    {"  schedule B\n    split i by 16\n    cache_read A at io\n",
     "stage B: cache_read of 'A' reads it at neighbouring indices: only a tile staged in local "
     "memory takes a halo (cache_read A at L local)"},
    {"  schedule D\n    split i by 16\n    bind io to block.x\n    bind i to thread.x\n"
     "    cache_read A at io local\n",
     "stage D: cache_read of 'A' needs each index to be a loop variable (plus a constant, in "
     "local memory)"},
    {"  schedule B\n    split i by 16\n    cache_read A at io local\n",
     "stage B: cache_read A local needs loops bound to threads"},
};

/* A triangle (j's range uses i) and a reduction whose range uses i: legal
 * while their loops stay inside i's (issue 31: the C used i outside its
 * loop, a compile error reported as an internal error). */
static const char triangle[] = "kernel tr(N) f64\n"
                               "  sizes mini(16)\n"
                               "  in A[N, N]\n"
                               "  inout T[N, N], S[N]\n"
                               "  init A[i, j] = (i + j) / N\n"
                               "  init T[i, j] = 0\n"
                               "  init S[i] = 0\n"
                               "  compute T[i, j] += sum(k: A[i, k] * A[j, k]) for i in 0..N, j in "
                               "0..min(i + 1, N)\n"
                               "  compute S[i] = sum(k in 0..i + 1: A[i, k])\n"
                               "template t\n";

static const error_case triangle_cases[] = {
    {"  schedule T\n    reorder j, i, k\n",
     "stage T: loop 'j' runs outside loop 'i', but the range of 'j' uses 'i': keep every loop of "
     "'j' inside loop 'i'"},
    {"  schedule T\n    split j by 4\n    reorder jo, i, j, k\n",
     "stage T: loop 'jo' runs outside loop 'i'"},
    {"  schedule T\n    split i by 4\n    reorder io, j, i, k\n",
     "stage T: loop 'j' runs outside loop 'i'"},
    {"  schedule S\n    reorder k, i\n",
     "stage S: loop 'k' runs outside loop 'i', but the range of 'k' uses 'i'"},
};

/* Parses kernel + steps and lowers it with the default configuration. */
static tt_status lower_text(const char *kernel, const error_case *c, tt_error *err) {
  tt_arena *a = tt_arena_new();
  tt_str text = {0};
  tt_str_append(&text, kernel);
  tt_str_append(&text, c->steps);
  tt_kernel_def **ks = NULL;
  size_t n = 0, nk = 0;
  tt_status st = tt_lang_parse(a, "case.te", tt_str_cstr(&text), &ks, &n, err);
  if (st != TT_OK) fail_msg("case does not parse: %s", err->msg);
  tt_knob_values *kv = NULL;
  st = tt_template_knobs(a, ks[0], &ks[0]->templates[0], ks[0]->sizes[0].values, &kv, &nk, err);
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_lowered l;
  if (st == TT_OK)
    st = tt_lower(a, ks[0], ks[0]->sizes[0].values, &ks[0]->templates[0], &cfg, &l, err);
  tt_sched_config_free(&cfg);
  tt_str_free(&text);
  tt_arena_free(a);
  return st;
}

static tt_status lower_case(const error_case *c, tt_error *err) {
  return lower_text(base, c, err);
}

static void test_schedule_errors(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tt_error err = {0};
    tt_status st = lower_case(&cases[i], &err);
    if (st != TT_ERR_USAGE || !strstr(err.msg, cases[i].want))
      fail_msg("case %zu: want \"%s\", got status %d \"%s\"", i, cases[i].want, (int)st, err.msg);
  }
}

static void test_halo_errors(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof stencil_cases / sizeof *stencil_cases; i++) {
    tt_error err = {0};
    tt_status st = lower_text(stencil, &stencil_cases[i], &err);
    if (st != TT_ERR_USAGE || !strstr(err.msg, stencil_cases[i].want))
      fail_msg("stencil case %zu: want \"%s\", got status %d \"%s\"", i, stencil_cases[i].want,
               (int)st, err.msg);
  }
  error_case ok = {"  schedule B\n    split i by 16\n    bind io to block.x\n    bind i to "
                   "thread.x\n    cache_read A at io local\n",
                   ""};
  tt_error err = {0};
  if (lower_text(stencil, &ok, &err) != TT_OK) fail_msg("staged halo fails: %s", err.msg);
}

static void test_dependent_ranges(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof triangle_cases / sizeof *triangle_cases; i++) {
    tt_error err = {0};
    tt_status st = lower_text(triangle, &triangle_cases[i], &err);
    if (st != TT_ERR_USAGE || !strstr(err.msg, triangle_cases[i].want))
      fail_msg("triangle case %zu: want \"%s\", got status %d \"%s\"", i, triangle_cases[i].want,
               (int)st, err.msg);
  }
  static const error_case ok[] = {
      {"  schedule T\n    split i by 4\n    split j by 4\n    reorder io, i, jo, j, k\n", ""},
      {"  schedule T\n    split i by 4\n    reorder io, i, k, j\n    vectorize j\n", ""},
      {"  schedule S\n    split i by 4\n    parallel io\n", ""},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    tt_error err = {0};
    if (lower_text(triangle, &ok[i], &err) != TT_OK) fail_msg("legal case %zu: %s", i, err.msg);
  }
}

/* The same kernel with legal schedules lowers fine (the cases above fail
 * for the stated reason, not because the base is broken). */
static void test_legal_schedules(void **state) {
  (void)state;
  static const error_case ok[] = {
      {"  schedule C\n    split i by 4\n    split k by 4\n    cache_write at io\n", ""},
      {"  schedule C\n    split k by 4\n    reorder i, j, ko, k\n    vectorize k\n", ""},
      {"  schedule C\n    split i by 4\n    split j by 4\n    reorder io, jo, i, j, k\n    fuse "
       "io, jo\n    parallel io_jo\n",
       ""},
      {"  schedule loops\n    parallel j\n", ""},
      {"  schedule loops\n    split j by 4\n", ""},
      {"  schedule loops\n    split j by 4\n    bind jo to block.x\n    bind j to thread.x\n", ""},
      {"  schedule C\n    split k by 4\n    reorder ko, i, j, k\n", ""},
      {"  schedule C\n    split i by 4\n    split k by 4\n    bind io to block.x\n    bind i to "
       "thread.y\n    bind k to thread.x\n",
       ""},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    tt_error err = {0};
    if (lower_case(&ok[i], &err) != TT_OK) fail_msg("legal case %zu fails: %s", i, err.msg);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_schedule_errors),
      cmocka_unit_test(test_legal_schedules),
      cmocka_unit_test(test_halo_errors),
      cmocka_unit_test(test_dependent_ranges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
