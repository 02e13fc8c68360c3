/* The hash map of tetune/support.h: open addressing with linear probing;
 * deleted slots are tombstones that are dropped when the table is
 * rebuilt. */
#include <stdlib.h>

#include "tetune/support.h"

/* Mixes the key bits (splitmix64 finaliser): indices are sequential. */
static size_t slot_of(uint64_t key, size_t cap) {
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return (size_t)key & (cap - 1);
}

void tt_keymap_free(tt_keymap *m) {
  free(m->keys);
  free(m->vals);
  free(m->state);
  *m = (tt_keymap){0};
}

/* Slot holding key, or -1. */
static long find(const tt_keymap *m, uint64_t key) {
  if (m->cap == 0) return -1;
  for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->state[i] == 0) return -1;
    if (m->state[i] == 1 && m->keys[i] == key) return (long)i;
  }
}

int tt_keymap_get(const tt_keymap *m, uint64_t key, uint32_t *val) {
  long i = find(m, key);
  if (i < 0) return 0;
  if (val) *val = m->vals[i];
  return 1;
}

/* Rebuilds with room for twice the live entries (and no tombstones). */
static void grow(tt_keymap *m) {
  tt_keymap old = *m;
  size_t cap = 16;
  while (cap < 4 * (old.len + 1))
    cap *= 2;
  m->cap = cap;
  m->keys = tt_xmalloc(cap * sizeof *m->keys);
  m->vals = tt_xmalloc(cap * sizeof *m->vals);
  m->state = tt_xcalloc(cap, 1);
  m->len = m->used = 0;
  for (size_t i = 0; i < old.cap; i++)
    if (old.state[i] == 1) tt_keymap_put(m, old.keys[i], old.vals[i]);
  tt_keymap_free(&old);
}

void tt_keymap_put(tt_keymap *m, uint64_t key, uint32_t val) {
  long f = find(m, key);
  if (f >= 0) {
    m->vals[f] = val;
    return;
  }
  if (2 * (m->used + 1) > m->cap) grow(m);
  size_t i = slot_of(key, m->cap);
  while (m->state[i] == 1)
    i = (i + 1) & (m->cap - 1);
  m->used += m->state[i] == 0;
  m->state[i] = 1;
  m->keys[i] = key;
  m->vals[i] = val;
  m->len++;
}

int tt_keymap_del(tt_keymap *m, uint64_t key) {
  long i = find(m, key);
  if (i < 0) return 0;
  m->state[i] = 2;
  m->len--;
  return 1;
}
