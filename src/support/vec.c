/* Growable array of pointers. A zero-initialised tt_vec is empty. */
#include "tetune/support.h"

#include <stdlib.h>

/* Appends item; the vector does not own what item points to. */
void tt_vec_push(tt_vec *v, void *item) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = tt_xrealloc(v->items, v->cap * sizeof *v->items);
  }
  v->items[v->len++] = item;
}

/* Frees the array (not the items) and leaves v empty. */
void tt_vec_free(tt_vec *v) {
  free(v->items);
  v->items = NULL;
  v->len = 0;
  v->cap = 0;
}
