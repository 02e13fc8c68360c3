/* The C that tetune prints for a kernel given as text, for the unit tests
 * that check the generated code (test_simdlen, test_region,
 * test_alloc_hoist, test_let_ctype, test_par_sched). */
#ifndef TT_TESTS_CODEGEN_CASE_H
#define TT_TESTS_CODEGEN_CASE_H

#include <string.h>

#include "tetune/codegen.h"
#include "tetune/lang.h"
#include "tetune/lower.h"

/* The C of text's first kernel at its first size: its first template
 * lowered under cfg, or the naive reference when cfg is NULL (heap). Fails
 * the test when the text does not parse; NULL with *err set when lowering
 * fails. */
static inline char *codegen_case(const char *text, const tt_sched_config *cfg, tt_error *err) {
  tt_arena *a = tt_arena_new();
  tt_kernel_def **ks = NULL;
  size_t n = 0;
  if (tt_lang_parse(a, "case.te", text, &ks, &n, err) != TT_OK)
    fail_msg("case does not parse: %s", err->msg);
  tt_lowered l;
  char *c = NULL;
  const tt_template *t = cfg ? &ks[0]->templates[0] : NULL;
  if (tt_lower(a, ks[0], ks[0]->sizes[0].values, t, cfg, &l, err) == TT_OK) {
    tt_codegen_opts o = {.size_name = "mini"};
    c = tt_codegen(&tt_dialect_c, &l, &o);
  }
  tt_arena_free(a);
  return c;
}

/* The C of text's first template under its default configuration (heap);
 * fails the test when lowering fails. */
static inline char *codegen_default(const char *text) {
  tt_sched_config cfg;
  tt_sched_config_init(&cfg);
  tt_error err = {0};
  char *c = codegen_case(text, &cfg, &err);
  if (!c) fail_msg("lowering fails: %s", err.msg);
  tt_sched_config_free(&cfg);
  return c;
}

/* Occurrences of needle in the kernel function of c (after "void tt_k("). */
static inline int codegen_count(const char *c, const char *needle) {
  const char *s = strstr(c, "void tt_k(");
  assert_non_null(s);
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

#endif
