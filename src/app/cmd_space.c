/* tetune space: a template's knobs, their values and the size of its space. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/job.h"

static const char usage[] =
    "usage: tetune space KERNEL [--size S] [--template T] [--target c|opencl|cuda]\n"
    "                    [--json]\n\n"
    "Shows the knobs of KERNEL's schedule template at problem size S (default\n"
    "medium), their values and defaults, the constraints, and how many\n"
    "configurations are valid. --target opencl or cuda: the first template that\n"
    "target can lower (a GPU template), as tune would pick it.\n";

static cJSON *knob_values_json(const tt_knob_values *kv) {
  cJSON *vals = cJSON_CreateArray();
  for (size_t v = 0; v < kv->nvalues; v++) {
    if (kv->kind == TT_KD_CHOICE || kv->kind == TT_KD_PERMUTE)
      cJSON_AddItemToArray(vals, cJSON_CreateString(kv->labels[v]));
    else if (kv->kind == TT_KD_ON_OFF)
      cJSON_AddItemToArray(vals, cJSON_CreateBool((int)v));
    else
      cJSON_AddItemToArray(vals, cJSON_CreateNumber((double)kv->ivalues[v]));
  }
  return vals;
}

static const char *kind_name(tt_knob_decl_kind k) {
  static const char *const names[] = {"split", "list", "choice", "permute", "on_off"};
  return names[k];
}

static void print_text(const tt_job *j, double valid, int exact) {
  printf("kernel %s, size %s, template %s\n", j->kernel->name, j->size_name,
         j->tmpl ? j->tmpl->name : "(none)");
  for (size_t i = 0; i < j->nknobs; i++) {
    const tt_knob_values *kv = &j->knobs[i];
    cJSON *vals = knob_values_json(kv);
    char *s = cJSON_PrintUnformatted(vals);
    printf("  %-10s %-8s %s", kv->name, kind_name(kv->kind), s);
    if (kv->kind != TT_KD_PERMUTE) {
      cJSON *d = cJSON_GetArrayItem(vals, (int)kv->default_index);
      char *ds = cJSON_PrintUnformatted(d);
      printf("  default %s", ds);
      free(ds);
    }
    printf("\n");
    free(s);
    cJSON_Delete(vals);
  }
  for (size_t i = 0; j->tmpl && i < j->tmpl->nconstraints; i++)
    printf("  constraint %s\n", j->tmpl->constraints[i].text);
  printf("configurations: %.0f valid%s of %.0f\n", valid, exact ? "" : " (estimated)",
         tt_space_cartesian_size(j->space));
}

int tt_cmd_space(int argc, char **argv) {
  tt_opt opts[] = {
      {"size", 1, NULL}, {"template", 1, NULL}, {"json", 0, NULL}, {"target", 1, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, 4, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  if (npos != 1) return tt_app_fail(1, "space: missing KERNEL (see tetune space --help)");
  const tt_target *target = tt_target_find(opts[3].value ? opts[3].value : "c");
  if (!target) return tt_app_fail(1, "space: unknown target (targets: c, opencl, cuda)");
  tt_job j;
  tt_error err = {0};
  if (tt_job_open_target(&j, pos[0], opts[0].value, opts[1].value, target, &err) != TT_OK) {
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
    goto done;
  }
  int exact = 0;
  double valid = tt_space_valid_size(j.space, &exact);
  if (!opts[2].value) {
    print_text(&j, valid, exact);
    goto done;
  }
  cJSON *o = cJSON_CreateObject(), *knobs = cJSON_CreateArray();
  for (size_t i = 0; i < j.nknobs; i++) {
    cJSON *k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "name", j.knobs[i].name);
    cJSON_AddStringToObject(k, "kind", kind_name(j.knobs[i].kind));
    cJSON_AddItemToObject(k, "values", knob_values_json(&j.knobs[i]));
    cJSON_AddNumberToObject(k, "default_index", (double)j.knobs[i].default_index);
    cJSON_AddItemToArray(knobs, k);
  }
  cJSON_AddStringToObject(o, "kernel", j.kernel->name);
  cJSON_AddStringToObject(o, "size_name", j.size_name);
  cJSON_AddStringToObject(o, "template", j.tmpl ? j.tmpl->name : "");
  cJSON_AddItemToObject(o, "knobs", knobs);
  cJSON_AddNumberToObject(o, "size", valid);
  cJSON_AddBoolToObject(o, "size_exact", exact);
  cJSON_AddNumberToObject(o, "cartesian_size", tt_space_cartesian_size(j.space));
  char *s = cJSON_Print(o);
  puts(s);
  free(s);
  cJSON_Delete(o);
done:
  tt_job_close(&j);
  return rc;
}
