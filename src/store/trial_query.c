/* Reading trials back: dedupe lookup, best trial, resume iteration and
 * counts. */
#include "store/store_internal.h"

/* Runs sql (binding ?1 = id and, when key / settings are not NULL, ?2 =
 * key, ?3 = settings) and sets *out to a copy of the first row, or NULL
 * when there is none. */
static tt_status first_row(tt_store *s, const char *sql, int64_t id, const char *key,
                           const char *settings, tt_trial **out, const char *what, tt_error *err) {
  sqlite3_stmt *st = NULL;
  tt_trial row;
  *out = NULL;
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(st, 1, id);
  if (key) tt_store_bind_text(st, 2, key);
  if (settings) tt_store_bind_text(st, 3, settings);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    status = tt_store_read_trial(s, st, &row, err);
    if (status == TT_OK) *out = tt_store_copy_trial(&row);
  } else if (rc != SQLITE_DONE) {
    status = tt_store_fail(s, rc, what, err);
  }
  sqlite3_finalize(st);
  return status;
}

/* first_row without settings. */
static tt_status first_trial(tt_store *s, const char *sql, int64_t id, const char *key,
                             tt_trial **out, const char *what, tt_error *err) {
  return first_row(s, sql, id, key, NULL, out, what, err);
}

/* See store.h. Uses the (task_id, config_key) index. */
tt_status tt_store_find_reusable(tt_store *s, int64_t task_id, const char *config_key,
                                 const char *settings, tt_trial **out, tt_error *err) {
  static const char sql[] = "SELECT " TT_STORE_TRIAL_COLUMNS " FROM trials"
                            " WHERE task_id = ?1 AND config_key = ?2 AND outcome != 'lost'"
                            "  AND (settings = ?3"
                            "  OR (settings = '' AND outcome IN ('ok', 'invalid')))"
                            " ORDER BY id DESC LIMIT 1";
  return first_row(s, sql, task_id, config_key, settings ? settings : "", out,
                   "cannot look up a trial", err);
}

/* See store.h. Uses the (task_id, config_key) index. */
tt_status tt_store_find_trial(tt_store *s, int64_t task_id, const char *config_key, tt_trial **out,
                              tt_error *err) {
  static const char sql[] = "SELECT " TT_STORE_TRIAL_COLUMNS " FROM trials"
                            " WHERE task_id = ?1 AND config_key = ?2 ORDER BY id DESC LIMIT 1";
  return first_trial(s, sql, task_id, config_key, out, "cannot look up a trial", err);
}

/* See store.h. */
tt_status tt_store_best_trial(tt_store *s, int64_t task_id, tt_trial **out, tt_error *err) {
  static const char sql[] = "SELECT " TT_STORE_TRIAL_COLUMNS " FROM trials"
                            " WHERE task_id = ?1 AND outcome = 'ok' AND time_median_s IS NOT NULL"
                            " ORDER BY time_median_s, id LIMIT 1";
  return first_trial(s, sql, task_id, NULL, out, "cannot find the best trial", err);
}

/* See store.h. One statement is one read transaction in SQLite, so the
 * whole iteration sees one snapshot even while another connection writes
 * (WAL). Session ids grow with creation, so (session_id, seq) is the order
 * of storage. */
tt_status tt_store_each_trial(tt_store *s, int64_t task_id, tt_trial_fn fn, void *ctx,
                              tt_error *err) {
  static const char sql[] = "SELECT " TT_STORE_TRIAL_COLUMNS " FROM trials"
                            " WHERE task_id = ?1 ORDER BY session_id, seq";
  const char *what = "cannot read the trials";
  sqlite3_stmt *st = NULL;
  tt_trial row;
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(st, 1, task_id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    status = tt_store_read_trial(s, st, &row, err);
    if (status != TT_OK || fn(ctx, &row) != 0) goto done;
  }
  if (rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
done:
  sqlite3_finalize(st);
  return status;
}

/* Runs a count(*) query binding ?1 = id. */
static tt_status count(tt_store *s, const char *sql, int64_t id, int64_t *n, tt_error *err) {
  const char *what = "cannot count trials";
  sqlite3_stmt *st = NULL;
  *n = 0;
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *n = sqlite3_column_int64(st, 0);
  else
    status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  return status;
}

/* See store.h. */
tt_status tt_store_count_session_trials(tt_store *s, int64_t session_id, int64_t *n,
                                        tt_error *err) {
  return count(s, "SELECT count(*) FROM trials WHERE session_id = ?1", session_id, n, err);
}

/* See store.h. */
tt_status tt_store_count_task_trials(tt_store *s, int64_t task_id, int64_t *n, tt_error *err) {
  return count(s, "SELECT count(*) FROM trials WHERE task_id = ?1", task_id, n, err);
}
