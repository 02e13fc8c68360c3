/* tetune export: the best stored variant as standalone KERNEL.c + KERNEL.h,
 * or a task's trials as T4 results, a Kernel Tuner cache or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/export.h"
#include "app/export_data.h"
#include "app/export_lib.h"
#include "app/progress.h"

static const char usage[] =
    "usage: tetune export KERNEL [--size S] [--template T] [--db FILE] [--out DIR]\n"
    "                     [--any-machine] [--format c|lib|t4|kt-cache|csv] [--sizes LIST]\n"
    "                     [--untuned reference|nearest] [--target c|opencl|cuda]\n\n"
    "Writes the fastest validated variant of KERNEL stored in the database\n"
    "(default ./tetune.db) as DIR/KERNEL.c and DIR/KERNEL.h (default DIR:\n"
    "./tetune-out): plain C with OpenMP pragmas and no dependency on tetune.\n"
    "The header documents the problem size (an enum), what the functions\n"
    "compute and the configuration; call tt_KERNEL_init to fill the inputs,\n"
    "then tt_KERNEL. Without --size: the size of the kernel's latest session.\n"
    "Only trials measured on this machine (same CPU model, cores and\n"
    "architecture) count: a database shared between machines holds variants\n"
    "tuned for others. --any-machine takes the best from any machine.\n\n"
    "--format t4|kt-cache|csv writes the trials of the task of KERNEL's latest\n"
    "matching session instead, to --out FILE (default: standard output): T4\n"
    "results JSON (with the machine and tetune's metadata), a Kernel Tuner\n"
    "cache JSON, or CSV (the knobs, then time). One record a configuration\n"
    "(its fastest ok trial, else its latest), times in milliseconds;\n"
    "`tetune replay` reads each of them back.\n\n"
    "--target opencl|cuda takes the tasks tuned for that target (default c):\n"
    "the export is the variant as the tuner built it, DIR/KERNEL.c (OpenCL:\n"
    "host C with the OpenCL C program) or DIR/KERNEL.cu (CUDA), and a header\n"
    "saying how to build and call it.\n\n"
    "--format lib writes one routine a library can call into DIR: int tt_KERNEL(sizes,\n"
    "its own arrays, workspace) in KERNEL.h and KERNEL.c, dispatching on the problem\n"
    "size to the best variant of each size in --sizes (comma-separated; default: --size,\n"
    "else every size with a session), and for other sizes to the naive reference\n"
    "(--untuned reference, the default) or to the variant of the nearest tuned size\n"
    "compiled for any size (--untuned nearest: validated at its own size only). The\n"
    "kernel's temporaries live in the workspace (NULL: allocated inside).\n";

enum { O_SIZE, O_TEMPLATE, O_DB, O_OUT, O_ANY, O_FORMAT, O_SIZES, O_UNTUNED, O_TARGET, O_COUNT };

/* Writes best's configuration of the job as the export. */
static int write_export(const char *kernel, const tt_trial *best, const char *size,
                        const char *tmpl, const tt_target *target, const char *dir) {
  tt_job j;
  tt_error err = {0};
  char *c = NULL, *h = NULL;
  uint32_t *cfg = NULL;
  int rc = 0;
  if (tt_job_open_target(&j, kernel, size, tmpl, target, &err) != TT_OK) goto fail;
  cfg = tt_xcalloc(tt_job_nknobs(&j) + 1, sizeof(uint32_t));
  if (tt_job_parse_config(&j, best->config, cfg, &err) != TT_OK) goto fail;
  if (tt_export_write(&j, cfg, dir, &c, &h, &err) != TT_OK) goto fail;
  char t[32];
  tt_fmt_seconds(best->time_median_s, t, sizeof t);
  printf("exported %s (size %s, template %s, %s per call, trial %lld)\n  %s\n  %s\n",
         j.kernel->name, size, tmpl, t, (long long)best->id, c, h);
  goto done;
fail:
  rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
done:
  free(c);
  free(h);
  free(cfg);
  tt_job_close(&j);
  return rc;
}

