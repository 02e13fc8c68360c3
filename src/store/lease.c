/* Coordination between processes sharing a database: who holds a session
 * (its owner) and which configurations are being measured (claims). An
 * owner is "host pid start-time": on the same host, whether it is alive is
 * a fact (/proc/<pid>/stat has the same start time, so a reused pid does
 * not count); for another host it is presumed alive until TT_STORE_LEASE_S
 * passes without a stored trial. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_internal.h"

/* The start time of process pid in clock ticks since boot (field 22 of
 * /proc/<pid>/stat), or 0 when it does not exist or is dead and not yet
 * reaped (state Z or X: a killed tuner whose parent, e.g. an mpirun that
 * exited, left it to an init that does not reap). */
static unsigned long long start_time(long pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  if (p != NULL && (p[1] == '\0' || p[2] == 'Z' || p[2] == 'X')) return 0;
  unsigned long long t = 0;
  for (int field = 2; p != NULL && field < 22; field++)
    p = strchr(p + 1, ' ');
  if (p != NULL) t = strtoull(p + 1, NULL, 10);
  return t;
}

/* This host's name ("unknown" when it has none). */
static void host_name(char *buf, size_t len) {
  if (gethostname(buf, len) != 0 || buf[0] == '\0') snprintf(buf, len, "unknown");
  buf[len - 1] = '\0';
  for (char *p = buf; *p; p++)
    if (*p == ' ') *p = '_';
}

/* See store_internal.h. */
void tt_store_init_owner(tt_store *s) {
  char host[64];
  host_name(host, sizeof host);
  long pid = (long)getpid();
  snprintf(s->owner, sizeof s->owner, "%s %ld %llu", host, pid, start_time(pid));
}

/* See store_internal.h. */
int tt_store_owner_alive(const tt_store *s, const char *owner, double seen_at) {
  char host[64], me[64];
  long pid = 0;
  unsigned long long start = 0;
  if (owner == NULL || owner[0] == '\0') return 0;
  if (strcmp(owner, s->owner) == 0) return 1;
  if (sscanf(owner, "%63s %ld %llu", host, &pid, &start) != 3) return 0;
  host_name(me, sizeof me);
  if (strcmp(host, me) != 0) return tt_wall_now() - seen_at < TT_STORE_LEASE_S;
  return pid > 0 && start_time(pid) == start;
}

/* Reads owner and its time from a one-row query (?1 bound by bind); *found
 * 0 when no row. owner is copied into buf. */
static tt_status read_owner(tt_store *s, sqlite3_stmt *st, char *buf, size_t len, double *at,
                            int *found, const char *what, tt_error *err) {
  int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  buf[0] = '\0';
  *at = 0;
  if (rc == SQLITE_ROW) {
    const char *o = (const char *)sqlite3_column_text(st, 0);
    snprintf(buf, len, "%s", o ? o : "");
    *at = sqlite3_column_double(st, 1);
    return TT_OK;
  }
  return rc == SQLITE_DONE ? TT_OK : tt_store_fail(s, rc, what, err);
}

/* Inside a write transaction: refuses session_id when another live
 * process holds it, else makes this process its owner. */
