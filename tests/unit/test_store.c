/* Unit tests for the store's API: round trips of tasks, sessions and
 * trials, task uniqueness, canonical keys, resume order, best trial,
 * history and series. Opening odd files is in test_store_open.c, crash
 * durability and concurrency in test_store_durability.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/store.h"

/* A temporary directory and a store in it. */
typedef struct fixture {
  char *dir;
  char path[512];
  tt_store *store;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  tt_error err = {0};
  f->dir = tt_mkdtemp("tt-store", &err);
  assert_non_null(f->dir);
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  f->store = tt_store_open(f->path, TT_STORE_READ_WRITE, &err);
  assert_non_null(f->store);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  tt_store_close(f->store);
  tt_rmtree(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

static const char fingerprint[] =
    "{\"cpu_model\": \"Test CPU\", \"cores\": 8, \"compiler\": \"gcc 12\", \"flags\": \"-O3\"}";

static tt_task_key key_of(const char *kernel, const char *size, const char *fp) {
  tt_task_key k = {kernel, size, "cpu", "tiled", fp};
  return k;
}

static int64_t ensure_task(tt_store *s, const char *kernel, const char *size) {
  tt_error err = {0};
  int64_t id = 0;
  tt_task_key k = key_of(kernel, size, fingerprint);
  assert_int_equal(tt_store_ensure_task(s, &k, &id, &err), TT_OK);
  assert_true(id > 0);
  return id;
}

static int64_t add_session(tt_store *s, int64_t task, const char *strategy) {
  tt_error err = {0};
  int64_t id = 0;
  tt_session_spec spec = {task, strategy, 42, "{\"trials\": 10}", 10};
  assert_int_equal(tt_store_add_session(s, &spec, &id, &err), TT_OK);
  assert_true(id > 0);
  return id;
}

/* An ok trial (time > 0) or a failed one (time <= 0). */
static int64_t add_trial(tt_store *s, int64_t session, const char *config, double time) {
  tt_error err = {0};
  tt_trial t = {0};
  t.session_id = session;
  t.config = config;
  t.outcome = time > 0 ? TT_OUTCOME_OK : TT_OUTCOME_TIMEOUT;
  t.message = time > 0 ? NULL : "timed out after 10 s";
  t.time_median_s = time > 0 ? time : NAN;
  t.time_min_s = time > 0 ? time * 0.9 : NAN;
  t.time_spread = time > 0 ? 0.01 : NAN;
  t.repeats = time > 0 ? 5 : 0;
  t.max_rel_err = time > 0 ? 1e-12 : NAN;
  t.compile_s = 0.25;
  t.gflops = time > 0 ? 1.0 / time : NAN;
  int64_t id = 0;
  assert_int_equal(tt_store_add_trial(s, &t, &id, &err), TT_OK);
  assert_true(id > 0);
  return id;
}

static void test_canonical_json(void **state) {
  (void)state;
  tt_error err = {0};
  char *a = tt_store_canonical_json("{ \"b\": [1, {\"z\":1,\"a\":2}], \"a\": 1.0 }", &err);
  assert_string_equal(a, "{\"a\":1,\"b\":[1,{\"a\":2,\"z\":1}]}");
  char *b = tt_store_canonical_json("{\"a\":1,\"b\":[1,{\"z\":1,\"a\":2}]}", &err);
  assert_string_equal(a, b);
  free(a);
  free(b);
  assert_null(tt_store_canonical_json("{\"a\": ", &err));
  assert_int_equal(err.status, TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "malformed JSON"));
}

static void test_task_uniqueness(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t a = ensure_task(f->store, "lu", "mini");
  assert_int_equal(ensure_task(f->store, "lu", "mini"), a);
  /* The same fingerprint written differently is the same machine. */
  tt_task_key k = key_of("lu", "mini",
                         "{\"flags\":\"-O3\",\"compiler\":\"gcc 12\","
                         "\"cores\":8,\"cpu_model\":\"Test CPU\"}");
  int64_t id = 0;
  assert_int_equal(tt_store_ensure_task(f->store, &k, &id, &err), TT_OK);
  assert_int_equal(id, a);
  /* Another size, another machine: other tasks. */
  int64_t b = ensure_task(f->store, "lu", "small");
  assert_true(b != a);
  k = key_of("lu", "mini", "{\"cpu_model\":\"Other\",\"cores\":8}");
  assert_int_equal(tt_store_find_task(f->store, &k, &id, &err), TT_OK);
  assert_int_equal(id, 0);
  assert_int_equal(tt_store_ensure_task(f->store, &k, &id, &err), TT_OK);
  assert_true(id != a && id != b);
  assert_int_equal(tt_store_find_task(f->store, &k, &id, &err), TT_OK);
  assert_true(id != a && id != b);
  /* A malformed fingerprint is the user's mistake, and creates nothing. */
  k = key_of("lu", "mini", "{cores: 8}");
  assert_int_equal(tt_store_ensure_task(f->store, &k, &id, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "fingerprint"));
}

static void test_trial_round_trip(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t task = ensure_task(f->store, "gemm", "mini");
  int64_t session = add_session(f->store, task, "bo");
  tt_trial t = {0};
  t.session_id = session;
  t.config = "{\"tj\": 16, \"ti\": 8}";
  t.outcome = TT_OUTCOME_OK;
  t.message = "fine";
  t.time_median_s = 0.5;
  t.time_min_s = 0.4;
  t.time_spread = 0.02;
  t.repeats = 7;
  t.max_rel_err = 3e-15;
  t.compile_s = 1.5;
  t.gflops = 12.5;
  t.strategy = "bo/init";
  t.started_at = 1000.0;
  t.finished_at = 1002.0;
  int64_t id = 0;
  assert_int_equal(tt_store_add_trial(f->store, &t, &id, &err), TT_OK);

  tt_trial *got = NULL;
  assert_int_equal(tt_store_find_trial(f->store, task, "{\"ti\":8,\"tj\":16}", &got, &err), TT_OK);
  assert_non_null(got);
  assert_int_equal(got->id, id);
  assert_int_equal(got->session_id, session);
  assert_int_equal(got->task_id, task);
  assert_int_equal(got->seq, 1);
  assert_string_equal(got->config, t.config); /* stored as given */
  assert_string_equal(got->config_key, "{\"ti\":8,\"tj\":16}");
  assert_int_equal(got->outcome, TT_OUTCOME_OK);
  assert_string_equal(got->message, "fine");
  assert_true(got->time_median_s == 0.5 && got->time_min_s == 0.4);
  assert_true(got->time_spread == 0.02 && got->repeats == 7);
  assert_true(got->max_rel_err == 3e-15 && got->compile_s == 1.5 && got->gflops == 12.5);
  assert_string_equal(got->strategy, "bo/init");
  assert_true(got->started_at == 1000.0 && got->finished_at == 1002.0);
  tt_trial_free(got);

  /* Defaults: session's strategy, "" message, NULL times read back as NAN. */
  int64_t id2 = add_trial(f->store, session, "{\"ti\":16,\"tj\":16}", 0);
  assert_int_equal(tt_store_find_trial(f->store, task, "{\"ti\":16,\"tj\":16}", &got, &err), TT_OK);
  assert_int_equal(got->id, id2);
  assert_int_equal(got->seq, 2);
  assert_int_equal(got->outcome, TT_OUTCOME_TIMEOUT);
  assert_string_equal(got->strategy, "bo");
  assert_true(isnan(got->time_median_s) && isnan(got->gflops));
  assert_true(got->finished_at > 1e9 && got->started_at == got->finished_at);
  tt_trial_free(got);

  /* Never measured here: not found, on this task or another. */
  assert_int_equal(tt_store_find_trial(f->store, task, "{\"ti\":32}", &got, &err), TT_OK);
  assert_null(got);
  int64_t other = ensure_task(f->store, "gemm", "small");
  assert_int_equal(tt_store_find_trial(f->store, other, "{\"ti\":8,\"tj\":16}", &got, &err), TT_OK);
  assert_null(got);
}

static void test_trial_errors(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t task = ensure_task(f->store, "gemm", "mini");
  int64_t session = add_session(f->store, task, "random");
  tt_trial t = {0};
  t.session_id = session + 100;
  t.config = "{}";
  assert_int_equal(tt_store_add_trial(f->store, &t, NULL, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "no session"));
  tt_error_clear(&err);
  t.session_id = session;
  t.config = "not json";
  assert_int_equal(tt_store_add_trial(f->store, &t, NULL, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "trial configuration"));
  tt_error_clear(&err);
  tt_session_spec spec = {task + 100, "bo", 1, NULL, 5};
  int64_t id = 0;
  assert_int_equal(tt_store_add_session(f->store, &spec, &id, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "no task"));
  tt_error_clear(&err);
  assert_int_equal(tt_store_end_session(f->store, session + 100, TT_SESSION_COMPLETED, &err),
                   TT_ERR_USAGE);
  int64_t n = -1;
  assert_int_equal(tt_store_count_session_trials(f->store, session, &n, &err), TT_OK);
  assert_int_equal(n, 0);
}

/* Collects the ids and configs handed to the callback. */
typedef struct collected {
  int64_t ids[64];
  int64_t seqs[64];
  int n;
  int stop_after;
} collected;

static int collect(void *ctx, const tt_trial *t) {
  collected *c = ctx;
  c->ids[c->n] = t->id;
  c->seqs[c->n] = t->seq;
  c->n++;
  return c->stop_after && c->n >= c->stop_after;
}

static void test_resume_order(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t task = ensure_task(f->store, "lu", "mini");
  int64_t other = ensure_task(f->store, "lu", "small");
  int64_t s1 = add_session(f->store, task, "bo");
  int64_t s_other = add_session(f->store, other, "bo");
  int64_t expect[8];
  int n = 0;
  char config[64];
  for (int i = 0; i < 3; i++) {
    snprintf(config, sizeof config, "{\"ti\":%d}", i);
    expect[n++] = add_trial(f->store, s1, config, 0.1 * (i + 1));
    add_trial(f->store, s_other, config, 1.0);
  }
  assert_int_equal(tt_store_end_session(f->store, s1, TT_SESSION_INTERRUPTED, &err), TT_OK);
  int64_t s2 = add_session(f->store, task, "bo"); /* the resumed session */
  for (int i = 3; i < 6; i++) {
    snprintf(config, sizeof config, "{\"ti\":%d}", i);
    expect[n++] = add_trial(f->store, s2, config, i == 4 ? -1 : 0.1 * (i + 1));
  }
  collected c = {0};
  assert_int_equal(tt_store_each_trial(f->store, task, collect, &c, &err), TT_OK);
  assert_int_equal(c.n, 6);
  for (int i = 0; i < 6; i++) {
    assert_int_equal(c.ids[i], expect[i]);
    assert_int_equal(c.seqs[i], i < 3 ? i + 1 : i - 2);
  }
  collected stop = {.stop_after = 2};
  assert_int_equal(tt_store_each_trial(f->store, task, collect, &stop, &err), TT_OK);
  assert_int_equal(stop.n, 2);
  int64_t count = 0;
  assert_int_equal(tt_store_count_task_trials(f->store, task, &count, &err), TT_OK);
  assert_int_equal(count, 6);
  assert_int_equal(tt_store_count_session_trials(f->store, s2, &count, &err), TT_OK);
  assert_int_equal(count, 3);
}

static void test_best_trial(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t task = ensure_task(f->store, "cholesky", "mini");
  tt_trial *best = NULL;
  assert_int_equal(tt_store_best_trial(f->store, task, &best, &err), TT_OK);
  assert_null(best); /* no trial yet */
  int64_t s1 = add_session(f->store, task, "random");
  add_trial(f->store, s1, "{\"nb\":8}", -1); /* failures never win */
  assert_int_equal(tt_store_best_trial(f->store, task, &best, &err), TT_OK);
  assert_null(best);
  add_trial(f->store, s1, "{\"nb\":16}", 0.3);
  int64_t winner = add_trial(f->store, s1, "{\"nb\":32}", 0.2);
  int64_t s2 = add_session(f->store, task, "bo");
  add_trial(f->store, s2, "{\"nb\":64}", 0.2); /* a tie: the earlier wins */
  add_trial(f->store, s2, "{\"nb\":128}", 0.25);
  assert_int_equal(tt_store_best_trial(f->store, task, &best, &err), TT_OK);
  assert_non_null(best);
  assert_int_equal(best->id, winner);
  assert_string_equal(best->config, "{\"nb\":32}");
  tt_trial_free(best);
}

static void test_history_and_series(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t lu = ensure_task(f->store, "lu", "mini");
  int64_t mm = ensure_task(f->store, "3mm", "mini");
  int64_t s1 = add_session(f->store, lu, "bo");
  add_trial(f->store, s1, "{\"a\":1}", 0.5);
  add_trial(f->store, s1, "{\"a\":2}", -1);
  add_trial(f->store, s1, "{\"a\":3}", 0.25);
  assert_int_equal(tt_store_end_session(f->store, s1, TT_SESSION_COMPLETED, &err), TT_OK);
  int64_t s2 = add_session(f->store, mm, "ga"); /* killed: stays running */
  add_trial(f->store, s2, "{\"b\":1}", -1);
  int64_t s3 = add_session(f->store, lu, "random");

  tt_session_list list;
  assert_int_equal(tt_store_list_sessions(f->store, NULL, &list, &err), TT_OK);
  assert_int_equal(list.len, 3);
  tt_session_info *a = &list.items[0];
  assert_int_equal(a->id, s1);
  assert_string_equal(a->kernel, "lu");
  assert_string_equal(a->size, "mini");
  assert_string_equal(a->target, "cpu");
  assert_string_equal(a->template_name, "tiled");
  assert_string_equal(a->strategy, "bo");
  assert_int_equal(a->seed, 42);
  assert_int_equal(a->trials_requested, 10);
  assert_int_equal(a->trials, 3);
  assert_int_equal(a->ok_trials, 2);
  assert_int_equal(a->status, TT_SESSION_COMPLETED);
  assert_false(isnan(a->ended_at));
  assert_true(a->best_time_s == 0.25 && a->best_gflops == 4.0);
  assert_string_equal(a->best_config, "{\"a\":3}");
  tt_session_info *b = &list.items[1];
  assert_int_equal(b->status, TT_SESSION_RUNNING);
  assert_true(isnan(b->ended_at) && isnan(b->best_time_s));
  assert_null(b->best_config);
  assert_int_equal(b->trials, 1);
  assert_int_equal(list.items[2].id, s3);
  assert_int_equal(list.items[2].trials, 0);
  tt_session_list_free(&list);

  assert_int_equal(tt_store_list_sessions(f->store, "lu", &list, &err), TT_OK);
  assert_int_equal(list.len, 2);
  assert_int_equal(list.items[1].id, s3);
  tt_session_list_free(&list);
  assert_int_equal(tt_store_list_sessions(f->store, "nope", &list, &err), TT_OK);
  assert_int_equal(list.len, 0);

  tt_series_point *pts = NULL;
  size_t n = 0;
  assert_int_equal(tt_store_session_series(f->store, s1, &pts, &n, &err), TT_OK);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(pts[i].seq, (int64_t)i + 1);
    assert_true(pts[i].offset_s >= 0 && pts[i].offset_s < 60);
    if (i > 0) assert_true(pts[i].offset_s >= pts[i - 1].offset_s);
  }
  assert_true(pts[0].outcome == TT_OUTCOME_OK && pts[0].time_s == 0.5);
  assert_true(pts[1].outcome == TT_OUTCOME_TIMEOUT && isnan(pts[1].time_s));
  assert_true(pts[2].time_s == 0.25 && pts[2].gflops == 4.0);
  free(pts);
  assert_int_equal(tt_store_session_series(f->store, s3, &pts, &n, &err), TT_OK);
  assert_int_equal(n, 0);
  assert_null(pts);
}

