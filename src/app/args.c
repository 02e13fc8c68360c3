/* The subcommands' option parser. */
#include "app/args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints "tetune: msg" as one line: control characters in msg (a newline
 * inside an option value, say) are shown escaped, so a message is always
 * exactly one line. */
int tt_app_fail(int usage_error, const char *msg) {
  fputs("tetune: ", stderr);
  for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
    if (*p == '\n')
      fputs("\\n", stderr);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(stderr, "\\x%02x", *p);
    else
      fputc(*p, stderr);
  }
  fputc('\n', stderr);
  return usage_error ? 2 : 1;
}

static tt_opt *find(tt_opt *opts, size_t n, const char *name, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) return &opts[i];
  return NULL;
}

/* The option table, one "--name" or "--name VALUE" a line: what
 * scripts/gen_docs.sh builds the man page and the bash completion from. */
static void list_options(const tt_opt *opts, size_t n) {
  for (size_t i = 0; i < n; i++)
    printf("--%s%s\n", opts[i].name, opts[i].takes_value ? " VALUE" : "");
}

int tt_args_parse(int argc, char **argv, tt_opt *opts, size_t nopts, const char **pos,
                  size_t maxpos, size_t *npos, const char *usage) {
  char msg[300];
  *npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 1;
    }
    if (!strcmp(a, "--list-options")) {
      list_options(opts, nopts);
      return 1;
    }
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
      if (*npos == maxpos) {
        snprintf(msg, sizeof msg, "%s: unexpected argument '%s'", argv[0], a);
        return tt_app_fail(1, msg);
      }
      pos[(*npos)++] = a;
      continue;
    }
    const char *eq = strchr(a + 2, '=');
    size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
    tt_opt *o = find(opts, nopts, a + 2, len);
    if (!o) {
      snprintf(msg, sizeof msg, "%s: unknown option '%.*s' (see tetune %s --help)", argv[0],
               (int)len + 2, a, argv[0]);
      return tt_app_fail(1, msg);
    }
    if (!o->takes_value) {
      if (eq) {
        snprintf(msg, sizeof msg, "%s: option '--%s' takes no value", argv[0], o->name);
        return tt_app_fail(1, msg);
      }
      o->value = "1";
    } else if (eq) {
      o->value = eq + 1;
    } else if (i + 1 < argc) {
      o->value = argv[++i];
    } else {
      snprintf(msg, sizeof msg, "%s: option '--%s' needs a value", argv[0], o->name);
      return tt_app_fail(1, msg);
    }
  }
  return 0;
}

const char *tt_args_get(const tt_opt *opts, size_t nopts, const char *name) {
  for (size_t i = 0; i < nopts; i++)
    if (!strcmp(opts[i].name, name)) return opts[i].value;
  return NULL;
}

long tt_args_int(const tt_opt *opts, size_t nopts, const char *name, long dflt) {
  const char *v = tt_args_get(opts, nopts, name);
  if (!v) return dflt;
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || *end || end == v || x < 0) {
    fprintf(stderr, "tetune: option '--%s' needs a non-negative integer, not '%s'\n", name, v);
    return -1;
  }
  return x;
}
