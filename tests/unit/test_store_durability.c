/* Crash durability and concurrency of the store: a child killed with
 * SIGKILL loses only trials whose add had not returned; readers and writers
 * on separate connections (WAL) do not block each other, and concurrent
 * writers wait for each other instead of failing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
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
  int64_t task;
  int64_t session;
} fixture;

/* A database with one task and one session, closed again. */
static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  tt_error err = {0};
  f->dir = tt_mkdtemp("tt-store-dur", &err);
  assert_non_null(f->dir);
  snprintf(f->path, sizeof f->path, "%s/d.db", f->dir);
  tt_store *s = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(s);
  tt_task_key key = {"3mm", "mini", "cpu", "tiled", "{\"cores\":2}"};
  assert_int_equal(tt_store_ensure_task(s, &key, &f->task, &err), TT_OK);
  tt_session_spec spec = {f->task, "ga", 3, NULL, 100};
  assert_int_equal(tt_store_add_session(s, &spec, &f->session, &err), TT_OK);
  tt_store_close(s);
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

/* Adds trial number i to session; returns its id, or 0 on failure. */
static int64_t add(tt_store *s, int64_t session, int i) {
  char config[64];
  snprintf(config, sizeof config, "{\"i\":%d}", i);
  tt_trial t = {.session_id = session,
                .config = config,
                .outcome = TT_OUTCOME_OK,
                .time_median_s = 1.0 / (i + 1),
                .repeats = 3};
  tt_error err = {0};
  int64_t id = 0;
  if (tt_store_add_trial(s, &t, &id, &err) != TT_OK) return 0;
  return id;
}

/* Child: opens its own connection, adds up to n trials reporting each id
 * on fd once its add returned, and kills itself after kill_after of them
 * (never when kill_after is 0). Never returns. */
static void child_add(const char *path, int64_t session, int n, int kill_after, int fd) {
  tt_error err = {0};
  tt_store *s = tt_store_open(path, TT_STORE_READ_WRITE, &err);
  if (!s) _exit(3);
  for (int i = 0; i < n; i++) {
    int64_t id = add(s, session, i);
    if (id == 0) _exit(4);
    if (write(fd, &id, sizeof id) != sizeof id) _exit(5);
    if (kill_after && i + 1 == kill_after) raise(SIGKILL);
  }
  _exit(0); /* no close: the process just ends */
}

/* Reads ids from fd until EOF; returns how many. */
static int read_ids(int fd, int64_t *ids, int max) {
  int n = 0;
  while (n < max && read(fd, &ids[n], sizeof ids[n]) == sizeof ids[n])
    n++;
  return n;
}

/* Reopens the database and checks it is intact and holds every id. */
static int64_t check_stored(const char *path, int64_t task, const int64_t *ids, int n) {
  tt_error err = {0};
  tt_store *s = tt_store_open(path, TT_STORE_READ_ONLY, &err);
  assert_non_null(s);
  int64_t count = 0;
  assert_int_equal(tt_store_count_task_trials(s, task, &count, &err), TT_OK);
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  for (int i = 0; i < n; i++) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM trials WHERE id = %lld", (long long)ids[i]);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
  }
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
  sqlite3_finalize(st);
  sqlite3_close(db);
  tt_store_close(s);
  return count;
}

/* Forks child_add and collects the ids it reported and how it ended. */
static int run_child(fixture *f, int n, int kill_after, int64_t *ids, int *wstatus) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    child_add(f->path, f->session, n, kill_after, fds[1]);
  }
  close(fds[1]);
  int got = read_ids(fds[0], ids, n);
  close(fds[0]);
  assert_int_equal(waitpid(pid, wstatus, 0), pid);
  return got;
}

