/* tetune: the command-line entry point. Dispatches to one function per
 * subcommand (src/app/cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "tetune/version.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"list", tt_cmd_list, "list the kernels and their problem sizes"},
    {"space", tt_cmd_space, "show a kernel template's knobs and the size of its space"},
    {"show", tt_cmd_show, "print the generated C of one configuration"},
    {"run", tt_cmd_run, "build, validate and time one configuration"},
    {"tune", tt_cmd_tune, "tune a kernel: search its template for the fastest variant"},
    {"history", tt_cmd_history, "list the stored tuning sessions and their best results"},
    {"compare", tt_cmd_compare, "compare search strategies over seeds with the same budget"},
    {"report", tt_cmd_report, "write an HTML report of the stored sessions"},
    {"export", tt_cmd_export, "write the best stored variant as standalone C"},
    {"replay", tt_cmd_replay,
     "judge search strategies on a recorded dataset or a synthetic function"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: tetune COMMAND [ARGS] (tetune COMMAND --help for details)\n"
             "       tetune --version\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

/* 1 when arg names a JSON file: `tune` then takes a T1 problem. */
static int is_json(const char *arg) {
  size_t n = strlen(arg);
  return n > 5 && strcmp(arg + n - 5, ".json") == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
    printf("tetune %s\n", tt_version());
    return 0;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "tune") && argc > 2 && is_json(argv[2]))
    return tt_cmd_tune_t1(argc - 1, argv + 1);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "tetune: unknown command '%s' (see tetune --help)\n", argv[1]);
  return 2;
}
