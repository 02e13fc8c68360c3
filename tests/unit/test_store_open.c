/* Opening odd files: garbage, a foreign SQLite database, a newer schema,
 * an empty file, unwritable and missing paths, read-only mode. Each error
 * is one line naming the file, and the file's bytes are unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/store.h"

typedef struct fixture {
  char *dir;
  char path[512];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  tt_error err = {0};
  f->dir = tt_mkdtemp("tt-store-open", &err);
  assert_non_null(f->dir);
  snprintf(f->path, sizeof f->path, "%s/x.db", f->dir);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  tt_rmtree(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

/* The whole file, or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len) {
  tt_error err = {0};
  return tt_file_read(path, len, &err);
}

/* Opens path in mode, expecting failure with status and a one-line message
 * that names the file and contains `needle`; the bytes must not change. */
static void expect_refused(const char *path, tt_store_mode mode, tt_status status,
                           const char *needle) {
  size_t before_len = 0, after_len = 0;
  char *before = slurp(path, &before_len);
  tt_error err = {0};
  assert_null(tt_store_open(path, mode, &err));
  assert_int_equal(err.status, status);
  assert_non_null(strstr(err.msg, path));
  if (!strstr(err.msg, needle)) fail_msg("message '%s' lacks '%s'", err.msg, needle);
  assert_null(strchr(err.msg, '\n'));
  char *after = slurp(path, &after_len);
  assert_int_equal(before_len, after_len);
  if (before)
    assert_memory_equal(before, after, before_len);
  else
    assert_null(after);
  free(before);
  free(after);
}

/* Runs SQL on path through the plain SQLite API. */
static void raw_sql(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
  sqlite3_close(db);
}

/* A closed tetune database with one task, session and trial. */
static void make_tetune_db(const char *path) {
  tt_error err = {0};
  tt_store *s = tt_store_open(path, TT_STORE_READ_WRITE, &err);
  assert_non_null(s);
  tt_task_key key = {"lu", "mini", "cpu", "blocked", "{\"cores\":4}"};
  int64_t task = 0, session = 0;
  assert_int_equal(tt_store_ensure_task(s, &key, &task, &err), TT_OK);
  tt_session_spec spec = {task, "bo", 1, NULL, 10};
  assert_int_equal(tt_store_add_session(s, &spec, &session, &err), TT_OK);
  tt_trial t = {.session_id = session,
                .config = "{\"nb\":32}",
                .outcome = TT_OUTCOME_OK,
                .time_median_s = 0.1};
  assert_int_equal(tt_store_add_trial(s, &t, NULL, &err), TT_OK);
  tt_store_close(s);
}

