/* Strategy specs, "NAME" or "NAME(OPTIONS)" as the command line and the
 * store write them (tune.h). */
#include <stdlib.h>
#include <string.h>

#include "tetune/tune.h"

/* Splits spec into its name (into name[cap]) and its options (NULL when
 * none); TT_ERR_USAGE when the parentheses are malformed or name is too
 * long. */
tt_status tt_tune_split_spec(const char *spec, char *name, size_t cap, const char **options,
                             size_t *olen, tt_error *err) {
  *options = NULL; /* set on every path (-O3 cannot see that errors return early) */
  *olen = 0;
  const char *paren = strchr(spec, '(');
  size_t n = paren ? (size_t)(paren - spec) : strlen(spec);
  size_t len = strlen(spec);
  if (paren && (len < 2 || spec[len - 1] != ')' || tt_tune_spec_end(spec) != spec + len))
    return tt_error_set(err, TT_ERR_USAGE,
                        "strategy '%s': options go in one pair of parentheses, "
                        "e.g. bo(init=4,acq=ei)",
                        spec);
  if (n >= cap) return tt_error_set(err, TT_ERR_USAGE, "unknown strategy '%s'", spec);
  memcpy(name, spec, n);
  name[n] = 0;
  *options = paren ? paren + 1 : NULL;
  *olen = paren ? len - n - 2 : 0;
  return TT_OK;
}

/* See tune.h. */
const char *tt_tune_spec_end(const char *list) {
  int depth = 0;
  for (; *list && (depth > 0 || *list != ','); list++)
    depth += (*list == '(') - (*list == ')');
  return list;
}

/* TT_OK when name is a registered strategy; a one-line TT_ERR_USAGE
 * listing the known ones otherwise. */
static tt_status check_name(const char *name, tt_error *err) {
  const char *const *names = tt_strategy_names();
  tt_str known = {0};
  for (size_t i = 0; names[i]; i++) {
    if (strcmp(names[i], name) == 0) {
      tt_str_free(&known);
      return TT_OK;
    }
    tt_str_printf(&known, "%s%s", i ? ", " : "", names[i]);
  }
  tt_error_set(err, TT_ERR_USAGE, "unknown strategy '%s' (strategies: %s)", name,
               tt_str_cstr(&known));
  tt_str_free(&known);
  return TT_ERR_USAGE;
}

/* See tune.h. */
tt_status tt_tune_check_strategy(const char *spec, tt_error *err) {
  char name[64];
  const char *opts;
  size_t olen;
  if (tt_tune_split_spec(spec, name, sizeof name, &opts, &olen, err) != TT_OK) return TT_ERR_USAGE;
  if (check_name(name, err) != TT_OK) return TT_ERR_USAGE;
  /* The options too, on a stand-in space, before anything is opened or
   * written (a bad option must not leave a new database behind). */
  tt_space *s = tt_space_new();
  tt_space_add_int(s, "x", 0, 7, 1, NULL);
  tt_strategy *st = tt_tune_strategy_new(spec, s, 1, err);
  tt_strategy_free(st);
  tt_space_free(s);
  return st ? TT_OK : TT_ERR_USAGE;
}

/* See tune.h. */
tt_strategy *tt_tune_strategy_new(const char *spec, const tt_space *space, uint64_t seed,
                                  tt_error *err) {
  char name[64];
  const char *opts;
  size_t olen;
  if (tt_tune_split_spec(spec, name, sizeof name, &opts, &olen, err) != TT_OK ||
      check_name(name, err) != TT_OK)
    return NULL;
  char *o = NULL;
  if (opts) {
    o = tt_xmalloc(olen + 1);
    memcpy(o, opts, olen);
    o[olen] = 0;
  }
  tt_strategy *st = tt_strategy_new(name, space, seed, o, err);
  free(o);
  return st;
}

/* See tune.h. */
const char *tt_tune_default_strategy(void) {
  const char *const *names = tt_strategy_names();
  for (size_t i = 0; names[i]; i++)
    if (strcmp(names[i], "bo") == 0) return names[i];
  return names[0];
}
