/* Strategy options: "key=value,key=value" strings, and the option tables
 * (tt_option) each strategy declares its options in. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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

/* The option named key in table, or NULL. */
static const tt_option *find_option(const tt_option *table, const char *key) {
  for (const tt_option *o = table; o->name; o++)
    if (strcmp(o->name, key) == 0) return o;
  return NULL;
}

/* Parses v into o's field of opts; 0, or -1 (field unchanged). */
static int set_field(const tt_option *o, void *opts, const char *v) {
  char *field = (char *)opts + o->offset;
  double d;
  switch (o->kind) {
  case TT_OPTION_COUNT:
    return tt_options_count(v, (size_t)o->lo, (size_t)o->hi, (size_t *)(void *)field);
  case TT_OPTION_NUMBER:
    if (tt_options_number(v, o->lo, o->hi, &d) != 0 || (o->lo_open && d == o->lo)) return -1;
    *(double *)(void *)field = d;
    return 0;
  case TT_OPTION_CHOICE: {
    int i = tt_options_pick(v, o->choices);
    if (i < 0) return -1;
    *(int *)(void *)field = i;
    return 0;
  }
  }
  return -1;
}

/* See strategy_impl.h. */
void tt_option_defaults(const tt_option *table, void *opts) {
  for (const tt_option *o = table; o->name; o++)
    if (set_field(o, opts, o->def) != 0) abort(); /* a table's own default must parse */
}

/* What option o takes, as text: "a count in 1..100", "lcb|ei|pi" (with
 * sep between choices). */
static void takes(const tt_option *o, const char *sep, char *buf, size_t len) {
  size_t n = 0;
  switch (o->kind) {
  case TT_OPTION_COUNT:
    snprintf(buf, len, "a count in %.0f..%.0f", o->lo, o->hi);
    break;
  case TT_OPTION_NUMBER:
    if (o->hi == INFINITY)
      snprintf(buf, len, "a number %s %g", o->lo_open ? ">" : ">=", o->lo);
    else
      snprintf(buf, len, "a number in %s%g, %g]", o->lo_open ? "(" : "[", o->lo, o->hi);
    break;
  case TT_OPTION_CHOICE:
    buf[0] = '\0';
    for (int i = 0; o->choices[i] && n < len; i++)
      n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? sep : "", o->choices[i]);
    break;
  }
}

/* See strategy_impl.h. */
tt_status tt_option_set(const tt_option *table, const char *name, void *opts, const char *key,
                        const char *v, tt_error *err) {
  const tt_option *o = find_option(table, key);
  if (!o) return tt_error_set(err, TT_ERR_USAGE, "%s: unknown option '%s'", name, key);
  if (set_field(o, opts, v) == 0) return TT_OK;
  char what[160];
  takes(o, "|", what, sizeof what);
  return tt_error_set(err, TT_ERR_USAGE, "%s: bad value '%s' for option '%s' (%s)", name, v, key,
                      what);
}

/* Appends printf output to the heap string *text. */
static void append(char **text, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  size_t old = *text ? strlen(*text) : 0;
  *text = tt_xrealloc(*text, old + (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(*text + old, (size_t)n + 1, fmt, ap);
  va_end(ap);
}

/* See strategy_impl.h. */
char *tt_option_doc(const tt_option *table, int markdown, char **text) {
  char what[160];
  if (!*text) append(text, "%s", "");
  if (!table->name) append(text, "%s", markdown ? "| (none) | | | |\n" : "  (no options)\n");
  for (const tt_option *o = table; o->name; o++) {
    takes(o, markdown ? "\\|" : "|", what, sizeof what); /* a Markdown cell escapes | */
    if (markdown)
      append(text, "| `%s` | %s | `%s` | %s |\n", o->name, what, o->def, o->doc);
    else
      append(text, "  %-12s %s (default %s): %s\n", o->name, what, o->def, o->doc);
  }
  return *text;
}
