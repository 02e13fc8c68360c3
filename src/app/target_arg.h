/* Internal to src/app: the --target option and `tetune list --targets`. */
#ifndef TT_APP_TARGET_ARG_H
#define TT_APP_TARGET_ARG_H

#include "tetune/target.h"

/* The target named by --target (NULL: c). With run set, the target must
 * be able to run variants here. Returns 0 with *out, or 2 after printing
 * one line (an unknown target, or one that cannot run here). */
int tt_target_arg(const char *name, int run, const tt_target **out);
/* Prints the registry with what is usable here and why not. */
void tt_targets_print(int json);

#endif
