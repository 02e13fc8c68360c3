/* Error recording: the first error wins, later ones are dropped. */
#include "tetune/support.h"

#include <stdio.h>
#include <string.h>

/* Records status and a formatted message into err unless err is NULL or
 * already holds an error. Control characters (a newline in a name read
 * from a file, a compiler's multi-line output) become spaces: an error is
 * one line. Returns status so callers can `return tt_error_set(...)`. */
tt_status tt_error_set(tt_error *err, tt_status status, const char *fmt, ...) {
  if (err == NULL || err->status != TT_OK) return status;
  err->status = status;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  for (char *c = err->msg; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = ' ';
  return status;
}

/* Resets err to "no error". NULL is allowed. */
void tt_error_clear(tt_error *err) {
  if (err == NULL) return;
  err->status = TT_OK;
  err->msg[0] = '\0';
}
