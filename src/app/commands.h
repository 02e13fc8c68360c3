/* Internal to src/app: one function per `tetune` subcommand, each in its own
 * file (cmd_<name>.c). argv[0] is the subcommand name. Each returns the
 * process exit status: 0 success, 2 usage or input error (after printing a
 * one-line message "tetune: ..." to stderr), 1 any other failure. */
#ifndef TT_APP_COMMANDS_H
#define TT_APP_COMMANDS_H

int tt_cmd_list(int argc, char **argv);
int tt_cmd_space(int argc, char **argv);
int tt_cmd_run(int argc, char **argv);
int tt_cmd_show(int argc, char **argv);
int tt_cmd_replay(int argc, char **argv);
int tt_cmd_tune(int argc, char **argv);
int tt_cmd_history(int argc, char **argv);
int tt_cmd_compare(int argc, char **argv);
int tt_cmd_report(int argc, char **argv);
int tt_cmd_export(int argc, char **argv);
/* `tetune tune PROBLEM.t1.json` (cmd_tune_t1.c): main dispatches here when
 * tune's first argument names a .json file. */
int tt_cmd_tune_t1(int argc, char **argv);

#endif
