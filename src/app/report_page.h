/* Internal to src/app: the fixed parts of the report page (report_js.c)
 * and the HTML helpers its writer uses (report_html.c). */
#ifndef TT_APP_REPORT_PAGE_H
#define TT_APP_REPORT_PAGE_H

#include "tetune/support.h"

extern const char tt_report_style[];
extern const char tt_report_script[];

/* Appends text with & < > " escaped. */
void tt_html_escape(tt_str *out, const char *text);

#endif
