/* Unit tests for objectives: synthetic functions against independent
 * computations, the two recorded datasets (record counts and optima found
 * by scanning the files independently), CSV datasets, T1 value lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "objective/objective_impl.h"
#include "tetune/objective.h"

#define PNPOLY TT_DATA_DIR "/pnpoly_RTX_3090.kt-cache.json.gz"
#define CONV TT_DATA_DIR "/convolution_A4000.t4.json.gz"

/* The whole output of `gzip -dc path`, parsed (independent of the loader). */
static cJSON *read_gz_json(const char *path) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
  FILE *f = popen(cmd, "r");
  assert_non_null(f);
  size_t len = 0, cap = 1 << 20;
  char *buf = malloc(cap);
  size_t n;
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0)
    if ((len += n) + 1 == cap) buf = realloc(buf, cap *= 2);
  buf[len] = '\0';
  assert_int_equal(pclose(f), 0);
  cJSON *root = cJSON_Parse(buf);
  free(buf);
  assert_non_null(root);
  return root;
}

/* Population counts: all, and ok (finite). */
static void population(const tt_objective *o, size_t *all, size_t *ok) {
  const double *v = tt_objective_values(o, all);
  *ok = 0;
  for (size_t i = 0; i < *all; i++) {
    *ok += isfinite(v[i]) != 0;
    if (i > 0) assert_true(v[i - 1] <= v[i]); /* sorted */
  }
}

static void test_synthetic(void **state) {
  (void)state;
  tt_error err = {0};
  tt_objective *o = tt_objective_synthetic("branin", &err);
  assert_non_null(o);
  double best = INFINITY;
  for (int i = 0; i < 61; i++)
    for (int j = 0; j < 61; j++) {
      double x = -5 + 15.0 * i / 60, y = 15.0 * j / 60;
      double r = y - 5.1 / (4 * M_PI * M_PI) * x * x + 5 / M_PI * x - 6;
      best = fmin(best, r * r + 10 * (1 - 1 / (8 * M_PI)) * cos(x) + 10);
    }
  assert_true(fabs(tt_objective_optimum(o) - best) < 1e-12);
  assert_true(best > 0.3978 && best < 0.45);
  assert_string_equal(tt_objective_name(o), "synthetic:branin");
  tt_objective_free(o);
  const char *ones[] = {"ackley", "rosenbrock"};
  for (int i = 0; i < 2; i++) {
    o = tt_objective_synthetic(ones[i], &err);
    assert_true(fabs(tt_objective_optimum(o) - 1) < 1e-9);
    size_t all, ok;
    population(o, &all, &ok);
    assert_int_equal(all, ok);
    assert_int_equal(all, i == 0 ? 21 * 21 * 21 * 21 : 17 * 17 * 17 * 17);
    tt_objective_free(o);
  }
  assert_null(tt_objective_synthetic("sphere", &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "unknown synthetic function 'sphere'"));
  assert_string_equal(tt_objective_synthetic_names()[0], "branin");
}

static void test_tiles_landscape(void **state) {
  (void)state;
  tt_objective *o = tt_objective_open("synthetic:tiles", NULL, NULL);
  assert_non_null(o);
  const tt_space *s = tt_objective_space(o);
  size_t all, ok;
  population(o, &all, &ok);
  int exact;
  assert_true(tt_space_valid_size(s, &exact) == (double)all && exact);
  assert_true(all < tt_space_cartesian_size(s)); /* the constraint bites */
  assert_true(ok < all && ok > all / 2);         /* failures, but not too many */
  double v;
  uint32_t cfg[6] = {4, 1, 4, 0, 0, 1}; /* 16 x 2 x 16, vec with tj 2 */
  assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_COMPILE_ERROR);
  cfg[1] = 4;
  assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_OK);
  assert_true(v >= tt_objective_optimum(o));
  double again;
  tt_objective_eval(o, cfg, &again);
  assert_true(v == again);              /* deterministic noise */
  uint32_t big[6] = {8, 8, 8, 0, 0, 0}; /* 256^3: violates the constraint */
  assert_int_equal(tt_objective_eval(o, big, &v), TT_OUTCOME_INVALID);
  uint32_t huge[6] = {8, 8, 0, 0, 0, 0}; /* 256 x 256 buffer */
  assert_int_equal(tt_objective_eval(o, huge, &v), TT_OUTCOME_RUNTIME_ERROR);
  tt_objective_free(o);
}

