/* Robustness of the front end: every shipped kernel file, mutated at
 * random (bytes deleted, inserted or replaced, lines dropped, duplicated or
 * swapped, numbers made huge, zero or negative), must either build (parse,
 * knobs, lowering and C generation of the default configuration and the
 * reference) or fail with one line; a parse error must point into the file
 * as "file:line:col: ". Never a crash: the suite also runs under ASan and
 * UBSan. The mutations are deterministic (a fixed seed per file). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/job.h"
#include "fault/mutate.h"
#include "tetune/lang.h"

/* Mutants per kernel file. */
#define MUTANTS 200

/* Problems found (each printed); the test fails when any. */
static size_t problems;

static void problem(const char *what, const char *msg, const char *text) {
  if (problems++ < 20) printf("%s: \"%s\"\n--- mutant:\n%s\n---\n", what, msg, text);
}

/* 1 when msg is one non-empty line. */
static int one_line(const char *msg) {
  return msg[0] != '\0' && strchr(msg, '\n') == NULL;
}

/* Checks one mutant written at path; returns 1 when it built. */
static int check_mutant(const char *path, const char *text) {
  tt_arena *a = tt_arena_new();
  tt_kernel_def **ks = NULL;
  size_t n = 0;
  tt_error err = {0};
  tt_status st = tt_lang_parse(a, path, text, &ks, &n, &err);
  int built = 0;
  if (st != TT_OK) {
    size_t plen = strlen(path);
    int line = 0, col = 0;
    if (strncmp(err.msg, path, plen) != 0 || sscanf(err.msg + plen, ":%d:%d: ", &line, &col) != 2 ||
        line < 1 || col < 1 || !one_line(err.msg))
      problem("parse error is not 'file:line:col: message'", err.msg, text);
  } else {
    for (size_t k = 0; k < n; k++) {
      /* Every template, or once without one when the kernel has none. */
      size_t nt = ks[k]->ntemplates ? ks[k]->ntemplates : 1;
      for (size_t t = 0; t < nt; t++) {
        tt_job j;
        memset(&j, 0, sizeof j);
        tt_error e = {0};
        char spec[4096];
        snprintf(spec, sizeof spec, "%s:%s", path, ks[k]->name);
        const char *tmpl = ks[k]->ntemplates ? ks[k]->templates[t].name : NULL;
        if (tt_job_open(&j, spec, ks[k]->sizes[0].name, tmpl, &e) == TT_OK) {
          /* The default configuration (as the loader builds it), its
           * standalone export, and the naive reference. */
          const uint32_t *cfgs[3] = {j.defaults, j.defaults, NULL};
          for (int c = 0; c < 3; c++) {
            char *src = NULL;
            tt_error e2 = {0};
            if (tt_job_source(&j, cfgs[c], c != 1, c == 1, &src, &e2) == TT_OK)
              built += c == 0;
            else if (!one_line(e2.msg))
              problem("source error not one line", e2.msg, text);
            free(src);
          }
        }
        tt_job_close(&j);
        if (e.status != TT_OK && !one_line(e.msg)) problem("job error not one line", e.msg, text);
      }
    }
  }
  tt_arena_free(a);
  return built;
}

static void test_mutated_kernels(void **state) {
  (void)state;
  char dir[1024], tmp[] = "/tmp/tt-mutants-XXXXXX";
  snprintf(dir, sizeof dir, "%s/kernels", TT_SOURCE_DIR);
  assert_non_null(mkdtemp(tmp));
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *de;
  size_t files = 0, total = 0, built = 0;
  while ((de = readdir(d)) != NULL) {
    size_t nlen = strlen(de->d_name);
    if (nlen < 4 || strcmp(de->d_name + nlen - 3, ".te") != 0) continue;
    char path[2048], mpath[2048];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    snprintf(mpath, sizeof mpath, "%s/m.te", tmp);
    char *src = tt_file_read(path, NULL, NULL);
    assert_non_null(src);
    tt_mut_rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)nlen * 1315423911u ^ (uint64_t)de->d_name[0];
    for (int m = 0; m < MUTANTS; m++) {
      /* One to three mutations on top of each other. */
      tt_str text;
      tt_mutate(src, &text);
      for (uint64_t extra = tt_mut_rnd(3); extra > 0; extra--) {
        tt_str next;
        tt_mutate(tt_str_cstr(&text), &next);
        tt_str_free(&text);
        text = next;
      }
      tt_error err = {0};
      assert_int_equal(tt_file_write(mpath, tt_str_cstr(&text), text.len, &err), TT_OK);
      built += (size_t)check_mutant(mpath, tt_str_cstr(&text));
      total++;
      tt_str_free(&text);
    }
    free(src);
    files++;
  }
  closedir(d);
  char mpath[2048];
  snprintf(mpath, sizeof mpath, "%s/m.te", tmp);
  remove(mpath);
  rmdir(tmp);
  printf("%zu kernel files, %zu mutants, %zu built\n", files, total, built);
  assert_true(files >= 15);
  assert_int_equal(problems, 0);
  /* Many mutations are harmless (a comment, a knob value): some must build,
   * or the check above never reached lowering. */
  assert_true(built > total / 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mutated_kernels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
