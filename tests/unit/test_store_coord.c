/* Processes sharing a database (reliability issue, items 3, 4 and 9):
 * a session held by a live process cannot be resumed elsewhere, claims keep
 * concurrent sessions of a task off the same configuration, reuse depends
 * on the measurement settings, and impossible stored values are refused.
 * "Another live process" is a real child (sleeping) whose host, pid and
 * start time are written as the owner; killing it frees what it held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tetune/store.h"

typedef struct fixture {
  char *dir;
  char path[512];
  tt_store *store;
  int64_t task, session;
  pid_t other;     /* the "other process" */
  char owner[160]; /* its owner token */
} fixture;

/* Start time of pid (field 22 of /proc/<pid>/stat). */
static unsigned long long start_time(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *p = strrchr(buf, ')');
  for (int field = 2; field < 22; field++)
    p = strchr(p + 1, ' ');
  return strtoull(p + 1, NULL, 10);
}

/* Runs sql on the file through a connection of its own. */
static void raw(const fixture *f, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
  sqlite3_close(db);
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  tt_error err = {0};
  f->dir = tt_mkdtemp("tt-coord", &err);
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  f->store = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(f->store);
  tt_task_key k = {"gemm", "mini", "cpu", "tiled", "{\"cores\":2}"};
  assert_int_equal(tt_store_ensure_task(f->store, &k, &f->task, &err), TT_OK);
  tt_session_spec spec = {f->task, "random", 1, NULL, 10};
  assert_int_equal(tt_store_add_session(f->store, &spec, &f->session, &err), TT_OK);
  f->other = fork();
  if (f->other == 0) {
    pause();
    _exit(0);
  }
  char host[64];
  gethostname(host, sizeof host);
  snprintf(f->owner, sizeof f->owner, "%s %ld %llu", host, (long)f->other, start_time(f->other));
  *state = f;
  return 0;
}

