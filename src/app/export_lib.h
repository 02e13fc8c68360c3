/* Internal to src/app: `tetune export --format lib`, a kernel's tuned
 * variants as one routine a library can call:
 *
 *   int tt_K(long P1, ..., T *own1, ..., void *workspace);
 *
 * with the kernel's size parameters and its own tensors (in, out, inout:
 * flat row-major arrays) only; its temporaries live in `workspace`
 * (tt_K_workspace(P...) bytes; NULL: allocated inside). The routine
 * dispatches on the problem size: the variant tuned for that size when
 * there is one; otherwise the naive reference (compiled for any size) or,
 * with nearest, the variant of the nearest tuned size compiled for any
 * size (DIR/K_<size>_any.c; validated at its own size only).
 * tt_K_init fills the inputs with the kernel's initial values at any size;
 * tt_K_tuned says whether a size has a tuned variant.
 *
 * Files: DIR/K.h, DIR/K.c (the dispatcher), DIR/K_<size>.c per tuned size
 * and DIR/K_ref.c (the reference); compile them all together. */
#ifndef TT_APP_EXPORT_LIB_H
#define TT_APP_EXPORT_LIB_H

#include "tetune/store.h"

/* Writes the library export of kernel with the best variant of each size
 * in sizes (measured on machine, a fingerprint JSON; NULL: any machine)
 * into dir. A size without a validated variant is TT_ERR_USAGE. Prints
 * one line per file written to stdout. */
tt_status tt_export_library(tt_store *s, const char *kernel, const char *const *sizes,
                            size_t nsizes, const char *tmpl, const char *machine, int nearest,
                            const char *dir, tt_error *err);

#endif
