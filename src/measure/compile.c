/* The compile cache: source -> <cache>/<hash>.so, compiled at most once.
 *
 * The hash covers the source, the compiler name, its version line, the CPU
 * model (flags such as -march=native make a .so machine-specific, and a
 * home directory can be shared between machines) and every flag.
 *
 * Nothing in the cache is trusted for existing: <hash>.sum records what
 * the .so was built from (hashes of the source and of the toolchain and
 * flags) and the size and checksum of the .so itself. It is written before
 * the .so is renamed into place, and checked on every hit; a .so that does
 * not match (truncated by a full disk, damaged, replaced) is built again
 * and renamed over the bad one, never blamed on its configuration. The
 * checksum is FNV-1a: it catches damage, not a forger; the cache
 * directory's ownership and mode (tt_dir_check_private) keep other users
 * out. */
#include "measure_impl.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { FIRST_LINES = 20 };

/* Compiler version and CPU model for the hash, computed once per process
 * per compiler (the tuner process is single-threaded). Borrowed. */
static const char *toolchain_salt(const char *compiler, tt_error *err) {
  static char *memo_compiler, *memo_salt;
  if (memo_compiler != NULL && strcmp(memo_compiler, compiler) == 0) return memo_salt;
  char *version = tt_compiler_version(compiler, err);
  if (version == NULL) return NULL;
  char *cpu = tt_mz_cpu_model();
  tt_str s;
  tt_str_init(&s);
  tt_str_printf(&s, "%s\n%s", version, cpu);
  free(version);
  free(cpu);
  free(memo_compiler);
  free(memo_salt);
  memo_compiler = tt_xstrdup(compiler);
  memo_salt = tt_str_take(&s);
  return memo_salt;
}

/* Copies at most `lines` lines of text into out (NUL-terminated). */
static void first_lines(const char *text, int lines, char *out, size_t len) {
  const char *end = text;
  for (int i = 0; i < lines && *end; i++) {
    const char *nl = strchr(end, '\n');
    end = nl ? nl + 1 : end + strlen(end);
  }
  size_t n = (size_t)(end - text);
  while (n > 0 && text[n - 1] == '\n')
    n--;
  snprintf(out, len, "%.*s", (int)n, text);
}

/* The cache key of source under this compiler, version and flags. */
static void cache_key(const char *source, const char *compiler, const char *salt,
                      const char *const *flags, char hex[17]) {
  uint64_t h = tt_hash_str(source, 0);
  h = tt_hash_bytes(compiler, strlen(compiler) + 1, h);
  h = tt_hash_bytes(salt, strlen(salt) + 1, h);
  for (size_t i = 0; flags[i] != NULL; i++)
    h = tt_hash_bytes(flags[i], strlen(flags[i]) + 1, h); /* NUL separates */
  tt_hash_hex(h, hex);
}

/* The verification record of an entry: what it was built from and the
 * .so's size and checksum (so_path NULL: those left out). */
static char *sum_text(const char *hex, const char *source, const char *compiler, const char *salt,
                      const char *const *flags, const char *so_path) {
  uint64_t tool = tt_hash_bytes(compiler, strlen(compiler) + 1, 1);
  tool = tt_hash_bytes(salt, strlen(salt) + 1, tool);
  for (size_t i = 0; flags[i] != NULL; i++)
    tool = tt_hash_bytes(flags[i], strlen(flags[i]) + 1, tool);
  char src_hex[17], tool_hex[17], so_hex[17] = "-";
  tt_hash_hex(tt_hash_str(source, 1), src_hex);
  tt_hash_hex(tool, tool_hex);
  size_t size = 0;
  char *so = so_path ? tt_file_read(so_path, &size, NULL) : NULL;
  if (so != NULL) tt_hash_hex(tt_hash_bytes(so, size, 2), so_hex);
  free(so);
  tt_str s;
  tt_str_init(&s);
  tt_str_printf(&s, "tetune-so 1\nkey %s\nsource %s\ntoolchain %s\nso %zu %s\n", hex, src_hex,
                tool_hex, size, so_hex);
  return tt_str_take(&s);
}

