/* What transfer reused, printed for `tune` (transfer.h). */
#include <math.h>
#include <stdio.h>

#include "app/transfer.h"

/* See transfer.h. */
void tt_transfer_describe(const tt_transfer_info *info, char *buf, size_t len) {
  buf[0] = '\0';
  if (!info->used) return;
  double w = info->prior ? tt_strategy_prior_weight(info->st) : NAN;
  char wtext[32] = "";
  if (isfinite(w)) snprintf(wtext, sizeof wtext, ", weight %.2f", w);
  size_t tried = tt_strategy_num_seeded(info->st);
  snprintf(buf, len,
           "transfer: %zu of its %zu best configuration%s tried%s from %s (%lld ok trials)%s",
           tried, info->seeds, info->seeds == 1 ? "" : "s", info->prior ? ", a prior" : "",
           info->source, (long long)info->source_trials, wtext);
}

/* See transfer.h. */
void tt_transfer_json(const tt_transfer_info *info, cJSON *o) {
  if (!info->used) {
    cJSON_AddNullToObject(o, "transfer");
    return;
  }
  cJSON *t = cJSON_AddObjectToObject(o, "transfer");
  cJSON_AddStringToObject(t, "source", info->source);
  cJSON_AddNumberToObject(t, "source_trials", (double)info->source_trials);
  cJSON_AddNumberToObject(t, "seeds", (double)info->seeds);
  cJSON_AddNumberToObject(t, "seeds_tried", (double)tt_strategy_num_seeded(info->st));
  cJSON_AddBoolToObject(t, "prior", info->prior);
  double w = info->prior ? tt_strategy_prior_weight(info->st) : NAN;
  if (isfinite(w))
    cJSON_AddNumberToObject(t, "weight", w);
  else
    cJSON_AddNullToObject(t, "weight");
}
