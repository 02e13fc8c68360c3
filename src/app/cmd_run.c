/* tetune run: build one configuration, validate it against the reference
 * and time it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/job.h"
#include "app/target_arg.h"
#include "app/tune_args.h"
#include "tetune/kernel_tune.h"

static const char usage[] =
    "usage: tetune run KERNEL [--size S] [--template T] [--config JSON|default]\n"
    "                  [--threads N] [--timeout SECONDS] [--cc CC] [--cflags FLAGS]\n"
    "                  [--target c|opencl|cuda] [--json]\n\n"
    "Builds one configuration of KERNEL (knobs left out of JSON take the\n"
    "template's defaults), checks its result against the naive reference and\n"
    "times it (warm-up, then repeats until the spread is small). Prints the\n"
    "outcome, the median time, GFLOP/s and the error against the reference.\n"
    "--cc and --cflags choose the compiler and its flags (default: $CC or cc,\n"
    "-O3 -march=native -fopenmp -fPIC -shared -Wall). --timeout limits the\n"
    "variant's run (default 60 s); the naive reference, run once and cached,\n"
    "has 30 minutes.\n"
    "--target builds for OpenCL or CUDA (validated against the C reference;\n"
    "timed with device events, copies excluded); a target that cannot run\n"
    "here (see tetune list --targets) exits 2.\n"
    "Exit status: 0 when the outcome is ok, 1 otherwise, 2 on bad input.\n";

static void print_result(const tt_job *j, const uint32_t *cfg, const tt_measure_result *r,
                         int json) {
  double flops = tt_job_flops(j);
  double gflops = r->outcome == TT_OUTCOME_OK && flops > 0 ? flops / r->time_median_s * 1e-9 : 0;
  char *cj = tt_space_config_to_json(j->space, cfg);
  if (json) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", tt_outcome_name(r->outcome));
    if (r->outcome == TT_OUTCOME_OK) {
      cJSON_AddNumberToObject(o, "time_s", r->time_median_s);
      cJSON_AddNumberToObject(o, "time_min_s", r->time_min_s);
      cJSON_AddNumberToObject(o, "spread", r->spread);
      cJSON_AddNumberToObject(o, "repeats", r->repeats);
      cJSON_AddNumberToObject(o, "gflops", gflops);
    } else {
      cJSON_AddNullToObject(o, "time_s");
      cJSON_AddNullToObject(o, "gflops");
    }
    if (r->max_rel_err >= 0)
      cJSON_AddNumberToObject(o, "max_rel_err", r->max_rel_err);
    else
      cJSON_AddNullToObject(o, "max_rel_err");
    cJSON_AddItemToObject(o, "config", cJSON_Parse(cj));
    cJSON_AddNumberToObject(o, "reference_time_s", j->ref_time_s);
    cJSON_AddNumberToObject(o, "compile_s", r->compile_s);
    if (r->message[0]) cJSON_AddStringToObject(o, "message", r->message);
    char *s = cJSON_Print(o);
    puts(s);
    free(s);
    cJSON_Delete(o);
  } else {
    printf("kernel %s, size %s, config %s\n", j->kernel->name, j->size_name, cj);
    printf("status: %s\n", tt_outcome_name(r->outcome));
    if (r->outcome == TT_OUTCOME_OK) {
      printf("time: %.6g s median, %.6g s min, spread %.1f%% over %d runs\n", r->time_median_s,
             r->time_min_s, 100 * r->spread, r->repeats);
      if (flops > 0) printf("gflops: %.2f\n", gflops);
      if (j->ref_time_s > 0)
        printf("speed-up over the naive reference: %.1fx (reference %.6g s)%s\n",
               j->ref_time_s / r->time_median_s, j->ref_time_s,
               r->time_median_s > j->ref_time_s ? ": slower than the naive reference" : "");
    }
    if (r->max_rel_err >= 0) printf("max relative error vs reference: %.3g\n", r->max_rel_err);
    if (r->message[0] && r->outcome != TT_OUTCOME_OK) printf("message: %s\n", r->message);
  }
  free(cj);
}

int tt_cmd_run(int argc, char **argv) {
  tt_opt opts[] = {{"size", 1, NULL},    {"template", 1, NULL}, {"config", 1, NULL},
                   {"threads", 1, NULL}, {"json", 0, NULL},     {"cc", 1, NULL},
                   {"cflags", 1, NULL},  {"timeout", 1, NULL},  {"target", 1, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, 9, pos, 1, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  if (npos != 1) return tt_app_fail(1, "run: missing KERNEL (see tetune run --help)");
  const tt_target *target = NULL;
  if ((rc = tt_target_arg(opts[8].value, 1, &target)) != 0) return rc;
  long threads = tt_args_int(opts, 5, "threads", 0);
  if (threads < 0) return 2;
  tt_error terr = {0};
  if (tt_check_threads(threads, &terr) != TT_OK) return tt_app_fail(1, terr.msg);
  double timeout_s = 0;
  if (opts[7].value && (timeout_s = tt_tune_parse_seconds(opts[7].value)) < 0)
    return tt_app_fail(1, "run: --timeout needs a positive number of seconds");
  tt_job j;
  tt_error err = {0};
  tt_measure_result r;
  uint32_t *cfg = NULL;
  if (tt_job_open_target(&j, pos[0], opts[0].value, opts[1].value, target, &err) != TT_OK)
    goto fail;
  j.mopt.threads = (int)threads;
  if (timeout_s > 0) j.mopt.run_timeout_s = timeout_s;
  if (tt_job_set_compiler(&j, opts[5].value, opts[6].value, &err) != TT_OK) goto fail;
  cfg = tt_xcalloc(j.nknobs + 1, sizeof(uint32_t));
  if (tt_job_parse_config(&j, opts[2].value, cfg, &err) != TT_OK) goto fail;
  if (tt_job_measure(&j, cfg, &r, &err) != TT_OK) goto fail;
  print_result(&j, cfg, &r, opts[4].value != NULL);
  rc = r.outcome == TT_OUTCOME_OK ? 0 : 1;
  goto done;
fail:
  rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
done:
  free(cfg);
  tt_job_close(&j);
  return rc;
}
