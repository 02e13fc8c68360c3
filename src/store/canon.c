/* Canonical JSON: the same value always gives the same text, so it can be
 * a dedupe key (configurations) or a hash input (machine fingerprints). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* Orders object members by key (byte order). */
static int compare_members(const void *a, const void *b) {
  const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
  return strcmp(x->string, y->string);
}

/* Sorts every object's members by key, recursively, by relinking cJSON's
 * child list in sorted order. */
static void sort_keys(cJSON *item) {
  size_t n = 0;
  for (cJSON *c = item->child; c; c = c->next) {
    sort_keys(c);
    n++;
  }
  if (!cJSON_IsObject(item) || n < 2) return;
  cJSON **members = tt_xmalloc(n * sizeof *members);
  size_t i = 0;
  for (cJSON *c = item->child; c; c = c->next)
    members[i++] = c;
  qsort(members, n, sizeof *members, compare_members);
  for (i = 0; i < n; i++) {
    members[i]->prev = i > 0 ? members[i - 1] : members[n - 1]; /* cJSON: head->prev = tail */
    members[i]->next = i + 1 < n ? members[i + 1] : NULL;
  }
  item->child = members[0];
  free(members);
}

/* See store.h. cJSON prints numbers in one canonical form (1.0 as 1). */
char *tt_store_canonical_json(const char *json, tt_error *err) {
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithOpts(json ? json : "", &end, 1);
  if (!root) {
    tt_error_set(err, TT_ERR_USAGE, "malformed JSON near '%.20s'",
                 end && *end ? end : "end of text");
    return NULL;
  }
  sort_keys(root);
  char *printed = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  if (!printed) {
    tt_error_set(err, TT_ERR_NOMEM, "out of memory printing JSON");
    return NULL;
  }
  /* cJSON's allocator is malloc unless changed; copy to be sure of free(). */
  char *out = tt_xstrdup(printed);
  cJSON_free(printed);
  return out;
}

/* See store_internal.h. */
tt_status tt_store_canonical_key(tt_store *s, const char *json, const char *what, char **out,
                                 tt_error *err) {
  tt_error local = {0};
  *out = tt_store_canonical_json(json, &local);
  if (!*out) return tt_error_set(err, local.status, "%s: %s: %s", s->path, what, local.msg);
  return TT_OK;
}
