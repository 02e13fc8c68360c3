/* Fault injection for the store, the way SQLite tests itself: SQLite's
 * allocator is wrapped so that its Nth allocation fails (once, or that one
 * and all after it), and every N over the range an operation needs is
 * tried. Each time the store must return a status (or succeed), never
 * crash, and everything stored before must be intact afterwards. */
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

/* ---- the failing allocator ------------------------------------------ */

static sqlite3_mem_methods real_mem;
static int countdown;  /* > 0: the allocation that brings it to 0 fails */
static int persistent; /* keep failing once the first failure happened */
static int failing;    /* a failure happened since arm() */

static int should_fail(void) {
  if (failing && persistent) return 1;
  if (countdown > 0 && --countdown == 0) {
    failing = 1;
    return 1;
  }
  return 0;
}

static void *fault_malloc(int n) {
  return should_fail() ? NULL : real_mem.xMalloc(n);
}

static void *fault_realloc(void *p, int n) {
  return should_fail() ? NULL : real_mem.xRealloc(p, n);
}

static void arm(int n, int keep_failing) {
  countdown = n;
  persistent = keep_failing;
  failing = 0;
}

/* Stops failing; returns whether a failure was injected since arm(). */
static int disarm(void) {
  int injected = failing;
  countdown = 0;
  persistent = 0;
  failing = 0;
  return injected;
}

/* Installs the wrapper; SQLite must be shut down to change allocators. */
static int install_allocator(void **state) {
  (void)state;
  static sqlite3_mem_methods wrapped;
  sqlite3_shutdown();
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK) return -1;
  wrapped = real_mem;
  wrapped.xMalloc = fault_malloc;
  wrapped.xRealloc = fault_realloc;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) != SQLITE_OK) return -1;
  return sqlite3_initialize() == SQLITE_OK ? 0 : -1;
}

/* ---- fixture ------------------------------------------------------- */

