/* The engine (tune.h): every strategy with 16 points pending proposes no
 * duplicate; the driver over a fake evaluator that answers out of order
 * and loses a trial stores every trial (the lost one as such), keeps the
 * slots full, and a resumed session goes on from the store; the callback
 * and recorded evaluators. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tetune/tune.h"

enum { PENDING = 16 };

/* 1 when a and b (k knobs) are the same configuration. */
static int same(const uint32_t *a, const uint32_t *b, size_t k) {
  return memcmp(a, b, k * sizeof *a) == 0;
}

/* Each strategy, after a few tells, asked 16 times without a tell (then 16
 * at once), proposes 32 distinct configurations, none of them told. */
static void test_pending_no_duplicates(void **state) {
  (void)state;
  tt_objective *o = tt_objective_synthetic("tiles", NULL);
  assert_non_null(o);
  const tt_space *sp = tt_objective_space(o);
  size_t k = tt_space_num_knobs(sp);
  for (const char *const *name = tt_strategy_names(); *name; name++) {
    tt_strategy *st = tt_strategy_new(*name, sp, 7, NULL, NULL);
    assert_non_null(st);
    uint32_t *told = calloc(6 * k + 1, sizeof *told), *got = calloc(2 * PENDING * k + 1, 4);
    for (int i = 0; i < 6; i++) { /* some history, as a resumed session has */
      double v;
      assert_int_equal(tt_strategy_ask(st, 1, told + i * k), 1);
      tt_strategy_tell(st, told + i * k, tt_objective_eval(o, told + i * k, &v), v);
    }
    for (int i = 0; i < PENDING; i++)
      assert_int_equal(tt_strategy_ask(st, 1, got + i * k), 1);
    assert_int_equal(tt_strategy_ask(st, PENDING, got + PENDING * k), PENDING);
    for (int i = 0; i < 2 * PENDING; i++) {
      for (int j = 0; j < i; j++)
        if (same(got + i * k, got + j * k, k)) fail_msg("%s proposed a pending point twice", *name);
      for (int j = 0; j < 6; j++)
        if (same(got + i * k, told + j * k, k)) fail_msg("%s proposed a told point", *name);
    }
    free(told);
    free(got);
    tt_strategy_free(st);
  }
  tt_objective_free(o);
}

/* ---- a fake evaluator: answers the newest first, loses one trial ------ */

typedef struct fake {
  tt_evaluator ev;
  const tt_objective *o;
  uint64_t ids[8];
  uint32_t cfgs[8][16];
  int len, submitted, lose_at, max_len;
  double clock;
} fake;

static tt_status fake_submit(tt_evaluator *ev, const tt_trial_req *req, tt_error *err) {
  (void)err;
  fake *f = ev->self;
  assert_true(f->len < ev->slots); /* the driver never overfills */
  f->ids[f->len] = req->id;
  memcpy(f->cfgs[f->len], req->cfg, tt_space_num_knobs(tt_objective_space(f->o)) * 4);
  f->len++;
  f->submitted++;
  if (f->len > f->max_len) f->max_len = f->len;
  return TT_OK;
}

static int fake_poll(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err) {
  (void)timeout_s;
  (void)err;
  fake *f = ev->self;
  assert_true(f->len > 0);
  int i = --f->len; /* newest first: out of order */
  memset(out, 0, sizeof *out);
  out->id = f->ids[i];
  out->outcome = tt_objective_eval(f->o, f->cfgs[i], &out->value);
  out->lost = f->submitted == f->lose_at && f->lose_at > 0;
  if (out->lost) f->lose_at = -1; /* only once */
  out->time_min_s = out->spread = out->max_rel_err = out->compile_s = NAN;
  out->measure_start = f->clock;
  out->measure_end = f->clock += 1;
  snprintf(out->worker, sizeof out->worker, "fake %d", i);
  out->message = strdup(out->lost ? "worker 3 died" : "");
  return 1;
}

