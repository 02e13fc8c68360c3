/* Internal to src/kernel_tune: the knobs a 1-thread session fixes at
 * their defaults (serial_knobs.c). */
#ifndef TT_KERNEL_TUNE_SERIAL_KNOBS_H
#define TT_KERNEL_TUNE_SERIAL_KNOBS_H

#include "tetune/kernel_tune.h"

/* At 1 thread (j->mopt.threads == 1), fixes at its default every knob that
 * the template reads only in `parallel` steps (which loop is shared, how,
 * or whether: each value gives one thread the same work) or declares `if
 * threads > 1`. Adds a constraint `knob == default` per such knob to
 * j->space, marks it in j->pinned and writes the names, comma-separated,
 * to names (len > 0). Does nothing at other thread counts or a second
 * time. */
tt_status tt_job_pin_serial_knobs(tt_job *j, char *names, size_t len, tt_error *err);
/* Sets cfg's pinned knobs to their defaults (a trial of another thread
 * count mapped onto j's space). */
void tt_job_pin_config(const tt_job *j, uint32_t *cfg);
/* 1 when every pinned knob of cfg is at its default (always, unpinned). */
int tt_job_pins_hold(const tt_job *j, const uint32_t *cfg);

#endif
