/* Measurement options: defaults and the cache directory. */
#include "measure_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const default_flags[] = {"-O3",     "-march=native", "-fopenmp", "-fPIC",
                                            "-shared", "-Wall",         NULL};

/* The compiler to run: opt->compiler, else $CC, else "cc". */
const char *tt_mz_compiler(const tt_measure_options *opt) {
  if (opt != NULL && opt->compiler != NULL && opt->compiler[0] != '\0') return opt->compiler;
  const char *cc = getenv("CC");
  return cc != NULL && cc[0] != '\0' ? cc : "cc";
}

/* See measure_impl.h. CC="ccache gcc" is two words, as make would run it,
 * but without a shell: no quoting, no expansion. */
char *tt_mz_compiler_words(const char *compiler, tt_vec *argv) {
  char *copy = tt_xstrdup(compiler);
  for (char *p = copy; *p;) {
    while (*p == ' ' || *p == '\t')
      *p++ = '\0';
    if (*p == '\0') break;
    tt_vec_push(argv, p);
    while (*p && *p != ' ' && *p != '\t')
      p++;
  }
  if (argv->len == 0) tt_vec_push(argv, copy); /* all blanks: let exec report it */
  return copy;
}

/* The flags to pass: opt->flags, else the defaults. */
const char *const *tt_mz_flags(const tt_measure_options *opt) {
  return opt != NULL && opt->flags != NULL ? opt->flags : default_flags;
}

/* The defaults documented in measure.h. */
tt_measure_options tt_measure_options_default(void) {
  tt_measure_options o = {0};
  o.compiler = NULL;
  o.flags = NULL;
  o.cache_dir = NULL;
  o.threads = 0;
  o.compile_timeout_s = 120.0;
  o.run_timeout_s = 60.0;
  o.ref_timeout_s = 1800.0;
  o.min_repeats = 3;
  o.max_repeats = 50;
  o.target_spread = 0.03;
  o.budget_s = 1.0;
  o.tol_f64 = 1e-9;
  o.tol_f32 = 1e-4;
  return o;
}

/* Non-NULL and non-empty environment variable, or NULL. */
static const char *env_nonempty(const char *name) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Resolves and creates the cache directory (see measure.h); caller frees. */
char *tt_measure_cache_dir(const tt_measure_options *opt, tt_error *err) {
  tt_str s;
  tt_str_init(&s);
  const char *v;
  if (opt != NULL && opt->cache_dir != NULL && opt->cache_dir[0] != '\0')
    tt_str_append(&s, opt->cache_dir);
  else if ((v = env_nonempty("TETUNE_CACHE_DIR")) != NULL)
    tt_str_append(&s, v);
  else if ((v = env_nonempty("XDG_CACHE_HOME")) != NULL)
    tt_str_printf(&s, "%s/tetune", v);
  else if ((v = env_nonempty("HOME")) != NULL)
    tt_str_printf(&s, "%s/.cache/tetune", v);
  else
    tt_str_printf(&s, "/tmp/tetune-cache-%ld", (long)getuid());
  if (tt_mkdirs(s.data, err) != TT_OK || tt_dir_check_private(s.data, err) != TT_OK) {
    if (err != NULL && err->status == TT_OK) err->status = TT_ERR_ENV;
    tt_str_free(&s);
    return NULL;
  }
  return tt_str_take(&s);
}

/* See measure_impl.h. Timeouts are left out: they decide whether a time
 * is obtained, not how it is obtained. */
uint64_t tt_mz_timing_key(const tt_measure_options *opt) {
  double v[] = {opt->min_repeats, opt->max_repeats, opt->target_spread,
                opt->budget_s,    opt->threads,     TT_MEASURE_SLOW_BUDGETS};
  uint64_t h = tt_hash_bytes(v, sizeof v, 0x7265660a);
  return h == TT_MZ_UNTRUSTED_KEY ? h + 1 : h;
}

/* See measure.h. The environment wins over opt, as in the child. */
void tt_measure_omp_env(const tt_measure_options *opt, char *buf, size_t len) {
  tt_mz_env_var vars[TT_MZ_OMP_VARS];
  char spin[32];
  size_t n = opt->threads > 0 ? tt_mz_omp_vars(opt, vars, spin) : 0;
  tt_str s = {0};
  for (size_t i = 0; i < n; i++)
    tt_str_printf(&s, "%s%s=%s", i ? " " : "", vars[i].name, vars[i].value);
  snprintf(buf, len, "%s", tt_str_cstr(&s));
  tt_str_free(&s);
}

/* See measure_impl.h: the user's binding, places and wait where set, else
 * tetune's (threads bound to cores, the spin bounded). */
size_t tt_mz_omp_vars(const tt_measure_options *opt, tt_mz_env_var out[TT_MZ_OMP_VARS],
                      char spin[32]) {
  size_t n = 0;
  const char *bind = env_nonempty("OMP_PROC_BIND"), *places = env_nonempty("OMP_PLACES");
  const char *wait = env_nonempty("OMP_WAIT_POLICY"), *count = env_nonempty("GOMP_SPINCOUNT");
  out[n++] = (tt_mz_env_var){"OMP_PROC_BIND", bind ? bind : "close"};
  if (places || !bind) out[n++] = (tt_mz_env_var){"OMP_PLACES", places ? places : "cores"};
  if (wait) out[n++] = (tt_mz_env_var){"OMP_WAIT_POLICY", wait};
  if (count) {
    out[n++] = (tt_mz_env_var){"GOMP_SPINCOUNT", count};
  } else if (!wait && opt->omp_spin >= 0) {
    snprintf(spin, 32, "%ld", opt->omp_spin > 0 ? opt->omp_spin : TT_MEASURE_OMP_SPIN);
    out[n++] = (tt_mz_env_var){"GOMP_SPINCOUNT", spin};
  }
  return n;
}

/* See measure.h. The OpenMP environment is part of it: under contention
 * the wait and the binding change a parallel variant's time several-fold. */
void tt_measure_settings(const tt_measure_options *opt, char *buf, size_t len) {
  char wait[512];
  tt_measure_omp_env(opt, wait, sizeof wait);
  snprintf(buf, len,
           "run_timeout=%g compile_timeout=%g repeats=%d..%d spread=%g budget=%g tol=%g,%g%s%s",
           opt->run_timeout_s, opt->compile_timeout_s, opt->min_repeats, opt->max_repeats,
           opt->target_spread, opt->budget_s, opt->tol_f64, opt->tol_f32, wait[0] ? " " : "", wait);
}
