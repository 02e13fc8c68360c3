/* Opening and closing a store: recognising what the file holds before
 * anything is written to it, so that a foreign or corrupted file is
 * reported and left exactly as it was. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_internal.h"

/* How long a connection waits for another writer before giving up. */
#define STORE_BUSY_TIMEOUT_MS 10000

/* What an opened file holds. */
typedef enum file_kind { FILE_EMPTY, FILE_TETUNE, FILE_FOREIGN } file_kind;

/* Reads the header fields and whether there are any schema objects, with a
 * read-only statement. A file that is not SQLite at all fails here. */
static tt_status inspect(tt_store *s, file_kind *kind, int *version, tt_error *err) {
  static const char sql[] = "SELECT (SELECT application_id FROM pragma_application_id),"
                            " (SELECT user_version FROM pragma_user_version),"
                            " (SELECT count(*) FROM sqlite_master)";
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    tt_status status;
    if (rc == SQLITE_NOTADB)
      status = tt_error_set(err, TT_ERR_USAGE, "%s is not a tetune database: %s", s->path,
                            sqlite3_errmsg(s->db));
    else
      status = tt_store_fail(s, rc, "cannot read the database header", err);
    sqlite3_finalize(st);
    return status;
  }
  int app_id = sqlite3_column_int(st, 0);
  *version = sqlite3_column_int(st, 1);
  int objects = sqlite3_column_int(st, 2);
  sqlite3_finalize(st);
  if (app_id == TT_STORE_APPLICATION_ID)
    *kind = FILE_TETUNE;
  else if (app_id == 0 && objects == 0)
    *kind = FILE_EMPTY;
  else
    *kind = FILE_FOREIGN;
  return TT_OK;
}

/* Decides, from what the file holds, whether it can be used in this mode
 * and whether the schema must be created or upgraded (*migrate). */
static tt_status check_kind(tt_store *s, file_kind kind, int version, int *migrate, tt_error *err) {
  *migrate = 0;
  if (kind == FILE_FOREIGN)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s is not a tetune database (it holds another application's data)",
                        s->path);
  if (kind == FILE_EMPTY) {
    if (s->read_only)
      return tt_error_set(err, TT_ERR_USAGE, "%s is not a tetune database (it is empty)", s->path);
    *migrate = 1;
    return TT_OK;
  }
  if (version > TT_STORE_SCHEMA_VERSION)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s was written by a newer tetune (schema %d, this one reads up to %d)",
                        s->path, version, TT_STORE_SCHEMA_VERSION);
  if (version < TT_STORE_SCHEMA_VERSION) {
    if (s->read_only)
      return tt_error_set(err, TT_ERR_USAGE,
                          "%s has an old schema (%d); open it for writing to upgrade it", s->path,
                          version);
    *migrate = 1;
  }
  return TT_OK;
}

/* Files up to this size get the full integrity_check (indexes checked
 * against their tables: some milliseconds a megabyte); larger ones the
 * quick_check (pages and records only, linear in the file). */
#define STORE_FULL_CHECK_BYTES (64L << 20)

/* Checks the file before anything else reads or writes it. A damaged file
 * is TT_ERR_USAGE naming the first problem; nothing reads from or writes
 * into it, so the damage cannot spread. */
static tt_status check_integrity(tt_store *s, tt_error *err) {
  sqlite3_stmt *st = NULL;
  struct stat sb;
  int full = stat(s->path, &sb) != 0 || sb.st_size <= STORE_FULL_CHECK_BYTES;
  int rc = sqlite3_prepare_v2(s->db, full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)",
                              -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  tt_status status = TT_OK;
  if (rc == SQLITE_ROW) {
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (r == NULL || strcmp(r, "ok") != 0)
      status =
          tt_error_set(err, TT_ERR_USAGE,
                       "%s is corrupted: %s (%s); not used, so the damage does not "
                       "spread: restore a copy",
                       s->path, r ? r : "unknown damage", full ? "integrity_check" : "quick_check");
  } else {
    status = tt_store_fail(s, rc, "cannot check the database", err);
  }
  sqlite3_finalize(st);
  return status;
}

