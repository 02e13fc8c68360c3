/* Internal to src: an open-addressing hash map from 64-bit configuration
 * keys (tt_space_key) to 32-bit values, with deletion. Used for the seen
 * and pending sets of strategies and for recorded datasets. */
#ifndef TT_SEARCH_KEYMAP_H
#define TT_SEARCH_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tt_keymap {
  uint64_t *keys;
  uint32_t *vals;
  uint8_t *state; /* 0 empty, 1 full, 2 deleted */
  size_t cap;     /* power of two, or 0 before the first insertion */
  size_t len;     /* full slots */
  size_t used;    /* full + deleted slots */
} tt_keymap;

/* A zero-initialised tt_keymap is an empty map; free with tt_keymap_free. */
void tt_keymap_free(tt_keymap *m);
/* 1 and *val set when key is present, 0 otherwise (val may be NULL). */
int tt_keymap_get(const tt_keymap *m, uint64_t key, uint32_t *val);
/* Inserts or overwrites key. */
void tt_keymap_put(tt_keymap *m, uint64_t key, uint32_t val);
/* Removes key; returns 1 when it was present. */
int tt_keymap_del(tt_keymap *m, uint64_t key);

#endif