tt_status tt_store_take_session(tt_store *s, int64_t session_id, tt_error *err) {
  const char *what = "cannot take the session";
  sqlite3_stmt *st = NULL;
  char owner[128];
  double at = 0;
  int found = 0;
  tt_status status = tt_store_prepare(
      s, "SELECT owner, coalesce(lease_at, started_at) FROM sessions WHERE id = ?1", &st, what,
      err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(st, 1, session_id);
  status = read_owner(s, st, owner, sizeof owner, &at, &found, what, err);
  sqlite3_finalize(st);
  if (status != TT_OK || !found) return status; /* the UPDATE reports a missing session */
  if (owner[0] != '\0' && strcmp(owner, s->owner) != 0 && tt_store_owner_alive(s, owner, at)) {
    char host[64] = "?";
    long pid = 0;
    sscanf(owner, "%63s %ld", host, &pid);
    return tt_error_set(err, TT_ERR_ENV,
                        "session %lld is running in another process (pid %ld on %s)",
                        (long long)session_id, pid, host);
  }
  status = tt_store_prepare(s, "UPDATE sessions SET owner = ?1, lease_at = ?2 WHERE id = ?3", &st,
                            what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_text(st, 1, s->owner, -1, SQLITE_STATIC);
  sqlite3_bind_double(st, 2, tt_wall_now());
  sqlite3_bind_int64(st, 3, session_id);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  return status;
}

/* Runs one statement binding (task, key, settings) as ?1..?3 and, when
 * session_id > 0, ?4 = session_id and ?5 = this owner. Returns the step's
 * status; *row 1 when it produced a row (read_owner then reads it). */
static tt_status claim_stmt(tt_store *s, const char *sql, int64_t task_id, const char *key,
                            const char *settings, int64_t session_id, sqlite3_stmt **st,
                            const char *what, tt_error *err) {
  tt_status status = tt_store_prepare(s, sql, st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_int64(*st, 1, task_id);
  tt_store_bind_text(*st, 2, key);
  tt_store_bind_text(*st, 3, settings);
  if (session_id > 0) {
    sqlite3_bind_int64(*st, 4, session_id);
    sqlite3_bind_text(*st, 5, s->owner, -1, SQLITE_STATIC);
    sqlite3_bind_double(*st, 6, tt_wall_now());
  }
  return TT_OK;
}

/* The claim's decision inside the write transaction. */
static tt_status decide(tt_store *s, int64_t task_id, const char *key, const char *settings,
                        int64_t session_id, tt_claim_result *out, tt_error *err) {
  const char *what = "cannot claim a configuration";
  tt_trial *done = NULL;
  tt_status status = tt_store_find_reusable(s, task_id, key, settings, &done, err);
  if (status != TT_OK || done != NULL) {
    tt_trial_free(done);
    *out = TT_CLAIM_DONE;
    return status;
  }
  sqlite3_stmt *st = NULL;
  char owner[128];
  double at = 0;
  int found = 0;
  status = claim_stmt(s,
                      "SELECT owner, claimed_at FROM claims WHERE task_id = ?1 AND config_key = ?2"
                      " AND settings = ?3",
                      task_id, key, settings, 0, &st, what, err);
  if (status == TT_OK) status = read_owner(s, st, owner, sizeof owner, &at, &found, what, err);
  sqlite3_finalize(st);
  if (status != TT_OK) return status;
  if (found && strcmp(owner, s->owner) != 0 && tt_store_owner_alive(s, owner, at)) {
    *out = TT_CLAIM_BUSY;
    return TT_OK;
  }
  status = claim_stmt(s,
                      "INSERT OR REPLACE INTO claims(task_id, config_key, settings, session_id,"
                      " owner, claimed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      task_id, key, settings, session_id, &st, what, err);
  int rc = status == TT_OK ? sqlite3_step(st) : SQLITE_OK;
  if (status == TT_OK && rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  *out = TT_CLAIM_OURS;
  return status;
}

/* See store.h. */
tt_status tt_store_claim(tt_store *s, int64_t task_id, const char *config_key, const char *settings,
                         int64_t session_id, tt_claim_result *out, tt_error *err) {
  const char *what = "cannot claim a configuration";
  *out = TT_CLAIM_BUSY;
  tt_status status = tt_store_begin(s, what, err);
  if (status != TT_OK) return status;
  status = decide(s, task_id, config_key, settings ? settings : "", session_id, out, err);
  if (status != TT_OK) {
    tt_store_rollback(s);
    return status;
  }
  return tt_store_commit(s, what, err);
}

/* See store.h. Only this process's claim is released. */
tt_status tt_store_unclaim(tt_store *s, int64_t task_id, const char *config_key,
                           const char *settings, tt_error *err) {
  const char *what = "cannot release a claim";
  sqlite3_stmt *st = NULL;
  tt_status status = claim_stmt(s,
                                "DELETE FROM claims WHERE task_id = ?1 AND config_key = ?2 AND"
                                " settings = ?3 AND owner = ?4",
                                task_id, config_key, settings ? settings : "", 0, &st, what, err);
  if (status != TT_OK) return status;
  sqlite3_bind_text(st, 4, s->owner, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  return status;
}
