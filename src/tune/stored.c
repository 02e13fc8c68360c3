/* What the engine reads back from the store: a resumed strategy's history
 * and the origin of a reused trial (tune.h). */
#include <stdlib.h>
#include <string.h>

#include "tune/tune_impl.h"

/* See tune.h. */
int64_t tt_trial_origin(const tt_trial *t) {
  size_t n = strlen(TT_REUSED_PREFIX);
  if (!t->message || strncmp(t->message, TT_REUSED_PREFIX, n) != 0) return t->id;
  long long id = strtoll(t->message + n, NULL, 10);
  return id > 0 ? (int64_t)id : t->id;
}

typedef struct tell_ctx {
  const tt_space *space;
  tt_strategy *st;
  uint32_t *cfg;
  size_t skipped;
  tt_trial_keep_fn keep;
  void *keep_ctx;
} tell_ctx;

/* Tells one stored trial to the strategy (a lost one says nothing). */
static int tell_one(void *ctx, const tt_trial *t) {
  tell_ctx *c = ctx;
  if (t->outcome == TT_OUTCOME_LOST) return 0;
  if (c->keep && !c->keep(c->keep_ctx, t)) {
    c->skipped++;
    return 0;
  }
  if (tt_space_config_from_json(c->space, t->config, NULL, c->cfg, NULL) != TT_OK) {
    c->skipped++;
    return 0;
  }
  tt_strategy_tell(c->st, c->cfg, t->outcome, t->time_median_s);
  return 0;
}

/* See tune.h. */
tt_status tt_tune_tell_stored(const tt_space *space, tt_store *s, int64_t task_id, tt_strategy *st,
                              size_t *skipped, tt_error *err) {
  return tt_tune_tell_stored_if(space, s, task_id, st, NULL, NULL, skipped, err);
}

/* See tune.h. */
tt_status tt_tune_tell_stored_if(const tt_space *space, tt_store *s, int64_t task_id,
                                 tt_strategy *st, tt_trial_keep_fn keep, void *keep_ctx,
                                 size_t *skipped, tt_error *err) {
  tell_ctx c = {space, st,   tt_xcalloc(tt_space_num_knobs(space) + 1, sizeof(uint32_t)),
                0,     keep, keep_ctx};
  tt_status status = tt_store_each_trial(s, task_id, tell_one, &c, err);
  free(c.cfg);
  if (skipped) *skipped = c.skipped;
  return status;
}

/* See tune.h. */
void tt_trial_done_clear(tt_trial_done *d) {
  free(d->message);
  d->message = NULL;
}

/* See tune.h. */
void tt_evaluator_free(tt_evaluator *ev) {
  if (ev && ev->free) ev->free(ev);
}
