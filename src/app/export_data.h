/* Internal to src/app: a task's trials written in the community formats
 * (`tetune export --format t4|kt-cache|csv`), which `tetune replay` and
 * Kernel Tuner's or the T4 tools read back. */
#ifndef TT_APP_EXPORT_DATA_H
#define TT_APP_EXPORT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/store.h"

typedef enum tt_export_format {
  TT_EXPORT_C,        /* the best variant as standalone C (export.h) */
  TT_EXPORT_LIB,      /* one routine over several tuned sizes (export_lib.h) */
  TT_EXPORT_T4,       /* T4 results JSON with tetune's metadata */
  TT_EXPORT_KT_CACHE, /* Kernel Tuner cache JSON (schema 1.0.0 fields) */
  TT_EXPORT_CSV       /* one row a configuration: the knobs, then time */
} tt_export_format;

/* Parses "c", "lib", "t4", "kt-cache" or "csv"; -1 for anything else. */
int tt_export_format_parse(const char *name, tt_export_format *f);

/* The task an export reads, with its own strings (tt_export_task_free). */
typedef struct tt_export_task {
  int64_t task_id; /* 0: none matched */
  char *kernel, *size, *template_name, *target, *fingerprint;
} tt_export_task;

void tt_export_task_free(tt_export_task *t);

/* The task of the latest session of kernel at size (NULL: the size of the
 * kernel's latest session) with template tmpl (NULL: any) measured on
 * machine (a fingerprint JSON; NULL: any machine; the same comparison as
 * tt_export_find_best) for target (a store name; NULL: any). *elsewhere
 * counts the sessions that matched but ran on another machine. */
tt_status tt_export_find_task(tt_store *s, const char *kernel, const char *size, const char *tmpl,
                              const char *target, const char *machine, tt_export_task *out,
                              size_t *elsewhere, tt_error *err);

/* Writes the task's trials in format f to path ("-": stdout). One record
 * a configuration: its fastest ok trial, or its latest trial when none was
 * ok, in the order configurations were first measured. Times are in
 * milliseconds (Kernel Tuner's and T4's convention). *nconfigs (may be
 * NULL) gets the number of records. */
tt_status tt_export_trials(tt_store *s, const tt_export_task *t, tt_export_format f,
                           const char *path, size_t *nconfigs, tt_error *err);

/* 1 when fingerprint fp (JSON) describes the machine `here` (parsed
 * fingerprint JSON): same CPU model, core count and architecture. */
int tt_export_same_machine(const void *here, const char *fp);

#endif
