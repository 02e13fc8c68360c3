/* Choosing the task and the records of a data export (export_data.h); the
 * writers of each format are in export_formats.c. */
#include "app/export_data.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app/export_records.h"

int tt_export_format_parse(const char *name, tt_export_format *f) {
  static const char *const names[] = {"c", "lib", "t4", "kt-cache", "csv"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) {
      *f = (tt_export_format)i;
      return 0;
    }
  return -1;
}

void tt_export_task_free(tt_export_task *t) {
  free(t->kernel);
  free(t->size);
  free(t->template_name);
  free(t->target);
  free(t->fingerprint);
  memset(t, 0, sizeof *t);
}

/* Same machine; see export_data.h. */
int tt_export_same_machine(const void *here, const char *fp) {
  static const char *const keys[] = {"cpu_model", "cores", "arch"};
  const cJSON *x = here;
  cJSON *y = fp ? cJSON_Parse(fp) : NULL;
  int same = x && y;
  for (size_t i = 0; same && i < sizeof keys / sizeof *keys; i++) {
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(x, keys[i]);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(y, keys[i]);
    same = u && v && cJSON_Compare(u, v, 1);
  }
  cJSON_Delete(y);
  return same;
}

/* Copies session si's task into out. */
static void take_task(tt_export_task *out, const tt_session_info *si) {
  out->task_id = si->task_id;
  out->kernel = tt_xstrdup(si->kernel);
  out->size = tt_xstrdup(si->size);
  out->template_name = tt_xstrdup(si->template_name);
  out->target = tt_xstrdup(si->target);
  out->fingerprint = tt_xstrdup(si->fingerprint ? si->fingerprint : "{}");
}

/* Finds the task; see export_data.h. */
tt_status tt_export_find_task(tt_store *s, const char *kernel, const char *size, const char *tmpl,
                              const char *target, const char *machine, tt_export_task *out,
                              size_t *elsewhere, tt_error *err) {
  tt_session_list l = {0};
  memset(out, 0, sizeof *out);
  *elsewhere = 0;
  tt_status st = tt_store_list_sessions(s, kernel, &l, err);
  for (size_t i = l.len; st == TT_OK && !size && i-- > 0;)
    if (!target || strcmp(l.items[i].target, target) == 0) size = l.items[i].size;
  cJSON *here = machine ? cJSON_Parse(machine) : NULL;
  for (size_t i = l.len; st == TT_OK && size && i-- > 0 && !out->task_id;) {
    const tt_session_info *si = &l.items[i];
    if (strcmp(si->size, size) != 0 || (tmpl && strcmp(si->template_name, tmpl) != 0) ||
        (target && strcmp(si->target, target) != 0))
      continue;
    if (machine && !tt_export_same_machine(here, si->fingerprint))
      ++*elsewhere;
    else
      take_task(out, si);
  }
  cJSON_Delete(here);
  tt_session_list_free(&l);
  return st;
}

/* Collects a copy of every trial (tt_store_each_trial callback). */
static int collect(void *ctx, const tt_trial *t) {
  tt_export_records *r = ctx;
  if (r->len == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 64;
    r->items = tt_xrealloc(r->items, r->cap * sizeof *r->items);
  }
  tt_export_record *e = &r->items[r->len++];
  e->trial = *t;
  e->trial.config = tt_xstrdup(t->config);
  e->trial.config_key = tt_xstrdup(t->config_key);
  e->trial.message = tt_xstrdup(t->message ? t->message : "");
  e->trial.strategy = tt_xstrdup(t->strategy ? t->strategy : "");
  e->order = r->len - 1;
  return 0;
}

static int by_key_then_order(const void *a, const void *b) {
  const tt_export_record *x = a, *y = b;
  int c = strcmp(x->trial.config_key, y->trial.config_key);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int by_order(const void *a, const void *b) {
  const tt_export_record *x = a, *y = b;
  return (x->order > y->order) - (x->order < y->order);
}

/* 1 when trial a should stand for its configuration rather than b: an ok
 * trial over a failure, the faster of two ok ones, the later of two
 * failures. */
static int better(const tt_trial *a, const tt_trial *b) {
  int aok = a->outcome == TT_OUTCOME_OK, bok = b->outcome == TT_OUTCOME_OK;
  if (aok != bok) return aok;
  return aok ? a->time_median_s < b->time_median_s : 1;
}

static void free_record(tt_export_record *e) {
  free((char *)e->trial.config);
  free((char *)e->trial.config_key);
  free((char *)e->trial.message);
  free((char *)e->trial.strategy);
}

/* Keeps one record a configuration (see tt_export_trials), each at the
 * place its configuration was first measured. */
static void dedupe(tt_export_records *r) {
  qsort(r->items, r->len, sizeof *r->items, by_key_then_order);
  size_t out = 0;
  for (size_t i = 0; i < r->len; i++) {
    tt_export_record *e = &r->items[i];
    if (out && strcmp(r->items[out - 1].trial.config_key, e->trial.config_key) == 0) {
      tt_export_record *kept = &r->items[out - 1];
      if (better(&e->trial, &kept->trial)) {
        size_t first = kept->order;
        free_record(kept);
        *kept = *e;
        kept->order = first;
      } else {
        free_record(e);
      }
      continue;
    }
    r->items[out++] = *e;
  }
  r->len = out;
  qsort(r->items, r->len, sizeof *r->items, by_order);
}

void tt_export_records_free(tt_export_records *r) {
  for (size_t i = 0; i < r->len; i++)
    free_record(&r->items[i]);
  free(r->items);
  memset(r, 0, sizeof *r);
}

/* Writes the export; see export_data.h. */
tt_status tt_export_trials(tt_store *s, const tt_export_task *t, tt_export_format f,
                           const char *path, size_t *nconfigs, tt_error *err) {
  tt_export_records r = {0};
  tt_str out = {0};
  tt_status st = tt_store_each_trial(s, t->task_id, collect, &r, err);
  if (st == TT_OK) {
    dedupe(&r);
    st = tt_export_format_records(t, &r, f, &out, err);
  }
  if (st == TT_OK && strcmp(path, "-") == 0) {
    fputs(tt_str_cstr(&out), stdout);
    if (fflush(stdout) != 0) st = tt_error_set(err, TT_ERR_IO, "cannot write to stdout");
  } else if (st == TT_OK) {
    st = tt_file_write(path, tt_str_cstr(&out), out.len, err);
  }
  if (nconfigs) *nconfigs = r.len;
  tt_str_free(&out);
  tt_export_records_free(&r);
  return st;
}
