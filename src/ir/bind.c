/* Names of the GPU grid dimensions a loop can be bound to. */
#include <string.h>

#include "tetune/ir.h"

static const char *const NAMES[] = {NULL,       "block.x",  "block.y", "block.z",
                                    "thread.x", "thread.y", "thread.z"};

const char *tt_bind_name(tt_bind_dim b) {
  return b > TT_BIND_NONE && b <= TT_BIND_THREAD_Z ? NAMES[b] : NULL;
}

tt_bind_dim tt_bind_parse(const char *name) {
  for (int b = TT_BIND_BLOCK_X; name && b <= TT_BIND_THREAD_Z; b++)
    if (strcmp(NAMES[b], name) == 0) return (tt_bind_dim)b;
  return TT_BIND_NONE;
}