static void test_session_seed_and_status_names(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t task = ensure_task(f->store, "lu", "mini");
  tt_session_spec spec = {task, "bo", UINT64_MAX - 1, NULL, 3};
  int64_t id = 0;
  assert_int_equal(tt_store_add_session(f->store, &spec, &id, &err), TT_OK);
  tt_session_list list;
  assert_int_equal(tt_store_list_sessions(f->store, NULL, &list, &err), TT_OK);
  assert_true(list.items[0].seed == UINT64_MAX - 1);
  tt_session_list_free(&list);
  assert_string_equal(tt_session_status_name(TT_SESSION_FAILED), "failed");
  assert_string_equal(tt_store_path(f->store), f->path);
}

/* Related tasks: same kernel and template at other sizes or machines,
 * with an ok trial, the key's own task excluded, same machine first. */
static void test_related_tasks(void **state) {
  fixture *f = *state;
  tt_error err = {0};
  int64_t own = ensure_task(f->store, "lu", "large");
  int64_t med = ensure_task(f->store, "lu", "medium");
  int64_t small = ensure_task(f->store, "lu", "small");
  int64_t none = ensure_task(f->store, "lu", "mini"); /* no ok trial: left out */
  int64_t other = ensure_task(f->store, "3mm", "medium");
  tt_task_key k2 = key_of("lu", "large", "{\"cpu_model\": \"Other CPU\"}");
  int64_t far = 0;
  assert_int_equal(tt_store_ensure_task(f->store, &k2, &far, &err), TT_OK);
  add_trial(f->store, add_session(f->store, own, "bo"), "{\"t\": 1}", 1.0);
  int64_t s = add_session(f->store, med, "bo");
  add_trial(f->store, s, "{\"t\": 1}", 2.0);
  add_trial(f->store, s, "{\"t\": 2}", -1);
  s = add_session(f->store, small, "bo");
  add_trial(f->store, s, "{\"t\": 1}", 0.5);
  add_trial(f->store, s, "{\"t\": 2}", 0.4);
  add_trial(f->store, add_session(f->store, none, "bo"), "{\"t\": 2}", -1);
  add_trial(f->store, add_session(f->store, other, "bo"), "{\"t\": 2}", 3.0);
  s = add_session(f->store, far, "bo");
  for (int i = 0; i < 5; i++) {
    char cfg[32];
    snprintf(cfg, sizeof cfg, "{\"t\": %d}", i);
    add_trial(f->store, s, cfg, 1.0 + i);
  }
  tt_task_key k = key_of("lu", "large", fingerprint);
  tt_related_list l;
  assert_int_equal(tt_store_related_tasks(f->store, &k, &l, &err), TT_OK);
  assert_int_equal(l.len, 3);
  assert_true(l.items[0].id == small && l.items[0].same_machine && l.items[0].ok_trials == 2);
  assert_string_equal(l.items[0].size, "small");
  assert_true(l.items[1].id == med && l.items[1].ok_trials == 1);
  assert_true(l.items[2].id == far && !l.items[2].same_machine && l.items[2].ok_trials == 5);
  assert_non_null(strstr(l.items[2].fingerprint, "Other CPU"));
  tt_related_list_free(&l);
  tt_task_key k3 = key_of("gemm", "large", fingerprint); /* nothing related */
  assert_int_equal(tt_store_related_tasks(f->store, &k3, &l, &err), TT_OK);
  assert_int_equal(l.len, 0);
  tt_related_list_free(&l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_canonical_json),
      cmocka_unit_test_setup_teardown(test_task_uniqueness, setup, teardown),
      cmocka_unit_test_setup_teardown(test_trial_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_trial_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_resume_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_best_trial, setup, teardown),
      cmocka_unit_test_setup_teardown(test_history_and_series, setup, teardown),
      cmocka_unit_test_setup_teardown(test_session_seed_and_status_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_related_tasks, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
