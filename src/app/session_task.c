/* A tuning job's task in the store, and rebuilding a strategy's state from
 * stored trials (session.h). */
#include <stdlib.h>
#include <string.h>

#include "app/session.h"

/* Finds or creates the task of j; see session.h. */
tt_status tt_tune_task(tt_job *j, tt_store *s, int create, int64_t *task_id, tt_error *err) {
  *task_id = 0;
  if (!j->tmpl)
    return tt_error_set(err, TT_ERR_USAGE, "kernel %s has no schedule template to tune",
                        j->kernel->name);
  char *fp = tt_target_fingerprint(j->target, &j->mopt, NULL);
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

/* See session.h. */
int64_t tt_trial_origin(const tt_trial *t) {
  size_t n = strlen(TT_REUSED_PREFIX);
  if (!t->message || strncmp(t->message, TT_REUSED_PREFIX, n) != 0) return t->id;
  long long id = strtoll(t->message + n, NULL, 10);
  return id > 0 ? (int64_t)id : t->id;
}

typedef struct replay_ctx {
  tt_job *j;
  tt_strategy *st;
  uint32_t *cfg;
  size_t skipped;
} replay_ctx;

/* Tells one stored trial to the strategy. */
static int replay_one(void *ctx, const tt_trial *t) {
  replay_ctx *c = ctx;
  if (tt_space_config_from_json(c->j->space, t->config, NULL, c->cfg, NULL) != TT_OK) {
    c->skipped++;
    return 0;
  }
  tt_strategy_tell(c->st, c->cfg, t->outcome, t->time_median_s);
  return 0;
}

/* Tells the strategy every stored trial of the task; see session.h. */
tt_status tt_tune_replay(tt_job *j, tt_store *s, int64_t task_id, tt_strategy *st, size_t *skipped,
                         tt_error *err) {
  replay_ctx c = {j, st, tt_xcalloc(tt_space_num_knobs(j->space) + 1, sizeof(uint32_t)), 0};
  tt_status status = tt_store_each_trial(s, task_id, replay_one, &c, err);
  free(c.cfg);
  if (skipped) *skipped = c.skipped;
  return status;
}
