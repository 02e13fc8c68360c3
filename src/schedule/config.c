/* tt_sched_config: knob values of one configuration. */
#include <stdlib.h>
#include <string.h>

#include "tetune/schedule.h"

void tt_sched_config_init(tt_sched_config *c) {
  memset(c, 0, sizeof(*c));
}

void tt_sched_config_free(tt_sched_config *c) {
  tt_env_free(&c->env);
  for (size_t i = 0; i < c->nperms; i++) {
    free((void *)c->perm_names[i]);
    for (size_t j = 0; j < c->perm_len[i]; j++)
      free((void *)c->perm_items[i][j]);
    free(c->perm_items[i]);
  }
  free(c->perm_names);
  free(c->perm_items);
  free(c->perm_len);
  memset(c, 0, sizeof(*c));
}

void tt_sched_config_set_perm(tt_sched_config *c, const char *knob, const char **items, size_t n) {
  c->perm_names = tt_xrealloc(c->perm_names, sizeof(char *) * (c->nperms + 1));
  c->perm_items = tt_xrealloc(c->perm_items, sizeof(char **) * (c->nperms + 1));
  c->perm_len = tt_xrealloc(c->perm_len, sizeof(size_t) * (c->nperms + 1));
  c->perm_names[c->nperms] = tt_xstrdup(knob);
  c->perm_items[c->nperms] = tt_xmalloc(sizeof(char *) * (n + 1));
  for (size_t i = 0; i < n; i++)
    c->perm_items[c->nperms][i] = tt_xstrdup(items[i]);
  c->perm_len[c->nperms] = n;
  c->nperms++;
}

const char **tt_sched_config_perm(const tt_sched_config *c, const char *knob, size_t *n) {
  for (size_t i = 0; c && i < c->nperms; i++)
    if (strcmp(c->perm_names[i], knob) == 0) {
      *n = c->perm_len[i];
      return c->perm_items[i];
    }
  return NULL;
}
