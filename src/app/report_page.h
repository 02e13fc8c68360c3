/* Internal to src/app: the fixed parts of the report page (report_js.c),
 * the HTML helpers its writer uses (report_html.c), the per-task headline
 * (report_headline.c) and the table across tasks (report_summary.c). */
#ifndef TT_APP_REPORT_PAGE_H
#define TT_APP_REPORT_PAGE_H

#include <cjson/cJSON.h>

#include "app/runs.h"
#include "tetune/support.h"

extern const char tt_report_style[];
extern const char tt_report_script[];
/* Chart.js, embedded at build time (gen/chartjs.c, cmake/embed_file.cmake). */
extern const char tt_chartjs[];

/* Appends text with & < > " escaped. */
void tt_html_escape(tt_str *out, const char *text);
/* A time for people: "1.18 µs", "3.2 ms"; an en dash when not finite. */
void tt_report_fmt_time(double s, char *buf, size_t len);
/* A speed-up for people: "2.26×", "1520×"; an en dash when not finite. */
void tt_report_fmt_ratio(double r, char *buf, size_t len);
/* A configuration (JSON object) as "knob = value, ...", HTML-escaped. */
void tt_report_config_text(tt_str *out, const char *json);
/* The machine of a fingerprint: CPU, cores, threads, compiler, flags and
 * the target, as HTML. */
void tt_report_machine_html(tt_str *out, const char *fingerprint, const char *target);

/* What a task's section says first. */
typedef struct tt_headline {
  double best_s, best_gflops; /* NAN when nothing validated */
  const char *best_config;    /* JSON, borrowed from the runs */
  double default_s;           /* the default configuration's time; NAN: unknown */
  double reference_s;         /* the warm naive reference's; NAN: unknown */
} tt_headline;

/* Fills h from the runs of a task and what its sessions recorded. */
tt_status tt_headline_load(tt_store *s, const tt_task_runs *r, tt_headline *h, tt_error *err);
/* The headline block of task section t. */
void tt_headline_html(tt_str *out, int t, const tt_task_runs *r, const tt_headline *h);

/* The kernel x strategy comparison across every task of the report. */
typedef struct tt_summary tt_summary;
tt_summary *tt_summary_new(void);
void tt_summary_free(tt_summary *m);
/* Adds the row of task section t. */
void tt_summary_add(tt_summary *m, int t, const tt_task_runs *r, const tt_headline *h);
/* The table (HTML) and the data of its chart (JSON, caller deletes). */
void tt_summary_html(const tt_summary *m, tt_str *out);
cJSON *tt_summary_json(const tt_summary *m);

#endif
