/* What a report says first about a task (report_page.h): the best
 * variant's time and GFLOP/s, its speed-up over the template's default
 * configuration and over the warm naive reference (both as the task's
 * sessions recorded them, see src/kernel_tune/session_args.c), its configuration as knob =
 * value, and the machine it ran on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app/report_page.h"

/* See report_page.h. */
void tt_report_fmt_time(double s, char *buf, size_t len) {
  if (!isfinite(s))
    snprintf(buf, len, "\xe2\x80\x93"); /* an en dash: undefined */
  else if (s < 1e-6)
    snprintf(buf, len, "%.3g ns", s * 1e9);
  else if (s < 1e-3)
    snprintf(buf, len, "%.3g \xc2\xb5s", s * 1e6);
  else if (s < 1)
    snprintf(buf, len, "%.3g ms", s * 1e3);
  else
    snprintf(buf, len, "%.3g s", s);
}

/* See report_page.h. */
void tt_report_config_text(tt_str *out, const char *json) {
  cJSON *c = json ? cJSON_Parse(json) : NULL;
  if (!cJSON_IsObject(c)) {
    tt_html_escape(out, json ? json : "");
    cJSON_Delete(c);
    return;
  }
  for (const cJSON *k = c->child; k; k = k->next) {
    char *v = cJSON_IsString(k) ? NULL : cJSON_PrintUnformatted(k);
    tt_str_append(out, k == c->child ? "" : ", ");
    tt_html_escape(out, k->string);
    tt_str_append(out, " = ");
    tt_html_escape(out, v ? v : k->valuestring);
    free(v);
  }
  cJSON_Delete(c);
}

/* Number or string member `key` of fingerprint fp as text ("?" if absent). */
static void fp_text(tt_str *out, const cJSON *fp, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(fp, key);
  if (cJSON_IsString(v))
    tt_html_escape(out, v->valuestring);
  else if (cJSON_IsNumber(v))
    tt_str_printf(out, "%g", v->valuedouble);
  else
    tt_str_append(out, "?");
}

/* See report_page.h. */
void tt_report_machine_html(tt_str *out, const char *fingerprint, const char *target) {
  cJSON *fp = fingerprint ? cJSON_Parse(fingerprint) : NULL;
  const cJSON *threads = cJSON_GetObjectItem(fp, "threads");
  const cJSON *flags = cJSON_GetObjectItem(fp, "flags");
  tt_str_append(out, "<span class=\"k\">CPU</span> ");
  fp_text(out, fp, "cpu_model");
  tt_str_append(out, " (");
  fp_text(out, fp, "arch");
  tt_str_append(out, "), <span class=\"k\">cores</span> ");
  fp_text(out, fp, "cores");
  tt_str_append(out, ", <span class=\"k\">threads</span> ");
  if (cJSON_IsNumber(threads) && threads->valuedouble == 0)
    tt_str_append(out, "all (OpenMP default)");
  else
    fp_text(out, fp, "threads");
  tt_str_append(out, ", <span class=\"k\">compiler</span> ");
  fp_text(out, fp, cJSON_GetObjectItem(fp, "compiler_version") ? "compiler_version" : "compiler");
  tt_str_append(out, ", <span class=\"k\">flags</span> <code>");
  for (const cJSON *f = cJSON_IsArray(flags) ? flags->child : NULL; f; f = f->next) {
    tt_str_append(out, f == flags->child ? "" : " ");
    tt_html_escape(out, cJSON_GetStringValue(f) ? f->valuestring : "?");
  }
  tt_str_append(out, "</code>, <span class=\"k\">target</span> ");
  tt_html_escape(out, target ? target : "?");
  if (cJSON_GetObjectItem(fp, "device")) { /* a GPU target's task */
    tt_str_append(out, ", <span class=\"k\">device</span> ");
    fp_text(out, fp, "device");
  }
  cJSON_Delete(fp);
}

/* Takes "default_config" and "reference_time_s" from the latest of the
 * task's sessions that recorded them. */
