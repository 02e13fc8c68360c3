/* Loading a recorded dataset: reading (gzip too), telling the format from
 * the content, finding the T1 space file next to it. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* 1 when s ends with suffix. */
static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Reads path; a .gz file is copied to a private temporary directory and
 * decompressed there by `gzip -d` (no zlib in the build, and a child's
 * captured output is capped, so not through a pipe). Caller frees. */
char *tt_read_maybe_gz(const char *path, size_t *len, tt_error *err) {
  if (!ends_with(path, ".gz")) return tt_file_read(path, len, err);
  char *text = NULL, *gz = NULL, *plain = NULL;
  size_t n;
  char *data = tt_file_read(path, &n, err);
  char *dir = data ? tt_mkdtemp("tetune-gz", err) : NULL;
  tt_proc_result res = {0};
  if (!dir) goto done;
  size_t plen = strlen(dir) + 16;
  gz = tt_xmalloc(plen);
  plain = tt_xmalloc(plen);
  snprintf(gz, plen, "%s/data.gz", dir);
  snprintf(plain, plen, "%s/data", dir);
  char *argv[] = {"gzip", "-d", "-q", gz, NULL};
  if (tt_file_write(gz, data, n, err) != TT_OK || tt_proc_run(argv, 120, &res, err) != TT_OK)
    goto done;
  if (!res.exited || res.exit_code != 0)
    tt_error_set(err, TT_ERR_IO, "%s: gzip -d failed: %.200s", path, res.out);
  else
    text = tt_file_read(plain, len, err);
done:
  tt_proc_result_free(&res);
  if (dir) tt_rmtree(dir);
  free(dir);
  free(gz);
  free(plain);
  free(data);
  return text;
}

/* <dir>/<prefix>.t1.json for the longest prefix of the file name that ends
 * before a '_' or '.', when such a file exists. Caller frees. */
static char *find_t1(const char *path) {
  const char *base = strrchr(path, '/');
  size_t dirlen = base ? (size_t)(base - path) + 1 : 0;
  base = base ? base + 1 : path;
  char *cand = tt_xmalloc(strlen(path) + 16);
  for (size_t n = strlen(base); n > 0; n--) {
    if (base[n] != '_' && base[n] != '.') continue;
    snprintf(cand, strlen(path) + 16, "%.*s%.*s.t1.json", (int)dirlen, path, (int)n, base);
    if (strcmp(cand, path) != 0 && tt_file_exists(cand)) return cand;
  }
  free(cand);
  return NULL;
}

/* Reads the records of path into d, whatever its format. */
static tt_status read_records(const char *path, const char *text, const char *objective,
                              tt_dataset *d, tt_error *err) {
  const char *p = text;
  while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
    p++;
  if (*p != '{' && *p != '[') return tt_csv_read(text, objective, d, err);
  cJSON *root = cJSON_Parse(text);
  tt_status st;
  if (!root)
    st = tt_error_set(err, TT_ERR_USAGE, "%s: not valid JSON", path);
  else if (cJSON_GetObjectItem(root, "cache"))
    st = tt_kt_cache_read(root, objective, d, err);
  else if (cJSON_IsArray(cJSON_GetObjectItem(root, "results")))
    st = tt_t4_read(root, objective, d, err);
  else if (cJSON_GetObjectItem(root, "ConfigurationSpace"))
    st = tt_error_set(err, TT_ERR_USAGE, "%s: a T1 space file, not a dataset", path);
  else
    st = tt_error_set(err, TT_ERR_USAGE, "%s: neither a Kernel Tuner cache nor T4 results", path);
  cJSON_Delete(root);
  return st;
}

/* Makes err's message start with the file it is about (the format readers
 * see parsed text, not the path). */
static void name_file(tt_error *err, const char *path) {
  if (!err || !err->msg[0] || strncmp(err->msg, path, strlen(path)) == 0) return;
  char msg[sizeof err->msg];
  memcpy(msg, err->msg, sizeof msg);
  tt_status st = err->status;
  tt_error_clear(err);
  tt_error_set(err, st, "%s: %s", path, msg);
}

/* Loads a dataset; see objective.h. */
tt_objective *tt_objective_load(const char *path, const tt_dataset_options *opt, tt_error *err) {
  tt_objective *o = NULL;
  tt_space *space = NULL;
  tt_dataset d;
  tt_dataset_init(&d);
  const char *objective = opt && opt->objective ? opt->objective : "time";
  char *t1 = opt && opt->space_file ? tt_xstrdup(opt->space_file) : find_t1(path);
  const char *about = path; /* the file an error is about */
  char *text = tt_read_maybe_gz(path, NULL, err);
  if (!text || read_records(path, text, objective, &d, err) != TT_OK) goto done;
  if (t1 && !(space = tt_t1_load(t1, err))) {
    about = t1;
    goto done;
  }
  const char *base = strrchr(path, '/');
  o = tt_objective_from_dataset(base ? base + 1 : path, &d, space, err);
done:
  if (!o) name_file(err, about);
  free(text);
  free(t1);
  tt_dataset_free(&d);
  return o;
}
