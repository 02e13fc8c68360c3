/* Internal header of src/store: shared by the store's .c files only, never
 * included from outside src/store. */
#ifndef TETUNE_STORE_INTERNAL_H
#define TETUNE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "tetune/store.h"

struct tt_store {
  sqlite3 *db;
  char *path; /* as given to tt_store_open; owned */
  int read_only;
  char owner[128]; /* "host pid start-time" of this process (lease.c) */
};

/* lease.c: fills s->owner for this process. */
void tt_store_init_owner(tt_store *s);
/* 1 when the process named by owner may still be running (see store.h);
 * seen_at is when it last showed life (Unix time). */
int tt_store_owner_alive(const tt_store *s, const char *owner, double seen_at);
/* Inside a write transaction: makes this process the owner of session_id,
 * or refuses (TT_ERR_ENV) while another live process holds it. */
tt_status tt_store_take_session(tt_store *s, int64_t session_id, tt_error *err);

/* Records the failure rc of SQLite while doing `what` ("cannot add a
 * trial") with SQLite's message, mapping the code to a status: corruption
 * is TT_ERR_USAGE ("x.db is corrupted: ..."), out of memory TT_ERR_NOMEM,
 * file trouble TT_ERR_IO, anything else TT_ERR_ENV. Returns the status. */
tt_status tt_store_fail(tt_store *s, int rc, const char *what, tt_error *err);

/* Runs SQL without results (one or more statements). */
tt_status tt_store_exec(tt_store *s, const char *sql, const char *what, tt_error *err);
/* Prepares one statement; *st is NULL on error. */
tt_status tt_store_prepare(tt_store *s, const char *sql, sqlite3_stmt **st, const char *what,
                           tt_error *err);

/* BEGIN IMMEDIATE (waits for other writers up to the busy timeout). */
tt_status tt_store_begin(tt_store *s, const char *what, tt_error *err);
tt_status tt_store_commit(tt_store *s, const char *what, tt_error *err);
/* Rolls back when a transaction is open; never fails (after a failed
 * statement SQLite may already have rolled back). */
void tt_store_rollback(tt_store *s);

/* Creates or upgrades the schema to TT_STORE_SCHEMA_VERSION inside one
 * write transaction, from the version it finds there (0: empty). */
tt_status tt_store_migrate(tt_store *s, tt_error *err);

/* Sets *out to the canonical form of json (caller frees); malformed JSON
 * is TT_ERR_USAGE naming `what` ("trial configuration"). */
tt_status tt_store_canonical_key(tt_store *s, const char *json, const char *what, char **out,
                                 tt_error *err);

/* The columns tt_store_read_trial expects, in order. */
#define TT_STORE_TRIAL_COLUMNS                                                                     \
  "id, session_id, task_id, seq, config, config_key, outcome, message, time_median_s,"             \
  " time_min_s, time_spread, repeats, max_rel_err, compile_s, gflops, strategy, started_at,"       \
  " finished_at, settings, compile_start, compile_end, measure_start, measure_end, cores, worker"

/* Fills t from the current row of st (TT_STORE_TRIAL_COLUMNS); its strings
 * belong to the statement and die at the next step. */
tt_status tt_store_read_trial(tt_store *s, sqlite3_stmt *st, tt_trial *t, tt_error *err);
/* Copies t into one allocation that tt_trial_free releases. */
tt_trial *tt_store_copy_trial(const tt_trial *t);

/* Parses a stored session status name; returns -1 for an unknown one. */
int tt_store_parse_session_status(const char *name, tt_session_status *st);

/* NAN <-> NULL for optional REAL columns. */
int tt_store_bind_real(sqlite3_stmt *st, int col, double v);
double tt_store_column_real(sqlite3_stmt *st, int col);
/* Binds text without copying (it must outlive the statement); NULL binds
 * "" (never SQL NULL). */
int tt_store_bind_text(sqlite3_stmt *st, int col, const char *text);

#endif