/* pnpoly: every configuration recorded, 318 failures. */
static void test_kt_cache(void **state) {
  (void)state;
  cJSON *root = read_gz_json(PNPOLY);
  double best = INFINITY;
  size_t n = 0, failed = 0;
  for (cJSON *e = cJSON_GetObjectItem(root, "cache")->child; e; e = e->next, n++) {
    cJSON *t = cJSON_GetObjectItem(e, "time");
    if (cJSON_IsNumber(t))
      best = fmin(best, t->valuedouble);
    else
      failed++;
  }
  cJSON_Delete(root);
  tt_error err = {0};
  tt_objective *o = tt_objective_load(PNPOLY, NULL, &err);
  assert_non_null(o);
  assert_int_equal(tt_objective_num_records(o), n);
  assert_int_equal(tt_objective_num_skipped(o), 0);
  assert_true(tt_objective_optimum(o) == best);
  size_t all, ok;
  population(o, &all, &ok);
  assert_int_equal(all, 4092);
  assert_int_equal(all - ok, failed);
  const tt_space *s = tt_objective_space(o);
  assert_int_equal(tt_space_num_knobs(s), 4);
  assert_string_equal(tt_space_knob_name(s, 1), "block_size_x");
  assert_int_equal(tt_space_knob_card(s, 1), 31); /* 32 * i for i in 1..31 */
  uint32_t cfg[4] = {0, 0, 0, 0};                 /* "0,32,1,0" */
  double v;
  assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_OK);
  assert_true(fabs(v - 43.55386238098144) < 1e-12);
  tt_objective_free(o);
}

/* Restricted pnpoly: the space is the ok rows, counted independently from
 * the cache; every sample and every walked configuration is ok, and the
 * population loses its failures (Kernel Tuner's restricted runs). */
static void test_restricted(void **state) {
  (void)state;
  cJSON *root = read_gz_json(PNPOLY);
  size_t ok_rows = 0;
  for (cJSON *e = cJSON_GetObjectItem(root, "cache")->child; e; e = e->next)
    ok_rows += cJSON_IsNumber(cJSON_GetObjectItem(e, "time")) != 0;
  cJSON_Delete(root);
  tt_error err = {0};
  tt_objective *o = tt_objective_load(PNPOLY, NULL, &err);
  double optimum = tt_objective_optimum(o);
  assert_int_equal(tt_objective_restrict(o, &err), TT_OK);
  const tt_space *s = tt_objective_space(o);
  size_t all, ok;
  population(o, &all, &ok);
  assert_int_equal(all, ok_rows);
  assert_int_equal(ok, ok_rows);
  assert_int_equal(tt_space_num_members(s), ok_rows);
  int exact = 0;
  assert_true(tt_space_valid_size(s, &exact) == (double)ok_rows && exact);
  assert_true(tt_objective_optimum(o) == optimum);
  uint32_t cfg[4] = {0};
  double v;
  size_t walked = 0;
  for (int after = 0; tt_space_next_valid(s, cfg, after) == 0; after = 1, walked++)
    assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_OK);
  assert_int_equal(walked, ok_rows);
  tt_rng rng;
  tt_rng_seed(&rng, 3);
  for (int i = 0; i < 2000; i++) {
    assert_int_equal(tt_space_sample(s, &rng, cfg), 0);
    assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_OK);
  }
  tt_objective_free(o);
}

/* A restriction's rows must be valid, and there must be some; adding a
 * knob drops it. */
static void test_restrict_errors(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  tt_space_add_int(s, "a", 0, 9, 1, NULL);
  assert_int_equal(tt_space_add_constraint(s, "a != 3", NULL), TT_OK);
  uint32_t rows[] = {1, 5, 5, 3};
  tt_error err = {0};
  assert_int_equal(tt_space_restrict(s, rows, 0, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "no configurations"));
  tt_error_clear(&err);
  assert_int_equal(tt_space_restrict(s, rows, 4, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "configuration 4 is not valid"));
  assert_int_equal(tt_space_num_members(s), 0);
  assert_int_equal(tt_space_restrict(s, rows, 3, &err), TT_OK);
  assert_int_equal(tt_space_num_members(s), 2); /* 5 counts once */
  uint32_t c = 2;
  assert_false(tt_space_is_valid(s, &c));
  c = 5;
  assert_true(tt_space_is_valid(s, &c));
  tt_space_add_bool(s, "b", NULL);
  assert_int_equal(tt_space_num_members(s), 0);
  tt_space_free(s);
}

