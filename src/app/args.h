/* Internal to src/app: a small command-line option parser shared by the
 * subcommands. Options are "--name VALUE", "--name=VALUE" or flags. */
#ifndef TT_APP_ARGS_H
#define TT_APP_ARGS_H

#include <stddef.h>

typedef struct tt_opt {
  const char *name; /* without the leading "--" */
  int takes_value;
  const char *value; /* set by the parser; "1" for a flag that was given */
} tt_opt;

/* Parses argv[1..argc) (argv[0] is the subcommand). Positionals go into
 * pos (at most maxpos). Returns 0, 1 when --help was given (usage printed to
 * stdout) or --list-options (the table printed to stdout, one "--name" or
 * "--name VALUE" a line, for the generated man page and completion), or 2
 * after printing a one-line error to stderr. */
int tt_args_parse(int argc, char **argv, tt_opt *opts, size_t nopts, const char **pos,
                  size_t maxpos, size_t *npos, const char *usage);
const char *tt_args_get(const tt_opt *opts, size_t nopts, const char *name);
/* Parses a positive integer option; prints an error and returns -1 if bad. */
long tt_args_int(const tt_opt *opts, size_t nopts, const char *name, long dflt);

/* Prints "tetune: msg" to stderr and returns exit code 2 (usage) or 1. */
int tt_app_fail(int usage_error, const char *msg);

#endif
