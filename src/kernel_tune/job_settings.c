/* A job's measurement settings (kernel_tune.h): the compiler and flags
 * variants are built with, the timing threads and the run timeout. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tetune/kernel_tune.h"
#include "tetune/version.h"

/* See kernel_tune.h. A kernel without a readable file (parsed from a
 * string) is keyed on the version alone. */
void tt_job_settings(const tt_job *j, char *buf, size_t len) {
  tt_measure_settings(&j->mopt, buf, len);
  uint64_t h = tt_hash_str(TT_VERSION_STRING, 11);
  tt_error err = {0};
  size_t n = 0;
  char *text = j->kernel && j->kernel->file ? tt_file_read(j->kernel->file, &n, &err) : NULL;
  if (text) h = tt_hash_str(text, h);
  free(text);
  char hex[17];
  tt_hash_hex(h, hex);
  size_t used = strlen(buf);
  if (used < len) snprintf(buf + used, len - used, " source=%s", hex);
}

/* The hash after " source=" in settings, or NULL. */
static const char *source_hash(const char *settings) {
  const char *p = settings ? strstr(settings, " source=") : NULL;
  return p ? p + strlen(" source=") : NULL;
}

/* See kernel_tune.h. */
int tt_settings_same_source(const char *a, const char *b) {
  const char *ha = source_hash(a), *hb = source_hash(b);
  if (!ha || !hb) return 1;
  size_t la = strcspn(ha, " "), lb = strcspn(hb, " ");
  return la == lb && strncmp(ha, hb, la) == 0;
}

/* See kernel_tune.h. */
tt_status tt_job_set_compiler(tt_job *j, const char *cc, const char *cflags, tt_error *err) {
  if (cc) {
    if (!*cc) return tt_error_set(err, TT_ERR_USAGE, "--cc needs a compiler name");
    j->mopt.compiler = tt_arena_strdup(j->arena, cc);
  }
  if (!cflags) return TT_OK;
  /* Split on blanks; flags never go through a shell. */
  size_t n = 0, len = strlen(cflags);
  const char **argv = tt_arena_alloc(j->arena, sizeof(char *) * (len / 2 + 2));
  for (const char *p = cflags; *p;) {
    while (*p == ' ' || *p == '\t')
      p++;
    const char *e = p;
    while (*e && *e != ' ' && *e != '\t')
      e++;
    if (e > p) argv[n++] = tt_arena_strndup(j->arena, p, (size_t)(e - p));
    p = e;
  }
  if (n == 0) return tt_error_set(err, TT_ERR_USAGE, "--cflags is empty");
  argv[n] = NULL;
  j->mopt.flags = argv;
  return TT_OK;
}

/* See kernel_tune.h. */
tt_status tt_tune_open_job(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                           const tt_target *t, long threads, double timeout_s, tt_error *err) {
  tt_status st = tt_job_open_target(j, kernel, size, tmpl, t, err);
  if (st != TT_OK) return st;
  if (!j->tmpl)
    return tt_error_set(err, TT_ERR_USAGE, "kernel %s has no schedule template to tune",
                        j->kernel->name);
  if (tt_check_threads(threads, err) != TT_OK) return TT_ERR_USAGE;
  j->mopt.threads = (int)threads;
  if (timeout_s > 0) j->mopt.run_timeout_s = timeout_s;
  return TT_OK;
}

/* See kernel_tune.h. */
tt_status tt_check_threads(long threads, tt_error *err) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus > 0 && threads > cpus)
    return tt_error_set(err, TT_ERR_USAGE,
                        "--threads %ld: this machine has %ld CPUs (more threads than CPUs only "
                        "measures the operating system's scheduler)",
                        threads, cpus);
  return TT_OK;
}
