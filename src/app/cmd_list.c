/* tetune list: the kernels of the kernel library and their sizes. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/target_arg.h"
#include "tetune/lang.h"
#include "tetune/search.h"

static const char usage[] =
    "usage: tetune list [--targets] [--strategies [--markdown]] [--json]\n\n"
    "Lists the kernels found in the kernel directories ($TETUNE_KERNEL_PATH,\n"
    "then the built-in kernels) with their problem sizes. --targets lists\n"
    "the targets instead, with whether each can run here and why not.\n"
    "--strategies lists the search strategies with their options (what each\n"
    "takes, its default, what it does), as Markdown tables with --markdown.\n";

static void print_json(tt_kernel_def **ks, size_t n) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject(), *sizes = cJSON_CreateArray(), *params = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "name", ks[i]->name);
    for (size_t s = 0; s < ks[i]->nsizes; s++)
      cJSON_AddItemToArray(sizes, cJSON_CreateString(ks[i]->sizes[s].name));
    for (size_t p = 0; p < ks[i]->nparams; p++)
      cJSON_AddItemToArray(params, cJSON_CreateString(ks[i]->params[p]));
    cJSON_AddItemToObject(o, "sizes", sizes);
    cJSON_AddItemToObject(o, "params", params);
    cJSON_AddStringToObject(o, "file", ks[i]->file);
    cJSON_AddItemToArray(arr, o);
  }
  char *s = cJSON_Print(arr);
  puts(s);
  free(s);
  cJSON_Delete(arr);
}

/* Every strategy and its options, from their option tables. */
static void print_strategies(int markdown) {
  for (const char *const *n = tt_strategy_names(); *n; n++) {
    char *doc = tt_strategy_options_doc(*n, markdown);
    printf(markdown ? "\n`%s`:\n\n%s" : "%s\n%s", *n, doc);
    free(doc);
  }
}

int tt_cmd_list(int argc, char **argv) {
  tt_opt opts[] = {
      {"json", 0, NULL}, {"targets", 0, NULL}, {"strategies", 0, NULL}, {"markdown", 0, NULL}};
  const char *pos[1];
  size_t npos;
  int rc = tt_args_parse(argc, argv, opts, 4, pos, 0, &npos, usage);
  if (rc) return rc == 1 ? 0 : rc;
  if (opts[2].value) {
    print_strategies(opts[3].value != NULL);
    return 0;
  }
  if (opts[1].value) {
    tt_targets_print(opts[0].value != NULL);
    return 0;
  }
  tt_arena *a = tt_arena_new();
  tt_kernel_def **ks = NULL;
  size_t n = 0;
  tt_error err = {0};
  tt_str warnings = {0};
  tt_status st = tt_lang_list_kernels(a, &ks, &n, &warnings, &err);
  for (const char *w = tt_str_cstr(&warnings); *w;) { /* one broken file hides no other */
    size_t len = strcspn(w, "\n");
    fprintf(stderr, "tetune: warning: %.*s (skipped)\n", (int)len, w);
    w += len + (w[len] == '\n');
  }
  tt_str_free(&warnings);
  if (st != TT_OK) {
    rc = tt_app_fail(err.status == TT_ERR_USAGE, err.msg);
    goto done;
  }
  if (opts[0].value) {
    print_json(ks, n);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    printf("%-12s", ks[i]->name);
    for (size_t s = 0; s < ks[i]->nsizes; s++) {
      printf(" %s(", ks[i]->sizes[s].name);
      for (size_t p = 0; p < ks[i]->nparams; p++)
        printf("%s%lld", p ? "," : "", (long long)ks[i]->sizes[s].values[p]);
      printf(")");
    }
    printf("\n");
  }
done:
  tt_arena_free(a);
  return rc;
}
