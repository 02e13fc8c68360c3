/* tetune show: print the generated C of one configuration. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/job.h"
#include "app/target_arg.h"

static const char usage[] =
    "usage: tetune show KERNEL [--size S] [--template T] [--config JSON|default|reference]\n"
    "                   [--passes] [--target c|opencl|cuda] [--json]\n\n"
    "Prints the C/OpenMP source tetune generates for one configuration of\n"
    "KERNEL (default: the template's defaults; `reference`: the naive loop\n"
    "nest). Knobs left out of JSON take their defaults.\n\n"
    "--passes  print instead the loop program after each lowering pass, in\n"
    "          order, each after a line `# after PASS` (with --json: the\n"
    "          same text as \"passes\")\n"
    "--target  opencl or cuda: that target's variant, host code with the\n"
    "          device program inside\n";

/* Lowers the configuration (NULL: the reference) with a log of the passes,
 * into *log (heap, the caller frees). */
static tt_status lower_log(tt_job *j, const uint32_t *cfg, char **log, tt_error *err) {
  tt_sched_config sc;
  tt_lowered l;
  tt_str text = {0};
  tt_arena *a = tt_arena_new();
  tt_job_sched_config(j, cfg ? cfg : j->defaults, &sc);
  tt_status st = tt_lower_logged(a, j->kernel, j->size, cfg ? j->tmpl : NULL, cfg ? &sc : NULL, &l,
                                 &text, err);
  *log = st == TT_OK ? tt_xstrdup(tt_str_cstr(&text)) : NULL;
  tt_str_free(&text);
  tt_sched_config_free(&sc);
  tt_arena_free(a);
  return st;
}

int tt_cmd_show(int argc, char **argv) {
  tt_opt opts[] = {{"size", 1, NULL}, {"template", 1, NULL}, {"config", 1, NULL},
                   {"json", 0, NULL}, {"passes", 0, NULL},   {"target", 1, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, 6, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  if (npos != 1) return tt_app_fail(1, "show: missing KERNEL (see tetune show --help)");
  const tt_target *target = tt_target_find(opts[5].value ? opts[5].value : "c");
  if (!target) return tt_app_fail(1, "show: unknown target (targets: c, opencl, cuda)");
  tt_job j;
  tt_error err = {0};
  char *src = NULL;
  uint32_t *cfg = NULL;
  if (tt_job_open_target(&j, pos[0], opts[0].value, opts[1].value, target, &err) != TT_OK)
    goto fail;
  const char *c = opts[2].value;
  int reference = c && strcmp(c, "reference") == 0;
  cfg = tt_xcalloc(j.nknobs + 1, sizeof(uint32_t));
  if (!reference && tt_job_parse_config(&j, c, cfg, &err) != TT_OK) goto fail;
  if (!reference && !tt_space_is_valid(j.space, cfg)) {
    tt_error_set(&err, TT_ERR_USAGE, "configuration violates a constraint of template %s",
                 j.tmpl->name);
    goto fail;
  }
  int passes = opts[4].value != NULL;
  if (passes ? lower_log(&j, reference ? NULL : cfg, &src, &err) != TT_OK
             : tt_job_source(&j, reference ? NULL : cfg, 0, 1, &src, &err) != TT_OK)
    goto fail;
  if (opts[3].value) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kernel", j.kernel->name);
    cJSON_AddStringToObject(o, "size", j.size_name);
    cJSON_AddStringToObject(o, passes ? "passes" : "source", src);
    char *s = cJSON_Print(o);
    puts(s);
    free(s);
    cJSON_Delete(o);
  } else {
    fputs(src, stdout);
  }
  goto done;
fail:
  rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
done:
  free(src);
  free(cfg);
  tt_job_close(&j);
  return rc;
}
