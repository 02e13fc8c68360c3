/* Error mapping, statement and transaction helpers shared by the store. */
#include <math.h>

#include "store/store_internal.h"

/* Maps SQLite's primary result code to a tetune status. */
static tt_status status_of(int rc) {
  switch (rc & 0xff) {
  case SQLITE_NOMEM:
    return TT_ERR_NOMEM;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return TT_ERR_USAGE;
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_FULL:
  case SQLITE_READONLY:
  case SQLITE_PERM:
    return TT_ERR_IO;
  default:
    return TT_ERR_ENV;
  }
}

/* See store_internal.h. The message comes from the connection when it has
 * one for this code, else from the code itself. */
tt_status tt_store_fail(tt_store *s, int rc, const char *what, tt_error *err) {
  tt_status st = status_of(rc);
  const char *msg = sqlite3_errstr(rc);
  if (s->db && (sqlite3_errcode(s->db) & 0xff) == (rc & 0xff)) msg = sqlite3_errmsg(s->db);
  if (st == TT_ERR_USAGE)
    return tt_error_set(err, st, "%s is corrupted: %s (%s)", s->path, msg, what);
  return tt_error_set(err, st, "%s: %s: %s", s->path, what, msg);
}

/* See store_internal.h. */
tt_status tt_store_exec(tt_store *s, const char *sql, const char *what, tt_error *err) {
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return tt_store_fail(s, rc, what, err);
  return TT_OK;
}

/* See store_internal.h. */
tt_status tt_store_prepare(tt_store *s, const char *sql, sqlite3_stmt **st, const char *what,
                           tt_error *err) {
  int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(*st);
    *st = NULL;
    return tt_store_fail(s, rc, what, err);
  }
  return TT_OK;
}

/* See store_internal.h. */
tt_status tt_store_begin(tt_store *s, const char *what, tt_error *err) {
  return tt_store_exec(s, "BEGIN IMMEDIATE", what, err);
}

/* See store_internal.h. A failed COMMIT leaves the transaction open or
 * rolled back depending on the error; roll back to leave a clean state. */
tt_status tt_store_commit(tt_store *s, const char *what, tt_error *err) {
  tt_status st = tt_store_exec(s, "COMMIT", what, err);
  if (st != TT_OK) tt_store_rollback(s);
  return st;
}

/* See store_internal.h. */
void tt_store_rollback(tt_store *s) {
  if (!sqlite3_get_autocommit(s->db)) (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* See store_internal.h. */
int tt_store_bind_real(sqlite3_stmt *st, int col, double v) {
  if (isnan(v)) return sqlite3_bind_null(st, col);
  return sqlite3_bind_double(st, col, v);
}

/* See store_internal.h. */
double tt_store_column_real(sqlite3_stmt *st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return NAN;
  return sqlite3_column_double(st, col);
}

/* See store_internal.h. */
int tt_store_bind_text(sqlite3_stmt *st, int col, const char *text) {
  return sqlite3_bind_text(st, col, text ? text : "", -1, SQLITE_STATIC);
}
