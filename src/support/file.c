/* Files and directories. */
#include "tetune/support.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens path for reading only when it is a regular file: opening is
 * non-blocking (a FIFO would otherwise wait for a writer) and the type is
 * checked on the open descriptor. NULL with err filled otherwise. */
static FILE *open_regular(const char *path, tt_error *err) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat sb;
  if (fd < 0) {
    tt_error_set(err, TT_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    return NULL;
  }
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    tt_error_set(err, TT_ERR_IO, "cannot read %s: not a regular file", path);
    close(fd);
    return NULL;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (f == NULL) close(fd);
  return f;
}

/* Reads the whole file at path into a NUL-terminated buffer (caller frees);
 * *len (if len != NULL) gets the byte count without the NUL. Only regular
 * files, of at most TT_FILE_READ_MAX bytes. */
char *tt_file_read(const char *path, size_t *len, tt_error *err) {
  char *buf = NULL;
  size_t n = 0, cap = 0;
  FILE *f = open_regular(path, err);
  if (f == NULL) return NULL;
  for (;;) {
    if (n > (size_t)TT_FILE_READ_MAX) {
      tt_error_set(err, TT_ERR_IO, "cannot read %s: larger than %lld bytes", path,
                   (long long)TT_FILE_READ_MAX);
      free(buf);
      buf = NULL;
      goto done;
    }
    if (cap - n < 4096) {
      cap = cap ? cap * 2 : 8192;
      buf = tt_xrealloc(buf, cap);
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    tt_error_set(err, TT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    free(buf);
    buf = NULL;
    goto done;
  }
  buf[n] = '\0';
  if (len != NULL) *len = n;
done:
  fclose(f);
  return buf;
}

/* Writes len bytes to path atomically: into path.tmp.<pid>, then rename,
 * so a reader never sees a half-written file. */
tt_status tt_file_write(const char *path, const char *data, size_t len, tt_error *err) {
  tt_status st = TT_OK;
  tt_str tmp;
  tt_str_init(&tmp);
  tt_str_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp.data, "wb");
  if (f == NULL) {
    st = tt_error_set(err, TT_ERR_IO, "cannot create %s: %s", tmp.data, strerror(errno));
    goto done;
  }
  size_t put = len ? fwrite(data, 1, len, f) : 0;
  int close_rc = fclose(f);
  if (put != len || close_rc != 0) {
    st = tt_error_set(err, TT_ERR_IO, "cannot write %s: %s", tmp.data, strerror(errno));
    unlink(tmp.data);
    goto done;
  }
  if (rename(tmp.data, path) != 0) {
    st = tt_error_set(err, TT_ERR_IO, "cannot rename to %s: %s", path, strerror(errno));
    unlink(tmp.data);
  }
done:
  tt_str_free(&tmp);
  return st;
}

/* mkdir -p with mode 0700; an existing directory is fine. */
tt_status tt_mkdirs(const char *path, tt_error *err) {
  tt_status st = TT_OK;
  char *p = tt_xstrdup(path);
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != '\0') continue;
    char saved = *s;
    *s = '\0';
    if (mkdir(p, 0700) != 0 && errno != EEXIST) {
      st = tt_error_set(err, TT_ERR_IO, "cannot create directory %s: %s", p, strerror(errno));
      goto done;
    }
    *s = saved;
    if (saved == '\0') break;
  }
  struct stat sb;
  if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
    st = tt_error_set(err, TT_ERR_IO, "%s is not a directory", path);
done:
  free(p);
  return st;
}

/* Creates $TMPDIR/<prefix>XXXXXX (mode 0700); caller frees the path. */
char *tt_mkdtemp(const char *prefix, tt_error *err) {
  const char *base = getenv("TMPDIR");
  if (base == NULL || base[0] == '\0') base = "/tmp";
  tt_str s;
  tt_str_init(&s);
  tt_str_printf(&s, "%s/%sXXXXXX", base, prefix ? prefix : "tetune-");
  if (mkdtemp(s.data) == NULL) {
    tt_error_set(err, TT_ERR_IO, "cannot create temporary directory %s: %s", s.data,
                 strerror(errno));
    tt_str_free(&s);
    return NULL;
  }
  return tt_str_take(&s);
}

/* nftw callback: removes one entry (children come first with FTW_DEPTH). */
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  if (flag == FTW_DP)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

/* Removes path and everything below it, without following symlinks.
 * Errors are ignored: this is cleanup. */
void tt_rmtree(const char *path) {
  if (path == NULL) return;
  nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 when path exists (any kind of file), 0 otherwise. */
int tt_file_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* Directory of the running executable, from /proc/self/exe; caller frees.
 * Returns "." when it cannot be determined. */
char *tt_exe_dir(void) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return tt_xstrdup(".");
  buf[n] = '\0';
  char *slash = strrchr(buf, '/');
  if (slash == NULL) return tt_xstrdup(".");
  if (slash == buf) slash++;
  *slash = '\0';
  return tt_xstrdup(buf);
}

/* See support.h. */
tt_status tt_dir_check_private(const char *path, tt_error *err) {
  struct stat sb;
  if (stat(path, &sb) != 0)
    return tt_error_set(err, TT_ERR_ENV, "cannot use directory %s: %s", path, strerror(errno));
  if (!S_ISDIR(sb.st_mode)) return tt_error_set(err, TT_ERR_ENV, "%s is not a directory", path);
  if (sb.st_uid != geteuid())
    return tt_error_set(err, TT_ERR_ENV,
                        "refusing directory %s: it belongs to uid %ld, not to you (uid %ld); "
                        "set TETUNE_CACHE_DIR to a directory of yours",
                        path, (long)sb.st_uid, (long)geteuid());
  if (sb.st_mode & (S_IWGRP | S_IWOTH))
    return tt_error_set(err, TT_ERR_ENV,
                        "refusing directory %s: others can write to it (mode %03o); chmod 700 it",
                        path, (unsigned)(sb.st_mode & 0777));
  return TT_OK;
}
