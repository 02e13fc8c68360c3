/* Internal to src/app: the records a data export writes (export_data.c
 * chooses them, export_formats.c writes them). */
#ifndef TT_APP_EXPORT_RECORDS_H
#define TT_APP_EXPORT_RECORDS_H

#include "app/export_data.h"

typedef struct tt_export_record {
  tt_trial trial; /* strings owned by the record */
  size_t order;   /* when its configuration was first measured */
} tt_export_record;

typedef struct tt_export_records {
  tt_export_record *items;
  size_t len, cap;
} tt_export_records;

void tt_export_records_free(tt_export_records *r);

/* Appends the text of records r of task t in format f (t4, kt-cache or csv)
 * to out. TT_ERR_USAGE when a stored configuration is not a JSON object. */
tt_status tt_export_format_records(const tt_export_task *t, const tt_export_records *r,
                                   tt_export_format f, tt_str *out, tt_error *err);

#endif