static tt_status read_baselines(tt_store *s, const tt_task_runs *r, char **default_key,
                                double *reference_s, tt_error *err) {
  tt_status st = TT_OK;
  for (size_t k = r->nruns; k-- > 0 && st == TT_OK && (!*default_key || isnan(*reference_s));) {
    char *args = NULL;
    st = tt_store_session_args(s, r->runs[k].info->id, &args, err);
    cJSON *a = args ? cJSON_Parse(args) : NULL;
    const cJSON *d = cJSON_GetObjectItem(a, "default_config");
    const cJSON *ref = cJSON_GetObjectItem(a, "reference_time_s");
    if (!*default_key && cJSON_IsObject(d)) {
      char *text = cJSON_PrintUnformatted(d);
      *default_key = tt_store_canonical_json(text, NULL);
      free(text);
    }
    if (isnan(*reference_s) && cJSON_IsNumber(ref) && ref->valuedouble > 0)
      *reference_s = ref->valuedouble;
    cJSON_Delete(a);
    free(args);
  }
  return st;
}

/* See report_page.h. */
tt_status tt_headline_load(tt_store *s, const tt_task_runs *r, tt_headline *h, tt_error *err) {
  memset(h, 0, sizeof *h);
  h->best_s = h->best_gflops = h->default_s = h->reference_s = NAN;
  for (size_t k = 0; k < r->nruns; k++)
    for (size_t i = 0; i < r->runs[k].n; i++) {
      const tt_run_point *p = &r->runs[k].pts[i];
      if (p->outcome != TT_OUTCOME_OK || !(isnan(h->best_s) || p->time_s < h->best_s)) continue;
      h->best_s = p->time_s;
      h->best_gflops = p->gflops;
      h->best_config = p->config;
    }
  char *key = NULL;
  tt_status st = read_baselines(s, r, &key, &h->reference_s, err);
  tt_trial *t = NULL;
  if (st == TT_OK && key) st = tt_store_find_trial(s, r->task_id, key, &t, err);
  if (t && t->outcome == TT_OUTCOME_OK) h->default_s = t->time_median_s;
  tt_trial_free(t);
  free(key);
  return st;
}

/* See report_page.h. */
void tt_report_fmt_ratio(double r, char *buf, size_t len) {
  if (!isfinite(r))
    snprintf(buf, len, "\xe2\x80\x93");
  else
    snprintf(buf, len, r < 100 ? "%.2f\xc3\x97" : "%.0f\xc3\x97", r);
}

/* "2.26x over X (2.67 µs)", or why there is no such number. */
static void speedup(tt_str *out, double best, double base, const char *what, const char *missing) {
  char b[32], x[32];
  tt_report_fmt_time(base, b, sizeof b);
  tt_report_fmt_ratio(base / best, x, sizeof x);
  if (isfinite(base) && best > 0)
    tt_str_printf(out, "<li><b class=\"speedup\">%s</b> over %s (%s)</li>", x, what, b);
  else
    tt_str_printf(out, "<li>\xe2\x80\x93 over %s (%s)</li>", what, missing);
}

/* See report_page.h. */
void tt_headline_html(tt_str *out, int t, const tt_task_runs *r, const tt_headline *h) {
  char b[32];
  tt_str_printf(out, "<div class=\"headline\" id=\"t%d-headline\">\n", t);
  if (isnan(h->best_s)) {
    tt_str_append(out, "<p class=\"best\">No configuration validated.</p>\n");
  } else {
    tt_report_fmt_time(h->best_s, b, sizeof b);
    tt_str_printf(out, "<p class=\"best\">Best variant: <b class=\"time\">%s</b> per call", b);
    if (isfinite(h->best_gflops)) tt_str_printf(out, ", <b>%.2f GFLOP/s</b>", h->best_gflops);
    tt_str_append(out, "</p>\n<ul class=\"speedups\">");
    speedup(out, h->best_s, h->default_s, "the template's default configuration",
            "not measured in these sessions");
    speedup(out, h->best_s, h->reference_s, "the naive reference, timed warm",
            "not recorded by these sessions");
    tt_str_append(out, "</ul>\n<p class=\"cfg\"><span class=\"k\">configuration</span> ");
    tt_report_config_text(out, h->best_config);
    tt_str_append(out, "</p>\n");
  }
  tt_str_append(out, "<p class=\"machine\">");
  tt_report_machine_html(out, r->first->fingerprint, r->first->target);
  tt_str_append(out, "</p>\n</div>\n");
}
