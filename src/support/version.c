/* The library's version (tetune/version.h). */
#include "tetune/version.h"

const char *tt_version(void) {
  return TT_VERSION_STRING;
}
