/* Tasks: one per (kernel, size, target, template, machine fingerprint). The
 * fingerprint is stored canonical, and its hash is part of the unique key. */
#include <stdlib.h>

#include "store/store_internal.h"

/* Sets *fp to the canonical fingerprint of key (caller frees) and hash to
 * its 16 hex digits. A malformed fingerprint is TT_ERR_USAGE. */
static tt_status canonical_fingerprint(tt_store *s, const tt_task_key *key, char **fp,
                                       char hash[17], tt_error *err) {
  const char *json = key->fingerprint ? key->fingerprint : "{}";
  tt_status st = tt_store_canonical_key(s, json, "machine fingerprint", fp, err);
  if (st == TT_OK) tt_hash_hex(tt_hash_str(*fp, 0), hash);
  return st;
}

/* Binds the key's kernel, size, target and template to ?1..?4. */
static void bind_key(sqlite3_stmt *st, const tt_task_key *key) {
  tt_store_bind_text(st, 1, key->kernel);
  tt_store_bind_text(st, 2, key->size);
  tt_store_bind_text(st, 3, key->target);
  tt_store_bind_text(st, 4, key->template_name);
}

/* Looks the task up; *task_id = 0 when absent. */
static tt_status lookup(tt_store *s, const tt_task_key *key, const char *hash, int64_t *task_id,
                        tt_error *err) {
  static const char sql[] = "SELECT id FROM tasks WHERE kernel = ?1 AND size = ?2 AND"
                            " target = ?3 AND template = ?4 AND fingerprint_hash = ?5";
  const char *what = "cannot look up the task";
  sqlite3_stmt *st = NULL;
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  bind_key(st, key);
  tt_store_bind_text(st, 5, hash);
  *task_id = 0;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *task_id = sqlite3_column_int64(st, 0);
  else if (rc != SQLITE_DONE)
    status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  return status;
}

/* Inserts the task; the caller holds the write transaction. */
static tt_status insert(tt_store *s, const tt_task_key *key, const char *fp, const char *hash,
                        int64_t *task_id, tt_error *err) {
  static const char sql[] = "INSERT INTO tasks(kernel, size, target, template, fingerprint,"
                            " fingerprint_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  const char *what = "cannot add the task";
  sqlite3_stmt *st = NULL;
  tt_status status = tt_store_prepare(s, sql, &st, what, err);
  if (status != TT_OK) return status;
  bind_key(st, key);
  tt_store_bind_text(st, 5, fp);
  tt_store_bind_text(st, 6, hash);
  sqlite3_bind_double(st, 7, tt_wall_now());
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE)
    *task_id = sqlite3_last_insert_rowid(s->db);
  else
    status = tt_store_fail(s, rc, what, err);
  sqlite3_finalize(st);
  return status;
}

/* See store.h. */
tt_status tt_store_find_task(tt_store *s, const tt_task_key *key, int64_t *task_id, tt_error *err) {
  char hash[17], *fp = NULL;
  *task_id = 0;
  tt_status st = canonical_fingerprint(s, key, &fp, hash, err);
  if (st == TT_OK) st = lookup(s, key, hash, task_id, err);
  free(fp);
  return st;
}

/* See store.h. A task that exists is found without taking the write lock;
 * otherwise lookup and insert share one write transaction, so two
 * processes creating the same task end up with one row. */
tt_status tt_store_ensure_task(tt_store *s, const tt_task_key *key, int64_t *task_id,
                               tt_error *err) {
  char hash[17], *fp = NULL;
  *task_id = 0;
  tt_status st = canonical_fingerprint(s, key, &fp, hash, err);
  if (st == TT_OK) st = lookup(s, key, hash, task_id, err);
  if (st != TT_OK || *task_id != 0) goto done;
  st = tt_store_begin(s, "cannot add the task", err);
  if (st != TT_OK) goto done;
  st = lookup(s, key, hash, task_id, err);
  if (st == TT_OK && *task_id == 0) st = insert(s, key, fp, hash, task_id, err);
  if (st == TT_OK)
    st = tt_store_commit(s, "cannot add the task", err);
  else
    tt_store_rollback(s);
done:
  free(fp);
  if (st != TT_OK) *task_id = 0;
  return st;
}