typedef struct fixture {
  char *dir;
  char path[512];
  tt_store *store;
  int64_t task;
  int64_t session;
  int stored; /* trials known to be stored */
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  tt_error err = {0};
  f->dir = tt_mkdtemp("tt-store-fault", &err);
  assert_non_null(f->dir);
  snprintf(f->path, sizeof f->path, "%s/f.db", f->dir);
  f->store = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(f->store);
  tt_task_key key = {"lu", "mini", "cpu", "blocked", "{\"cores\":1}"};
  assert_int_equal(tt_store_ensure_task(f->store, &key, &f->task, &err), TT_OK);
  tt_session_spec spec = {f->task, "bo", 5, NULL, 1000};
  assert_int_equal(tt_store_add_session(f->store, &spec, &f->session, &err), TT_OK);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  disarm();
  tt_store_close(f->store);
  tt_rmtree(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

/* ---- checks -------------------------------------------------------- */

static void config_of(int i, char *buf, size_t n) {
  snprintf(buf, n, "{\"i\":%d}", i);
}

/* Adds trial number i (config {"i": i}). */
static tt_status add_trial(fixture *f, int i, tt_error *err) {
  char config[32];
  config_of(i, config, sizeof config);
  tt_trial t = {.session_id = f->session,
                .config = config,
                .outcome = TT_OUTCOME_OK,
                .message = "measured",
                .time_median_s = 1.0 + i,
                .repeats = 3};
  return tt_store_add_trial(f->store, &t, NULL, err);
}

typedef struct walk {
  int n;
  int bad;
} walk;

/* Trials must be 0, 1, 2, ... in order, each with its own config. */
static int check_one(void *ctx, const tt_trial *t) {
  walk *w = ctx;
  char config[32];
  config_of(w->n, config, sizeof config);
  if (strcmp(t->config, config) != 0 || t->seq != w->n + 1 || t->time_median_s != 1.0 + w->n ||
      strcmp(t->message, "measured") != 0)
    w->bad = 1;
  w->n++;
  return 0;
}

/* Everything stored so far reads back intact through store s. */
static void check_intact(fixture *f, tt_store *s) {
  tt_error err = {0};
  walk w = {0};
  assert_int_equal(tt_store_each_trial(s, f->task, check_one, &w, &err), TT_OK);
  assert_false(w.bad);
  assert_int_equal(w.n, f->stored);
}

/* After a failed add, the trial is either absent or (when the failure hit
 * after the commit) present and whole; both are fine, a torn one is not. */
static void settle(fixture *f) {
  tt_error err = {0};
  int64_t n = 0;
  assert_int_equal(tt_store_count_task_trials(f->store, f->task, &n, &err), TT_OK);
  assert_true(n == f->stored || n == f->stored + 1);
  f->stored = (int)n;
}

/* Fails the Nth allocation of one add_trial for N = 1, 2, ... until an add
 * runs without reaching its Nth allocation. Returns how many failed. */
static int add_under_faults(fixture *f, int keep_failing) {
  int failures = 0;
  for (int n = 1; n < 10000; n++) {
    tt_error err = {0};
    arm(n, keep_failing);
    tt_status st = add_trial(f, f->stored, &err);
    int injected = disarm();
    if (st == TT_OK) {
      f->stored++;
    } else {
      failures++;
      assert_true(injected);
      assert_true(st == TT_ERR_NOMEM || st == TT_ERR_ENV || st == TT_ERR_IO);
      assert_true(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
      settle(f);
    }
    check_intact(f, f->store);
    if (!injected) return failures;
  }
  fail_msg("add_trial never completed without reaching the failing allocation");
  return failures;
}

static void test_add_trial_one_failure(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  for (int i = 0; i < 3; i++) /* some history to protect */
    assert_int_equal(add_trial(f, f->stored++, &err), TT_OK);
  int failures = add_under_faults(f, 0);
  print_message("%d injected failures, %d trials stored\n", failures, f->stored);
  assert_true(failures > 0);
  /* Still usable, and the file as a whole is sound. */
  assert_int_equal(add_trial(f, f->stored++, &err), TT_OK);
  tt_store *again = tt_store_open(f->path, TT_STORE_READ_ONLY, &err);
  assert_non_null(again);
  check_intact(f, again);
  tt_store_close(again);
}

static void test_add_trial_persistent_failure(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  assert_int_equal(add_trial(f, f->stored++, &err), TT_OK);
  assert_true(add_under_faults(f, 1) > 0);
  assert_int_equal(add_trial(f, f->stored++, &err), TT_OK);
  check_intact(f, f->store);
}

/* Opening (existing file and new file), adding a task and a session under
 * faults: a status or success, and a clean open afterwards. */
static void test_open_and_setup_under_faults(void **state) {
  fixture *f = *state;
  char fresh[600];
  tt_error err = {0};
  assert_int_equal(add_trial(f, f->stored++, &err), TT_OK);
  for (int n = 1; n < 10000; n++) {
    snprintf(fresh, sizeof fresh, "%s/new-%d.db", f->dir, n);
    arm(n, 0);
    tt_error e1 = {0}, e2 = {0};
    tt_store *old = tt_store_open(f->path, TT_STORE_READ_WRITE, &e1);
    tt_store *made = tt_store_open(fresh, TT_STORE_READ_WRITE, &e2);
    int64_t task = 0, session = 0;
    tt_task_key key = {"3mm", "mini", "cpu", "tiled", "{}"};
    if (made && tt_store_ensure_task(made, &key, &task, &e2) == TT_OK) {
      tt_session_spec spec = {task, "ga", 1, NULL, 10};
      tt_store_add_session(made, &spec, &session, &e2);
    }
    int injected = disarm();
    assert_true(old || e1.status != TT_OK);
    assert_true(made || e2.status != TT_OK);
    tt_store_close(old);
    tt_store_close(made);
    made = tt_store_open(fresh, TT_STORE_READ_WRITE, &err); /* never half-made */
    assert_non_null(made);
    assert_int_equal(tt_store_ensure_task(made, &key, &task, &err), TT_OK);
    tt_store_close(made);
    check_intact(f, f->store);
    if (!injected) {
      print_message("open: %d allocations failed in turn\n", n - 1);
      return;
    }
  }
  fail_msg("open never completed without reaching the failing allocation");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_add_trial_one_failure, setup, teardown),
      cmocka_unit_test_setup_teardown(test_add_trial_persistent_failure, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_and_setup_under_faults, setup, teardown),
  };
  return cmocka_run_group_tests(tests, install_allocator, NULL);
}
