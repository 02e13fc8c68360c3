/* Robustness of the dataset readers behind `tetune replay`: small datasets
 * in each format (Kernel Tuner cache JSON, T4 results JSON with its T1
 * space file, CSV), mutated at random, must either load (and then replay a
 * short random search) or fail with one line that names the file. Never a
 * crash: the suite also runs under ASan and UBSan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fault/mutate.h"
#include "tetune/objective.h"
#include "tetune/search.h"

/* Mutants per original file. */
#define MUTANTS 1000

static const char kt_cache[] =
    "{\n\"tune_params_keys\": [\"a\", \"b\"],\n"
    "\"tune_params\": {\"a\": [1, 2, 4], \"b\": [8, 16]},\n"
    "\"objective\": \"time\",\n\"cache\": {\n"
    "\"1,8\": {\"a\": 1, \"b\": 8, \"time\": 3.5},\n"
    "\"1,16\": {\"a\": 1, \"b\": 16, \"time\": 2.25},\n"
    "\"2,8\": {\"a\": 2, \"b\": 8, \"time\": \"CompilationFailedConfig\"},\n"
    "\"2,16\": {\"a\": 2, \"b\": 16, \"time\": 1.5},\n"
    "\"4,8\": {\"a\": 4, \"b\": 8, \"time\": 4.0},\n"
    "\"4,16\": {\"a\": 4, \"b\": 16, \"time\": \"RuntimeFailedConfig\"}\n}\n}\n";

static const char t4_results[] =
    "{\n\"schema_version\": \"1.0.0\",\n\"results\": [\n"
    "{\"configuration\": {\"x\": 16, \"y\": 1, \"p\": 0}, \"invalidity\": \"correct\",\n"
    " \"measurements\": [{\"name\": \"time\", \"value\": 5.5, \"unit\": \"\"}]},\n"
    "{\"configuration\": {\"x\": 32, \"y\": 1, \"p\": 0}, \"invalidity\": \"correct\",\n"
    " \"measurements\": [{\"name\": \"time\", \"value\": 4.0, \"unit\": \"\"}]},\n"
    "{\"configuration\": {\"x\": 16, \"y\": 2, \"p\": 1}, \"invalidity\": \"runtime\",\n"
    " \"measurements\": [{\"name\": \"time\", \"value\": \"RuntimeFailedConfig\", \"unit\": "
    "\"\"}]},\n"
    "{\"configuration\": {\"x\": 32, \"y\": 2, \"p\": 1}, \"invalidity\": \"correct\",\n"
    " \"measurements\": [{\"name\": \"time\", \"value\": 2.5, \"unit\": \"\"}]}\n"
    "]\n}\n";

static const char t1_space[] =
    "{\n\"ConfigurationSpace\": {\n\"TuningParameters\": [\n"
    "{\"Name\": \"x\", \"Type\": \"int\", \"Values\": \"[16, 32]\", \"Default\": 16},\n"
    "{\"Name\": \"y\", \"Type\": \"int\", \"Values\": \"[1, 2]\", \"Default\": 1},\n"
    "{\"Name\": \"p\", \"Type\": \"int\", \"Values\": \"[0, 1]\", \"Default\": 0}\n],\n"
    "\"Conditions\": [\n"
    "{\"Expression\": \"p==0 or y != 1\", \"Parameters\": [\"p\", \"y\"]},\n"
    "{\"Expression\": \"x*y <= 64 and (x // 16) % 3 != 2\", \"Parameters\": [\"x\", \"y\"]}\n"
    "]\n}\n}\n";

static const char csv[] = "block,unroll,layout,time\n"
                          "8,1,row,4.5\n8,2,row,3.25\n16,1,row,2.0\n16,2,row,\n"
                          "8,1,col,5.0\n8,2,col,4.0\n16,1,col,1.75\n16,2,col,nan\n";

static size_t problems;

/* 1 when msg is one non-empty line. */
static int one_line(const char *msg) {
  return msg[0] != '\0' && strchr(msg, '\n') == NULL;
}

/* Loads path; a failure must be one line naming the file; a success must
 * replay. Returns 1 when it loaded. */
static int check(const char *path, const char *space_file, const char *text) {
  tt_dataset_options opt = {space_file, NULL};
  tt_error err = {0};
  tt_objective *o = tt_objective_load(path, &opt, &err);
  if (!o) {
    if (!one_line(err.msg) ||
        (!strstr(err.msg, path) && !strstr(err.msg, space_file ? space_file : "\x01")))
      if (problems++ < 20) printf("bad error \"%s\"\n--- mutant:\n%s\n---\n", err.msg, text);
    return 0;
  }
  const tt_space *s = tt_objective_space(o);
  tt_strategy *st = tt_strategy_new("random", s, 1, NULL, &err);
  assert_non_null(st);
  uint32_t cfg[64];
  assert_true(tt_space_num_knobs(s) <= 64);
  for (int i = 0; i < 5 && tt_strategy_ask(st, 1, cfg) == 1; i++) {
    double v = 0;
    tt_outcome out = tt_objective_eval(o, cfg, &v);
    assert_true(out != TT_OUTCOME_OK || v == v); /* no NaN time */
    tt_strategy_tell(st, cfg, out, v);
  }
  tt_strategy_free(st);
  tt_objective_free(o);
  return 1;
}

/* Writes text to path. */
static void put(const char *path, const char *text) {
  tt_error err = {0};
  assert_int_equal(tt_file_write(path, text, strlen(text), &err), TT_OK);
}

/* Mutates original MUTANTS times as file name in dir (with the space
 * file, when given, written unmutated next to it or mutated itself). */
static void run_format(const char *dir, const char *name, const char *original,
                       const char *space_name, const char *space_text, int mutate_space) {
  char path[512], spath[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(spath, sizeof spath, "%s/%s", dir, space_name ? space_name : "none");
  size_t loaded = 0;
  put(path, original);
  if (space_name) put(spath, space_text);
  assert_int_equal(check(path, space_name ? spath : NULL, original), 1); /* the original loads */
  for (int m = 0; m < MUTANTS; m++) {
    tt_str text;
    tt_mutate(mutate_space ? space_text : original, &text);
    for (uint64_t extra = tt_mut_rnd(3); extra > 0; extra--) {
      tt_str next;
      tt_mutate(tt_str_cstr(&text), &next);
      tt_str_free(&text);
      text = next;
    }
    put(mutate_space ? spath : path, tt_str_cstr(&text));
    loaded += (size_t)check(path, space_name ? spath : NULL, tt_str_cstr(&text));
    tt_str_free(&text);
  }
  printf("%s%s: %d mutants, %zu loaded\n", mutate_space ? "space of " : "", name, MUTANTS, loaded);
  remove(path);
  if (space_name) remove(spath);
  assert_true(loaded > 0 && loaded < MUTANTS); /* both paths were exercised */
}

static void test_mutated_datasets(void **state) {
  (void)state;
  char dir[] = "/tmp/tt-dsmut-XXXXXX";
  assert_non_null(mkdtemp(dir));
  tt_mut_rng = 0x2545f4914f6cdd1dULL;
  run_format(dir, "k_cache.json", kt_cache, NULL, NULL, 0);
  run_format(dir, "k_a.t4.json", t4_results, "k.t1.json", t1_space, 0);
  run_format(dir, "k_a.t4.json", t4_results, "k.t1.json", t1_space, 1);
  run_format(dir, "k.csv", csv, NULL, NULL, 0);
  remove(dir);
  assert_int_equal(problems, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mutated_datasets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
