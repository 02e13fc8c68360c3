/* Internal to src/app: stopping a long command cleanly on SIGINT/SIGTERM.
 * The handler only sets a flag; the tuning loop checks it between trials,
 * drops the trial in flight and marks its session interrupted. */
#ifndef TT_APP_STOP_H
#define TT_APP_STOP_H

#include <signal.h>

/* Installs the handlers (once) and returns the flag they set. */
volatile sig_atomic_t *tt_stop_catch(void);

#endif
