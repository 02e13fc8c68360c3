/* Writing the HTML report (report.h): tables in HTML, charts drawn by the
 * inlined Chart.js from the embedded JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/progress.h"
#include "app/report.h"
#include "app/report_page.h"

enum { MAX_STRATEGIES = 32 };

/* See report_page.h. */
void tt_html_escape(tt_str *out, const char *text) {
  for (const char *p = text; *p; p++) {
    switch (*p) {
    case '&':
      tt_str_append(out, "&amp;");
      break;
    case '<':
      tt_str_append(out, "&lt;");
      break;
    case '>':
      tt_str_append(out, "&gt;");
      break;
    case '"':
      tt_str_append(out, "&quot;");
      break;
    default:
      tt_str_appendn(out, p, 1);
    }
  }
}

/* Appends a time cell (an en dash when s is undefined, as the spread of
 * one run is). */
static void time_cell(tt_str *h, double s) {
  char b[32];
  tt_report_fmt_time(s, b, sizeof b);
  tt_str_printf(h, "<td class=\"num\">%s</td>", b);
}

/* The per-strategy table (the same numbers `tetune compare` prints). */
static void stats_table(tt_str *h, const tt_task_runs *r) {
  tt_strategy_stats st[MAX_STRATEGIES];
  size_t n = tt_runs_stats(r, 0.05, st, MAX_STRATEGIES);
  tt_str_append(h, "<table class=\"stats\"><tr><th>strategy</th><th>runs</th>"
                   "<th>best time, mean</th><th>&plusmn; sd</th><th>runs within 5% of the best</th>"
                   "<th>trials to reach (median)</th><th>wall time to reach (median)</th>"
                   "<th>trials</th><th>failures</th></tr>\n");
  for (size_t i = 0; i < n; i++) {
    tt_str_append(h, "<tr><td>");
    tt_html_escape(h, st[i].strategy);
    tt_str_printf(h, "</td><td class=\"num\">%zu</td>", st[i].runs);
    time_cell(h, st[i].best_mean_s);
    time_cell(h, st[i].best_sd_s);
    tt_str_printf(h, "<td class=\"num\">%zu of %zu</td>", st[i].reached, st[i].runs);
    if (st[i].reached)
      tt_str_printf(h, "<td class=\"num\">%.1f</td>", st[i].trials_median);
    else
      tt_str_append(h, "<td class=\"num\">&ndash;</td>");
    time_cell(h, st[i].reached ? st[i].wall_median_s : NAN);
    tt_str_printf(h, "<td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
                  (long long)st[i].trials, (long long)st[i].failures);
  }
  tt_str_append(h, "</table>\n");
}

/* The best configurations table, from the task's JSON data. */
static void best_table(tt_str *h, const cJSON *best) {
  tt_str_append(h, "<h3>Best configurations</h3>\n<table class=\"best\"><tr><th>#</th>"
                   "<th>time</th><th>GFLOP/s</th><th>found by</th><th>configuration</th></tr>\n");
  int i = 0;
  const cJSON *row;
  cJSON_ArrayForEach(row, best) {
    const cJSON *g = cJSON_GetObjectItem(row, "gflops");
    tt_str_printf(h, "<tr><td class=\"num\">%d</td>", ++i);
    time_cell(h, cJSON_GetObjectItem(row, "time_s")->valuedouble);
    if (cJSON_IsNumber(g))
      tt_str_printf(h, "<td class=\"num\">%.2f</td><td>", g->valuedouble);
    else
      tt_str_append(h, "<td class=\"num\">&ndash;</td><td>");
    tt_html_escape(h, cJSON_GetObjectItem(row, "strategy")->valuestring);
    tt_str_append(h, "</td><td class=\"cfg\">");
    tt_report_config_text(h, cJSON_GetObjectItem(row, "config")->valuestring);
    tt_str_append(h, "</td></tr>\n");
  }
  if (i == 0) tt_str_append(h, "<tr><td colspan=\"5\">no validated configuration</td></tr>\n");
  tt_str_append(h, "</table>\n");
}

