/* Progress lines of a tuning session (progress.h). */
#include "app/progress.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "tetune/support.h"

/* Formats a duration for people; see progress.h. */
void tt_fmt_seconds(double s, char *buf, size_t len) {
  if (!isfinite(s))
    snprintf(buf, len, "-");
  else if (s < 1e-6)
    snprintf(buf, len, "%.0f ns", s * 1e9);
  else if (s < 1e-3)
    snprintf(buf, len, "%.3g us", s * 1e6);
  else if (s < 1)
    snprintf(buf, len, "%.3g ms", s * 1e3);
  else
    snprintf(buf, len, "%.3g s", s);
}

/* Picks the display; see progress.h. */
tt_progress_mode tt_progress_auto(void) {
  return isatty(2) ? TT_PROGRESS_TTY : TT_PROGRESS_LINES;
}

/* Starts a display; see progress.h. */
void tt_progress_begin(tt_progress *p, tt_progress_mode mode, const char *label, int64_t first,
                       int64_t total) {
  memset(p, 0, sizeof *p);
  p->mode = mode;
  p->f = stderr;
  p->label = label;
  p->first = first;
  p->total = total;
  p->start = tt_now();
}

/* "1:05" style estimate of the time left, from the pace of this run. */
static void eta(const tt_progress *p, int64_t n, char *buf, size_t len) {
  int64_t done = n - p->first;
  double left = done > 0 ? (tt_now() - p->start) / (double)done * (double)(p->total - n) : NAN;
  if (!isfinite(left)) {
    snprintf(buf, len, "?");
    return;
  }
  long s = lround(left);
  if (s >= 3600)
    snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
}

/* Reports one finished trial; see progress.h. */
void tt_progress_trial_done(tt_progress *p, const tt_progress_trial *t) {
  if (p->mode == TT_PROGRESS_OFF) return;
  char best[32], last[32], left[32];
  tt_fmt_seconds(t->best_s, best, sizeof best);
  if (t->outcome == TT_OUTCOME_OK)
    tt_fmt_seconds(t->time_s, last, sizeof last);
  else
    snprintf(last, sizeof last, "%s", tt_outcome_name(t->outcome));
  eta(p, t->n, left, sizeof left);
  if (p->mode == TT_PROGRESS_TTY) {
    fprintf(p->f, "\r\033[K%s  trial %lld/%lld  best %s  last %s%s  ETA %s", p->label,
            (long long)t->n, (long long)p->total, best, last, t->reused ? " (stored)" : "", left);
    p->dirty = 1;
  } else {
    fprintf(p->f, "%s trial %lld/%lld: %s%s, best %s, ETA %s, config %s", p->label, (long long)t->n,
            (long long)p->total, last, t->reused ? " (stored)" : "", best, left,
            t->config ? t->config : "?");
    if (t->outcome != TT_OUTCOME_OK && t->message && t->message[0])
      fprintf(p->f, " (%.160s)", t->message);
    fputc('\n', p->f);
  }
  fflush(p->f);
}

/* Shows the trial in flight; see progress.h. */
void tt_progress_trial_start(tt_progress *p, int64_t n, double best_s) {
  if (p->mode != TT_PROGRESS_TTY) return;
  char best[32], left[32];
  tt_fmt_seconds(best_s, best, sizeof best);
  eta(p, n - 1, left, sizeof left);
  fprintf(p->f, "\r\033[K%s  trial %lld/%lld  best %s  measuring...  ETA %s", p->label,
          (long long)n, (long long)p->total, best, left);
  p->dirty = 1;
  fflush(p->f);
}

/* Ends the display; see progress.h. */
void tt_progress_end(tt_progress *p) {
  if (p->mode == TT_PROGRESS_TTY && p->dirty) fputc('\n', p->f);
  p->dirty = 0;
  fflush(p->f);
}