/* 1 when the cached so_path matches the record next to it (sum_path). */
static int entry_ok(const char *sum_path, const char *expect) {
  size_t len = 0;
  char *got = tt_file_read(sum_path, &len, NULL);
  int ok = got != NULL && strcmp(got, expect) == 0;
  free(got);
  return ok;
}

/* Runs the compiler on c_path into tmp_so and fills res. */
static tt_status run_compiler(const char *compiler, const char *const *flags, const char *c_path,
                              const char *tmp_so, const tt_measure_options *opt,
                              tt_measure_result *res, tt_error *err) {
  tt_vec argv = {0};
  char *words = tt_mz_compiler_words(compiler, &argv);
  for (size_t i = 0; flags[i] != NULL; i++)
    tt_vec_push(&argv, (void *)flags[i]);
  const char *tail[] = {c_path, "-o", tmp_so, "-lm", NULL};
  for (size_t i = 0; i < 5; i++)
    tt_vec_push(&argv, (void *)tail[i]);
  tt_proc_result pr;
  tt_status st = tt_proc_run((char *const *)argv.items, opt->compile_timeout_s, &pr, err);
  if (st != TT_OK) {
    st = TT_ERR_ENV;
    if (err != NULL) err->status = TT_ERR_ENV;
    goto done;
  }
  res->compile_s = pr.wall_s;
  res->outcome = TT_OUTCOME_COMPILE_ERROR;
  if (pr.timed_out) {
    snprintf(res->message, sizeof res->message, "compiler timed out after %g s",
             opt->compile_timeout_s);
  } else if (strstr(pr.out, strerror(ENOSPC)) || strstr(pr.out, strerror(EDQUOT))) {
    /* a full disk says nothing about the configuration */
    first_lines(pr.out, 3, res->message, sizeof res->message);
    st = tt_error_set(err, TT_ERR_ENV, "compiler failed for lack of disk space: %s", res->message);
  } else if (!pr.exited || pr.exit_code != 0 || !tt_file_exists(tmp_so)) {
    first_lines(pr.out, FIRST_LINES, res->message, sizeof res->message);
    if (res->message[0] == '\0')
      snprintf(res->message, sizeof res->message, "compiler failed without output");
  } else {
    res->outcome = TT_OUTCOME_OK;
    if (pr.out[0] != '\0') {
      char lines[TT_MEASURE_MSG_MAX - 32];
      first_lines(pr.out, FIRST_LINES, lines, sizeof lines);
      snprintf(res->message, sizeof res->message, "compiler warnings: %s", lines);
    }
  }
done:
  tt_proc_result_free(&pr);
  tt_vec_free(&argv);
  free(words);
  return st;
}

/* Removes tmp-<pid>-* directories of processes that no longer exist (a
 * SIGKILLed tuner cannot clean up after itself); a directory listing per
 * compile is nothing next to the compiler. Directories of live processes,
 * this one included, and names of other builds stay. */
static void sweep_stale(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end = NULL;
    if (strncmp(e->d_name, "tmp-", 4) != 0) continue;
    long pid = strtol(e->d_name + 4, &end, 10);
    if (end == e->d_name + 4 || *end != '-' || pid <= 0) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
    tt_str p;
    tt_str_init(&p);
    tt_str_printf(&p, "%s/%s", dir, e->d_name);
    tt_rmtree(p.data);
    tt_str_free(&p);
  }
  closedir(d);
}

/* What compile_into needs to name, build and record one entry. */
typedef struct entry {
  const char *dir, *hex, *source, *compiler, *salt, *c_path, *so_path, *sum_path;
} entry;