static double fake_now(tt_evaluator *ev) {
  return ((fake *)ev->self)->clock;
}

/* A fresh store with one task and a session of `trials`. */
static tt_store *new_store(char *path, size_t len, int64_t *task, int64_t *sid, int64_t trials) {
  char *dir = tt_mkdtemp("tt-engine", NULL);
  snprintf(path, len, "%s/e.db", dir);
  free(dir);
  tt_store *s = tt_store_open(path, TT_STORE_READ_WRITE, NULL);
  assert_non_null(s);
  tt_task_key key = {"tiles", "mini", "cpu", "t", "{\"cpu\":\"x\"}"};
  assert_int_equal(tt_store_ensure_task(s, &key, task, NULL), TT_OK);
  tt_session_spec spec = {*task, "random", 3, NULL, trials};
  assert_int_equal(tt_store_add_session(s, &spec, sid, NULL), TT_OK);
  return s;
}

typedef struct count_ctx {
  int lost, trials;
} count_ctx;

static int count_trial(void *ctx, const tt_trial *t) {
  count_ctx *c = ctx;
  c->trials++;
  c->lost += t->outcome == TT_OUTCOME_LOST;
  if (t->outcome == TT_OUTCOME_LOST) {
    assert_true(isnan(t->time_median_s));
    assert_string_equal(t->message, "worker 3 died");
  }
  assert_true(t->measure_end > t->measure_start);
  assert_non_null(strstr(t->worker, "fake"));
  return 0;
}

/* Out-of-order answers and a lost trial: 10 trials stored, the lost one
 * as "lost" and not told; at most 4 in flight; then a resume to 14. */
static void test_driver_lost_and_resume(void **state) {
  (void)state;
  tt_objective *o = tt_objective_synthetic("tiles", NULL);
  const tt_space *sp = tt_objective_space(o);
  char path[512];
  int64_t task, sid;
  tt_store *s = new_store(path, sizeof path, &task, &sid, 10);
  fake f = {.o = o, .lose_at = 5};
  f.ev = (tt_evaluator){.name = "fake",
                        .slots = 4,
                        .self = &f,
                        .submit = fake_submit,
                        .poll = fake_poll,
                        .now = fake_now};
  tt_strategy *st = tt_strategy_new("random", sp, 3, NULL, NULL);
  tt_tune_opts opts = {
      .trials = 10, .store = s, .task_id = task, .session_id = sid, .settings = "fake"};
  tt_tune_result res;
  tt_error err = {0};
  assert_int_equal(tt_tune_run(sp, st, &f.ev, &opts, &res, &err), TT_OK);
  assert_int_equal(res.trials, 10);
  assert_int_equal(res.lost, 1);
  assert_int_equal(res.max_in_flight, 4);
  assert_int_equal(f.max_len, 4);
  assert_int_equal(tt_strategy_num_told(st), 9); /* the lost one says nothing */
  count_ctx c = {0, 0};
  assert_int_equal(tt_store_each_trial(s, task, count_trial, &c, NULL), TT_OK);
  assert_int_equal(c.trials, 10);
  assert_int_equal(c.lost, 1);
  tt_strategy_free(st);

  /* resume: a fresh strategy told the stored history goes on to 14 */
  st = tt_strategy_new("random", sp, 3, NULL, NULL);
  size_t skipped = 9;
  assert_int_equal(tt_tune_tell_stored(sp, s, task, st, &skipped, NULL), TT_OK);
  assert_int_equal(skipped, 0);
  assert_int_equal(tt_strategy_num_told(st), 9);
  assert_int_equal(tt_store_resume_session(s, sid, 14, NULL), TT_OK);
  opts.trials = 14;
  f.lose_at = 0;
  assert_int_equal(tt_tune_run(sp, st, &f.ev, &opts, &res, &err), TT_OK);
  assert_int_equal(res.trials, 14);
  assert_int_equal(res.measured, 4);
  c = (count_ctx){0, 0};
  assert_int_equal(tt_store_each_trial(s, task, count_trial, &c, NULL), TT_OK);
  assert_int_equal(c.trials, 14);
  tt_strategy_free(st);
  tt_store_close(s);
  tt_objective_free(o);
}