/* One task's section; its canvases are named after index t. */
static void section(tt_str *h, int t, const tt_task_runs *r, const tt_headline *hl,
                    const cJSON *data) {
  const tt_session_info *f = r->first;
  int64_t trials = 0;
  for (size_t i = 0; i < r->nruns; i++)
    trials += (int64_t)r->runs[i].n;
  tt_str_printf(h, "<section class=\"task\" id=\"task-%d\">\n<h2>", t);
  tt_html_escape(h, f->kernel);
  tt_str_append(h, " &mdash; size ");
  tt_html_escape(h, f->size ? f->size : "?");
  tt_str_append(h, ", template ");
  tt_html_escape(h, f->template_name ? f->template_name : "?");
  tt_str_printf(h, " (task %lld)</h2>\n<p>%zu sessions, %lld trials.</p>\n", (long long)r->task_id,
                r->nruns, (long long)trials);
  tt_headline_html(h, t, r, hl);
  stats_table(h, r);
  const cJSON *imp = cJSON_GetObjectItem(data, "importance");
  tt_str_printf(
      h,
      "<div class=\"charts\">\n<div class=\"chart\"><canvas id=\"t%d-trials\"></canvas></div>\n"
      "<div class=\"chart\"><canvas id=\"t%d-wall\"></canvas></div>\n"
      "<div class=\"chart\"><canvas id=\"t%d-scatter\"></canvas></div>\n",
      t, t, t);
  if (cJSON_GetObjectItem(imp, "knobs"))
    tt_str_printf(h, "<div class=\"chart\"><canvas id=\"t%d-importance\"></canvas></div>\n", t);
  tt_str_append(h, "</div>\n");
  if (cJSON_GetObjectItem(imp, "knobs"))
    tt_str_printf(h,
                  "<p class=\"note\">Knob importance: a random forest fitted to log(time) of the "
                  "%d validated configurations (in-sample R&sup2; %.2f); a knob's share is how "
                  "much the forest's error grows when that knob's values are shuffled.</p>\n",
                  cJSON_GetObjectItem(imp, "samples")->valueint,
                  cJSON_GetObjectItem(imp, "r2")->valuedouble);
  else {
    tt_str_append(h, "<p class=\"note\">No knob importance: ");
    tt_html_escape(h, cJSON_GetObjectItem(imp, "note")->valuestring);
    tt_str_append(h, ".</p>\n");
  }
  best_table(h, cJSON_GetObjectItem(data, "best"));
  tt_str_append(h, "</section>\n");
}

/* The page around the sections: head with the inlined Chart.js, title,
 * note, the sections, the data and the script. */
static void page(tt_str *h, const tt_report_opts *o, const char *summary, const char *body,
                 const char *json, const char *summary_json) {
  char date[64];
  time_t now = time(NULL);
  struct tm tm;
  if (!localtime_r(&now, &tm) || !strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm))
    snprintf(date, sizeof date, "?");
  const char *title = o->title ? o->title : "tetune report";
  tt_str_append(h,
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  tt_html_escape(h, title);
  tt_str_printf(h, "</title>\n<style>\n%s</style>\n<script>\n", tt_report_style);
  tt_str_append(h, tt_chartjs);
  tt_str_append(h, "\n</script>\n</head>\n<body>\n<h1>");
  tt_html_escape(h, title);
  tt_str_append(h, "</h1>\n<p class=\"note\">Database ");
  tt_html_escape(h, o->db_path ? o->db_path : "?");
  tt_str_printf(h,
                ", written %s. Curves: the median over seeds, the band from the best to the "
                "worst seed. Wall time charges each trial what its measurement cost, also "
                "when a run reused a stored measurement.</p>\n",
                date);
  if (o->note) {
    tt_str_append(h, "<p>");
    tt_html_escape(h, o->note);
    tt_str_append(h, "</p>\n");
  }
  tt_str_append(h, summary);
  tt_str_append(h, body);
  tt_str_append(h, "<script type=\"application/json\" id=\"tt-data\">");
  tt_str_append(h, json);
  tt_str_append(h, "</script>\n<script type=\"application/json\" id=\"tt-summary\">");
  tt_str_append(h, summary_json);
  tt_str_append(h, "</script>\n<script>\n");
  tt_str_append(h, tt_report_script);
  tt_str_append(h, "</script>\n</body>\n</html>\n");
}

