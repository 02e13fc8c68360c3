/* Internal to src/app: writing a variant as a standalone C file and header
 * (`tetune export`, and the end of `tetune tune`). */
#ifndef TT_APP_EXPORT_H
#define TT_APP_EXPORT_H

#include "app/job.h"
#include "tetune/store.h"

/* Writes DIR/<kernel>.c (.cu for CUDA) and DIR/<kernel>.h for cfg (DIR is
 * created; a GPU target's files come from tt_export_gpu_sources). The
 * paths written go to *c_path and *h_path (caller frees; NULL on error). */
tt_status tt_export_write(tt_job *j, const uint32_t *cfg, const char *dir, char **c_path,
                          char **h_path, tt_error *err);

/* A GPU target's export of cfg: the variant's translation unit (OpenCL C
 * host code with its device program, or CUDA C++) and a header saying how
 * to build and call it. Caller frees both. */
tt_status tt_export_gpu_sources(tt_job *j, const uint32_t *cfg, char **c_src, char **h_src,
                                tt_error *err);

/* The best ok trial stored for kernel at size (NULL: the size of the
 * kernel's latest session) with template tmpl (NULL: any), over every
 * matching task measured on machine (a fingerprint JSON, see
 * tt_machine_fingerprint: same CPU model, core count and architecture;
 * NULL: any machine). *best is NULL when there is none; otherwise the
 * caller frees it (tt_trial_free) and *size_out / *tmpl_out (the task's,
 * caller frees). Only tasks of target (a store name, "cpu" for C; NULL:
 * any) count. *elsewhere counts the matching tasks left out because they
 * were measured on another machine. */
tt_status tt_export_find_best(tt_store *s, const char *kernel, const char *size, const char *tmpl,
                              const char *target, const char *machine, tt_trial **best,
                              char **size_out, char **tmpl_out, size_t *elsewhere, tt_error *err);

#endif