/* The one-line error for no matching task (exit 2). */
static int no_task(const char *kernel, const tt_opt *opts, const char *db, size_t elsewhere) {
  char msg[512];
  const char *size = opts[O_SIZE].value;
  snprintf(msg, sizeof msg, "no session of %s%s%s in %s%s", kernel, size ? " at size " : "",
           size ? size : "", db,
           elsewhere ? " on this machine (--any-machine exports those of others)"
                     : " (run tetune tune first)");
  return tt_app_fail(1, msg);
}

/* --format t4|kt-cache|csv: the trials of the matching task. */
static int export_data(const char *kernel, const tt_opt *opts, tt_export_format fmt,
                       const tt_target *target) {
  const char *db = opts[O_DB].value ? opts[O_DB].value : "tetune.db";
  const char *out = opts[O_OUT].value ? opts[O_OUT].value : "-";
  tt_error err = {0};
  tt_export_task task = {0};
  size_t elsewhere = 0, n = 0;
  int rc = 0;
  tt_store *s = tt_store_open(db, TT_STORE_READ_ONLY, &err);
  if (!s) return tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  char *machine = opts[O_ANY].value ? NULL : tt_machine_fingerprint(NULL, NULL);
  if (tt_export_find_task(s, kernel, opts[O_SIZE].value, opts[O_TEMPLATE].value, target->store_name,
                          machine, &task, &elsewhere, &err) != TT_OK)
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  else if (!task.task_id)
    rc = no_task(kernel, opts, db, elsewhere);
  else if (tt_export_trials(s, &task, fmt, out, &n, &err) != TT_OK)
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  else if (strcmp(out, "-") != 0)
    printf("exported %zu configurations of %s (size %s, template %s) to %s\n", n, task.kernel,
           task.size, task.template_name, out);
  tt_export_task_free(&task);
  free(machine);
  tt_store_close(s);
  return rc;
}

/* Splits --sizes at commas into sizes (at most max); returns the count. */
static size_t split_sizes(char *list, const char **sizes, size_t max) {
  size_t n = 0;
  for (char *tok = strtok(list, ","); tok && n < max; tok = strtok(NULL, ","))
    if (*tok) sizes[n++] = tok;
  return n;
}

/* The sizes of kernel's sessions in s, each once (at most max). */
static size_t session_sizes(tt_store *s, const char *kernel, char **sizes, size_t max,
                            tt_error *err) {
  tt_session_list l = {0};
  size_t n = 0;
  if (tt_store_list_sessions(s, kernel, &l, err) != TT_OK) return 0;
  for (size_t i = 0; i < l.len && n < max; i++) {
    int seen = 0;
    for (size_t j = 0; j < n && !seen; j++)
      seen = strcmp(sizes[j], l.items[i].size) == 0;
    if (!seen) sizes[n++] = tt_xstrdup(l.items[i].size);
  }
  tt_session_list_free(&l);
  return n;
}

/* --format lib: the routine over the tuned sizes. */
static int export_lib(const char *kernel, const tt_opt *opts) {
  enum { MAX_SIZES = 64 };
  const char *db = opts[O_DB].value ? opts[O_DB].value : "tetune.db";
  const char *dir = opts[O_OUT].value ? opts[O_OUT].value : "tetune-out";
  const char *sizes[MAX_SIZES];
  char *owned[MAX_SIZES], *list = tt_xstrdup(opts[O_SIZES].value ? opts[O_SIZES].value : "");
  size_t n = split_sizes(list, sizes, MAX_SIZES), nowned = 0;
  if (!n && opts[O_SIZE].value) sizes[n++] = opts[O_SIZE].value;
  const char *untuned = opts[O_UNTUNED].value ? opts[O_UNTUNED].value : "reference";
  if (strcmp(untuned, "reference") != 0 && strcmp(untuned, "nearest") != 0) {
    free(list);
    return tt_app_fail(1, "export: --untuned must be reference or nearest");
  }
  tt_error err = {0};
  int rc = 0;
  tt_store *s = tt_store_open(db, TT_STORE_READ_ONLY, &err);
  if (!s) {
    free(list);
    return tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  }
  if (!n) {
    nowned = session_sizes(s, kernel, owned, MAX_SIZES, &err);
    for (size_t i = 0; i < nowned; i++)
      sizes[n++] = owned[i];
  }
  char *machine = opts[O_ANY].value ? NULL : tt_machine_fingerprint(NULL, NULL);
  if (err.status)
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  else if (!n)
    rc = no_task(kernel, opts, db, 0);
  else {
    printf("exported %s for %zu tuned size%s:\n", kernel, n, n == 1 ? "" : "s");
    if (tt_export_library(s, kernel, sizes, n, opts[O_TEMPLATE].value, machine,
                          strcmp(untuned, "nearest") == 0, dir, &err) != TT_OK)
      rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  }
  for (size_t i = 0; i < nowned; i++)
    free(owned[i]);
  free(machine);
  free(list);
  tt_store_close(s);
  return rc;
}

