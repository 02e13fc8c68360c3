/* The schema and its migrations: migration i takes a database from schema
 * version i to i + 1; version 0 is an empty database. A new version adds
 * one entry and bumps TT_STORE_SCHEMA_VERSION. */
#include <stdio.h>

#include "store/store_internal.h"

/* Version 1: tasks, sessions, trials. Times are Unix seconds (REAL); an
 * unmeasured value is NULL. trials.task_id duplicates the session's so the
 * per-task lookups (dedupe, best, resume) need no join. */
static const char schema_v1[] =
    "CREATE TABLE tasks("
    " id INTEGER PRIMARY KEY,"
    " kernel TEXT NOT NULL, size TEXT NOT NULL, target TEXT NOT NULL,"
    " template TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL,"      /* canonical JSON */
    " fingerprint_hash TEXT NOT NULL," /* 16 hex digits of it */
    " created_at REAL NOT NULL,"
    " UNIQUE(kernel, size, target, template, fingerprint_hash));"
    "CREATE TABLE sessions("
    " id INTEGER PRIMARY KEY,"
    " task_id INTEGER NOT NULL REFERENCES tasks(id),"
    " strategy TEXT NOT NULL, seed INTEGER NOT NULL, args TEXT NOT NULL,"
    " trials_requested INTEGER NOT NULL,"
    " started_at REAL NOT NULL, ended_at REAL,"
    " status TEXT NOT NULL);"
    "CREATE INDEX sessions_task ON sessions(task_id);"
    "CREATE TABLE trials("
    " id INTEGER PRIMARY KEY,"
    " session_id INTEGER NOT NULL REFERENCES sessions(id),"
    " task_id INTEGER NOT NULL REFERENCES tasks(id),"
    " seq INTEGER NOT NULL,"
    " config TEXT NOT NULL, config_key TEXT NOT NULL,"
    " outcome TEXT NOT NULL, message TEXT NOT NULL,"
    " time_median_s REAL, time_min_s REAL, time_spread REAL,"
    " repeats INTEGER NOT NULL,"
    " max_rel_err REAL, compile_s REAL, gflops REAL,"
    " strategy TEXT NOT NULL,"
    " started_at REAL NOT NULL, finished_at REAL NOT NULL,"
    " UNIQUE(session_id, seq));"
    "CREATE INDEX trials_task_key ON trials(task_id, config_key);"
    "CREATE INDEX trials_task_time ON trials(task_id, outcome, time_median_s);";

/* Version 2: the measurement settings a trial was measured under (reuse
 * requires equal settings; '' for trials from version 1); the process that
 * holds a session (owner, "host pid start-time", NULL when none) and when
 * it last showed life; claims on configurations being measured, so that
 * concurrent sessions of a task do not measure the same one. A stored trial
 * releases the claim on its configuration in the same transaction. */
static const char schema_v2[] =
    "ALTER TABLE trials ADD COLUMN settings TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessions ADD COLUMN owner TEXT;"
    "ALTER TABLE sessions ADD COLUMN lease_at REAL;"
    "CREATE TABLE claims("
    " task_id INTEGER NOT NULL REFERENCES tasks(id),"
    " config_key TEXT NOT NULL, settings TEXT NOT NULL,"
    " session_id INTEGER NOT NULL REFERENCES sessions(id),"
    " owner TEXT NOT NULL, claimed_at REAL NOT NULL,"
    " PRIMARY KEY(task_id, config_key, settings));"
    "CREATE TRIGGER trials_done AFTER INSERT ON trials BEGIN"
    " DELETE FROM claims WHERE task_id = NEW.task_id AND config_key = NEW.config_key"
    "  AND settings = NEW.settings;"
    " UPDATE sessions SET lease_at = NEW.finished_at WHERE id = NEW.session_id;"
    " END;";

/* Version 3: where and when a trial ran — build and timing intervals on
 * the evaluator's clock, the logical CPUs that timed it and the worker —
 * so that parallel sessions can be checked (no two timings on one core at
 * once) and simulated ones studied. NULL for older trials. */
static const char schema_v3[] = "ALTER TABLE trials ADD COLUMN compile_start REAL;"
                                "ALTER TABLE trials ADD COLUMN compile_end REAL;"
                                "ALTER TABLE trials ADD COLUMN measure_start REAL;"
                                "ALTER TABLE trials ADD COLUMN measure_end REAL;"
                                "ALTER TABLE trials ADD COLUMN cores TEXT;"
                                "ALTER TABLE trials ADD COLUMN worker TEXT;";

static const char *const migrations[TT_STORE_SCHEMA_VERSION] = {schema_v1, schema_v2, schema_v3};

/* Reads PRAGMA user_version inside the current transaction. */
static tt_status read_version(tt_store *s, int *version, tt_error *err) {
  sqlite3_stmt *st = NULL;
  tt_status status =
      tt_store_prepare(s, "PRAGMA user_version", &st, "cannot read the schema version", err);
  if (status != TT_OK) return status;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int(st, 0);
  else
    status = tt_store_fail(s, rc, "cannot read the schema version", err);
  sqlite3_finalize(st);
  return status;
}

/* See store_internal.h. The version is read again inside the write
 * transaction: another process may have migrated while we waited. */
tt_status tt_store_migrate(tt_store *s, tt_error *err) {
  const char *what = "cannot create the schema";
  int version = 0;
  char sql[128];
  tt_status st = tt_store_begin(s, what, err);
  if (st != TT_OK) return st;
  st = read_version(s, &version, err);
  if (st != TT_OK || version >= TT_STORE_SCHEMA_VERSION) goto done;
  for (; version < TT_STORE_SCHEMA_VERSION; version++) {
    st = tt_store_exec(s, migrations[version], what, err);
    if (st != TT_OK) goto done;
  }
  snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
           TT_STORE_APPLICATION_ID, TT_STORE_SCHEMA_VERSION);
  st = tt_store_exec(s, sql, what, err);
  if (st != TT_OK) goto done;
done:
  if (st != TT_OK) {
    tt_store_rollback(s);
    return st;
  }
  return tt_store_commit(s, what, err);
}
