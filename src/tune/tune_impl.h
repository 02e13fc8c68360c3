/* Internal to src/tune: the state of one tt_tune_run, shared by the loop
 * (driver.c) and the recording of trials (record.c). */
#ifndef TT_TUNE_IMPL_H
#define TT_TUNE_IMPL_H

#include "tetune/tune.h"

/* One trial in flight (or being started). */
typedef struct tt_slot {
  int busy;
  uint64_t id;   /* the evaluator's ticket */
  uint32_t *cfg; /* num_knobs + 1 entries */
  char *json, *key;
  int claimed;    /* this process claimed cfg's key in the store */
  double started; /* wall time it was started */
} tt_slot;

typedef struct tt_run {
  const tt_space *space;
  tt_strategy *st;
  tt_evaluator *ev;
  const tt_tune_opts *o;
  tt_tune_result *res;
  int64_t n;      /* trials in the session */
  int inflight;   /* submitted, not yet polled */
  tt_slot *slots; /* nslots */
  int nslots;
  uint64_t next_id; /* last ticket handed out */
  const uint32_t *initial[2];
  int ninitial;
  double t0; /* the evaluator's clock at the start */
} tt_run;

/* Claims s's key (store.h) unless a reusable trial exists (*old, the caller
 * frees it); while another live process measures it, waits and looks
 * again. Returns with s->claimed set, or *old set, or neither when a stop
 * was asked during the wait. */
tt_status tt_run_claim(tt_run *r, tt_slot *s, tt_trial **old, tt_error *err);
/* Stores the trial of s reusing old's measurement, tells and reports it. */
tt_status tt_run_record_reused(tt_run *r, tt_slot *s, const tt_trial *old, tt_error *err);
/* Stores the finished trial d of s, tells the strategy, reports it. */
tt_status tt_run_record(tt_run *r, tt_slot *s, const tt_trial_done *d, tt_error *err);

#endif
