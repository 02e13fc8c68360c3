/* Queries for history, reports and comparisons: sessions with their best
 * result, and one session's trial series. */
#include <math.h>
#include <stdlib.h>

#include "store/store_internal.h"

/* Each session with its task, trial counts and best ok trial. */
static const char sessions_sql[] =
    "SELECT s.id, s.task_id, t.kernel, t.size, t.target, t.template, s.strategy, s.seed,"
    " s.trials_requested, s.started_at, s.ended_at, s.status,"
    " (SELECT count(*) FROM trials WHERE session_id = s.id),"
    " (SELECT count(*) FROM trials WHERE session_id = s.id AND outcome = 'ok'),"
    " b.time_median_s, b.gflops, b.config, t.fingerprint"
    " FROM sessions s JOIN tasks t ON t.id = s.task_id"
    " LEFT JOIN trials b ON b.id = (SELECT id FROM trials WHERE session_id = s.id"
    "  AND outcome = 'ok' AND time_median_s IS NOT NULL ORDER BY time_median_s, id LIMIT 1)"
    " WHERE ?1 IS NULL OR t.kernel = ?1 ORDER BY s.id";

/* Copies a text column; NULL stays NULL. *oom is set when SQLite could not
 * produce the text of a non-NULL value. */
static char *dup_column(sqlite3_stmt *st, int col, int *oom) {
  const char *text = (const char *)sqlite3_column_text(st, col);
  if (!text) {
    if (sqlite3_column_type(st, col) != SQLITE_NULL) *oom = 1;
    return NULL;
  }
  return tt_xstrdup(text);
}

/* Fills info from the current row of sessions_sql. */
static tt_status read_session(tt_store *s, sqlite3_stmt *st, tt_session_info *info, tt_error *err) {
  int oom = 0;
  info->id = sqlite3_column_int64(st, 0);
  info->task_id = sqlite3_column_int64(st, 1);
  info->kernel = dup_column(st, 2, &oom);
  info->size = dup_column(st, 3, &oom);
  info->target = dup_column(st, 4, &oom);
  info->template_name = dup_column(st, 5, &oom);
  info->strategy = dup_column(st, 6, &oom);
  info->seed = (uint64_t)sqlite3_column_int64(st, 7);
  info->trials_requested = sqlite3_column_int64(st, 8);
  info->started_at = sqlite3_column_double(st, 9);
  info->ended_at = tt_store_column_real(st, 10);
  const char *status = (const char *)sqlite3_column_text(st, 11);
  info->trials = sqlite3_column_int64(st, 12);
  info->ok_trials = sqlite3_column_int64(st, 13);
  info->best_time_s = tt_store_column_real(st, 14);
  info->best_gflops = tt_store_column_real(st, 15);
  info->best_config = dup_column(st, 16, &oom);
  info->fingerprint = dup_column(st, 17, &oom);
  if (oom || !status || !info->kernel || !info->strategy)
    return tt_store_fail(s, SQLITE_NOMEM, "cannot read the sessions", err);
  if (tt_store_parse_session_status(status, &info->status) != 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s is corrupted: session %lld has status '%s'", s->path,
                        (long long)info->id, status);
  return TT_OK;
}

/* Frees the strings of one session. */
static void free_session(tt_session_info *info) {
  free(info->kernel);
  free(info->size);
  free(info->target);
  free(info->template_name);
  free(info->strategy);
  free(info->best_config);
  free(info->fingerprint);
}

/* See store.h. On error the list is empty. */
tt_status tt_store_list_sessions(tt_store *s, const char *kernel, tt_session_list *out,
                                 tt_error *err) {
  const char *what = "cannot read the sessions";
  sqlite3_stmt *st = NULL;
  size_t cap = 0;
  out->items = NULL;
  out->len = 0;
  tt_status status = tt_store_prepare(s, sessions_sql, &st, what, err);
  if (status != TT_OK) return status;
  if (kernel) tt_store_bind_text(st, 1, kernel);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (out->len == cap) {
      cap = cap ? 2 * cap : 16;
      out->items = tt_xrealloc(out->items, cap * sizeof *out->items);
    }
    tt_session_info *info = &out->items[out->len++];
    status = read_session(s, st, info, err);
    if (status != TT_OK) goto done;
  }
  if (rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
done:
  sqlite3_finalize(st);
  if (status != TT_OK) tt_session_list_free(out);
  return status;
}

/* See store.h. */
void tt_session_list_free(tt_session_list *list) {
  for (size_t i = 0; i < list->len; i++)
    free_session(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->len = 0;
}

/* Fills p from a row of the series query. */
static tt_status read_point(tt_store *s, sqlite3_stmt *st, tt_series_point *p, tt_error *err) {
  const char *outcome = (const char *)sqlite3_column_text(st, 1);
  p->seq = sqlite3_column_int64(st, 0);
  if (!outcome) return tt_store_fail(s, SQLITE_NOMEM, "cannot read the session's trials", err);
  if (tt_outcome_parse(outcome, &p->outcome) != 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s is corrupted: trial outcome '%s'", s->path, outcome);
  p->time_s = p->outcome == TT_OUTCOME_OK ? tt_store_column_real(st, 2) : NAN;
  p->gflops = tt_store_column_real(st, 3);
  p->offset_s = sqlite3_column_double(st, 4);
  return TT_OK;
}

/* See store.h. */
tt_status tt_store_session_series(tt_store *s, int64_t session_id, tt_series_point **points,
                                  size_t *n, tt_error *err) {
  static const char sql[] = "SELECT t.seq, t.outcome, t.time_median_s, t.gflops,"
                            " t.finished_at - s.started_at FROM trials t"
                            " JOIN sessions s ON s.id = t.session_id"
                            " WHERE t.session_id = ?1 ORDER BY t.seq";
  const char *what = "cannot read the session's trials";
  sqlite3_stmt *st = NULL;
  size_t cap = 0;
  int rc = SQLITE_DONE;
  *points = NULL;
  *n = 0;
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(st, 1, session_id);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      *points = tt_xrealloc(*points, cap * sizeof **points);
    }
    status = read_point(s, st, &(*points)[(*n)++], err);
    if (status != TT_OK) goto done;
  }
  if (rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
done:
  sqlite3_finalize(st);
  if (status != TT_OK) {
    free(*points);
    *points = NULL;
    *n = 0;
  }
  return status;
}
