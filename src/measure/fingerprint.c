/* Where a measurement was made: CPU, cores, OS, compiler and flags, as a
 * JSON object the store records next to every session. */
#include "measure_impl.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The value after "key<spaces>: " on a /proc/cpuinfo line, or NULL. */
static const char *cpuinfo_value(const char *line, const char *key) {
  size_t n = strlen(key);
  if (strncmp(line, key, n) != 0) return NULL;
  const char *p = line + n;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != ':') return NULL;
  p++;
  while (*p == ' ')
    p++;
  return p;
}

/* CPU model from /proc/cpuinfo ("model name" on x86, "Model" or
 * "Hardware" elsewhere); "unknown" when absent. Caller frees. */
char *tt_mz_cpu_model(void) {
  static const char *const keys[] = {"model name", "Model", "Hardware", "cpu model"};
  char *text = tt_file_read("/proc/cpuinfo", NULL, NULL);
  char *model = NULL;
  for (size_t k = 0; text != NULL && model == NULL && k < 4; k++) {
    for (char *line = text; line != NULL && *line; line = strchr(line, '\n')) {
      if (*line == '\n') line++;
      const char *v = cpuinfo_value(line, keys[k]);
      if (v != NULL) {
        size_t len = strcspn(v, "\n");
        model = tt_xmalloc(len + 1);
        memcpy(model, v, len);
        model[len] = '\0';
        break;
      }
    }
  }
  free(text);
  return model != NULL ? model : tt_xstrdup("unknown");
}

/* First line of `<compiler> --version` (see measure.h). */
char *tt_compiler_version(const char *compiler, tt_error *err) {
  tt_vec argv = {0};
  char *words = tt_mz_compiler_words(compiler, &argv);
  tt_vec_push(&argv, "--version");
  tt_vec_push(&argv, NULL);
  tt_proc_result pr;
  char *line = NULL;
  tt_status st = tt_proc_run((char *const *)argv.items, 30.0, &pr, err);
  tt_vec_free(&argv);
  free(words);
  if (st != TT_OK) {
    if (err != NULL) err->status = TT_ERR_ENV;
    goto done;
  }
  if (!pr.exited || pr.exit_code != 0) {
    tt_error_set(err, TT_ERR_ENV, "%s --version failed", compiler);
    goto done;
  }
  size_t len = strcspn(pr.out, "\n");
  line = tt_xmalloc(len + 1);
  memcpy(line, pr.out, len);
  line[len] = '\0';
done:
  tt_proc_result_free(&pr);
  return line;
}

/* See measure.h. */
char *tt_machine_fingerprint(const tt_measure_options *opt, tt_error *err) {
  cJSON *o = cJSON_CreateObject();
  char *cpu = tt_mz_cpu_model();
  const char *compiler = tt_mz_compiler(opt);
  char *version = tt_compiler_version(compiler, err);
  struct utsname u;
  int have_uname = uname(&u) == 0;
  cJSON_AddStringToObject(o, "cpu_model", cpu);
  cJSON_AddNumberToObject(o, "cores", (double)sysconf(_SC_NPROCESSORS_ONLN));
  cJSON_AddStringToObject(o, "arch", have_uname ? u.machine : "unknown");
  cJSON_AddStringToObject(o, "os", have_uname ? u.sysname : "unknown");
  cJSON_AddStringToObject(o, "os_release", have_uname ? u.release : "unknown");
  cJSON_AddStringToObject(o, "compiler", compiler);
  cJSON_AddStringToObject(o, "compiler_version", version ? version : "unknown");
  cJSON *flags = cJSON_AddArrayToObject(o, "flags");
  for (const char *const *f = tt_mz_flags(opt); *f != NULL; f++)
    cJSON_AddItemToArray(flags, cJSON_CreateString(*f));
  cJSON_AddNumberToObject(o, "threads", opt != NULL ? opt->threads : 0);
  char *json = cJSON_PrintUnformatted(o);
  if (json == NULL) abort(); /* cJSON fails only on out-of-memory */
  char *out = tt_xstrdup(json);
  cJSON_free(json);
  cJSON_Delete(o);
  free(cpu);
  free(version);
  return out;
}