/* JSON text safe inside a <script> element: every '<' (only ever inside
 * strings) becomes \u003c. Takes data; caller frees the text. */
static char *script_safe_json(cJSON *data) {
  char *raw = cJSON_PrintUnformatted(data);
  tt_str s = {0};
  for (const char *p = raw; *p; p++)
    if (*p == '<')
      tt_str_append(&s, "\\u003c");
    else
      tt_str_appendn(&s, p, 1);
  free(raw);
  cJSON_Delete(data);
  return tt_str_take(&s);
}

/* 1 when session si is selected by o. */
static int selected(const tt_report_opts *o, const tt_session_info *si) {
  if (!o->sessions) return 1;
  for (size_t i = 0; i < o->nsessions; i++)
    if (o->sessions[i] == si->id) return 1;
  return 0;
}

/* Appends a section per task (in order of their first selected session)
 * to body and its data to arr. Returns the number of tasks. */
static tt_status sections(tt_store *s, const tt_report_opts *o, const tt_session_list *l,
                          tt_str *body, cJSON *arr, tt_summary *sum, int *ntasks, tt_error *err) {
  tt_status st = TT_OK;
  *ntasks = 0;
  for (size_t i = 0; st == TT_OK && i < l->len; i++) {
    if (!selected(o, &l->items[i])) continue;
    int seen = 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = selected(o, &l->items[j]) && l->items[j].task_id == l->items[i].task_id;
    if (seen) continue;
    tt_task_runs r;
    st = tt_runs_load(s, l, l->items[i].task_id, o->sessions, o->nsessions, &r, err);
    if (st != TT_OK) break;
    tt_headline hl;
    if ((st = tt_headline_load(s, &r, &hl, err)) != TT_OK) {
      tt_runs_free(&r);
      break;
    }
    cJSON *data = tt_report_task_data(&r);
    tt_summary_add(sum, *ntasks, &r, &hl);
    section(body, (*ntasks)++, &r, &hl, data);
    cJSON_AddItemToArray(arr, data);
    tt_runs_free(&r);
  }
  return st;
}

/* See report.h. */
tt_status tt_report_write(tt_store *s, const tt_report_opts *o, const char *path, tt_error *err) {
  tt_session_list l = {0};
  tt_str body = {0}, html = {0}, summary = {0};
  cJSON *arr = cJSON_CreateArray();
  tt_summary *sum = tt_summary_new();
  char *json = NULL, *sum_json = NULL;
  int ntasks = 0;
  tt_status st = tt_store_list_sessions(s, o->kernel, &l, err);
  if (st != TT_OK) goto done;
  if ((st = sections(s, o, &l, &body, arr, sum, &ntasks, err)) != TT_OK) goto done;
  if (ntasks == 0) {
    st = tt_error_set(err, TT_ERR_USAGE, "no tuning sessions%s%s to report in %s",
                      o->kernel ? " of " : "", o->kernel ? o->kernel : "",
                      o->db_path ? o->db_path : "the database");
    goto done;
  }
  json = script_safe_json(arr);
  arr = NULL;
  sum_json = script_safe_json(tt_summary_json(sum));
  tt_summary_html(sum, &summary);
  page(&html, o, tt_str_cstr(&summary), tt_str_cstr(&body), json, sum_json);
  st = tt_file_write(path, html.data, html.len, err);
done:
  free(json);
  free(sum_json);
  cJSON_Delete(arr);
  tt_summary_free(sum);
  tt_str_free(&summary);
  tt_str_free(&body);
  tt_str_free(&html);
  tt_session_list_free(&l);
  return st;
}
