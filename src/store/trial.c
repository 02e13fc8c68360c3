/* Trials: adding one (its own committed transaction) and reading them
 * back one at a time. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* Appends src to the block at *cursor and returns the copy. */
static const char *pack(char **cursor, const char *src) {
  size_t n = strlen(src) + 1;
  memcpy(*cursor, src, n);
  const char *copy = *cursor;
  *cursor += n;
  return copy;
}

/* See store_internal.h: one allocation holding the struct and its strings,
 * so a single free() releases it. */
tt_trial *tt_store_copy_trial(const tt_trial *t) {
  const char *settings = t->settings ? t->settings : "";
  const char *cores = t->cores ? t->cores : "", *worker = t->worker ? t->worker : "";
  size_t n = sizeof *t + strlen(t->config) + strlen(t->config_key) + strlen(t->message) +
             strlen(t->strategy) + strlen(settings) + strlen(cores) + strlen(worker) + 7;
  tt_trial *copy = tt_xmalloc(n);
  char *cursor = (char *)(copy + 1);
  *copy = *t;
  copy->config = pack(&cursor, t->config);
  copy->config_key = pack(&cursor, t->config_key);
  copy->message = pack(&cursor, t->message);
  copy->strategy = pack(&cursor, t->strategy);
  copy->settings = pack(&cursor, settings);
  copy->cores = pack(&cursor, cores);
  copy->worker = pack(&cursor, worker);
  return copy;
}

/* See store.h. */
void tt_trial_free(tt_trial *t) {
  free(t);
}

/* Text of a NOT NULL column; NULL only when SQLite ran out of memory. */
static const char *column_text(sqlite3_stmt *st, int col) {
  return (const char *)sqlite3_column_text(st, col);
}

/* A time of day that may be NULL (unknown): 0. */
static double stamp(sqlite3_stmt *st, int col) {
  return sqlite3_column_type(st, col) == SQLITE_NULL ? 0 : sqlite3_column_double(st, col);
}

/* 1 when v is unmeasured (NAN) or a finite number >= 0. */
static int plausible(double v) {
  return isnan(v) || (isfinite(v) && v >= 0);
}

/* What makes a stored trial impossible ("negative repeats"), or NULL: a
 * damaged or tampered database must not feed a strategy or a report
 * values no measurement can produce. max_rel_err may be +inf (NaN where
 * the reference is finite). */
static const char *implausible(const tt_trial *t) {
  if (t->repeats < 0) return "negative repeats";
  if (!plausible(t->time_median_s) || !plausible(t->time_min_s)) return "a negative time";
  if (!plausible(t->time_spread)) return "a negative spread";
  if (!(isnan(t->max_rel_err) || t->max_rel_err >= 0)) return "a negative error";
  if (!plausible(t->compile_s)) return "a negative compile time";
  if (!plausible(t->gflops)) return "negative GFLOP/s";
  if (t->seq < 1) return "a sequence number below 1";
  return NULL;
}

/* See store_internal.h. */
tt_status tt_store_read_trial(tt_store *s, sqlite3_stmt *st, tt_trial *t, tt_error *err) {
  memset(t, 0, sizeof *t);
  t->id = sqlite3_column_int64(st, 0);
  t->session_id = sqlite3_column_int64(st, 1);
  t->task_id = sqlite3_column_int64(st, 2);
  t->seq = sqlite3_column_int64(st, 3);
  t->config = column_text(st, 4);
  t->config_key = column_text(st, 5);
  const char *outcome = column_text(st, 6);
  t->message = column_text(st, 7);
  t->time_median_s = tt_store_column_real(st, 8);
  t->time_min_s = tt_store_column_real(st, 9);
  t->time_spread = tt_store_column_real(st, 10);
  t->repeats = sqlite3_column_int(st, 11);
  t->max_rel_err = tt_store_column_real(st, 12);
  t->compile_s = tt_store_column_real(st, 13);
  t->gflops = tt_store_column_real(st, 14);
  t->strategy = column_text(st, 15);
  t->started_at = sqlite3_column_double(st, 16);
  t->finished_at = sqlite3_column_double(st, 17);
  t->settings = column_text(st, 18);
  t->compile_start = stamp(st, 19);
  t->compile_end = stamp(st, 20);
  t->measure_start = stamp(st, 21);
  t->measure_end = stamp(st, 22);
  t->cores = sqlite3_column_type(st, 23) == SQLITE_NULL ? "" : column_text(st, 23);
  t->worker = sqlite3_column_type(st, 24) == SQLITE_NULL ? "" : column_text(st, 24);
  if (!t->config || !t->config_key || !outcome || !t->message || !t->strategy || !t->settings)
    return tt_store_fail(s, SQLITE_NOMEM, "cannot read a trial", err);
  if (tt_outcome_parse(outcome, &t->outcome) != 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s is corrupted: trial %lld has outcome '%s'", s->path,
                        (long long)t->id, outcome);
  /* The search models log time: an ok trial must have a time > 0. */
  if (t->outcome == TT_OUTCOME_OK && !(t->time_median_s > 0 && isfinite(t->time_median_s)))
    return tt_error_set(err, TT_ERR_USAGE, "%s is corrupted: trial %lld is ok with time %g",
                        s->path, (long long)t->id, t->time_median_s);
  const char *bad = implausible(t);
  if (bad != NULL)
    return tt_error_set(err, TT_ERR_USAGE, "%s is corrupted: trial %lld has %s", s->path,
                        (long long)t->id, bad);
  return TT_OK;
}

