/* tetune's version: the macros say which headers a program was compiled
 * against, tt_version() which library it runs with. CMakeLists.txt reads
 * the numbers from this file, so it is the one place they are written. */
#ifndef TETUNE_VERSION_H
#define TETUNE_VERSION_H

#include "tetune/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TT_VERSION_MAJOR 0
#define TT_VERSION_MINOR 2
#define TT_VERSION_PATCH 0
#define TT_VERSION_STRING "0.2.0"
/* One number that compares as the version does: 10000 * major + 100 *
 * minor + patch. */
#define TT_VERSION_NUMBER (TT_VERSION_MAJOR * 10000 + TT_VERSION_MINOR * 100 + TT_VERSION_PATCH)

/* The version of the library linked at run time, "MAJOR.MINOR.PATCH". */
TT_API const char *tt_version(void);

#ifdef __cplusplus
}
#endif
#endif