/* Optimum and outcome counts of the T4 file, scanned independently. */
static void scan_t4(double *best, size_t *n, size_t *ok, size_t *compile) {
  cJSON *root = read_gz_json(CONV);
  *best = INFINITY;
  *n = *ok = *compile = 0;
  for (cJSON *r = cJSON_GetObjectItem(root, "results")->child; r; r = r->next, (*n)++) {
    const char *inv = cJSON_GetObjectItem(r, "invalidity")->valuestring;
    cJSON *m = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "measurements")->child, "value");
    if (strcmp(inv, "correct") == 0 && cJSON_IsNumber(m)) {
      *best = fmin(*best, m->valuedouble);
      (*ok)++;
    }
    *compile += strcmp(inv, "compile") == 0;
  }
  cJSON_Delete(root);
}

/* convolution: T4 results with the T1 space (its constraints leave
 * exactly the recorded configurations). */
static void test_t4_with_t1(void **state) {
  (void)state;
  double best;
  size_t n, nok, ncompile;
  scan_t4(&best, &n, &nok, &ncompile);
  tt_error err = {0};
  tt_objective *o = tt_objective_load(CONV, NULL, &err);
  if (!o) fail_msg("%s", err.msg);
  const tt_space *s = tt_objective_space(o);
  int exact;
  assert_int_equal(tt_space_num_knobs(s), 10);
  assert_true(tt_space_valid_size(s, &exact) == 4362 && exact);
  assert_int_equal(tt_objective_num_records(o), n);
  assert_int_equal(tt_objective_num_skipped(o), 0);
  assert_true(tt_objective_optimum(o) == best);
  size_t all, ok;
  population(o, &all, &ok);
  assert_int_equal(all, 4362);
  assert_int_equal(ok, nok);
  /* block 256 x 16 violates block_size_x * block_size_y <= 1024 */
  uint32_t cfg[10] = {15, 4, 0, 0, 0, 0, 0, 0, 0, 0};
  double v;
  assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_INVALID);
  size_t compile = 0; /* the compile failures come back as such */
  memset(cfg, 0, sizeof cfg);
  for (int after = 0; tt_space_next_valid(s, cfg, after) == 0; after = 1)
    compile += tt_objective_eval(o, cfg, &v) == TT_OUTCOME_COMPILE_ERROR;
  assert_int_equal(compile, ncompile);
  tt_objective_free(o);
}

/* Without a T1 file the space is the product of the values seen; the
 * configurations missing from the file evaluate as invalid. */
static void test_t4_without_t1(void **state) {
  (void)state;
  char *dir = tt_mkdtemp("tt-obj", NULL), path[512];
  snprintf(path, sizeof path, "%s/conv.json.gz", dir);
  size_t len;
  char *data = tt_file_read(CONV, &len, NULL);
  assert_int_equal(tt_file_write(path, data, len, NULL), TT_OK);
  tt_objective *o = tt_objective_load(path, NULL, NULL);
  assert_non_null(o);
  size_t all, ok;
  population(o, &all, &ok);
  assert_int_equal(all, 16 * 5 * 4 * 4 * 2 * 2 * 2);
  assert_int_equal(tt_objective_num_records(o), 4362);
  uint32_t cfg[10] = {15, 4, 0, 0, 0, 0, 0, 0, 0, 0};
  double v;
  assert_int_equal(tt_objective_eval(o, cfg, &v), TT_OUTCOME_INVALID);
  tt_objective_free(o);
  /* --space pointing at the T1 file restores the constraints */
  tt_dataset_options opt = {TT_DATA_DIR "/convolution.t1.json", NULL};
  o = tt_objective_load(path, &opt, NULL);
  population(o, &all, &ok);
  assert_int_equal(all, 4362);
  tt_objective_free(o);
  /* a space file whose parameters differ */
  tt_error err = {0};
  opt.space_file = TT_DATA_DIR "/pnpoly.t1.json";
  assert_null(tt_objective_load(path, &opt, &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "not in the dataset"));
  free(data);
  tt_rmtree(dir);
  free(dir);
}

