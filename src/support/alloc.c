/* Checked allocation: abort on out-of-memory (see support.h for why). */
#include "tetune/support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints a message and aborts; never returns. */
static void oom(size_t n) {
  fprintf(stderr, "tetune: out of memory allocating %zu bytes\n", n);
  abort();
}

/* malloc that never returns NULL; n == 0 still returns a unique pointer. */
void *tt_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) oom(n);
  return p;
}

/* calloc that never returns NULL. */
void *tt_xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (p == NULL) oom(count * size);
  return p;
}

/* realloc that never returns NULL; the old block is owned by the new one. */
void *tt_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) oom(n);
  return q;
}

/* strdup that never returns NULL; caller frees. */
char *tt_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = tt_xmalloc(n);
  memcpy(p, s, n);
  return p;
}
