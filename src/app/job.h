/* Internal to src/app: the kernel job is the library's now
 * (tetune/kernel_tune.h); this header only forwards to it, for the CLI's
 * files and the white-box tests that include it. */
#ifndef TT_APP_JOB_H
#define TT_APP_JOB_H

#include "tetune/kernel_tune.h"

#endif
