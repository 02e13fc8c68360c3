/* CSV datasets: a header naming one column per parameter plus the
 * objective column; one configuration a row. Fields may be quoted ("" is
 * a quote inside quotes). A non-numeric objective is a failure text. */
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* Splits the line at *p into fields (arena copies) and advances *p past
 * its end of line. */
static void split_line(tt_arena *a, const char **p, tt_vec *fields) {
  const char *s = *p;
  tt_str f;
  tt_str_init(&f);
  for (;;) {
    if (*s == '"') {
      for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
        if (*s == '"') s++; /* "" inside quotes */
        tt_str_appendn(&f, s, 1);
      }
      if (*s == '"') s++;
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r')
      tt_str_appendn(&f, s++, 1);
    tt_vec_push(fields, tt_arena_strdup(a, tt_str_cstr(&f)));
    f.len = 0;
    if (f.data) f.data[0] = '\0';
    if (*s != ',') break;
    s++;
  }
  while (*s == '\r' || *s == '\n')
    s++;
  *p = s;
  tt_str_free(&f);
}

/* Trims blanks in place. */
static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
  return s;
}

/* Reads CSV text; see objective_impl.h. */
tt_status tt_csv_read(const char *text, const char *objective, tt_dataset *d, tt_error *err) {
  tt_vec head = {0}, row = {0};
  tt_status st = TT_OK;
  const char *p = text;
  split_line(d->arena, &p, &head);
  size_t obj = head.len, line = 1;
  for (size_t i = 0; i < head.len; i++)
    if (strcmp(trim(head.items[i]), objective) == 0) obj = i;
  if (obj == head.len || head.len < 2) {
    st = tt_error_set(err, TT_ERR_USAGE, "CSV: no column '%s' in the header", objective);
    goto done;
  }
  for (size_t i = 0; i < head.len; i++)
    if (i != obj) tt_dataset_param(d, head.items[i]);
  const char **cells = tt_xcalloc(head.len + 1, sizeof *cells);
  while (*p && st == TT_OK) {
    row.len = 0;
    split_line(d->arena, &p, &row);
    line++;
    if (row.len == 1 && !*trim(row.items[0])) continue; /* blank line */
    if (row.len != head.len) {
      st = tt_error_set(err, TT_ERR_USAGE, "CSV line %zu: %zu fields, the header has %zu", line,
                        row.len, head.len);
      break;
    }
    for (size_t i = 0, p2 = 0; i < head.len; i++)
      if (i != obj) cells[p2++] = trim(row.items[i]);
    char *v = trim(row.items[obj]), *end;
    double x = strtod(v, &end);
    if (*v && !*end)
      tt_dataset_add(d, cells, TT_OUTCOME_OK, x);
    else
      tt_dataset_add(d, cells, tt_outcome_from_failure(v), 0);
  }
  free(cells);
done:
  tt_vec_free(&head);
  tt_vec_free(&row);
  return st;
}