/* Binds everything but the session id (?1) and strategy (?13). */
static void bind_trial(sqlite3_stmt *st, const tt_trial *t, const char *key, double finished) {
  tt_store_bind_text(st, 2, t->config);
  tt_store_bind_text(st, 3, key);
  sqlite3_bind_text(st, 4, tt_outcome_name(t->outcome), -1, SQLITE_STATIC);
  tt_store_bind_text(st, 5, t->message);
  tt_store_bind_real(st, 6, t->time_median_s);
  tt_store_bind_real(st, 7, t->time_min_s);
  tt_store_bind_real(st, 8, t->time_spread);
  sqlite3_bind_int(st, 9, t->repeats);
  tt_store_bind_real(st, 10, t->max_rel_err);
  tt_store_bind_real(st, 11, t->compile_s);
  tt_store_bind_real(st, 12, t->gflops);
  sqlite3_bind_double(st, 14, t->started_at != 0 ? t->started_at : finished);
  sqlite3_bind_double(st, 15, finished);
  tt_store_bind_text(st, 16, t->settings);
  tt_store_bind_real(st, 17, t->compile_start != 0 ? t->compile_start : NAN);
  tt_store_bind_real(st, 18, t->compile_end != 0 ? t->compile_end : NAN);
  tt_store_bind_real(st, 19, t->measure_start != 0 ? t->measure_start : NAN);
  tt_store_bind_real(st, 20, t->measure_end != 0 ? t->measure_end : NAN);
  if (t->cores && *t->cores) tt_store_bind_text(st, 21, t->cores);
  if (t->worker && *t->worker) tt_store_bind_text(st, 22, t->worker);
}

/* See store.h. One INSERT ... SELECT in autocommit mode: the statement is
 * its own transaction, so it is durable when sqlite3_step returns, and it
 * takes task id, next seq and default strategy from the session under the
 * same write lock (no race between two writers on one session). */
tt_status tt_store_add_trial(tt_store *s, const tt_trial *t, int64_t *trial_id, tt_error *err) {
  static const char sql[] =
      "INSERT INTO trials(session_id, task_id, seq, config, config_key, outcome, message,"
      " time_median_s, time_min_s, time_spread, repeats, max_rel_err, compile_s, gflops,"
      " strategy, started_at, finished_at, settings, compile_start, compile_end, measure_start,"
      " measure_end, cores, worker)"
      " SELECT ?1, s.task_id,"
      " (SELECT coalesce(max(seq), 0) + 1 FROM trials WHERE session_id = ?1),"
      " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?13, s.strategy), ?14, ?15, ?16,"
      " ?17, ?18, ?19, ?20, ?21, ?22"
      " FROM sessions s WHERE s.id = ?1";
  const char *what = "cannot add a trial";
  sqlite3_stmt *st = NULL;
  char *key = NULL;
  assert(t->config && t->outcome >= 0 && t->outcome < TT_OUTCOME_COUNT);
  if (trial_id) *trial_id = 0;
  tt_status status = TT_OK;
  if (!t->config_key)
    status = tt_store_canonical_key(s, t->config, "trial configuration", &key, err);
  if (status == TT_OK) status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) goto done;
  sqlite3_bind_int64(st, 1, t->session_id);
  double finished = t->finished_at != 0 ? t->finished_at : tt_wall_now();
  bind_trial(st, t, key ? key : t->config_key, finished);
  if (t->strategy) sqlite3_bind_text(st, 13, t->strategy, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE)
    status = tt_store_fail(s, rc, what, err);
  else if (sqlite3_changes(s->db) == 0)
    status =
        tt_error_set(err, TT_ERR_USAGE, "%s: no session %lld", s->path, (long long)t->session_id);
  else if (trial_id)
    *trial_id = sqlite3_last_insert_rowid(s->db);
done:
  sqlite3_finalize(st);
  free(key);
  return status;
}
