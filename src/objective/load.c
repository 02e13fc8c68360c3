/* Loading a recorded dataset: reading (gzip too, through zlib), telling the format from
 * the content, finding the T1 space file next to it. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "objective/objective_impl.h"

/* Reads path whole through zlib, which decompresses gzip data (one member
 * or several) and passes anything else through as it is: a dataset is
 * recognised by its content, not its name. Only regular files are read (a
 * FIFO or a device would block or never end), and at most max_bytes after
 * decompression, so a small gzip bomb cannot fill memory. Caller frees. */
char *tt_read_dataset_text(const char *path, size_t max_bytes, size_t *len, tt_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0) {
    tt_error_set(err, TT_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    return NULL;
  }
  if (!S_ISREG(sb.st_mode)) {
    close(fd);
    tt_error_set(err, TT_ERR_USAGE, "%s: not a regular file", path);
    return NULL;
  }
  gzFile gz = gzdopen(fd, "rb");
  if (!gz) {
    close(fd);
    tt_error_set(err, TT_ERR_NOMEM, "%s: cannot start zlib", path);
    return NULL;
  }
  size_t n = 0, cap = 1 << 16;
  char *buf = tt_xmalloc(cap + 1);
  tt_status st = TT_OK;
  for (int got = 1; got > 0 && st == TT_OK;) {
    if (n == cap) { /* grow to at most one byte over the limit: enough to tell */
      cap = cap > max_bytes / 2 ? max_bytes + 1 : 2 * cap;
      buf = tt_xrealloc(buf, cap + 1);
    }
    got = gzread(gz, buf + n, (unsigned)(cap - n < (1u << 30) ? cap - n : (1u << 30)));
    int zerr = Z_OK;
    const char *msg = got < 0 ? gzerror(gz, &zerr) : NULL;
    if (got < 0)
      st = tt_error_set(err, zerr == Z_ERRNO ? TT_ERR_IO : TT_ERR_USAGE, "%s: %s", path,
                        zerr == Z_ERRNO ? strerror(errno) : msg);
    else if ((n += (size_t)got) > max_bytes)
      st = tt_error_set(err, TT_ERR_USAGE,
                        "%s: more than %zu MiB of data once decompressed (the limit)", path,
                        max_bytes >> 20);
  }
  /* gzclose says Z_BUF_ERROR when the data ended inside a gzip member */
  if (gzclose(gz) != Z_OK && st == TT_OK)
    st = tt_error_set(err, TT_ERR_USAGE, "%s: truncated gzip data", path);
  if (st != TT_OK) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
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
  char *text = tt_read_dataset_text(path, TT_DATASET_MAX_BYTES, NULL, err);
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
