/* The public entry points for running: variants, references and whole
 * trials (compile + run). */
#include "measure_impl.h"

#include <stdlib.h>
#include <string.h>

/* Resets everything in res except compile_s and cached, which belong to
 * the compile step. */
static void reset_run_fields(tt_measure_result *res) {
  double compile_s = res->compile_s;
  int cached = res->cached;
  memset(res, 0, sizeof *res);
  res->compile_s = compile_s;
  res->cached = cached;
  res->max_rel_err = -1;
}

/* Records an environment failure both in err and in res (as a runtime
 * error, so a caller that only looks at res still sees it). */
static tt_status env_fail(tt_measure_result *res, tt_error *err, tt_status st, const char *what,
                          const char *path) {
  res->outcome = TT_OUTCOME_RUNTIME_ERROR;
  snprintf(res->message, sizeof res->message, "%s: %s", what, path);
  return tt_error_set(err, st, "%s: %s", what, path);
}

/* See measure.h. */
tt_status tt_measure_run(const char *so_path, const char *ref_path, const tt_measure_options *opt,
                         tt_measure_result *res, tt_error *err) {
  tt_measure_options defaults = tt_measure_options_default();
  opt = opt != NULL ? opt : &defaults;
  reset_run_fields(res);
  if (so_path == NULL || !tt_file_exists(so_path))
    return env_fail(res, err, TT_ERR_IO, "kernel library not found", so_path ? so_path : "(null)");
  if (ref_path != NULL && !tt_file_exists(ref_path))
    return env_fail(res, err, TT_ERR_IO, "reference file not found", ref_path);
  tt_mz_job job = {TT_MZ_RUN, so_path, ref_path, opt};
  return tt_mz_spawn(&job, res, err);
}

/* 1 when key is non-empty and uses only [A-Za-z0-9_.-] (no path tricks). */
static int key_ok(const char *key) {
  if (key == NULL || key[0] == '\0' || key[0] == '.') return 0;
  for (const char *p = key; *p; p++)
    if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
        *p != '_' && *p != '.' && *p != '-')
      return 0;
  return 1;
}

/* Uses the reference file at path when it reads back intact (checksum) and
 * was timed undisturbed with the same settings as variants are now, so the
 * speed-up over it compares like with like; 1 then, with res filled.
 * Anything else is measured again. */
static int cached_reference(const char *path, const tt_measure_options *opt,
                            tt_measure_result *res) {
  tt_mz_ref ref;
  char msg[TT_MEASURE_MSG_MAX];
  if (!tt_file_exists(path) || tt_mz_ref_read(path, &ref, msg, sizeof msg) != 0) return 0;
  tt_mz_ref_timing tm = ref.timing;
  tt_mz_ref_free(&ref);
  if (tm.timing_key == TT_MZ_UNTRUSTED_KEY || tm.timing_key != tt_mz_timing_key(opt)) return 0;
  res->outcome = TT_OUTCOME_OK;
  res->cached = 1;
  res->repeats = tm.repeats;
  res->spread = tm.spread;
  res->time_median_s = res->time_min_s = res->time_mean_s = tm.time_s;
  return 1;
}

/* See measure.h. */
tt_status tt_measure_reference(const char *ref_so, const char *key, const tt_measure_options *opt,
                               char **ref_path, tt_measure_result *res, tt_error *err) {
  tt_status st = TT_OK;
  tt_measure_options defaults = tt_measure_options_default();
  opt = opt != NULL ? opt : &defaults;
  memset(res, 0, sizeof *res);
  res->max_rel_err = -1;
  *ref_path = NULL;
  tt_str path;
  tt_str_init(&path);
  if (!key_ok(key)) {
    st = env_fail(res, err, TT_ERR_USAGE, "bad reference key", key ? key : "(null)");
    goto done;
  }
  char *dir = tt_measure_cache_dir(opt, err);
  if (dir == NULL) {
    st = env_fail(res, err, TT_ERR_IO, "cannot create cache directory", "");
    goto done;
  }
  /* "ref2": the format with a checksum and a warm timing; a tetune that
   * writes version 1 files under the old name never clashes with it */
  tt_str_printf(&path, "%s/ref2-%s.bin", dir, key);
  free(dir);
  if (cached_reference(path.data, opt, res)) goto found;
  if (ref_so == NULL || !tt_file_exists(ref_so)) {
    st = env_fail(res, err, TT_ERR_IO, "reference library not found", ref_so ? ref_so : "(null)");
    goto done;
  }
  tt_measure_options ref_opt = *opt; /* the reference gets its own limit */
  ref_opt.run_timeout_s = opt->ref_timeout_s;
  tt_mz_job job = {TT_MZ_REFERENCE, ref_so, path.data, &ref_opt};
  st = tt_mz_spawn(&job, res, err);
  if (st == TT_OK && res->outcome != TT_OUTCOME_OK)
    st = tt_error_set(err, TT_ERR_ENV, "reference %s failed: %s", ref_so, res->message);
  if (st != TT_OK) goto done;
found:
  *ref_path = tt_str_take(&path);
done:
  tt_str_free(&path);
  return st;
}

/* See measure.h. */
tt_status tt_measure_source(const char *source, const char *ref_path, const tt_measure_options *opt,
                            tt_measure_result *res, tt_error *err) {
  char *so = NULL;
  tt_status st = tt_compile(source, opt, &so, res, err);
  if (st == TT_OK && res->outcome == TT_OUTCOME_OK)
    st = tt_measure_run(so, ref_path, opt, res, err);
  free(so);
  return st;
}
