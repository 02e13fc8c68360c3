/* Sessions: one run of a strategy on a task. A session is created running
 * and ended with a status; one killed with -9 stays "running" with no end
 * time, which is how history tells it apart. */
#include <assert.h>
#include <string.h>

#include "store/store_internal.h"

static const char *const status_names[TT_SESSION_STATUS_COUNT] = {"running", "completed",
                                                                  "interrupted", "failed"};

/* See store.h. */
const char *tt_session_status_name(tt_session_status st) {
  assert(st >= 0 && st < TT_SESSION_STATUS_COUNT);
  return status_names[st];
}

/* Parses a stored status name; returns -1 for an unknown one. */
int tt_store_parse_session_status(const char *name, tt_session_status *st) {
  for (int i = 0; i < TT_SESSION_STATUS_COUNT; i++) {
    if (strcmp(name, status_names[i]) == 0) {
      *st = (tt_session_status)i;
      return 0;
    }
  }
  return -1;
}

/* See store.h. A task id that does not exist fails the foreign key. */
tt_status tt_store_add_session(tt_store *s, const tt_session_spec *spec, int64_t *session_id,
                               tt_error *err) {
  static const char sql[] = "INSERT INTO sessions(task_id, strategy, seed, args,"
                            " trials_requested, started_at, status, owner, lease_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running', ?7, ?6)";
  const char *what = "cannot add the session";
  sqlite3_stmt *st = NULL;
  *session_id = 0;
  assert(spec->strategy);
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(st, 1, spec->task_id);
  tt_store_bind_text(st, 2, spec->strategy);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)spec->seed); /* bit pattern kept */
  tt_store_bind_text(st, 4, spec->args ? spec->args : "{}");
  sqlite3_bind_int64(st, 5, spec->trials_requested);
  sqlite3_bind_double(st, 6, tt_wall_now());
  sqlite3_bind_text(st, 7, s->owner, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE)
    *session_id = sqlite3_last_insert_rowid(s->db);
  else if (rc == SQLITE_CONSTRAINT)
    status = tt_error_set(err, TT_ERR_USAGE, "%s: no task %lld", s->path, (long long)spec->task_id);
  else
    status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  return status;
}

/* Runs a prepared UPDATE of session session_id (its parameters bound) and
 * finalizes it; TT_ERR_USAGE when no such session exists. */
static tt_status update_session(tt_store *s, sqlite3_stmt *st, int64_t session_id, const char *what,
                                tt_error *err) {
  tt_status result = TT_OK;
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE)
    result = tt_store_fail(s, rc, what, err);
  else if (sqlite3_changes(s->db) == 0)
    result = tt_error_set(err, TT_ERR_USAGE, "%s: no session %lld", s->path, (long long)session_id);
  sqlite3_finalize(st);
  return result;
}

/* See store.h. */
tt_status tt_store_end_session(tt_store *s, int64_t session_id, tt_session_status status,
                               tt_error *err) {
  static const char sql[] = "UPDATE sessions SET status = ?1, ended_at = ?2, owner = NULL"
                            " WHERE id = ?3";
  const char *what = "cannot end the session";
  sqlite3_stmt *st = NULL;
  tt_status result = tt_store_prepare(s, sql, &st, what, err);
  if (result != TT_OK) return result;
  sqlite3_bind_text(st, 1, tt_session_status_name(status), -1, SQLITE_STATIC);
  sqlite3_bind_double(st, 2, tt_wall_now());
  sqlite3_bind_int64(st, 3, session_id);
  return update_session(s, st, session_id, what, err);
}

/* See store.h. Taking the lease and the update are one transaction, so of
 * two processes resuming at once exactly one gets the session. */
tt_status tt_store_resume_session(tt_store *s, int64_t session_id, int64_t trials_requested,
                                  tt_error *err) {
  static const char sql[] = "UPDATE sessions SET status = 'running', ended_at = NULL,"
                            " trials_requested = max(trials_requested, ?1) WHERE id = ?2";
  const char *what = "cannot resume the session";
  sqlite3_stmt *st = NULL;
  tt_status result = tt_store_begin(s, what, err);
  if (result == TT_OK) result = tt_store_take_session(s, session_id, err);
  if (result == TT_OK) result = tt_store_prepare(s, sql, &st, what, err);
  if (result != TT_OK) {
    tt_store_rollback(s);
    return result;
  }
  sqlite3_bind_int64(st, 1, trials_requested);
  sqlite3_bind_int64(st, 2, session_id);
  result = update_session(s, st, session_id, what, err);
  if (result != TT_OK) {
    tt_store_rollback(s);
    return result;
  }
  return tt_store_commit(s, what, err);
}