/* The command; see commands.h. */
int tt_cmd_export(int argc, char **argv) {
  tt_opt opts[O_COUNT] = {{"size", 1, NULL},  {"template", 1, NULL},    {"db", 1, NULL},
                          {"out", 1, NULL},   {"any-machine", 0, NULL}, {"format", 1, NULL},
                          {"sizes", 1, NULL}, {"untuned", 1, NULL},     {"target", 1, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, O_COUNT, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  if (npos != 1) return tt_app_fail(1, "export: missing KERNEL (see tetune export --help)");
  tt_export_format fmt = TT_EXPORT_C;
  if (opts[O_FORMAT].value && tt_export_format_parse(opts[O_FORMAT].value, &fmt) < 0)
    return tt_app_fail(1, "export: --format must be c, lib, t4, kt-cache or csv");
  const tt_target *target = tt_target_find(opts[O_TARGET].value ? opts[O_TARGET].value : "c");
  if (!target) return tt_app_fail(1, "export: unknown target (targets: c, opencl, cuda)");
  if (fmt == TT_EXPORT_LIB && target->gpu)
    return tt_app_fail(1, "export: --format lib writes C routines (--target c)");
  if (fmt == TT_EXPORT_LIB) return export_lib(pos[0], opts);
  if (fmt != TT_EXPORT_C) return export_data(pos[0], opts, fmt, target);
  const char *db = opts[O_DB].value ? opts[O_DB].value : "tetune.db";
  tt_error err = {0};
  tt_trial *best = NULL;
  char *size = NULL, *tmpl = NULL;
  tt_store *s = tt_store_open(db, TT_STORE_READ_ONLY, &err);
  if (!s) return tt_app_fail(1, err.msg);
  char *machine = opts[O_ANY].value ? NULL : tt_machine_fingerprint(NULL, NULL);
  size_t elsewhere = 0;
  if (tt_export_find_best(s, pos[0], opts[O_SIZE].value, opts[O_TEMPLATE].value, target->store_name,
                          machine, &best, &size, &tmpl, &elsewhere, &err) != TT_OK) {
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
  } else if (!best && elsewhere) {
    char msg[512];
    snprintf(msg, sizeof msg,
             "%s%s%s in %s was tuned on other machines only (--any-machine exports the best of "
             "those)",
             pos[0], opts[O_SIZE].value ? " at size " : "",
             opts[O_SIZE].value ? opts[O_SIZE].value : "", db);
    rc = tt_app_fail(1, msg);
  } else if (!best) {
    char msg[512];
    snprintf(msg, sizeof msg, "no validated configuration of %s%s%s in %s (run tetune tune first)",
             pos[0], opts[O_SIZE].value ? " at size " : "",
             opts[O_SIZE].value ? opts[O_SIZE].value : "", db);
    rc = tt_app_fail(1, msg);
  } else {
    rc = write_export(pos[0], best, size, tmpl, target,
                      opts[O_OUT].value ? opts[O_OUT].value : "tetune-out");
  }
  tt_trial_free(best);
  free(machine);
  free(size);
  free(tmpl);
  tt_store_close(s);
  return rc;
}
