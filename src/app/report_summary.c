/* The table and chart across tasks (report_page.h): one row a task (the
 * paper's kernel x strategy comparison), each strategy's mean best time
 * over its seeds and its speed-up over the task's default configuration. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/report_page.h"

enum { MAX_STRATEGIES = 32 };

typedef struct row {
  int t;
  char *label; /* kernel size/template */
  tt_headline h;
  size_t n;
  char *names[MAX_STRATEGIES];
  double mean_s[MAX_STRATEGIES];
} row;

struct tt_summary {
  row *rows;
  size_t len;
  char *names[MAX_STRATEGIES]; /* every strategy, in order of appearance */
  size_t nnames;
};

tt_summary *tt_summary_new(void) {
  return tt_xcalloc(1, sizeof(tt_summary));
}

void tt_summary_free(tt_summary *m) {
  if (!m) return;
  for (size_t i = 0; i < m->len; i++) {
    free(m->rows[i].label);
    for (size_t k = 0; k < m->rows[i].n; k++)
      free(m->rows[i].names[k]);
  }
  for (size_t k = 0; k < m->nnames; k++)
    free(m->names[k]);
  free(m->rows);
  free(m);
}

/* See report_page.h. */
void tt_summary_add(tt_summary *m, int t, const tt_task_runs *r, const tt_headline *h) {
  tt_strategy_stats st[MAX_STRATEGIES];
  size_t n = tt_runs_stats(r, 0.05, st, MAX_STRATEGIES);
  m->rows = tt_xrealloc(m->rows, (m->len + 1) * sizeof *m->rows);
  row *w = &m->rows[m->len++];
  memset(w, 0, sizeof *w);
  w->t = t;
  tt_str l = {0};
  tt_str_printf(&l, "%s %s/%s", r->first->kernel, r->first->size ? r->first->size : "?",
                r->first->template_name ? r->first->template_name : "?");
  w->label = tt_str_take(&l);
  w->h = *h;
  w->h.best_config = NULL; /* borrowed from runs that do not outlive the call */
  for (size_t k = 0; k < n; k++) {
    w->names[w->n] = tt_xstrdup(st[k].strategy);
    w->mean_s[w->n++] = st[k].best_mean_s;
    size_t j = 0;
    while (j < m->nnames && strcmp(m->names[j], st[k].strategy) != 0)
      j++;
    if (j == m->nnames && m->nnames < MAX_STRATEGIES)
      m->names[m->nnames++] = tt_xstrdup(st[k].strategy);
  }
}

/* Row w's mean best time of strategy name; NAN when it did not run there. */
static double mean_of(const row *w, const char *name) {
  for (size_t k = 0; k < w->n; k++)
    if (strcmp(w->names[k], name) == 0) return w->mean_s[k];
  return NAN;
}

/* A time cell, with the speed-up over base under it when both are known. */
static void cell(tt_str *out, double s, double base) {
  char b[32], x[32];
  tt_report_fmt_time(s, b, sizeof b);
  tt_report_fmt_ratio(base / s, x, sizeof x);
  tt_str_printf(out, "<td class=\"num\">%s", b);
  if (isfinite(s) && isfinite(base) && s > 0) tt_str_printf(out, "<br><small>%s</small>", x);
  tt_str_append(out, "</td>");
}

/* See report_page.h. */
void tt_summary_html(const tt_summary *m, tt_str *out) {
  tt_str_append(out, "<section class=\"summary\">\n<h2>Across tasks</h2>\n"
                     "<p class=\"note\">Per task: the best variant, its speed-up over the "
                     "template's default configuration and over the warm naive reference; per "
                     "strategy: the best time found, mean over seeds, with its speed-up over the "
                     "default configuration (&times;). &ndash;: not measured.</p>\n"
                     "<table class=\"across\" id=\"across\"><tr><th>task</th><th>best</th>"
                     "<th>&times; default</th><th>&times; reference</th>");
  for (size_t k = 0; k < m->nnames; k++) {
    tt_str_append(out, "<th>");
    tt_html_escape(out, m->names[k]);
    tt_str_append(out, "</th>");
  }
  tt_str_append(out, "</tr>\n");
  for (size_t i = 0; i < m->len; i++) {
    const row *w = &m->rows[i];
    char b[32];
    tt_str_printf(out, "<tr><td><a href=\"#task-%d\">", w->t);
    tt_html_escape(out, w->label);
    tt_report_fmt_time(w->h.best_s, b, sizeof b);
    tt_str_printf(out, "</a></td><td class=\"num\">%s</td>", b);
    double ratio[2] = {w->h.default_s / w->h.best_s, w->h.reference_s / w->h.best_s};
    for (int j = 0; j < 2; j++) {
      tt_report_fmt_ratio(ratio[j], b, sizeof b);
      tt_str_printf(out, "<td class=\"num\">%s</td>", b);
    }
    for (size_t k = 0; k < m->nnames; k++)
      cell(out, mean_of(w, m->names[k]), w->h.default_s);
    tt_str_append(out, "</tr>\n");
  }
  tt_str_append(out, "</table>\n<div class=\"chart wide\"><canvas id=\"across-chart\"></canvas>"
                     "</div>\n</section>\n");
}

/* See report_page.h. */
cJSON *tt_summary_json(const tt_summary *m) {
  cJSON *o = cJSON_CreateObject(), *labels = cJSON_AddArrayToObject(o, "labels");
  cJSON *ss = cJSON_AddArrayToObject(o, "strategies");
  for (size_t i = 0; i < m->len; i++)
    cJSON_AddItemToArray(labels, cJSON_CreateString(m->rows[i].label));
  for (size_t k = 0; k < m->nnames; k++) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "name", m->names[k]);
    cJSON *v = cJSON_AddArrayToObject(e, "speedup");
    for (size_t i = 0; i < m->len; i++) {
      double x = m->rows[i].h.default_s / mean_of(&m->rows[i], m->names[k]);
      cJSON_AddItemToArray(v, isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateNull());
    }
    cJSON_AddItemToArray(ss, e);
  }
  return o;
}
