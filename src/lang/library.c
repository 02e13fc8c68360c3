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

/* Sorted names of the .te files of dir (malloc'ed array of arena strings). */
static size_t list_te(tt_arena *a, const char *dir, char ***out) {
  char **names = NULL;
  size_t n = 0;
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d != NULL && (de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (len < 4 || strcmp(de->d_name + len - 3, ".te") != 0 || de->d_name[0] == '.') continue;
    names = tt_xrealloc(names, (n + 1) * sizeof *names);
    names[n++] = tt_arena_printf(a, "%s/%s", dir, de->d_name);
  }
  if (d != NULL) closedir(d);
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
      char *t = names[j];
      names[j] = names[j - 1];
      names[j - 1] = t;
    }
  *out = names;
  return n;
}

/* Searches every .te file of the directories for a kernel called name;
 * files that fail to parse are skipped (they are not the one asked for). */
static tt_kernel_def *scan_dirs(tt_arena *a, const char **dirs, size_t nd, const char *name) {
  tt_kernel_def *found = NULL;
  for (size_t i = 0; i < nd && found == NULL; i++) {
    char **files;
    size_t nf = list_te(a, dirs[i], &files);
    for (size_t f = 0; f < nf && found == NULL; f++) {
      tt_kernel_def **ks;
      size_t n;
      if (tt_lang_parse_file(a, files[f], &ks, &n, NULL) == TT_OK) found = pick(ks, n, name);
    }
    free(files);
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

/* Orders kernels by name. */
static int by_name(const void *x, const void *y) {
  return strcmp((*(tt_kernel_def *const *)x)->name, (*(tt_kernel_def *const *)y)->name);
}

/* Every kernel of the library, sorted by name; a name found in two places
 * is taken from the earlier directory. A file that fails to parse is an
 * error (the user should hear about a broken kernel file). */
tt_status tt_lang_list_kernels(tt_arena *a, tt_kernel_def ***out, size_t *n, tt_error *err) {
  const char **dirs;
  size_t nd = tt_lang_kernel_dirs(&dirs), cap = 0, total = 0;
  tt_kernel_def **all = NULL;
  tt_status st = TT_OK;
  for (size_t i = 0; i < nd && st == TT_OK; i++) {
    char **files;
    size_t nf = list_te(a, dirs[i], &files);
    for (size_t f = 0; f < nf && st == TT_OK; f++) {
      tt_kernel_def **ks;
      size_t nk;
      st = tt_lang_parse_file(a, files[f], &ks, &nk, err);
      for (size_t j = 0; st == TT_OK && j < nk; j++) {
        if (pick(all, total, ks[j]->name) != NULL) continue;
        if (total == cap) {
          cap = cap ? cap * 2 : 16;
          tt_kernel_def **grown = tt_arena_alloc(a, cap * sizeof *grown);
          if (total > 0) memcpy(grown, all, total * sizeof *grown);
          all = grown;
        }
        all[total++] = ks[j];
      }
    }
    free(files);
  }
  if (st != TT_OK) return st;
  if (total > 1) qsort(all, total, sizeof *all, by_name);
  *out = all;
  *n = total;
  return TT_OK;
}
