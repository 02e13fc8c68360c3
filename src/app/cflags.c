/* --cc and --cflags: the compiler and flags variants are built with. */
#include <string.h>

#include "app/cflags.h"

tt_status tt_job_set_compiler(tt_job *j, const char *cc, const char *cflags, tt_error *err) {
  if (cc) {
    if (!*cc) return tt_error_set(err, TT_ERR_USAGE, "--cc needs a compiler name");
    j->mopt.compiler = tt_arena_strdup(j->arena, cc);
  }
  if (!cflags) return TT_OK;
  /* Split on blanks; flags never go through a shell. */
  size_t n = 0, len = strlen(cflags);
  const char **argv = tt_arena_alloc(j->arena, sizeof(char *) * (len / 2 + 2));
  for (const char *p = cflags; *p;) {
    while (*p == ' ' || *p == '\t')
      p++;
    const char *e = p;
    while (*e && *e != ' ' && *e != '\t')
      e++;
    if (e > p) argv[n++] = tt_arena_strndup(j->arena, p, (size_t)(e - p));
    p = e;
  }
  if (n == 0) return tt_error_set(err, TT_ERR_USAGE, "--cflags is empty");
  argv[n] = NULL;
  j->mopt.flags = argv;
  return TT_OK;
}
