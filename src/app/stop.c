/* SIGINT/SIGTERM set a flag (stop.h). */
#include "app/stop.h"

#include <string.h>

static volatile sig_atomic_t stop_flag;

/* The handler: async-signal-safe, it only records the request. */
static void on_signal(int sig) {
  (void)sig;
  stop_flag = 1;
}

/* Installs the handlers without SA_RESTART, so a blocking wait returns
 * early; see stop.h. */
volatile sig_atomic_t *tt_stop_catch(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  return &stop_flag;
}