/* Compiles c_path through a private directory in the cache, records its
 * .sum and renames the result to so_path (atomic within one file system). */
static tt_status compile_into(const entry *e, const tt_measure_options *opt, tt_measure_result *res,
                              tt_error *err) {
  const char *dir = e->dir, *c_path = e->c_path, *so_path = e->so_path, *compiler = e->compiler;
  tt_status st = TT_OK;
  tt_str tmp, tmp_so;
  tt_str_init(&tmp);
  tt_str_init(&tmp_so);
  sweep_stale(dir);
  tt_str_printf(&tmp, "%s/tmp-%ld-XXXXXX", dir, (long)getpid());
  if (mkdtemp(tmp.data) == NULL) {
    st = tt_error_set(err, TT_ERR_IO, "cannot create %s: %s", tmp.data, strerror(errno));
    tt_str_free(&tmp);
    goto done;
  }
  tt_str_printf(&tmp_so, "%s/k.so", tmp.data);
  st = run_compiler(compiler, tt_mz_flags(opt), c_path, tmp_so.data, opt, res, err);
  if (st == TT_OK && res->outcome == TT_OUTCOME_OK) {
    char *sum = sum_text(e->hex, e->source, compiler, e->salt, tt_mz_flags(opt), tmp_so.data);
    st = tt_file_write(e->sum_path, sum, strlen(sum), err);
    free(sum);
  }
  if (st == TT_OK && res->outcome == TT_OUTCOME_OK && rename(tmp_so.data, so_path) != 0)
    st = tt_error_set(err, TT_ERR_IO, "cannot rename into %s: %s", so_path, strerror(errno));
  tt_rmtree(tmp.data);
done:
  tt_str_free(&tmp);
  tt_str_free(&tmp_so);
  return st;
}

/* See measure.h. */
tt_status tt_compile(const char *source, const tt_measure_options *opt, char **so_path,
                     tt_measure_result *res, tt_error *err) {
  tt_status st = TT_OK;
  tt_measure_options defaults = tt_measure_options_default();
  opt = opt != NULL ? opt : &defaults;
  memset(res, 0, sizeof *res);
  res->max_rel_err = -1;
  res->outcome = TT_OUTCOME_COMPILE_ERROR;
  *so_path = NULL;
  tt_str c_path, so, sum;
  tt_str_init(&c_path);
  tt_str_init(&so);
  tt_str_init(&sum);
  const char *compiler = tt_mz_compiler(opt);
  char *dir = tt_measure_cache_dir(opt, err);
  const char *salt = dir ? toolchain_salt(compiler, err) : NULL;
  if (salt == NULL) {
    st = err != NULL && err->status != TT_OK ? err->status : TT_ERR_ENV;
    snprintf(res->message, sizeof res->message, "%s", err ? err->msg : "environment failure");
    goto done;
  }
  char hex[17];
  cache_key(source, compiler, salt, tt_mz_flags(opt), hex);
  tt_str_printf(&c_path, "%s/%s.c", dir, hex);
  tt_str_printf(&so, "%s/%s.so", dir, hex);
  tt_str_printf(&sum, "%s/%s.sum", dir, hex);
  char *expect = sum_text(hex, source, compiler, salt, tt_mz_flags(opt), so.data);
  if (tt_file_exists(so.data) && entry_ok(sum.data, expect)) {
    res->outcome = TT_OUTCOME_OK;
    res->cached = 1;
  } else {
    entry e = {dir, hex, source, compiler, salt, c_path.data, so.data, sum.data};
    st = tt_file_write(c_path.data, source, strlen(source), err);
    if (st == TT_OK) st = compile_into(&e, opt, res, err);
  }
  free(expect);
  if (st == TT_OK && res->outcome == TT_OUTCOME_OK) *so_path = tt_str_take(&so);
done:
  free(dir);
  tt_str_free(&c_path);
  tt_str_free(&so);
  tt_str_free(&sum);
  return st;
}
