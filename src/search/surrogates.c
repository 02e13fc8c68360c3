/* The surrogate registry: plain data saying which adapter serves which
 * name. Its order is bo's surrogate= choices' (tt_surrogate_names), which
 * the unit test checks against this table. */
#include <string.h>

#include "search/surrogate_impl.h"

static const tt_surrogate_ops *const registry[] = {
    &tt_surrogate_rf_ops, &tt_surrogate_et_ops,  &tt_surrogate_gbt_ops,
    &tt_surrogate_gp_ops, &tt_surrogate_mix_ops,
};

enum { NUM_SURROGATES = sizeof registry / sizeof registry[0] };

const char *const tt_surrogate_names[NUM_SURROGATES + 1] = {"rf", "et", "gbt", "gp", "mix", NULL};

/* The ops registered under name, or NULL. */
const tt_surrogate_ops *tt_surrogate_ops_find(const char *name) {
  for (size_t i = 0; name && i < NUM_SURROGATES; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}

/* 1 when key is in the NULL-terminated keys (NULL: none). */
int tt_surrogate_takes(const char *const *keys, const char *key) {
  for (size_t i = 0; keys && keys[i]; i++)
    if (strcmp(keys[i], key) == 0) return 1;
  return 0;
}