/* A callback: ok with 1 + the knob sum, invalid when the last knob is 0. */
static tt_outcome objective(void *ctx, const tt_space *sp, const uint32_t *cfg, const char *config,
                            double *value) {
  int *calls = ctx;
  (*calls)++;
  assert_non_null(strchr(config, '{'));
  double v = 1;
  for (size_t i = 0; i < tt_space_num_knobs(sp); i++)
    v += cfg[i];
  *value = v;
  return cfg[tt_space_num_knobs(sp) - 1] == 0 ? TT_OUTCOME_INVALID : TT_OUTCOME_OK;
}

/* The callback evaluator through the driver: every call is a stored
 * trial, on the callback's worker, failures included. */
static void test_callback_evaluator(void **state) {
  (void)state;
  tt_objective *o = tt_objective_synthetic("branin", NULL);
  const tt_space *sp = tt_objective_space(o);
  char path[512];
  int64_t task, sid;
  tt_store *s = new_store(path, sizeof path, &task, &sid, 12);
  int calls = 0;
  tt_evaluator *ev = tt_tune_callback_new(sp, objective, &calls);
  tt_strategy *st = tt_strategy_new("grid", sp, 1, NULL, NULL);
  tt_tune_opts opts = {
      .trials = 12, .store = s, .task_id = task, .session_id = sid, .settings = "cb"};
  tt_tune_result res;
  assert_int_equal(tt_tune_run(sp, st, ev, &opts, &res, NULL), TT_OK);
  assert_int_equal(calls, 12);
  assert_int_equal(res.trials, 12);
  assert_true(res.failures >= 1); /* grid starts at index 0: invalid */
  tt_trial *best = NULL;
  assert_int_equal(tt_store_best_trial(s, task, &best, NULL), TT_OK);
  assert_non_null(best);
  assert_string_equal(best->worker, "callback");
  assert_true(best->time_median_s >= 2);
  tt_trial_free(best);
  tt_evaluator_free(ev);
  tt_strategy_free(st);
  tt_store_close(s);
  tt_objective_free(o);
}

/* The recorded evaluator's simulated clock: 4 workers, 1 s each, 8
 * evaluations end at 2 s; a limit of 1 s lets the first four finish and
 * starts no more. */
static void test_recorded_clock(void **state) {
  (void)state;
  tt_objective *o = tt_objective_synthetic("branin", NULL);
  const tt_space *sp = tt_objective_space(o);
  tt_recorded_options ro = {4, 1.0};
  tt_evaluator *ev = tt_tune_recorded_new(o, &ro);
  tt_strategy *st = tt_strategy_new("random", sp, 1, NULL, NULL);
  tt_tune_opts opts = {.trials = 8};
  tt_tune_result res;
  assert_int_equal(tt_tune_run(sp, st, ev, &opts, &res, NULL), TT_OK);
  assert_int_equal(res.trials, 8);
  assert_true(fabs(res.elapsed - 2.0) < 1e-9);
  tt_strategy_free(st);
  tt_evaluator_free(ev);
  ev = tt_tune_recorded_new(o, &ro);
  st = tt_strategy_new("random", sp, 1, NULL, NULL);
  opts.trials = 100;
  opts.time_limit_s = 1.0;
  assert_int_equal(tt_tune_run(sp, st, ev, &opts, &res, NULL), TT_OK);
  assert_true(res.timed_out);
  assert_int_equal(res.trials, 4); /* 4 started at 0 s; none after 1 s */
  tt_strategy_free(st);
  tt_evaluator_free(ev);
  tt_objective_free(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pending_no_duplicates),
      cmocka_unit_test(test_driver_lost_and_resume),
      cmocka_unit_test(test_callback_evaluator),
      cmocka_unit_test(test_recorded_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
