/* The kernel library: which directories hold .te files, finding a kernel
 * by name or path, and listing every kernel. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tetune/lang.h"

/* The build defines both for the library; these fallbacks only serve a
 * file compiled on its own. */
#ifndef TT_SOURCE_DIR
#define TT_SOURCE_DIR "."
#endif
#ifndef TT_KERNEL_DIR
#define TT_KERNEL_DIR "/usr/local/share/tetune/kernels"
#endif

enum { MAX_DIRS = 64 };
static char *g_dirs[MAX_DIRS];
static size_t g_ndirs;

/* 1 when path is a directory. */
static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends dir (copied) unless empty, already listed or full. */
static void add_dir(const char *dir, size_t len) {
  if (len == 0 || g_ndirs == MAX_DIRS) return;
  for (size_t i = 0; i < g_ndirs; i++)
    if (strlen(g_dirs[i]) == len && strncmp(g_dirs[i], dir, len) == 0) return;
  char *d = tt_xmalloc(len + 1);
  memcpy(d, dir, len);
  d[len] = '\0';
  g_dirs[g_ndirs++] = d;
}

/* The search path: $TETUNE_KERNEL_PATH entries, the source tree's
 * kernels/ when it exists, the installed kernel directory. The array is
 * rebuilt on every call (the environment may change); the strings stay
 * valid until the next call. */
size_t tt_lang_kernel_dirs(const char ***dirs) {
  for (size_t i = 0; i < g_ndirs; i++)
    free(g_dirs[i]);
  g_ndirs = 0;
  const char *env = getenv("TETUNE_KERNEL_PATH");
  while (env != NULL && *env != '\0') {
    const char *colon = strchr(env, ':');
    size_t len = colon ? (size_t)(colon - env) : strlen(env);
    add_dir(env, len);
    env = colon ? colon + 1 : NULL;
  }
  const char *src = TT_SOURCE_DIR "/kernels";
  if (is_dir(src)) add_dir(src, strlen(src));
  add_dir(TT_KERNEL_DIR, strlen(TT_KERNEL_DIR));
  *dirs = (const char **)g_dirs;
  return g_ndirs;
}

/* The kernel called name among ks (NULL name: the first), or NULL. */
static tt_kernel_def *pick(tt_kernel_def **ks, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (name == NULL || strcmp(ks[i]->name, name) == 0) return ks[i];
  return NULL;
}

/* A kernel given by path ("file.te" or "file.te:NAME"). A file that
 * cannot be read is the user's input error. */
static tt_status find_by_path(tt_arena *a, const char *spec, tt_kernel_def **out, tt_error *err) {
  char *path = tt_arena_strdup(a, spec);
  const char *name = NULL;
  char *colon = strrchr(path, ':');
  if (colon != NULL && strchr(colon, '/') == NULL && colon[1] != '\0') {
    *colon = '\0';
    name = colon + 1;
  }
  tt_kernel_def **ks;
  size_t n;
  tt_error e = {0};
  tt_status st = tt_lang_parse_file(a, path, &ks, &n, &e);
  if (st == TT_ERR_IO) return tt_error_set(err, TT_ERR_USAGE, "%s", e.msg);
  if (st != TT_OK) return tt_error_set(err, st, "%s", e.msg);
  *out = pick(ks, n, name);
  if (*out == NULL) return tt_error_set(err, TT_ERR_USAGE, "no kernel '%s' in %s", name, path);
  return TT_OK;
}

/* Orders strings. */
static int by_string(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* 1 when path is a regular file of at most TT_LANG_FILE_MAX bytes: a FIFO
 * named *.te would hang the reader, /dev/zero would grow it until OOM. */
static int readable_kernel_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= TT_LANG_FILE_MAX;
}

/* Sorted names of the .te files of dir (malloc'ed array of arena strings);
 * O(n log n) for directories of tens of thousands of files. */