static void test_sigkill_mid_session(void **state) {
  fixture *f = *state;
  int64_t ids[5];
  int wstatus = 0;
  int got = run_child(f, 5, 3, ids, &wstatus);
  assert_true(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
  assert_int_equal(got, 3);
  assert_int_equal(check_stored(f->path, f->task, ids, got), 3);
  /* The killed session still reads as running, with no end time. */
  tt_error err = {0};
  tt_store *s = tt_store_open(f->path, TT_STORE_READ_ONLY, &err);
  tt_session_list list;
  assert_int_equal(tt_store_list_sessions(s, NULL, &list, &err), TT_OK);
  assert_int_equal(list.items[0].status, TT_SESSION_RUNNING);
  assert_int_equal(list.items[0].trials, 3);
  tt_session_list_free(&list);
  tt_store_close(s);
}

static void test_exit_without_close(void **state) {
  fixture *f = *state;
  int64_t ids[5];
  int wstatus = 0;
  int got = run_child(f, 5, 0, ids, &wstatus);
  assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  assert_int_equal(got, 5);
  assert_int_equal(check_stored(f->path, f->task, ids, got), 5);
}

static void test_sigkill_from_outside(void **state) {
  fixture *f = *state;
  enum { MAX = 100000 };
  int64_t *ids = calloc(MAX, sizeof *ids);
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    child_add(f->path, f->session, MAX, 0, fds[1]);
  }
  close(fds[1]);
  int got = read_ids(fds[0], ids, 20); /* the child is busy adding */
  assert_int_equal(got, 20);
  kill(pid, SIGKILL);
  got += read_ids(fds[0], ids + got, MAX - got);
  close(fds[0]);
  int wstatus = 0;
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  assert_true(WIFSIGNALED(wstatus));
  int64_t count = check_stored(f->path, f->task, ids, got);
  /* At most the one trial in flight was committed but not reported. */
  assert_true(count == got || count == got + 1);
  free(ids);
}

/* Callback that adds a trial through another connection while the first
 * is in the middle of reading. */
typedef struct reader_ctx {
  tt_store *writer;
  int64_t session;
  int seen;
  int added;
} reader_ctx;

static int add_while_reading(void *ctx, const tt_trial *t) {
  reader_ctx *r = ctx;
  (void)t;
  r->seen++;
  if (add(r->writer, r->session, 1000 + r->seen) != 0) r->added++;
  return 0;
}

static void test_reader_and_writer(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  tt_store *a = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  tt_store *b = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(a);
  assert_non_null(b);
  for (int i = 0; i < 5; i++)
    assert_true(add(a, f->session, i) > 0);
  reader_ctx r = {b, f->session, 0, 0};
  assert_int_equal(tt_store_each_trial(a, f->task, add_while_reading, &r, &err), TT_OK);
  assert_int_equal(r.seen, 5);  /* the reader's snapshot */
  assert_int_equal(r.added, 5); /* the writer never waited for it */
  int64_t n = 0;
  assert_int_equal(tt_store_count_task_trials(a, f->task, &n, &err), TT_OK);
  assert_int_equal(n, 10); /* a new read sees them */
  tt_store_close(a);
  tt_store_close(b);
}

static void test_writer_waits_for_writer(void **state) {
  fixture *f = *state;
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) { /* holds the write lock for a while */
    sqlite3 *db = NULL;
    char c = 'x';
    if (sqlite3_open(f->path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
      _exit(3);
    if (write(fds[1], &c, 1) != 1) _exit(4);
    usleep(300 * 1000);
    _exit(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : 5);
  }
  close(fds[1]);
  char c;
  assert_int_equal(read(fds[0], &c, 1), 1);
  close(fds[0]);
  tt_error err = {0};
  tt_store *s = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(s);
  int64_t n = -1;
  assert_int_equal(tt_store_count_task_trials(s, f->task, &n, &err), TT_OK); /* not blocked */
  assert_int_equal(n, 0);
  double t0 = tt_now();
  assert_true(add(s, f->session, 1) > 0); /* waits for the lock, then succeeds */
  assert_true(tt_now() - t0 > 0.1);
  int wstatus = 0;
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  tt_store_close(s);
}

static void test_two_writer_processes(void **state) {
  fixture *f = *state;
  enum { N = 40 };
  tt_error err = {0};
  tt_store *s = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  tt_session_spec spec = {f->task, "random", 9, NULL, N};
  int64_t second = 0;
  assert_int_equal(tt_store_add_session(s, &spec, &second, &err), TT_OK);
  pid_t pids[2];
  int64_t sessions[2] = {f->session, second};
  for (int p = 0; p < 2; p++) {
    pids[p] = fork();
    assert_true(pids[p] >= 0);
    if (pids[p] == 0) child_add(f->path, sessions[p], N, 0, open("/dev/null", O_WRONLY));
  }
  for (int p = 0; p < 2; p++) {
    int wstatus = 0;
    assert_int_equal(waitpid(pids[p], &wstatus, 0), pids[p]);
    assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  }
  for (int p = 0; p < 2; p++) {
    tt_series_point *pts = NULL;
    size_t n = 0;
    assert_int_equal(tt_store_session_series(s, sessions[p], &pts, &n, &err), TT_OK);
    assert_int_equal(n, N);
    for (size_t i = 0; i < n; i++)
      assert_int_equal(pts[i].seq, (int64_t)i + 1); /* no gap, no duplicate */
    free(pts);
  }
  tt_store_close(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sigkill_mid_session, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exit_without_close, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sigkill_from_outside, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reader_and_writer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_writer_waits_for_writer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_two_writer_processes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
