/* Exporting a variant as standalone C (export.h). */
#include "app/export.h"

#include "app/export_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* DIR/<kernel name, made file-safe><ext>. Caller frees. */
static char *out_path(const char *dir, const char *kernel, const char *ext) {
  tt_str p = {0};
  tt_str_printf(&p, "%s/", dir);
  for (const char *c = kernel; *c; c++)
    tt_str_printf(&p, "%c", strchr("/\\ :", *c) ? '_' : *c);
  tt_str_append(&p, ext);
  return tt_str_take(&p);
}

/* Writes both files; see export.h. */
tt_status tt_export_write(tt_job *j, const uint32_t *cfg, const char *dir, char **c_path,
                          char **h_path, tt_error *err) {
  char *c_src = NULL, *h_src = NULL;
  *c_path = *h_path = NULL;
  tt_status st = j->target->gpu ? tt_export_gpu_sources(j, cfg, &c_src, &h_src, err)
                                : tt_job_export_sources(j, cfg, &c_src, &h_src, err);
  if (st == TT_OK) st = tt_mkdirs(dir, err);
  if (st == TT_OK) {
    *c_path = out_path(dir, j->kernel->name, j->target->kind == TT_TARGET_CUDA ? ".cu" : ".c");
    *h_path = out_path(dir, j->kernel->name, ".h");
    st = tt_file_write(*c_path, c_src, strlen(c_src), err);
  }
  if (st == TT_OK) st = tt_file_write(*h_path, h_src, strlen(h_src), err);
  if (st != TT_OK) {
    free(*c_path);
    free(*h_path);
    *c_path = *h_path = NULL;
  }
  free(c_src);
  free(h_src);
  return st;
}

/* Picks the size of the latest session of kernel (of target, when not
 * NULL) when none is given. */
static const char *pick_size(const tt_session_list *l, const char *size, const char *target) {
  for (size_t i = l->len; !size && i-- > 0;)
    if (!target || strcmp(l->items[i].target, target) == 0) size = l->items[i].size;
  return size;
}

/* Finds the best stored trial; see export.h. */
tt_status tt_export_find_best(tt_store *s, const char *kernel, const char *size, const char *tmpl,
                              const char *target, const char *machine, tt_trial **best,
                              char **size_out, char **tmpl_out, size_t *elsewhere, tt_error *err) {
  tt_session_list l = {0};
  *best = NULL;
  *size_out = *tmpl_out = NULL;
  *elsewhere = 0;
  tt_status st = tt_store_list_sessions(s, kernel, &l, err);
  size = st == TT_OK ? pick_size(&l, size, target) : NULL;
  int64_t done_task = 0;
  cJSON *here = machine ? cJSON_Parse(machine) : NULL;
  for (size_t i = l.len; st == TT_OK && size && i-- > 0;) {
    const tt_session_info *si = &l.items[i];
    if (si->task_id == done_task || strcmp(si->size, size) != 0 ||
        (tmpl && strcmp(si->template_name, tmpl) != 0) ||
        (target && strcmp(si->target, target) != 0))
      continue;
    done_task = si->task_id;
    if (machine && !tt_export_same_machine(here, si->fingerprint)) {
      ++*elsewhere;
      continue;
    }
    tt_trial *t = NULL;
    st = tt_store_best_trial(s, si->task_id, &t, err);
    if (t && (!*best || t->time_median_s < (*best)->time_median_s)) {
      tt_trial_free(*best);
      *best = t;
      free(*size_out);
      free(*tmpl_out);
      *size_out = tt_xstrdup(si->size);
      *tmpl_out = tt_xstrdup(si->template_name);
    } else {
      tt_trial_free(t);
    }
  }
  cJSON_Delete(here);
  tt_session_list_free(&l);
  return st;
}
