/* Fuzz target: a .te file through everything `tetune show` and `space` do
 * with it: parse, size checks, template knobs and constraints, lowering and
 * C code generation of the reference, the default configuration and two
 * sampled ones. Public API only, so the target survives refactors of the
 * application. Errors must be one line (the project's rule). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tetune/codegen.h"
#include "tetune/lang.h"
#include "tetune/lower.h"
#include "tetune/schedule.h"
#include "tetune/space.h"

static void one_line(const tt_error *e) {
  assert(strchr(e->msg, '\n') == NULL);
}

/* Lowers and prints k under t with configuration sc (NULL: the reference). */
static void lower_print(const tt_kernel_def *k, const int64_t *size, const tt_template *t,
                        const tt_sched_config *sc) {
  tt_arena *a = tt_arena_new();
  tt_lowered l;
  tt_error err = {0};
  if (tt_lower(a, k, size, t, sc, &l, &err) == TT_OK) {
    tt_codegen_opts o = {.abi = 1};
    free(tt_codegen(&tt_dialect_c, &l, &o));
  } else {
    one_line(&err);
  }
  tt_arena_free(a);
}

/* The knob values of configuration cfg as a schedule configuration. */
static void sched_config(const tt_space *s, const tt_knob_values *kv, size_t n, const uint32_t *cfg,
                         tt_sched_config *out) {
  tt_sched_config_init(out);
  for (size_t i = 0; i < n; i++) {
    if (kv[i].kind == TT_KD_CHOICE) {
      tt_env_set_label(&out->env, kv[i].name, kv[i].labels[cfg[i]]);
    } else if (kv[i].kind == TT_KD_ON_OFF) {
      tt_env_set_int(&out->env, kv[i].name, cfg[i] ? 1 : 0);
    } else if (kv[i].kind == TT_KD_PERMUTE) {
      int perm[16];
      const char *items[16];
      size_t len = tt_space_perm_len(s, i);
      tt_space_perm_decode(s, i, cfg[i], perm);
      for (size_t p = 0; p < len; p++)
        items[p] = kv[i].labels[perm[p]];
      tt_sched_config_set_perm(out, kv[i].name, items, len);
    } else {
      tt_env_set_int(&out->env, kv[i].name, kv[i].ivalues[cfg[i]]);
    }
  }
}

/* Adds knob kv to s as `tetune space` does; -1 on error. */
static int add_knob(tt_space *s, const tt_knob_values *kv) {
  tt_error e = {0};
  if (kv->kind == TT_KD_ON_OFF) return tt_space_add_bool(s, kv->name, &e);
  if (kv->kind == TT_KD_CHOICE)
    return tt_space_add_categorical(s, kv->name, kv->labels, kv->nvalues, &e);
  if (kv->kind == TT_KD_PERMUTE) {
    if (kv->nvalues > 16) return -1;
    return tt_space_add_permutation(s, kv->name, kv->labels, kv->nvalues, &e);
  }
  double *v = malloc(sizeof(double) * (kv->nvalues + 1));
  for (size_t i = 0; i < kv->nvalues; i++)
    v[i] = (double)kv->ivalues[i];
  int r = tt_space_add_ordinal(s, kv->name, v, kv->nvalues, &e);
  free(v);
  return r;
}

/* The template's space, its default and two sampled configurations. */
static void one_template(tt_arena *a, const tt_kernel_def *k, const int64_t *size,
                         const tt_template *t) {
  tt_knob_values *kv = NULL;
  size_t n = 0;
  tt_error err = {0};
  if (tt_template_knobs(a, k, t, size, &kv, &n, &err) != TT_OK) return one_line(&err);
  tt_space *s = tt_space_new();
  uint32_t *cfg = calloc(n + 1, sizeof *cfg);
  for (size_t i = 0; i < n; i++)
    if (add_knob(s, &kv[i]) < 0) goto out;
  for (size_t i = 0; i < t->nconstraints; i++) {
    tt_error e = {0};
    if (tt_space_add_constraint(s, t->constraints[i].text, &e) != TT_OK) goto out;
  }
  for (size_t i = 0; i < n; i++)
    cfg[i] = kv[i].kind == TT_KD_PERMUTE ? 0 : (uint32_t)kv[i].default_index;
  tt_rng rng;
  tt_rng_seed(&rng, 42);
  for (int r = 0; r < 3; r++) {
    if (r > 0 && tt_space_sample(s, &rng, cfg) != 0) break;
    tt_sched_config sc;
    sched_config(s, kv, n, cfg, &sc);
    lower_print(k, size, t, &sc);
    tt_sched_config_free(&sc);
  }
out:
  free(cfg);
  tt_space_free(s);
}

/* The first size of k (only when its tensors fit the checks). */
static void one_kernel(tt_arena *a, const tt_kernel_def *k) {
  if (k->nsizes == 0) return;
  const int64_t *size = k->sizes[0].values;
  int64_t bytes = 0;
  tt_error err = {0};
  if (tt_kernel_check_sizes(k, size, &bytes, &err) != TT_OK) return one_line(&err);
  lower_print(k, size, NULL, NULL);
  for (size_t t = 0; t < k->ntemplates && t < 2; t++)
    one_template(a, k, size, &k->templates[t]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  if (n > TT_FUZZ_MAX_INPUT) return 0;
  char *text = malloc(n + 1);
  memcpy(text, data, n);
  text[n] = 0;
  tt_arena *a = tt_arena_new();
  tt_kernel_def **ks = NULL;
  size_t nk = 0;
  tt_error err = {0};
  if (tt_lang_parse(a, "fuzz.te", text, &ks, &nk, &err) == TT_OK) {
    for (size_t i = 0; i < nk && i < 2; i++)
      one_kernel(a, ks[i]);
  } else {
    one_line(&err);
  }
  tt_arena_free(a);
  free(text);
  return 0;
}
