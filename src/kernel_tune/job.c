/* tt_job (kernel_tune.h): opening a kernel at a size, its knob space, building variants. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/kernel_tune.h"

/* Picks the size: the named one, or medium, or the kernel's first. */
static tt_status pick_size(tt_job *j, const char *size, tt_error *err) {
  const tt_kernel_def *k = j->kernel;
  int i = tt_kernel_size_index(k, size ? size : "medium");
  if (i < 0 && !size && k->nsizes) i = 0;
  if (i < 0) {
    tt_str names = {0};
    for (size_t s = 0; s < k->nsizes; s++)
      tt_str_printf(&names, "%s%s", s ? ", " : "", k->sizes[s].name);
    tt_error_set(err, TT_ERR_USAGE, "unknown size '%s' for kernel %s (sizes: %s)", size, k->name,
                 tt_str_cstr(&names));
    tt_str_free(&names);
    return TT_ERR_USAGE;
  }
  j->size_name = k->sizes[i].name;
  j->size = k->sizes[i].values;
  return TT_OK;
}

/* Adds knob i to the space with the kind its declaration asks for. */
static int add_knob(tt_job *j, const tt_knob_values *kv, tt_error *err) {
  if (kv->kind == TT_KD_ON_OFF) return tt_space_add_bool(j->space, kv->name, err);
  if (kv->kind == TT_KD_CHOICE)
    return tt_space_add_categorical(j->space, kv->name, kv->labels, kv->nvalues, err);
  if (kv->kind == TT_KD_PERMUTE)
    return tt_space_add_permutation(j->space, kv->name, kv->labels, kv->nvalues, err);
  double *v = tt_arena_alloc(j->arena, sizeof(double) * kv->nvalues);
  for (size_t i = 0; i < kv->nvalues; i++)
    v[i] = (double)kv->ivalues[i];
  return tt_space_add_ordinal(j->space, kv->name, v, kv->nvalues, err);
}

static tt_status build_space(tt_job *j, tt_error *err) {
  j->space = tt_space_new();
  j->defaults = tt_arena_alloc(j->arena, sizeof(uint32_t) * (j->nknobs + 1));
  for (size_t i = 0; i < j->nknobs; i++) {
    const tt_knob_values *kv = &j->knobs[i];
    tt_error e = {0};
    if (add_knob(j, kv, &e) < 0)
      return tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: %s", kv->loc.file, kv->loc.line,
                          kv->loc.col, e.msg);
    j->defaults[i] = (uint32_t)kv->default_index; /* permutations: identity = rank 0 */
  }
  for (size_t i = 0; j->tmpl && i < j->tmpl->nconstraints; i++) {
    const tt_constraint *c = &j->tmpl->constraints[i];
    tt_error e = {0};
    if (tt_space_add_constraint(j->space, c->text, &e) != TT_OK)
      return tt_error_set(err, TT_ERR_USAGE, "%s:%d:%d: %s", c->loc.file, c->loc.line, c->loc.col,
                          e.msg);
    /* Constraints are added one at a time, so the first that rejects the
     * defaults is this one: a template's first trial must be valid. */
    if (!tt_space_is_valid(j->space, j->defaults))
      return tt_error_set(err, TT_ERR_USAGE,
                          "%s:%d:%d: the default configuration violates constraint '%s' (size %s)",
                          c->loc.file, c->loc.line, c->loc.col, c->text, j->size_name);
  }
  return TT_OK;
}

tt_status tt_job_open(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                      tt_error *err) {
  return tt_job_open_target(j, kernel, size, tmpl, NULL, err);
}

/* The template: the named one, or the first the target can lower. */
static tt_status pick_template(tt_job *j, const char *tmpl, tt_error *err) {
  const tt_kernel_def *k = j->kernel;
  if (tmpl) {
    j->tmpl = tt_kernel_template(k, tmpl);
    if (!j->tmpl)
      return tt_error_set(err, TT_ERR_USAGE, "kernel %s has no template '%s'", k->name, tmpl);
    return tt_target_check_template(j->target, k, j->tmpl, err);
  }
  if (!k->ntemplates) return TT_OK;
  j->tmpl = tt_target_default_template(j->target, k);
  if (!j->tmpl)
    return tt_error_set(err, TT_ERR_USAGE, "kernel %s has no template for target %s", k->name,
                        j->target->name);
  return TT_OK;
}

