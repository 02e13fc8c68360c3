/* A tuning job's task in the store (kernel_tune.h). */
#include <stdlib.h>
#include <string.h>

#include "tetune/kernel_tune.h"

/* Finds or creates the task of j; see kernel_tune.h. */
tt_status tt_tune_task(tt_job *j, tt_store *s, int create, int64_t *task_id, tt_error *err) {
  *task_id = 0;
  if (!j->tmpl)
    return tt_error_set(err, TT_ERR_USAGE, "kernel %s has no schedule template to tune",
                        j->kernel->name);
  char *fp = j->fingerprint ? tt_xstrdup(j->fingerprint)
                            : tt_target_fingerprint(j->target, &j->mopt, NULL);
  tt_task_key key = {.kernel = j->kernel->name,
                     .size = j->size_name,
                     .target = j->target->store_name,
                     .template_name = j->tmpl->name,
                     .fingerprint = fp};
  tt_status st = create ? tt_store_ensure_task(s, &key, task_id, err)
                        : tt_store_find_task(s, &key, task_id, err);
  free(fp);
  return st;
}
