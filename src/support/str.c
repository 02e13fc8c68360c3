/* Growable NUL-terminated strings. */
#include "tetune/support.h"

#include <stdlib.h>
#include <string.h>

/* Sets s to the empty string without allocating. */
void tt_str_init(tt_str *s) {
  s->data = NULL;
  s->len = 0;
  s->cap = 0;
}

/* Frees the buffer and leaves s empty (reusable). */
void tt_str_free(tt_str *s) {
  free(s->data);
  tt_str_init(s);
}

/* Makes room for `extra` more bytes plus the terminating NUL. */
static void str_reserve(tt_str *s, size_t extra) {
  size_t need = s->len + extra + 1;
  if (need <= s->cap) return;
  size_t cap = s->cap ? s->cap : 64;
  while (cap < need)
    cap *= 2;
  s->data = tt_xrealloc(s->data, cap);
  s->cap = cap;
}

/* Appends n bytes of text (which need not be NUL-terminated). */
void tt_str_appendn(tt_str *s, const char *text, size_t n) {
  str_reserve(s, n);
  if (n > 0) memcpy(s->data + s->len, text, n);
  s->len += n;
  s->data[s->len] = '\0';
}

/* Appends a NUL-terminated string. */
void tt_str_append(tt_str *s, const char *text) {
  tt_str_appendn(s, text, strlen(text));
}

/* Appends printf-formatted text. */
void tt_str_vprintf(tt_str *s, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n <= 0) {
    str_reserve(s, 0);
    s->data[s->len] = '\0';
    return;
  }
  str_reserve(s, (size_t)n);
  vsnprintf(s->data + s->len, (size_t)n + 1, fmt, ap);
  s->len += (size_t)n;
}

/* Appends printf-formatted text. */
void tt_str_printf(tt_str *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tt_str_vprintf(s, fmt, ap);
  va_end(ap);
}

/* Appends two spaces per level. */
void tt_str_indent(tt_str *s, int levels) {
  for (int i = 0; i < levels; i++)
    tt_str_appendn(s, "  ", 2);
}

/* Hands the buffer to the caller (who frees it) and resets s. */
char *tt_str_take(tt_str *s) {
  char *p = s->data;
  if (p == NULL) p = tt_xstrdup("");
  tt_str_init(s);
  return p;
}

/* The contents as a C string, "" when nothing was appended; owned by s. */
const char *tt_str_cstr(const tt_str *s) {
  return s->data ? s->data : "";
}