/* Ends the other process. */
static void kill_other(fixture *f) {
  if (f->other <= 0) return;
  kill(f->other, SIGKILL);
  waitpid(f->other, NULL, 0);
  f->other = 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kill_other(f);
  tt_store_close(f->store);
  tt_rmtree(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

/* Two --resume of one session each counted their own trials (12
 * requested, 20 stored); now the second is refused while the first lives. */
static void test_session_lease(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  char sql[512];
  snprintf(sql, sizeof sql, "UPDATE sessions SET owner = '%s' WHERE id = %lld", f->owner,
           (long long)f->session);
  raw(f, sql);
  assert_int_equal(tt_store_resume_session(f->store, f->session, 12, &err), TT_ERR_ENV);
  char want[128];
  snprintf(want, sizeof want, "session %lld is running in another process (pid %ld on ",
           (long long)f->session, (long)f->other);
  if (!strstr(err.msg, want)) fail_msg("got '%s'", err.msg);
  kill_other(f); /* a killed owner frees the session at once */
  tt_error_clear(&err);
  assert_int_equal(tt_store_resume_session(f->store, f->session, 12, &err), TT_OK);
  /* ours now: resuming again in this process is fine, ending releases it */
  assert_int_equal(tt_store_resume_session(f->store, f->session, 12, &err), TT_OK);
  assert_int_equal(tt_store_end_session(f->store, f->session, TT_SESSION_COMPLETED, &err), TT_OK);
}

/* An owner killed and not yet reaped (a zombie: a tuner rank whose
 * mpirun exited, left to an init that does not reap) holds nothing. */
static void test_zombie_owner(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  char sql[512];
  snprintf(sql, sizeof sql, "UPDATE sessions SET owner = '%s' WHERE id = %lld", f->owner,
           (long long)f->session);
  raw(f, sql);
  kill(f->other, SIGKILL);
  siginfo_t si;
  assert_int_equal(waitid(P_PID, (id_t)f->other, &si, WEXITED | WNOWAIT), 0); /* dead, not reaped */
  assert_int_equal(tt_store_resume_session(f->store, f->session, 12, &err), TT_OK);
  kill_other(f);
}

/* A trial of the configuration under these settings, stored. */
static void add_trial(fixture *f, const char *settings, tt_outcome o, double t) {
  tt_trial tr = {0};
  tr.session_id = f->session;
  tr.config = "{\"ti\":4}";
  tr.outcome = o;
  tr.time_median_s = tr.time_min_s = t;
  tr.time_spread = isnan(t) ? NAN : 0.01;
  tr.max_rel_err = tr.compile_s = tr.gflops = NAN;
  tr.repeats = 3;
  tr.settings = settings;
  tt_error err = {0};
  assert_int_equal(tt_store_add_trial(f->store, &tr, NULL, &err), TT_OK);
}

/* Two sessions of one kernel timed the same configuration at the same
 * moment; now the second finds it claimed, waits, and finds it done. */
static void test_claims(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  tt_claim_result r;
  const char *key = "{\"ti\":4}", *set = "run_timeout=60";
  assert_int_equal(tt_store_claim(f->store, f->task, key, set, f->session, &r, &err), TT_OK);
  assert_int_equal(r, TT_CLAIM_OURS);
  char sql[512];
  snprintf(sql, sizeof sql, "UPDATE claims SET owner = '%s'", f->owner);
  raw(f, sql);
  assert_int_equal(tt_store_claim(f->store, f->task, key, set, f->session, &r, &err), TT_OK);
  assert_int_equal(r, TT_CLAIM_BUSY);
  /* other settings are another measurement */
  assert_int_equal(tt_store_claim(f->store, f->task, key, "run_timeout=1", f->session, &r, &err),
                   TT_OK);
  assert_int_equal(r, TT_CLAIM_OURS);
  assert_int_equal(tt_store_unclaim(f->store, f->task, key, "run_timeout=1", &err), TT_OK);
  kill_other(f); /* a dead claimer's claim is taken over */
  assert_int_equal(tt_store_claim(f->store, f->task, key, set, f->session, &r, &err), TT_OK);
  assert_int_equal(r, TT_CLAIM_OURS);
  add_trial(f, set, TT_OUTCOME_OK, 1e-3); /* storing it releases the claim */
  assert_int_equal(tt_store_claim(f->store, f->task, key, set, f->session, &r, &err), TT_OK);
  assert_int_equal(r, TT_CLAIM_DONE);
}

/* A timeout under --timeout 0.0001 was reused by later sessions ("no
 * configuration validated"); reuse now needs equal settings. */
static void test_reuse_needs_settings(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  tt_trial *t = NULL;
  const char *key = "{\"ti\":4}";
  add_trial(f, "run_timeout=0.0001", TT_OUTCOME_TIMEOUT, NAN);
  assert_int_equal(tt_store_find_reusable(f->store, f->task, key, "run_timeout=60", &t, &err),
                   TT_OK);
  assert_null(t);
  assert_int_equal(tt_store_find_reusable(f->store, f->task, key, "run_timeout=0.0001", &t, &err),
                   TT_OK);
  assert_non_null(t);
  assert_string_equal(t->settings, "run_timeout=0.0001");
  tt_trial_free(t);
  /* trials from before settings were recorded: ok is reused, a timeout not */
  raw(f, "UPDATE trials SET settings = ''");
  assert_int_equal(tt_store_find_reusable(f->store, f->task, key, "run_timeout=60", &t, &err),
                   TT_OK);
  assert_null(t);
  add_trial(f, "", TT_OUTCOME_OK, 2e-3);
  assert_int_equal(tt_store_find_reusable(f->store, f->task, key, "run_timeout=60", &t, &err),
                   TT_OK);
  assert_non_null(t);
  assert_int_equal(t->outcome, TT_OUTCOME_OK);
  tt_trial_free(t);
}

/* Stored values no measurement produces were served (item 9). */
static void test_impossible_values_refused(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  tt_trial *t = NULL;
  add_trial(f, "s", TT_OUTCOME_OK, 1e-3);
  static const struct {
    const char *set, *want;
  } cases[] = {{"repeats = -3", "negative repeats"},
               {"time_spread = -0.5", "a negative spread"},
               {"time_min_s = -1", "a negative time"},
               {"seq = 0", "a sequence number below 1"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE trials SET repeats = 3, time_spread = 0.01, time_min_s = 1e-3, seq = 1;"
             " UPDATE trials SET %s",
             cases[i].set);
    raw(f, sql);
    tt_error_clear(&err);
    assert_int_equal(tt_store_best_trial(f->store, f->task, &t, &err), TT_ERR_USAGE);
    if (!strstr(err.msg, cases[i].want) || !strstr(err.msg, "is corrupted"))
      fail_msg("case %zu: '%s'", i, err.msg);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_session_lease, setup, teardown),
      cmocka_unit_test_setup_teardown(test_zombie_owner, setup, teardown),
      cmocka_unit_test_setup_teardown(test_claims, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reuse_needs_settings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_impossible_values_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
