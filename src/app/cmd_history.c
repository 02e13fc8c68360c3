/* tetune history: the stored tuning sessions and their best results. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/progress.h"
#include "tetune/store.h"

static const char usage[] =
    "usage: tetune history [KERNEL] [--db FILE] [--json]\n\n"
    "Lists the tuning sessions stored in FILE (default ./tetune.db), oldest\n"
    "first, only KERNEL's when given: kernel, size, template, strategy, seed,\n"
    "trials stored of requested, status, best time and its configuration.\n"
    "A session killed mid-run stays 'running'.\n";

enum { O_DB, O_JSON, O_COUNT };

/* "2024-05-01 12:34" in local time. */
static void fmt_date(double unix_s, char *buf, size_t len) {
  time_t t = (time_t)unix_s;
  struct tm tm;
  if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M", &tm)) snprintf(buf, len, "?");
}

/* One session as a JSON object. */
static cJSON *session_json(const tt_session_info *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "session", (double)s->id);
  cJSON_AddNumberToObject(o, "task", (double)s->task_id);
  cJSON_AddStringToObject(o, "kernel", s->kernel);
  cJSON_AddStringToObject(o, "size", s->size ? s->size : "");
  cJSON_AddStringToObject(o, "template", s->template_name ? s->template_name : "");
  cJSON_AddStringToObject(o, "strategy", s->strategy);
  cJSON_AddNumberToObject(o, "seed", (double)s->seed);
  cJSON_AddNumberToObject(o, "trials", (double)s->trials);
  cJSON_AddNumberToObject(o, "trials_requested", (double)s->trials_requested);
  cJSON_AddNumberToObject(o, "ok_trials", (double)s->ok_trials);
  cJSON_AddStringToObject(o, "status", tt_session_status_name(s->status));
  cJSON_AddNumberToObject(o, "started_at", s->started_at);
  if (isfinite(s->ended_at))
    cJSON_AddNumberToObject(o, "ended_at", s->ended_at);
  else
    cJSON_AddNullToObject(o, "ended_at");
  if (s->best_config) {
    cJSON_AddNumberToObject(o, "best_time_s", s->best_time_s);
    if (isfinite(s->best_gflops)) cJSON_AddNumberToObject(o, "best_gflops", s->best_gflops);
    cJSON_AddItemToObject(o, "best_config", cJSON_Parse(s->best_config));
  } else {
    cJSON_AddNullToObject(o, "best_time_s");
    cJSON_AddNullToObject(o, "best_config");
  }
  return o;
}

/* The table. */
static void print_table(const tt_session_list *l) {
  printf("%-4s %-16s %-10s %-8s %-8s %-6s %-9s %-11s %-16s %-10s %s\n", "id", "kernel", "size",
         "template", "strategy", "seed", "trials", "status", "started", "best", "config");
  for (size_t i = 0; i < l->len; i++) {
    const tt_session_info *s = &l->items[i];
    char date[32], best[32], trials[32];
    fmt_date(s->started_at, date, sizeof date);
    tt_fmt_seconds(s->best_config ? s->best_time_s : NAN, best, sizeof best);
    snprintf(trials, sizeof trials, "%lld/%lld", (long long)s->trials,
             (long long)s->trials_requested);
    printf("%-4lld %-16s %-10s %-8s %-8s %-6llu %-9s %-11s %-16s %-10s %s\n", (long long)s->id,
           s->kernel, s->size ? s->size : "", s->template_name ? s->template_name : "", s->strategy,
           (unsigned long long)s->seed, trials, tt_session_status_name(s->status), date, best,
           s->best_config ? s->best_config : "-");
  }
  if (l->len == 0) printf("(no sessions)\n");
}

/* The command; see commands.h. */
int tt_cmd_history(int argc, char **argv) {
  tt_opt opts[O_COUNT] = {{"db", 1, NULL}, {"json", 0, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, O_COUNT, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  tt_error err = {0};
  tt_session_list l = {0};
  tt_store *s =
      tt_store_open(opts[O_DB].value ? opts[O_DB].value : "tetune.db", TT_STORE_READ_ONLY, &err);
  if (!s) return tt_app_fail(1, err.msg);
  if (tt_store_list_sessions(s, npos ? pos[0] : NULL, &l, &err) != TT_OK) {
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  } else if (opts[O_JSON].value) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l.len; i++)
      cJSON_AddItemToArray(a, session_json(&l.items[i]));
    char *text = cJSON_Print(a);
    puts(text);
    free(text);
    cJSON_Delete(a);
  } else {
    print_table(&l);
  }
  tt_session_list_free(&l);
  tt_store_close(s);
  return rc;
}
