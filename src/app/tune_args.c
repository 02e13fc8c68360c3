/* Checks shared by `tune` and `compare` (tune_args.h). */
#include "app/tune_args.h"

#include <errno.h>
#include <stdlib.h>

/* See tune_args.h. */
double tt_tune_parse_seconds(const char *v) {
  char *end;
  errno = 0;
  double x = strtod(v, &end);
  if (errno || end == v || *end || !(x > 0) || x > 1e6) return -1;
  return x;
}

/* See tune_args.h. */
tt_store *tt_tune_open_store(const char *path, int must_exist, tt_error *err) {
  if (must_exist && !tt_file_exists(path)) {
    tt_error_set(err, TT_ERR_USAGE, "no database %s", path);
    return NULL;
  }
  tt_error e = {0};
  tt_store *s = tt_store_open(path, TT_STORE_READ_WRITE, &e);
  if (!s) tt_error_set(err, e.status, "%s", e.msg); /* a full disk is not bad input */
  return s;
}
