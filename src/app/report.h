/* Internal to src/app: the self-contained HTML report (`tetune report`,
 * and the page `tetune compare` writes). One file that works offline:
 * Chart.js, embedded in the library at build time, is inlined; the data is
 * embedded as JSON. First a table and a chart across tasks (kernel x
 * strategy, speed-ups over the default configuration); per task (kernel,
 * size, template, machine): a headline (best time, GFLOP/s, speed-ups over
 * the default configuration and the warm naive reference, configuration,
 * machine), the per-strategy table of compare, best-so-far against trials and against
 * charged wall time (runs.h; median over seeds and the min-max band),
 * every trial as a scatter, the best configurations, and knob importance
 * from a forest surrogate (importance.h). The page sets
 * document.body.dataset.rendered = "ok" once every chart exists, which the
 * tests check in headless Chromium. */
#ifndef TT_APP_REPORT_H
#define TT_APP_REPORT_H

#include <cjson/cJSON.h>

#include "app/runs.h"
#include "tetune/store.h"

typedef struct tt_report_opts {
  const char *kernel;      /* NULL: every kernel */
  const int64_t *sessions; /* NULL: every session; else only these */
  size_t nsessions;
  const char *title;   /* NULL: "tetune report" */
  const char *note;    /* a paragraph under the title, or NULL */
  const char *db_path; /* shown in the page */
} tt_report_opts;

/* Writes the report to path. No session to show is TT_ERR_USAGE. */
tt_status tt_report_write(tt_store *s, const tt_report_opts *o, const char *path, tt_error *err);

/* The JSON the page's script draws for one task (report_data.c). */
cJSON *tt_report_task_data(const tt_task_runs *r);

#endif