tt_status tt_job_open_target(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                             const tt_target *t, tt_error *err) {
  memset(j, 0, sizeof(*j));
  j->arena = tt_arena_new();
  j->mopt = tt_measure_options_default();
  j->target = t ? t : tt_target_find("c");
  tt_target_measure_options(j->target, &j->mopt);
  tt_status st = tt_lang_find_kernel(j->arena, kernel, &j->kernel, err);
  if (st == TT_OK) st = pick_size(j, size, err);
  if (st == TT_OK) st = pick_template(j, tmpl, err);
  if (st == TT_OK) st = tt_kernel_check_sizes(j->kernel, j->size, &j->mopt.tensor_bytes, err);
  if (st != TT_OK) return st;
  if (j->tmpl) {
    st = tt_template_knobs(j->arena, j->kernel, j->tmpl, j->size, &j->knobs, &j->nknobs, err);
    if (st != TT_OK) return st;
  }
  return build_space(j, err);
}

void tt_job_close(tt_job *j) {
  tt_space_free(j->space);
  free(j->ref_path);
  free(j->fingerprint);
  tt_arena_free(j->arena);
  memset(j, 0, sizeof(*j));
}

size_t tt_job_nknobs(const tt_job *j) {
  return j->nknobs;
}

tt_status tt_job_parse_config(tt_job *j, const char *json, uint32_t *cfg, tt_error *err) {
  if (!json || strcmp(json, "default") == 0) {
    memcpy(cfg, j->defaults, sizeof(uint32_t) * j->nknobs);
    return TT_OK;
  }
  return tt_space_config_from_json(j->space, json, j->defaults, cfg, err);
}

void tt_job_sched_config(tt_job *j, const uint32_t *cfg, tt_sched_config *out) {
  tt_sched_config_init(out);
  for (size_t i = 0; i < j->nknobs; i++) {
    const tt_knob_values *kv = &j->knobs[i];
    switch (kv->kind) {
    case TT_KD_CHOICE:
      tt_env_set_label(&out->env, kv->name, kv->labels[cfg[i]]);
      break;
    case TT_KD_ON_OFF:
      tt_env_set_int(&out->env, kv->name, cfg[i] ? 1 : 0);
      break;
    case TT_KD_PERMUTE: {
      int perm[16];
      const char *items[16];
      size_t n = tt_space_perm_len(j->space, i);
      tt_space_perm_decode(j->space, i, cfg[i], perm);
      for (size_t p = 0; p < n; p++)
        items[p] = kv->labels[perm[p]];
      tt_sched_config_set_perm(out, kv->name, items, n);
      break;
    }
    default:
      tt_env_set_int(&out->env, kv->name, kv->ivalues[cfg[i]]);
      break;
    }
  }
}

tt_status tt_job_source(tt_job *j, const uint32_t *cfg, int abi, int standalone, char **src,
                        tt_error *err) {
  tt_sched_config sc;
  tt_lowered l;
  tt_arena *a = tt_arena_new(); /* one arena per compilation */
  tt_job_sched_config(j, cfg ? cfg : j->defaults, &sc);
  char *json = cfg ? tt_space_config_to_json(j->space, cfg) : NULL;
  tt_status st = tt_lower(a, j->kernel, j->size, cfg ? j->tmpl : NULL, cfg ? &sc : NULL, &l, err);
  if (st == TT_OK) {
    tt_codegen_opts o = {.size_name = j->size_name,
                         .template_name = cfg && j->tmpl ? j->tmpl->name : NULL,
                         .config_json = json,
                         .abi = abi,
                         .standalone = standalone};
    /* The reference is always the C loop nest, whatever the target. */
    const tt_target *t = cfg ? j->target : tt_target_find("c");
    st = tt_target_codegen(t, a, &l, &o, src, err);
  }
  free(json);
  tt_sched_config_free(&sc);
  tt_arena_free(a);
  return st;
}

/* Lowers cfg once and prints the standalone source and header; see kernel_tune.h. */
tt_status tt_job_export_sources(tt_job *j, const uint32_t *cfg, char **c_src, char **h_src,
                                tt_error *err) {
  tt_sched_config sc;
  tt_lowered l;
  tt_arena *a = tt_arena_new();
  tt_job_sched_config(j, cfg, &sc);
  char *json = tt_space_config_to_json(j->space, cfg);
  tt_status st = tt_lower(a, j->kernel, j->size, j->tmpl, &sc, &l, err);
  if (st == TT_OK) {
    tt_codegen_opts o = {.size_name = j->size_name,
                         .template_name = j->tmpl ? j->tmpl->name : NULL,
                         .config_json = json,
                         .abi = 0,
                         .standalone = 1};
    *c_src = tt_codegen(&tt_dialect_c, &l, &o);
    *h_src = tt_codegen_header(&l, &o);
  }
  free(json);
  tt_sched_config_free(&sc);
  tt_arena_free(a);
  return st;
}

