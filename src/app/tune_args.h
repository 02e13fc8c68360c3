/* Internal to src/app: the options `tune` and `compare` share, checked
 * before anything touches the database, so bad input changes nothing. */
#ifndef TT_APP_TUNE_ARGS_H
#define TT_APP_TUNE_ARGS_H

#include <stdint.h>

#include "tetune/kernel_tune.h"
#include "tetune/search.h"
#include "tetune/store.h"
#include "tetune/tune.h"

/* Parses a --timeout value: a positive number of seconds. -1 when bad. */
double tt_tune_parse_seconds(const char *v);

/* Opens the database read-write for tuning. A corrupted or foreign file or
 * a path that cannot be created is TT_ERR_USAGE (exit 2) with the file
 * named; a write that fails (a full disk) keeps its status (TT_ERR_IO,
 * exit 1); when must_exist and the file is missing, TT_ERR_USAGE too and
 * nothing is created. */
tt_store *tt_tune_open_store(const char *path, int must_exist, tt_error *err);

#endif
