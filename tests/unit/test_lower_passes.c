/* The lowering driver's pass log (tt_lower_logged, `tetune show --passes`):
 * the passes appear in the driver's order, each section is the statement
 * that pass produced (the last ones are exactly the lowered body and
 * init), a pass that changes nothing leaves its input as it was, and a
 * failing pass ends the log at the last pass that succeeded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tetune/lang.h"
#include "tetune/lower.h"

/* An in-place dot product per row (vectorized and unrolled: chunked into
 * partial sums) followed by a compute stage. */
static const char kernel[] = "kernel k(N) f64\n"
                             "  sizes mini(16)\n"
                             "  inout A[N, N], C[N, N]\n"
                             "  inout x[N]\n"
                             "  init A[i, j] = (i + j + 1) / N\n"
                             "  init C[i, j] = 0\n"
                             "  init x[i] = i\n"
                             "  for i in 0..N {\n"
                             "    let s = 0.0\n"
                             "    dk: for k in 0..N {\n"
                             "      s += A[i, k] * A[k, i]\n"
                             "    }\n"
                             "    x[i] = s\n"
                             "  }\n"
                             "  compute C[i, j] = C[i, j] + sum(k: A[i, k] * A[k, j])\n"
                             "template t\n"
                             "  schedule loops\n"
                             "    vectorize dk\n"
                             "    unroll dk by %s\n"
                             "  schedule C\n"
                             "    split j by 4\n"
                             "%s";

typedef struct lowered_case {
  tt_arena *a;
  tt_kernel_def *k;
  tt_lowered l;
  tt_str log;
  tt_error err;
  tt_status st;
} lowered_case;

/* Lowers the kernel with `unroll dk by unroll` and more steps for stage C
 * (the template, or the reference when reference is 1), logging the
 * passes. */
static void lower_case(lowered_case *c, const char *unroll, const char *steps, int reference) {
  memset(c, 0, sizeof *c);
  c->a = tt_arena_new();
  tt_str text = {0};
  tt_str_printf(&text, kernel, unroll, steps);
  tt_kernel_def **ks = NULL;
  size_t n = 0;
  if (tt_lang_parse(c->a, "case.te", tt_str_cstr(&text), &ks, &n, &c->err) != TT_OK)
    fail_msg("case does not parse: %s", c->err.msg);
  tt_str_free(&text);
  c->k = ks[0];
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  c->st = tt_lower_logged(c->a, c->k, c->k->sizes[0].values, reference ? NULL : &c->k->templates[0],
                          reference ? NULL : &cfg, &c->l, &c->log, &c->err);
  tt_sched_config_free(&cfg);
}

static void free_case(lowered_case *c) {
  tt_str_free(&c->log);
  tt_arena_free(c->a);
}

/* The text of section `name` of the log (heap), or NULL when absent. */
static char *section(const tt_str *log, const char *name) {
  char head[100];
  snprintf(head, sizeof head, "# after %s\n", name);
  const char *text = tt_str_cstr(log), *p = strstr(text, head);
  if (!p || (p != text && p[-1] != '\n')) return NULL;
  p += strlen(head);
  const char *end = strstr(p, "\n# after ");
  size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
  char *s = malloc(len + 1);
  memcpy(s, p, len);
  s[len] = '\0';
  return s;
}

/* The names of the log's sections, in order, joined by commas (heap). */
static char *section_names(const tt_str *log) {
  tt_str names = {0};
  for (const char *p = tt_str_cstr(log); (p = strstr(p, "# after ")) != NULL;) {
    p += strlen("# after ");
    const char *nl = strchr(p, '\n');
    tt_str_printf(&names, "%s%.*s", names.len ? "," : "", (int)(nl - p), p);
    p = nl;
  }
  char *s = tt_xstrdup(tt_str_cstr(&names));
  tt_str_free(&names);
  return s;
}

static char *printed(const tt_stmt *s) {
  tt_str t = {0};
  tt_stmt_print(&t, s, 0);
  char *r = tt_xstrdup(tt_str_cstr(&t));
  tt_str_free(&t);
  return r;
}

static void test_passes_in_order(void **state) {
  (void)state;
  lowered_case c;
  lower_case(&c, "2", "", 0);
  if (c.st != TT_OK) fail_msg("lowering fails: %s", c.err.msg);
  char *names = section_names(&c.log);
  assert_string_equal(names,
                      "time_tile,loop_steps,chunk_reductions,check_unroll,stages,init: stages");
  free(names);
  /* The last sections are what tt_lower returns. */
  char *body = section(&c.log, "stages"), *want = printed(c.l.body);
  assert_string_equal(body, want);
  free(body);
  free(want);
  char *init = section(&c.log, "init: stages");
  want = printed(c.l.init);
  assert_string_equal(init, want);
  free(init);
  free(want);
  /* loop_steps marks the loop; chunk_reductions splits the sum into two
   * partial sums; check_unroll changes nothing; stages replaces the
   * compute stage by its loops (j split by 4: jo). */
  char *steps = section(&c.log, "loop_steps"), *chunks = section(&c.log, "chunk_reductions"),
       *check = section(&c.log, "check_unroll");
  assert_non_null(strstr(steps, "dk: for k in 0..N {  # vectorized"));
  assert_non_null(strstr(steps, "compute C[i, j]"));
  assert_null(strstr(steps, "tt_c0"));
  assert_non_null(strstr(chunks, "let tt_c0: int = max(N, 0) // 2"));
  assert_non_null(strstr(chunks, "tt_c0_1 += A[i, tt_c0 + tt_t0]"));
  assert_string_equal(chunks, check);
  body = section(&c.log, "stages");
  assert_null(strstr(body, "compute C"));
  assert_non_null(strstr(body, "for jo in 0..N step 4"));
  free(steps);
  free(chunks);
  free(check);
  free(body);
  free_case(&c);
}

static void test_reference_has_no_schedule_passes(void **state) {
  (void)state;
  lowered_case c;
  lower_case(&c, "2", "", 1);
  if (c.st != TT_OK) fail_msg("lowering fails: %s", c.err.msg);
  char *names = section_names(&c.log);
  assert_string_equal(names, "stages,init: stages");
  free(names);
  free_case(&c);
}

static void test_failing_pass_ends_the_log(void **state) {
  (void)state;
  lowered_case c;
  /* unroll by 0 fails in loop_steps: only the pass before it is logged */
  lower_case(&c, "0", "", 0);
  assert_int_equal(c.st, TT_ERR_USAGE);
  assert_non_null(strstr(c.err.msg, "unroll of 'dk' needs a positive factor"));
  char *before = section_names(&c.log);
  assert_string_equal(before, "time_tile");
  free(before);
  assert_null(c.l.body);
  free_case(&c);
  /* an illegal stage step fails in stages, after the in-place passes */
  lower_case(&c, "2", "    parallel k\n", 0);
  assert_int_equal(c.st, TT_ERR_USAGE);
  assert_non_null(strstr(c.err.msg, "stage C: cannot parallelize reduction loop 'k'"));
  char *names = section_names(&c.log);
  assert_string_equal(names, "time_tile,loop_steps,chunk_reductions,check_unroll");
  free(names);
  assert_null(c.l.body);
  assert_null(c.l.init);
  free_case(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_passes_in_order),
      cmocka_unit_test(test_reference_has_no_schedule_passes),
      cmocka_unit_test(test_failing_pass_ends_the_log),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