/* The first column of the first row of sql on path, as text (static). */
static const char *raw_value(const char *path, const char *sql) {
  static char value[64];
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  snprintf(value, sizeof value, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

static void test_fresh_database_header(void **state) {
  fixture *f = *state;
  make_tetune_db(f->path);
  char id[32], version[32];
  snprintf(id, sizeof id, "%d", TT_STORE_APPLICATION_ID);
  snprintf(version, sizeof version, "%d", TT_STORE_SCHEMA_VERSION);
  assert_string_equal(raw_value(f->path, "PRAGMA journal_mode"), "wal");
  assert_string_equal(raw_value(f->path, "PRAGMA application_id"), id);
  assert_string_equal(raw_value(f->path, "PRAGMA user_version"), version);
  assert_string_equal(raw_value(f->path, "SELECT group_concat(name) FROM (SELECT name FROM"
                                         " sqlite_master WHERE type = 'table' ORDER BY name)"),
                      "claims,sessions,tasks,trials");
}

/* --db '' and --db :memory: ran a whole session and kept nothing. */
static void test_paths_that_keep_nothing(void **state) {
  (void)state;
  static const char *const paths[] = {"", ":memory:", "file:x.db?mode=memory"};
  for (size_t i = 0; i < 3; i++) {
    tt_error err = {0};
    assert_null(tt_store_open(paths[i], TT_STORE_READ_WRITE, &err));
    assert_int_equal(err.status, TT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "keeps nothing or is a URI"));
  }
}

static void test_garbage_file(void **state) {
  fixture *f = *state;
  char garbage[8192];
  tt_rng rng;
  tt_rng_seed(&rng, 7);
  for (size_t i = 0; i < sizeof garbage; i++)
    garbage[i] = (char)tt_rng_next(&rng);
  tt_error err = {0};
  assert_int_equal(tt_file_write(f->path, garbage, sizeof garbage, &err), TT_OK);
  expect_refused(f->path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "is not a tetune database");
  expect_refused(f->path, TT_STORE_READ_ONLY, TT_ERR_USAGE, "is not a tetune database");
  /* A short text file too. */
  assert_int_equal(tt_file_write(f->path, "hello, world\n", 13, &err), TT_OK);
  expect_refused(f->path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "is not a tetune database");
}

static void test_foreign_database(void **state) {
  fixture *f = *state;
  raw_sql(f->path, "CREATE TABLE foo(x); INSERT INTO foo VALUES (1)");
  expect_refused(f->path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "is not a tetune database");
  expect_refused(f->path, TT_STORE_READ_ONLY, TT_ERR_USAGE, "is not a tetune database");
  /* Never a table of ours in it. */
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

static void test_foreign_application_id(void **state) {
  fixture *f = *state;
  /* No tables, but another application claimed the file. */
  raw_sql(f->path, "PRAGMA application_id = 12345");
  expect_refused(f->path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "another application");
}

static void test_newer_schema(void **state) {
  fixture *f = *state;
  make_tetune_db(f->path);
  raw_sql(f->path, "PRAGMA user_version = 99");
  expect_refused(f->path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "newer tetune");
  expect_refused(f->path, TT_STORE_READ_ONLY, TT_ERR_USAGE, "newer tetune");
}

static void test_corrupted_pages(void **state) {
  fixture *f = *state;
  make_tetune_db(f->path);
  size_t len = 0;
  char *bytes = slurp(f->path, &len);
  assert_true(len > 4096);
  /* Keep the header page (schema), trash every table and index page. */
  memset(bytes + 4096, 0x5a, len - 4096);
  tt_error err = {0};
  assert_int_equal(tt_file_write(f->path, bytes, len, &err), TT_OK);
  /* Refused at open in both modes (quick_check), before anything is read
   * from or written into it: history, export and report exit non-zero and
   * tune cannot make the damage worse. */
  expect_refused(f->path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "is corrupted");
  expect_refused(f->path, TT_STORE_READ_ONLY, TT_ERR_USAGE, "is corrupted");
  size_t after_len = 0;
  char *after = slurp(f->path, &after_len);
  assert_int_equal(after_len, len);
  assert_memory_equal(after, bytes, len);
  free(after);
  free(bytes);
}

static void test_unwritable_paths(void **state) {
  fixture *f = *state;
  char path[600];
  expect_refused("/proc/tetune-x.db", TT_STORE_READ_WRITE, TT_ERR_USAGE, "cannot open");
  snprintf(path, sizeof path, "%s/no/such/dir/x.db", f->dir);
  expect_refused(path, TT_STORE_READ_WRITE, TT_ERR_USAGE, "No such file or directory");
  expect_refused(f->dir, TT_STORE_READ_WRITE, TT_ERR_USAGE, "cannot open");
}

static void test_read_only_never_creates(void **state) {
  fixture *f = *state;
  expect_refused(f->path, TT_STORE_READ_ONLY, TT_ERR_USAGE, "does not exist");
  assert_false(tt_file_exists(f->path));
  /* An empty file is no database to read... */
  tt_error err = {0};
  assert_int_equal(tt_file_write(f->path, "", 0, &err), TT_OK);
  expect_refused(f->path, TT_STORE_READ_ONLY, TT_ERR_USAGE, "is empty");
  /* ...but a fine place to create one. */
  tt_store *s = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(s);
  tt_store_close(s);
  s = tt_store_open(f->path, TT_STORE_READ_ONLY, &err);
  assert_non_null(s);
  tt_store_close(s);
}

static void test_opening_changes_nothing(void **state) {
  fixture *f = *state;
  make_tetune_db(f->path);
  size_t len = 0, after_len = 0;
  char *before = slurp(f->path, &len);
  tt_error err = {0};
  tt_task_key key = {"lu", "mini", "cpu", "blocked", "{\"cores\":4}"};
  tt_task_key missing = {"lu", "large", "cpu", "blocked", "{\"cores\":4}"};
  int64_t task = 0;
  for (int mode = 0; mode < 2; mode++) {
    tt_store *s = tt_store_open(f->path, mode ? TT_STORE_READ_ONLY : TT_STORE_READ_WRITE, &err);
    assert_non_null(s);
    assert_int_equal(tt_store_find_task(s, &missing, &task, &err), TT_OK);
    assert_int_equal(task, 0); /* --resume of a task that does not exist */
    assert_int_equal(tt_store_ensure_task(s, &key, &task, &err), TT_OK); /* exists */
    tt_trial *best = NULL;
    assert_int_equal(tt_store_best_trial(s, task, &best, &err), TT_OK);
    assert_non_null(best);
    tt_trial_free(best);
    tt_store_close(s);
  }
  char *after = slurp(f->path, &after_len);
  assert_int_equal(after_len, len);
  assert_memory_equal(after, before, len);
  free(after);
  free(before);
}

static void test_read_only_refuses_writes(void **state) {
  fixture *f = *state;
  make_tetune_db(f->path);
  tt_error err = {0};
  tt_store *s = tt_store_open(f->path, TT_STORE_READ_ONLY, &err);
  assert_non_null(s);
  tt_task_key key = {"lu", "small", "cpu", "blocked", "{}"};
  int64_t task = 0;
  assert_int_not_equal(tt_store_ensure_task(s, &key, &task, &err), TT_OK);
  assert_non_null(strstr(err.msg, "readonly"));
  tt_error_clear(&err);
  tt_trial t = {.session_id = 1, .config = "{}", .outcome = TT_OUTCOME_INVALID};
  assert_int_not_equal(tt_store_add_trial(s, &t, NULL, &err), TT_OK);
  int64_t n = 0;
  assert_int_equal(tt_store_count_task_trials(s, 1, &n, &err), TT_OK);
  assert_int_equal(n, 1);
  tt_store_close(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_fresh_database_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_garbage_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_foreign_database, setup, teardown),
      cmocka_unit_test_setup_teardown(test_foreign_application_id, setup, teardown),
      cmocka_unit_test_setup_teardown(test_newer_schema, setup, teardown),
      cmocka_unit_test_setup_teardown(test_corrupted_pages, setup, teardown),
      cmocka_unit_test(test_paths_that_keep_nothing),
      cmocka_unit_test_setup_teardown(test_unwritable_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_only_never_creates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_opening_changes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_only_refuses_writes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
