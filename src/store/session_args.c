/* A session's recorded arguments (tt_store_session_args). */
#include <stdlib.h>

#include "store/store_internal.h"

/* See store.h. */
tt_status tt_store_session_args(tt_store *s, int64_t session_id, char **args, tt_error *err) {
  sqlite3_stmt *st = NULL;
  *args = NULL;
  tt_status rc = tt_store_prepare(s, "SELECT args FROM sessions WHERE id = ?1", &st,
                                  "cannot read a session's arguments", err);
  if (rc != TT_OK) return rc;
  sqlite3_bind_int64(st, 1, session_id);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(st, 0);
    if (text)
      *args = tt_xstrdup(text);
    else
      rc = tt_store_fail(s, SQLITE_NOMEM, "cannot read a session's arguments", err);
  } else if (step != SQLITE_DONE) {
    rc = tt_store_fail(s, step, "cannot read a session's arguments", err);
  }
  sqlite3_finalize(st);
  return rc;
}
