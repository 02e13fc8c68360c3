#include "tetune/outcome.h"

#include <assert.h>
#include <string.h>

static const char *const outcome_names[TT_OUTCOME_COUNT] = {
    "ok", "compile_error", "runtime_error", "timeout", "wrong_result", "invalid", "lost"};

const char *tt_outcome_name(tt_outcome o) {
  assert(o >= 0 && o < TT_OUTCOME_COUNT);
  return outcome_names[o];
}

int tt_outcome_parse(const char *name, tt_outcome *o) {
  for (int i = 0; i < TT_OUTCOME_COUNT; i++) {
    if (strcmp(name, outcome_names[i]) == 0) {
      *o = (tt_outcome)i;
      return 0;
    }
  }
  return -1;
}