/* 1 when a compile error is in the generated code itself: the compiler
 * names a .te line (codegen's #line directives), so the C that tetune
 * wrote is wrong, not the compiler, its flags or the machine. */
static int generated_fault(const tt_measure_result *r) {
  return r->outcome == TT_OUTCOME_COMPILE_ERROR && strstr(r->message, ".te:") != NULL;
}

tt_status tt_job_reference(tt_job *j, tt_error *err) {
  if (j->ref_path) return TT_OK;
  char *src = NULL, *so = NULL;
  tt_measure_result r = {0};
  tt_measure_options ro = j->mopt; /* the reference is C, built by the C compiler */
  if (j->target->kind != TT_TARGET_C) ro.compiler = NULL, ro.flags = NULL, ro.spawn_ok = 0;
  tt_status st = tt_job_source(j, NULL, 1, 0, &src, err);
  if (st == TT_OK) st = tt_compile(src, &ro, &so, &r, err);
  if (st == TT_OK && r.outcome != TT_OUTCOME_OK)
    st = tt_error_set(
        err, TT_ERR_ENV, "%sreference of %s does not compile: %s",
        generated_fault(&r) ? "internal error (a bug in tetune, please report it): the " : "",
        j->kernel->name, r.message);
  if (st == TT_OK) {
    char key[17], name[200];
    tt_hash_hex(tt_hash_str(src, 7), key);
    snprintf(name, sizeof name, "%.100s-%s-%s", j->kernel->name, j->size_name, key);
    for (char *p = name; *p; p++)
      if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
        *p = '_';
    st = tt_measure_reference(so, name, &ro, &j->ref_path, &r, err);
    j->ref_time_s = r.time_median_s;
  }
  free(src);
  free(so);
  return st;
}

/* See kernel_tune.h. */
double tt_job_reference_time(tt_job *j) {
  if (j->ref_path && j->ref_time_s >= 1.0) return j->ref_time_s;
  char *src = NULL;
  tt_measure_result r = {0};
  tt_error err = {0};
  double t = NAN;
  /* The reference validated against its own output: only the time counts. */
  if (j->ref_path && tt_job_source(j, NULL, 1, 0, &src, &err) == TT_OK &&
      tt_measure_source(src, j->ref_path, &j->mopt, &r, &err) == TT_OK &&
      r.outcome == TT_OUTCOME_OK && isfinite(r.time_median_s) && r.time_median_s > 0)
    t = r.time_median_s;
  free(src);
  return t;
}

tt_status tt_job_measure(tt_job *j, const uint32_t *cfg, tt_measure_result *res, tt_error *err) {
  memset(res, 0, sizeof(*res));
  res->max_rel_err = -1;
  if (!tt_space_is_valid(j->space, cfg)) {
    res->outcome = TT_OUTCOME_INVALID;
    snprintf(res->message, sizeof res->message, "configuration violates a constraint");
    return TT_OK;
  }
  tt_status st = tt_job_reference(j, err);
  if (st != TT_OK) return st;
  char *src = NULL;
  tt_error e = {0};
  if (tt_job_source(j, cfg, 1, 0, &src, &e) != TT_OK) {
    if (e.status != TT_ERR_USAGE) return tt_error_set(err, e.status, "%s", e.msg);
    res->outcome = TT_OUTCOME_INVALID; /* the schedule rejected this configuration */
    snprintf(res->message, sizeof res->message, "%s", e.msg);
    return TT_OK;
  }
  st = tt_measure_source(src, j->ref_path, &j->mopt, res, err);
  free(src);
  if (st == TT_OK && generated_fault(res)) {
    static const char note[] = "internal error (a bug in tetune, please report it): ";
    size_t n = sizeof note - 1, len = strnlen(res->message, sizeof res->message - 1 - n);
    memmove(res->message + n, res->message, len);
    memcpy(res->message, note, n);
    res->message[n + len] = '\0';
  }
  return st;
}

double tt_job_flops(const tt_job *j) {
  if (!j->kernel->flops) return 0;
  tt_env env = {0};
  double v = 0;
  for (size_t i = 0; i < j->kernel->nparams; i++)
    tt_env_set_int(&env, j->kernel->params[i], j->size[i]);
  if (tt_expr_eval(j->kernel->flops, &env, &v, NULL) != 0) v = 0;
  tt_env_free(&env);
  return v;
}
