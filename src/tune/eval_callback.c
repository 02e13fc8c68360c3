/* The callback evaluator (tune.h): a user's C function as the objective.
 * One slot; the function runs inside submit and poll hands its result
 * back, so the driver's loop is the same as for any other evaluator. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune_impl.h"

typedef struct callback_ev {
  tt_evaluator ev;
  const tt_space *space;
  tt_objective_fn fn;
  void *ctx;
  int have;           /* a result is waiting for poll */
  tt_trial_done done; /* that result */
} callback_ev;

/* Calls the function on req and keeps its result. */
static tt_status cb_submit(tt_evaluator *ev, const tt_trial_req *req, tt_error *err) {
  callback_ev *c = ev->self;
  if (c->have) return tt_error_set(err, TT_ERR_INTERNAL, "callback evaluator: one slot only");
  tt_trial_done *d = &c->done;
  memset(d, 0, sizeof *d);
  d->id = req->id;
  d->time_min_s = d->spread = d->max_rel_err = d->compile_s = NAN;
  double v = NAN;
  d->measure_start = tt_wall_now();
  d->outcome = c->fn(c->ctx, c->space, req->cfg, req->config, &v);
  d->measure_end = tt_wall_now();
  if (d->outcome == TT_OUTCOME_OK && !(v > 0 && isfinite(v))) {
    d->outcome = TT_OUTCOME_RUNTIME_ERROR;
    d->message = tt_xstrdup("the objective returned ok with a value that is not > 0");
  } else if (d->outcome < 0 || d->outcome >= TT_OUTCOME_LOST) {
    d->outcome = TT_OUTCOME_RUNTIME_ERROR;
    d->message = tt_xstrdup("the objective returned an unknown outcome");
  }
  d->value = d->outcome == TT_OUTCOME_OK ? v : NAN;
  d->repeats = d->outcome == TT_OUTCOME_OK;
  if (!d->message) d->message = tt_xstrdup("");
  snprintf(d->worker, sizeof d->worker, "callback");
  c->have = 1;
  return TT_OK;
}

/* Hands the kept result over. */
static int cb_poll(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err) {
  (void)timeout_s;
  (void)err;
  callback_ev *c = ev->self;
  if (!c->have) return 0;
  *out = c->done;
  c->done.message = NULL;
  c->have = 0;
  return 1;
}

/* Drops a result nobody will poll. */
static void cb_cancel(tt_evaluator *ev) {
  callback_ev *c = ev->self;
  tt_trial_done_clear(&c->done);
  c->have = 0;
}

static void cb_free(tt_evaluator *ev) {
  cb_cancel(ev);
  free(ev->self);
}

/* See tune.h. */
tt_evaluator *tt_tune_callback_new(const tt_space *space, tt_objective_fn fn, void *ctx) {
  callback_ev *c = tt_xcalloc(1, sizeof *c);
  c->space = space;
  c->fn = fn;
  c->ctx = ctx;
  c->ev = (tt_evaluator){.name = "callback",
                         .slots = 1,
                         .self = c,
                         .submit = cb_submit,
                         .poll = cb_poll,
                         .cancel = cb_cancel,
                         .free = cb_free};
  return &c->ev;
}
