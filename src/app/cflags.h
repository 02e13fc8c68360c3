/* Internal to src/app: choosing the compiler and flags of a job's variants. */
#ifndef TT_APP_CFLAGS_H
#define TT_APP_CFLAGS_H

#include "app/job.h"

/* Sets the compiler (cc, or NULL to keep $CC/cc) and the flags (a blank-
 * separated list replacing the defaults -O3 -march=native -fopenmp -fPIC
 * -shared -Wall; NULL keeps them). The flags must still produce a shared
 * object with OpenMP. */
tt_status tt_job_set_compiler(tt_job *j, const char *cc, const char *cflags, tt_error *err);

#endif
