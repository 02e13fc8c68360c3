/* Related tasks, for transfer (store.h): the same kernel and template at
 * other sizes, on other machines or targets, with their ok trial counts. */
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* Appends the current row (id, size, target, fingerprint, same machine,
 * ok trials) to out. */
static void add_row(sqlite3_stmt *st, tt_related_list *out) {
  out->items = tt_xrealloc(out->items, (out->len + 1) * sizeof *out->items);
  tt_related_task *t = &out->items[out->len++];
  t->id = sqlite3_column_int64(st, 0);
  t->size = tt_xstrdup((const char *)sqlite3_column_text(st, 1));
  t->target = tt_xstrdup((const char *)sqlite3_column_text(st, 2));
  t->fingerprint = tt_xstrdup((const char *)sqlite3_column_text(st, 3));
  t->same_machine = sqlite3_column_int(st, 4);
  t->ok_trials = sqlite3_column_int64(st, 5);
}

/* See store.h. */
tt_status tt_store_related_tasks(tt_store *s, const tt_task_key *key, tt_related_list *out,
                                 tt_error *err) {
  static const char sql[] =
      "SELECT t.id, t.size, t.target, t.fingerprint, t.fingerprint_hash = ?5,"
      " (SELECT COUNT(*) FROM trials r WHERE r.task_id = t.id AND r.outcome = 'ok') AS n"
      " FROM tasks t WHERE t.kernel = ?1 AND t.template = ?4"
      " AND NOT (t.size = ?2 AND t.target = ?3 AND t.fingerprint_hash = ?5) AND n > 0"
      " ORDER BY t.fingerprint_hash = ?5 DESC, t.target = ?3 DESC, n DESC, t.id";
  const char *what = "cannot look up related tasks";
  memset(out, 0, sizeof *out);
  char *fp = NULL, hash[17];
  tt_status status = tt_store_canonical_key(s, key->fingerprint ? key->fingerprint : "{}",
                                            "machine fingerprint", &fp, err);
  if (status != TT_OK) return status;
  tt_hash_hex(tt_hash_str(fp, 0), hash);
  sqlite3_stmt *st = NULL;
  if ((status = tt_store_prepare(s, sql, &st, what, err)) == TT_OK) {
    tt_store_bind_text(st, 1, key->kernel);
    tt_store_bind_text(st, 2, key->size);
    tt_store_bind_text(st, 3, key->target);
    tt_store_bind_text(st, 4, key->template_name);
    tt_store_bind_text(st, 5, hash);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
      add_row(st, out);
    if (rc != SQLITE_DONE) status = tt_store_fail(s, rc, what, err);
    sqlite3_finalize(st);
  }
  free(fp);
  if (status != TT_OK) tt_related_list_free(out);
  return status;
}

/* See store.h. */
void tt_related_list_free(tt_related_list *l) {
  for (size_t i = 0; i < l->len; i++) {
    free(l->items[i].size);
    free(l->items[i].target);
    free(l->items[i].fingerprint);
  }
  free(l->items);
  memset(l, 0, sizeof *l);
}
