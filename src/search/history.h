/* Internal to src/search: the history tracker, bo's one definition of
 * "improved". Every component that reacts to progress (the trust region's
 * streaks, the stall that triggers probes and lowers LCB's weight) asks
 * the tracker instead of judging the observations itself.
 *
 * An observation improves when it is ok and its value lies below
 * ref * (1 - margin), ref the value of the last observation that improved
 * (the first ok one always does). A value below ref by less than the
 * margin does not move ref, so a slow creep is counted once it adds up to
 * the margin. The margin's default and why: docs/search-decisions.md
 * ("improved"). */
#ifndef TT_SEARCH_HISTORY_H
#define TT_SEARCH_HISTORY_H

#include <stddef.h>

#include "search/obs_table.h"

typedef struct tt_history {
  double margin;           /* relative improvement that counts */
  size_t skip;             /* leading rows (the initial design) not counted into the stall */
  size_t n, cap;           /* rows judged */
  unsigned char *improved; /* n flags: row i improved */
  double ref;              /* the value of the last improving row (INFINITY: none) */
  size_t stall;            /* rows judged since the last improvement, the first skip not counted */
} tt_history;

/* An empty tracker with margin (>= 0) whose first skip rows do not count
 * into the stall. */
void tt_history_init(tt_history *h, double margin, size_t skip);
void tt_history_free(tt_history *h);
/* Judges the rows of t added since the last call, in order. A row that a
 * later tell replaced (obs_table keeps one row per configuration) is not
 * judged again. */
void tt_history_update(tt_history *h, const tt_obs_table *t);
/* 1 when judged row i improved; i < h->n. */
int tt_history_improved(const tt_history *h, size_t i);
/* Rows since the last improvement, leading skip rows not counted. */
size_t tt_history_stall(const tt_history *h);

#endif
