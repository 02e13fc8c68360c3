/* The history tracker (history.h): one definition of "improved" for every
 * bo component that reacts to progress. */
#include <math.h>
#include <stdlib.h>

#include "search/history.h"
#include "tetune/support.h"

/* See history.h. */
void tt_history_init(tt_history *h, double margin, size_t skip) {
  *h = (tt_history){.margin = margin, .skip = skip, .ref = INFINITY};
}

void tt_history_free(tt_history *h) {
  free(h->improved);
  h->improved = NULL;
  h->n = h->cap = 0;
}

/* See history.h; the stall restarts at every improvement. */
void tt_history_update(tt_history *h, const tt_obs_table *t) {
  if (t->n > h->cap) {
    h->cap = t->n + t->n / 2 + 16;
    h->improved = tt_xrealloc(h->improved, h->cap);
  }
  for (; h->n < t->n; h->n++) {
    size_t i = h->n;
    int better = t->ok[i] && t->value[i] < h->ref * (1 - h->margin);
    h->improved[i] = (unsigned char)better;
    if (better) {
      h->ref = t->value[i];
      h->stall = 0;
    } else if (i >= h->skip) {
      h->stall++;
    }
  }
}

int tt_history_improved(const tt_history *h, size_t i) {
  return h->improved[i];
}

size_t tt_history_stall(const tt_history *h) {
  return h->stall;
}
