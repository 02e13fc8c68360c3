/* Strategy options: "key=value,key=value" strings. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"

/* Copies [b, e) without surrounding blanks into a heap string. */
static char *trimmed(const char *b, const char *e) {
  while (b < e && isspace((unsigned char)*b))
    b++;
  while (e > b && isspace((unsigned char)e[-1]))
    e--;
  char *s = tt_xmalloc((size_t)(e - b) + 1);
  memcpy(s, b, (size_t)(e - b));
  s[e - b] = '\0';
  return s;
}

/* See strategy_impl.h. */
int tt_options_pick(const char *value, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (strcmp(value, list[i]) == 0) return i;
  return -1;
}

/* Splits options at commas and hands each key=value pair to set; an empty
 * item is skipped, an item without '=' is TT_ERR_USAGE. */
tt_status tt_options_parse(const char *options, void *state,
                           tt_status (*set)(void *state, const char *key, const char *value,
                                            tt_error *err),
                           tt_error *err) {
  tt_status st = TT_OK;
  for (const char *p = options; p && *p && st == TT_OK;) {
    const char *end = strchr(p, ',');
    if (!end) end = p + strlen(p);
    char *item = trimmed(p, end);
    char *eq = strchr(item, '=');
    if (eq) {
      *eq = '\0';
      char *key = trimmed(item, eq), *value = trimmed(eq + 1, eq + 1 + strlen(eq + 1));
      st = key[0] ? set(state, key, value, err)
                  : tt_error_set(err, TT_ERR_USAGE, "option '=%s' has no key", value);
      free(key);
      free(value);
    } else if (item[0]) {
      st = tt_error_set(err, TT_ERR_USAGE, "option '%s' is not key=value", item);
    }
    free(item);
    p = *end ? end + 1 : end;
  }
  return st;
}

/* See strategy_impl.h. */
int tt_options_count(const char *v, size_t lo, size_t hi, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (errno || end == v || *end || v[0] == '-' || n < lo || n > hi) return -1;
  *out = (size_t)n;
  return 0;
}

/* See strategy_impl.h. */
int tt_options_number(const char *v, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double d = strtod(v, &end);
  if (errno || end == v || *end || !(d >= lo && d <= hi)) return -1;
  *out = d;
  return 0;
}
