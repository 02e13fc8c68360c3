/* The strategy registry: plain data saying which ops table serves which
 * name. The first entry is the default strategy. */
#include <string.h>

#include "search/strategy_impl.h"

static const tt_strategy_ops *const registry[] = {
    &tt_strategy_bo_ops, &tt_strategy_random_ops, &tt_strategy_grid_ops,
    &tt_strategy_ga_ops, &tt_strategy_xgb_ops,
};

enum { NUM_STRATEGIES = sizeof registry / sizeof registry[0] };

/* The ops registered under name, or NULL. */
const tt_strategy_ops *tt_strategy_ops_find(const char *name) {
  for (size_t i = 0; name && i < NUM_STRATEGIES; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}

/* Registered names in registry order, NULL-terminated; see search.h. */
const char *const *tt_strategy_names(void) {
  static const char *names[NUM_STRATEGIES + 1];
  if (!names[0])
    for (size_t i = 0; i < NUM_STRATEGIES; i++)
      names[i] = registry[i]->name;
  return names;
}

/* A strategy's option documentation; see search.h. */
char *tt_strategy_options_doc(const char *name, int markdown) {
  const tt_strategy_ops *ops = tt_strategy_ops_find(name);
  if (!ops) return NULL;
  char *text = NULL;
  if (!ops->options) return tt_xstrdup(markdown ? "" : "  (options: see the README)\n");
  if (markdown)
    text = tt_xstrdup("| option | takes | default | what it does |\n| --- | --- | --- | --- |\n");
  return tt_option_doc(ops->options, markdown, &text);
}