/* Writes text to dir/name; returns the path (static buffer). */
static const char *write_file(const char *dir, const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  assert_int_equal(tt_file_write(path, text, strlen(text), NULL), TT_OK);
  return path;
}

static void test_csv(void **state) {
  (void)state;
  char *dir = tt_mkdtemp("tt-csv", NULL);
  const char *path = write_file(dir, "tiny.csv",
                                "bs,tile,algo,time\n"
                                "32,1,naive,5.0\r\n"
                                "32,2,naive,4.0\n"
                                "64,1,naive,3.5\n"
                                "64,2,naive,CompilationFailedConfig\n"
                                "32,1,\"tiled, fast\",2.5\n"
                                "\n"
                                "64,2,\"tiled, fast\",RuntimeFailedConfig\n");
  tt_error err = {0};
  tt_objective *o = tt_objective_load(path, NULL, &err);
  if (!o) fail_msg("%s", err.msg);
  const tt_space *s = tt_objective_space(o);
  assert_int_equal(tt_space_knob_kind(s, 0), TT_KNOB_ORDINAL);
  assert_int_equal(tt_space_knob_kind(s, 2), TT_KNOB_CATEGORICAL);
  assert_string_equal(tt_space_knob_label(s, 2, 1), "tiled, fast");
  assert_true(tt_objective_optimum(o) == 2.5);
  size_t all, ok;
  population(o, &all, &ok);
  assert_int_equal(all, 8);
  assert_int_equal(ok, 4);
  double v;
  uint32_t c1[3] = {1, 1, 0}, c2[3] = {0, 1, 1}, c3[3] = {0, 0, 1};
  assert_int_equal(tt_objective_eval(o, c1, &v), TT_OUTCOME_COMPILE_ERROR);
  assert_int_equal(tt_objective_eval(o, c2, &v), TT_OUTCOME_INVALID); /* absent */
  assert_int_equal(tt_objective_eval(o, c3, &v), TT_OUTCOME_OK);
  assert_true(v == 2.5);
  tt_objective_free(o);
  /* another objective column */
  path = write_file(dir, "other.csv", "a,runtime\n1,3\n2,2\n");
  tt_dataset_options opt = {NULL, "runtime"};
  o = tt_objective_load(path, &opt, &err);
  assert_non_null(o);
  assert_true(tt_objective_optimum(o) == 2);
  tt_objective_free(o);
  assert_null(tt_objective_load(path, NULL, &err));
  assert_non_null(strstr(err.msg, "no column 'time'"));
  tt_error_clear(&err);
  path = write_file(dir, "ragged.csv", "a,time\n1,3\n2\n");
  assert_null(tt_objective_load(path, NULL, &err));
  assert_non_null(strstr(err.msg, "CSV line 3"));
  tt_error_clear(&err);
  path = write_file(dir, "fails.csv", "a,time\n1,InvalidConfig\n");
  assert_null(tt_objective_load(path, NULL, &err));
  assert_non_null(strstr(err.msg, "no successful configuration"));
  tt_error_clear(&err);
  assert_null(tt_objective_load("/nonexistent/x.json.gz", NULL, &err));
  assert_int_equal(err.status, TT_ERR_IO);
  tt_rmtree(dir);
  free(dir);
}

/* Writes text gzip-compressed (several members when parts > 1) through
 * zlib's gzwrite. */
