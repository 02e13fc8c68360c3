/* tetune kernel language (.te files): parsing into tt_kernel_def, semantic
 * checks, and the kernel library (where built-in and user kernels are
 * found). Every error is one line "file:line:col: message". */
#ifndef TETUNE_LANG_H
#define TETUNE_LANG_H

#include "tetune/export.h"
#include "tetune/ir.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses and checks the text of a kernel file (file is used in locations).
 * A file holds one or more kernels, each followed by its templates. On
 * success returns TT_OK and an arena-allocated array of *n kernels. On a
 * syntax or semantic error returns TT_ERR_USAGE with err->msg set to the
 * first diagnostic "file:line:col: message". */
TT_API tt_status tt_lang_parse(tt_arena *a, const char *file, const char *text,
                               tt_kernel_def ***out, size_t *n, tt_error *err);

/* Reads and parses a file. I/O errors are TT_ERR_IO "path: reason". */
TT_API tt_status tt_lang_parse_file(tt_arena *a, const char *path, tt_kernel_def ***out, size_t *n,
                                    tt_error *err);

/* The kernel directories searched, in order: each entry of $TETUNE_KERNEL_PATH
 * (colon-separated), the source tree's kernels/ (when running from a build
 * tree), the installed share/tetune/kernels. */
TT_API size_t tt_lang_kernel_dirs(const char ***dirs);

/* Finds a kernel by name (a file NAME.te in the kernel directories, or a
 * kernel of that name inside any .te file there) or by path (contains '/'
 * or ends in .te: the first kernel of that file, or "path:NAME").
 * Unknown kernel: TT_ERR_USAGE "unknown kernel 'x' (see tetune list)". */
TT_API tt_status tt_lang_find_kernel(tt_arena *a, const char *name, tt_kernel_def **out,
                                     tt_error *err);

/* Kernel files larger than this are refused (16 MiB). */
#define TT_LANG_FILE_MAX (16 << 20)

/* All kernels of the kernel directories, sorted by name. Only what a
 * listing shows is filled in (name, file, loc, dtype, params, sizes; no
 * tensors, bodies or templates): open one with tt_lang_find_kernel. Files
 * that do not parse or are not regular files within TT_LANG_FILE_MAX are
 * skipped, one line each in *warnings (may be NULL). */
TT_API tt_status tt_lang_list_kernels(tt_arena *a, tt_kernel_def ***out, size_t *n,
                                      tt_str *warnings, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
