/* Internal to src/app: progress of a tuning session on stderr. On a
 * terminal one line rewritten in place (trial n of N, best so far, the last
 * outcome, ETA); elsewhere one plain line per trial, so logs and pipes stay
 * readable. */
#ifndef TT_APP_PROGRESS_H
#define TT_APP_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

#include "tetune/outcome.h"

typedef enum tt_progress_mode {
  TT_PROGRESS_OFF,
  TT_PROGRESS_LINES,
  TT_PROGRESS_TTY
} tt_progress_mode;

typedef struct tt_progress {
  tt_progress_mode mode;
  FILE *f;
  const char *label; /* e.g. "gemm/bo" (borrowed) */
  int64_t total;     /* trials the session aims at */
  int64_t first;     /* trials already stored when this run began */
  double start;      /* tt_now() at the start of this run */
  int dirty;         /* a TTY line is on screen */
} tt_progress;

/* What one trial reports. */
typedef struct tt_progress_trial {
  int64_t n; /* its number in the session */
  tt_outcome outcome;
  double time_s;      /* when ok */
  double best_s;      /* best so far in the session (NAN: none yet) */
  int reused;         /* taken from the store, not measured */
  const char *config; /* JSON (lines mode only) */
  const char *message;
} tt_progress_trial;

/* TT_PROGRESS_TTY when stderr is a terminal, else TT_PROGRESS_LINES. */
tt_progress_mode tt_progress_auto(void);
void tt_progress_begin(tt_progress *p, tt_progress_mode mode, const char *label, int64_t first,
                       int64_t total);
void tt_progress_trial_done(tt_progress *p, const tt_progress_trial *t);
/* On a terminal, says that trial n is being measured (nothing otherwise). */
void tt_progress_trial_start(tt_progress *p, int64_t n, double best_s);
/* Ends the TTY line (prints a newline); lines mode prints nothing. */
void tt_progress_end(tt_progress *p);

/* Formats seconds for people: "812 ns", "3.41 us", "1.27 ms", "2.50 s". */
void tt_fmt_seconds(double s, char *buf, size_t len);

#endif
