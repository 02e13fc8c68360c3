/* Arena allocator: a chain of blocks, freed all at once. Blocks grow
 * geometrically; an oversized request gets a block of its own. */
#include "tetune/support.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_MIN_BLOCK = 16 * 1024, ARENA_ALIGN = 16 };

typedef struct arena_block {
  struct arena_block *next;
  size_t used;
  size_t cap;
  alignas(16) unsigned char data[];
} arena_block;

struct tt_arena {
  arena_block *head; /* block currently being filled; older ones follow */
  size_t next_cap;   /* capacity of the next block allocated */
};

/* Creates an empty arena; free with tt_arena_free. */
tt_arena *tt_arena_new(void) {
  tt_arena *a = tt_xcalloc(1, sizeof *a);
  a->next_cap = ARENA_MIN_BLOCK;
  return a;
}

/* Frees the arena and everything allocated from it. NULL is allowed. */
void tt_arena_free(tt_arena *a) {
  if (a == NULL) return;
  arena_block *b = a->head;
  while (b != NULL) {
    arena_block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

/* Returns n zeroed bytes, 16-byte aligned, owned by the arena. */
void *tt_arena_alloc(tt_arena *a, size_t n) {
  size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (need == 0) need = ARENA_ALIGN;
  arena_block *b = a->head;
  if (b == NULL || b->cap - b->used < need) {
    size_t cap = a->next_cap > need ? a->next_cap : need;
    b = tt_xmalloc(sizeof *b + cap);
    b->used = 0;
    b->cap = cap;
    b->next = a->head;
    a->head = b;
    if (a->next_cap < 1024 * 1024) a->next_cap *= 2;
  }
  void *p = b->data + b->used;
  b->used += need;
  memset(p, 0, need);
  return p;
}

/* Copies the first n bytes of s (or fewer if s is shorter) into the arena,
 * NUL-terminated. */
char *tt_arena_strndup(tt_arena *a, const char *s, size_t n) {
  size_t len = strnlen(s, n);
  char *p = tt_arena_alloc(a, len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

/* Copies s into the arena. */
char *tt_arena_strdup(tt_arena *a, const char *s) {
  return tt_arena_strndup(a, s, strlen(s));
}

/* printf into the arena; the result lives as long as the arena. Formats
 * through a tt_str (one temporary heap copy keeps this simple). */
char *tt_arena_printf(tt_arena *a, const char *fmt, ...) {
  tt_str s;
  tt_str_init(&s);
  va_list ap;
  va_start(ap, fmt);
  tt_str_vprintf(&s, fmt, ap);
  va_end(ap);
  char *p = tt_arena_strndup(a, tt_str_cstr(&s), s.len);
  tt_str_free(&s);
  return p;
}