static const char *write_gz(const char *dir, const char *name, const char *text, int parts) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t n = strlen(text), step = (n + parts - 1) / parts;
  for (int p = 0; p < parts; p++) {
    gzFile gz = gzopen(path, p ? "ab" : "wb");
    assert_non_null(gz);
    size_t len = p * step + step <= n ? step : n - p * step;
    assert_int_equal(gzwrite(gz, text + p * step, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
  }
  return path;
}

/* Dataset text through zlib: gzip whatever the name (one member or
 * several), plain text as it is, the decompressed size limit, corrupt
 * data, and no FIFOs. */
static void test_read_dataset_text(void **state) {
  (void)state;
  char *dir = tt_mkdtemp("tt-gz", NULL);
  const char *text = "a,time\n1,3\n2,2\n4,1.5\n";
  tt_error err = {0};
  size_t len = 0;
  for (int parts = 1; parts <= 3; parts++) {
    char *got = tt_read_dataset_text(write_gz(dir, "d.csv", text, parts), 1 << 20, &len, &err);
    assert_non_null(got);
    assert_string_equal(got, text);
    assert_int_equal(len, strlen(text));
    free(got);
  }
  char *got = tt_read_dataset_text(write_file(dir, "p.csv", text), 1 << 20, &len, &err);
  assert_non_null(got);
  assert_string_equal(got, text);
  free(got);
  /* exactly at the limit is fine, one byte over is not */
  got = tt_read_dataset_text(write_gz(dir, "d.gz", text, 1), strlen(text), &len, &err);
  assert_non_null(got);
  free(got);
  assert_null(tt_read_dataset_text(write_gz(dir, "d.gz", text, 1), strlen(text) - 1, &len, &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "d.gz: more than 0 MiB of data once decompressed"));
  tt_error_clear(&err);
  /* a bomb: 64 MiB of zeros in some 64 KiB, stopped at a 1 MiB limit */
  char *zeros = calloc(1, 64u << 20);
  memset(zeros, '0', 64u << 20);
  zeros[(64u << 20) - 1] = '\0';
  const char *bomb = write_gz(dir, "bomb.csv.gz", zeros, 1);
  free(zeros);
  assert_null(tt_read_dataset_text(bomb, 1 << 20, &len, &err));
  assert_non_null(strstr(err.msg, "more than 1 MiB of data once decompressed (the limit)"));
  tt_error_clear(&err);
  /* a truncated gzip file */
  char *gz = tt_file_read(write_gz(dir, "t.gz", text, 1), &len, NULL);
  const char *cut = write_file(dir, "cut.gz", "");
  assert_int_equal(tt_file_write(cut, gz, len - 6, NULL), TT_OK);
  free(gz);
  assert_null(tt_read_dataset_text(cut, 1 << 20, &len, &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  tt_error_clear(&err);
  /* a FIFO would block: refused without opening it for reading */
  char fifo[512];
  snprintf(fifo, sizeof fifo, "%s/fifo.csv", dir);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  assert_null(tt_read_dataset_text(fifo, 1 << 20, &len, &err));
  assert_non_null(strstr(err.msg, "fifo.csv: not a regular file"));
  tt_rmtree(dir);
  free(dir);
}

/* T1 value lists: literals, comprehensions, concatenation, errors. */
static void test_t1_values(void **state) {
  (void)state;
  struct {
    const char *text, *want; /* values joined by spaces, or NULL: error */
  } cases[] = {
      {"[1] + [2 * i for i in range(1, 11)]", "1 2 4 6 8 10 12 14 16 18 20"},
      {"[32 * i for i in range(1, 4)]", "32 64 96"},
      {"[i for i in range(10, 0, -3)]", "10 7 4 1"},
      {"[i**2 for i in range(3)]", "0 1 4"},
      {"[1, 2**3, -4, 0.5]", "1 8 -4 0.5"},
      {"['a', \"b c\"]", "a b c"},
      {"[]", ""},
      {"[1, 2", NULL},
      {"1, 2", NULL},
      {"[x + 1]", NULL},
      {"[i for i in xrange(3)]", NULL},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    tt_arena *a = tt_arena_new();
    tt_vec out = {0};
    tt_error err = {0};
    tt_status st = tt_t1_values(a, cases[c].text, &out, &err);
    if (!cases[c].want) {
      assert_int_equal(st, TT_ERR_USAGE);
    } else {
      assert_int_equal(st, TT_OK);
      tt_str joined;
      tt_str_init(&joined);
      for (size_t i = 0; i < out.len; i++)
        tt_str_printf(&joined, "%s%s", i ? " " : "", (char *)out.items[i]);
      if (strcmp(tt_str_cstr(&joined), cases[c].want) != 0)
        fail_msg("%s: got '%s'", cases[c].text, tt_str_cstr(&joined));
      tt_str_free(&joined);
    }
    tt_vec_free(&out);
    tt_arena_free(a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_synthetic),     cmocka_unit_test(test_tiles_landscape),
      cmocka_unit_test(test_kt_cache),      cmocka_unit_test(test_t4_with_t1),
      cmocka_unit_test(test_t4_without_t1), cmocka_unit_test(test_csv),
      cmocka_unit_test(test_t1_values),     cmocka_unit_test(test_read_dataset_text),
      cmocka_unit_test(test_restricted),    cmocka_unit_test(test_restrict_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