static size_t list_te(tt_arena *a, const char *dir, char ***out) {
  char **names = NULL;
  size_t n = 0, cap = 0;
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d != NULL && (de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (len < 4 || strcmp(de->d_name + len - 3, ".te") != 0 || de->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      names = tt_xrealloc(names, cap * sizeof *names);
    }
    names[n++] = tt_arena_printf(a, "%s/%s", dir, de->d_name);
  }
  if (d != NULL) closedir(d);
  if (n > 1) qsort(names, n, sizeof *names, by_string);
  *out = names;
  return n;
}

/* Searches every .te file of the directories for a kernel called name;
 * files that fail to parse, or are not regular files within the size cap,
 * are skipped (they are not the one asked for). Each file is parsed into a
 * scratch arena that dies with it; only the match is parsed into a. */
static tt_kernel_def *scan_dirs(tt_arena *a, const char **dirs, size_t nd, const char *name) {
  tt_kernel_def *found = NULL;
  for (size_t i = 0; i < nd && found == NULL; i++) {
    tt_arena *names = tt_arena_new();
    char **files;
    size_t nf = list_te(names, dirs[i], &files);
    for (size_t f = 0; f < nf && found == NULL; f++) {
      tt_kernel_def **ks;
      size_t n;
      tt_arena *scratch = tt_arena_new();
      int hit = readable_kernel_file(files[f]) &&
                tt_lang_parse_file(scratch, files[f], &ks, &n, NULL) == TT_OK &&
                pick(ks, n, name) != NULL;
      tt_arena_free(scratch);
      if (hit && tt_lang_parse_file(a, files[f], &ks, &n, NULL) == TT_OK) found = pick(ks, n, name);
    }
    free(files);
    tt_arena_free(names);
  }
  return found;
}

/* Finds a kernel by name (NAME.te first, then any file) or by path. */
tt_status tt_lang_find_kernel(tt_arena *a, const char *name, tt_kernel_def **out, tt_error *err) {
  size_t len = strlen(name);
  if (strchr(name, '/') != NULL || (len > 3 && strcmp(name + len - 3, ".te") == 0) ||
      strstr(name, ".te:") != NULL)
    return find_by_path(a, name, out, err);
  const char **dirs;
  size_t nd = tt_lang_kernel_dirs(&dirs);
  for (size_t i = 0; i < nd; i++) {
    char *path = tt_arena_printf(a, "%s/%s.te", dirs[i], name);
    if (!tt_file_exists(path)) continue;
    if (!readable_kernel_file(path))
      return tt_error_set(err, TT_ERR_USAGE, "%s is not a regular file of at most %d MiB", path,
                          TT_LANG_FILE_MAX >> 20);
    tt_kernel_def **ks;
    size_t n;
    tt_status st = tt_lang_parse_file(a, path, &ks, &n, err);
    if (st != TT_OK) return st;
    *out = pick(ks, n, name);
    if (*out == NULL) *out = ks[0];
    return TT_OK;
  }
  *out = scan_dirs(a, dirs, nd, name);
  if (*out == NULL)
    return tt_error_set(err, TT_ERR_USAGE, "unknown kernel '%s' (see tetune list)", name);
  return TT_OK;
}

/* A copy in a of what listing shows of k: name, file, parameters and
 * sizes (the rest stays zero), so that k's arena can be freed. */
static tt_kernel_def *header_copy(tt_arena *a, const tt_kernel_def *k) {
  tt_kernel_def *h = tt_arena_alloc(a, sizeof *h);
  h->name = tt_arena_strdup(a, k->name);
  h->file = k->file ? tt_arena_strdup(a, k->file) : NULL;
  h->loc = k->loc;
  h->loc.file = h->file;
  h->dtype = k->dtype;
  h->nparams = k->nparams;
  h->params = tt_arena_alloc(a, sizeof *h->params * (k->nparams + 1));
  for (size_t p = 0; p < k->nparams; p++)
    h->params[p] = tt_arena_strdup(a, k->params[p]);
  h->nsizes = k->nsizes;
  h->sizes = tt_arena_alloc(a, sizeof *h->sizes * (k->nsizes + 1));
  for (size_t s = 0; s < k->nsizes; s++) {
    h->sizes[s].name = tt_arena_strdup(a, k->sizes[s].name);
    h->sizes[s].values = tt_arena_alloc(a, sizeof(int64_t) * (k->nparams + 1));
    memcpy(h->sizes[s].values, k->sizes[s].values, sizeof(int64_t) * k->nparams);
    h->sizes[s].loc = h->loc;
  }
  return h;
}

