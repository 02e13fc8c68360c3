/* The outcome of one trial: shared by measurement, search and storage. */
#ifndef TETUNE_OUTCOME_H
#define TETUNE_OUTCOME_H

#include "tetune/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tt_outcome {
  TT_OUTCOME_OK = 0,
  TT_OUTCOME_COMPILE_ERROR,
  TT_OUTCOME_RUNTIME_ERROR, /* signal or non-zero exit */
  TT_OUTCOME_TIMEOUT,
  TT_OUTCOME_WRONG_RESULT,
  TT_OUTCOME_INVALID, /* violates a constraint of the space */
  TT_OUTCOME_LOST,    /* the worker died with it: says nothing about the
                         configuration; never reused, never told */
  TT_OUTCOME_COUNT
} tt_outcome;

/* "ok", "compile_error", ... ; the names stored in the database. */
TT_API const char *tt_outcome_name(tt_outcome o);
/* Returns 0 and sets *o when name is known, -1 otherwise. */
TT_API int tt_outcome_parse(const char *name, tt_outcome *o);

#ifdef __cplusplus
}
#endif
#endif
