/* tetune report: one self-contained HTML file about the stored sessions. */
#include <stdio.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/report.h"

static const char usage[] =
    "usage: tetune report [KERNEL] [--db FILE] [--out FILE.html]\n\n"
    "Writes one HTML file (default ./tetune-report.html) that works offline\n"
    "(Chart.js is inlined) about the sessions in FILE (default ./tetune.db),\n"
    "only KERNEL's when given. Per task (kernel, size, template, machine):\n"
    "per-strategy results (best time mean and sd over seeds, runs within 5%\n"
    "of the best, trials and wall time to get there, failures); best-so-far\n"
    "time against trials and against wall time per strategy (median over\n"
    "seeds with the min-max band); every trial as a scatter; the best\n"
    "configurations; and knob importance from a random-forest surrogate.\n";

enum { O_DB, O_OUT, O_COUNT };

/* The command; see commands.h. */
int tt_cmd_report(int argc, char **argv) {
  tt_opt opts[O_COUNT] = {{"db", 1, NULL}, {"out", 1, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, O_COUNT, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  const char *db = opts[O_DB].value ? opts[O_DB].value : "tetune.db";
  const char *out = opts[O_OUT].value ? opts[O_OUT].value : "tetune-report.html";
  tt_error err = {0};
  tt_store *s = tt_store_open(db, TT_STORE_READ_ONLY, &err);
  if (!s) return tt_app_fail(1, err.msg);
  tt_report_opts o = {.kernel = npos ? pos[0] : NULL, .db_path = db};
  if (tt_report_write(s, &o, out, &err) != TT_OK)
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  else
    printf("wrote %s\n", out);
  tt_store_close(s);
  return rc;
}