/* A listed kernel and the order it was found in. */
typedef struct found_kernel {
  tt_kernel_def *k;
  size_t order;
} found_kernel;

/* Orders by name, then by discovery (the earlier directory first). */
static int by_name_then_order(const void *x, const void *y) {
  const found_kernel *a = x, *b = y;
  int c = strcmp(a->k->name, b->k->name);
  return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Appends the kernels of one file to *all. */
static void add_file_kernels(tt_arena *a, tt_kernel_def **ks, size_t nk, found_kernel **all,
                             size_t *total, size_t *cap) {
  for (size_t j = 0; j < nk; j++) {
    if (*total == *cap) {
      *cap = *cap ? *cap * 2 : 16;
      *all = tt_xrealloc(*all, *cap * sizeof **all);
    }
    (*all)[*total].k = header_copy(a, ks[j]);
    (*all)[*total].order = *total;
    (*total)++;
  }
}

/* Sorts by name and keeps the first of each name: O(n log n). */
static size_t sort_unique(found_kernel *all, size_t total) {
  if (total > 1) qsort(all, total, sizeof *all, by_name_then_order);
  size_t kept = 0;
  for (size_t i = 0; i < total; i++)
    if (kept == 0 || strcmp(all[kept - 1].k->name, all[i].k->name) != 0) all[kept++] = all[i];
  return kept;
}

/* Every kernel of the library, sorted by name; a name found in two places
 * is taken from the earlier directory. Each file is parsed into a scratch
 * arena and only its kernels' headers are kept (see lang.h), so memory
 * follows the number of kernels, not the size of the files. A file that
 * fails to parse, or is not a regular file within TT_LANG_FILE_MAX, is
 * skipped with one line in *warnings (when not NULL), so one broken file
 * does not hide the others. */
tt_status tt_lang_list_kernels(tt_arena *a, tt_kernel_def ***out, size_t *n, tt_str *warnings,
                               tt_error *err) {
  const char **dirs;
  size_t nd = tt_lang_kernel_dirs(&dirs), cap = 0, total = 0;
  found_kernel *all = NULL;
  (void)err;
  for (size_t i = 0; i < nd; i++) {
    tt_arena *names = tt_arena_new();
    char **files;
    size_t nf = list_te(names, dirs[i], &files);
    for (size_t f = 0; f < nf; f++) {
      tt_kernel_def **ks;
      size_t nk;
      tt_error e = {0};
      tt_arena *scratch = tt_arena_new();
      if (!readable_kernel_file(files[f]))
        tt_error_set(&e, TT_ERR_USAGE, "%s is not a regular file of at most %d MiB", files[f],
                     TT_LANG_FILE_MAX >> 20);
      else if (tt_lang_parse_file(scratch, files[f], &ks, &nk, &e) == TT_OK)
        add_file_kernels(a, ks, nk, &all, &total, &cap);
      if (e.status != TT_OK && warnings != NULL) tt_str_printf(warnings, "%s\n", e.msg);
      tt_arena_free(scratch);
    }
    free(files);
    tt_arena_free(names);
  }
  total = sort_unique(all, total);
  *out = tt_arena_alloc(a, sizeof **out * (total + 1));
  for (size_t i = 0; i < total; i++)
    (*out)[i] = all[i].k;
  free(all);
  *n = total;
  return TT_OK;
}