/* Opens the SQLite connection; an error names the path and the reason. */
static tt_status open_db(tt_store *s, tt_error *err) {
  int flags = s->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (s->read_only && strcmp(s->path, ":memory:") != 0 && access(s->path, F_OK) != 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s does not exist", s->path);
  int rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    return TT_OK;
  }
  if (rc == SQLITE_NOMEM || !s->db)
    return tt_error_set(err, TT_ERR_NOMEM, "%s: out of memory opening it", s->path);
  /* a path that cannot be opened or created (no such directory, no
   * permission, a read-only file system) is the user's to fix; a full disk
   * shows later, at the first write, as TT_ERR_IO */
  int sys = sqlite3_system_errno(s->db);
  return tt_error_set(err, TT_ERR_USAGE, "cannot %s %s: %s",
                      s->read_only ? "open" : "open or create", s->path,
                      sys ? strerror(sys) : sqlite3_errmsg(s->db));
}

/* Connection settings that change nothing in the file. synchronous=FULL
 * makes each commit durable even across a power loss: one fsync per trial
 * is nothing next to the seconds a trial takes. */
static tt_status configure(tt_store *s, tt_error *err) {
  return tt_store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
                       "cannot configure the connection", err);
}

/* Switches the file to WAL mode. Two processes creating the same new
 * database at once can each hold a lock the other's switch waits for;
 * SQLite then answers BUSY at once instead of calling the busy handler, so
 * the switch is retried (every 10 ms, as long as the busy timeout). */
static tt_status enable_wal(tt_store *s, tt_error *err) {
  int rc = SQLITE_BUSY;
  for (int waited = 0; rc == SQLITE_BUSY && waited <= STORE_BUSY_TIMEOUT_MS; waited += 10) {
    if (waited) usleep(10 * 1000);
    rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  }
  return rc == SQLITE_OK ? TT_OK : tt_store_fail(s, rc, "cannot enable WAL mode", err);
}

/* Creates the schema in an empty file (in WAL mode, which is a property of
 * the file) or upgrades an older one. */
static tt_status prepare_schema(tt_store *s, file_kind kind, tt_error *err) {
  if (kind == FILE_EMPTY) {
    tt_status st = enable_wal(s, err);
    if (st != TT_OK) return st;
  }
  return tt_store_migrate(s, err);
}

/* See store.h. An empty path or ":memory:" would run a whole session and
 * keep nothing (SQLite makes a temporary or in-memory database of them):
 * refused, like a "file:" URI, which SQLite would interpret. */
tt_store *tt_store_open(const char *path, tt_store_mode mode, tt_error *err) {
  if (path[0] == '\0' || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) {
    tt_error_set(err, TT_ERR_USAGE,
                 "database path '%s' keeps nothing or is a URI: give the name of a file", path);
    return NULL;
  }
  tt_store *s = tt_xcalloc(1, sizeof *s);
  s->path = tt_xstrdup(path);
  s->read_only = mode == TT_STORE_READ_ONLY;
  tt_store_init_owner(s);
  file_kind kind = FILE_EMPTY;
  int version = 0, migrate = 0;
  tt_status st = open_db(s, err);
  if (st == TT_OK) st = inspect(s, &kind, &version, err);
  if (st == TT_OK) st = check_kind(s, kind, version, &migrate, err);
  if (st == TT_OK && kind == FILE_TETUNE) st = check_integrity(s, err);
  if (st == TT_OK) st = configure(s, err);
  if (st == TT_OK && migrate) st = prepare_schema(s, kind, err);
  if (st != TT_OK) {
    tt_store_close(s);
    return NULL;
  }
  return s;
}

/* See store.h. Every statement is finalized by the function that prepared
 * it, so closing cannot be busy: if it is, a statement leaked (a bug). */
void tt_store_close(tt_store *s) {
  if (!s) return;
  int rc = sqlite3_close(s->db);
  assert(rc == SQLITE_OK && "a store statement was not finalized");
  (void)rc;
  free(s->path);
  free(s);
}

/* See store.h. */
const char *tt_store_path(const tt_store *s) {
  return s->path;
}
