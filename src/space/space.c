/* tt_space: knobs and their values. Constraints are in constraint.c,
 * sampling in sampler.c/sample.c, indexing in index.c. */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "space/space_impl.h"

/* Creates an empty space (one configuration: the empty one). */
tt_space *tt_space_new(void) {
  tt_space *s = tt_xcalloc(1, sizeof *s);
  s->arena = tt_arena_new();
  s->index_fits = 1;
  pthread_mutex_init(&s->lock, NULL);
  return s;
}

/* Frees the space, its knobs, constraints and sampler. NULL is allowed. */
void tt_space_free(tt_space *s) {
  if (!s) return;
  tt_sampler_free(s->sampler);
  tt_space_unrestrict(s);
  pthread_mutex_destroy(&s->lock);
  for (size_t i = 0; i < s->ncons; i++)
    free(s->cons[i].knobs);
  free(s->cons);
  free(s->knobs);
  tt_arena_free(s->arena);
  free(s);
}

/* 1 when name is an identifier ([A-Za-z_][A-Za-z0-9_]*). */
static int is_identifier(const char *name) {
  if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_')) return 0;
  for (const char *c = name; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '_') return 0;
  return 1;
}

/* Checks name, appends a knob of kind with card values and returns it (or
 * NULL with err set). Drops the sampler: the space changed. */
static tt_knob *add_knob(tt_space *s, const char *name, tt_knob_kind kind, uint64_t card,
                         tt_error *err) {
  if (!is_identifier(name)) {
    tt_error_set(err, TT_ERR_USAGE, "knob name '%s' is not an identifier", name ? name : "");
    return NULL;
  }
  if (tt_space_knob_index(s, name) >= 0) {
    tt_error_set(err, TT_ERR_USAGE, "duplicate knob '%s'", name);
    return NULL;
  }
  if (card == 0 || card > UINT32_MAX) {
    tt_error_set(err, TT_ERR_USAGE, "knob '%s' has %s values", name, card ? "too many" : "no");
    return NULL;
  }
  if (s->nknobs == s->cap_knobs) {
    s->cap_knobs = s->cap_knobs ? 2 * s->cap_knobs : 8;
    s->knobs = tt_xrealloc(s->knobs, s->cap_knobs * sizeof *s->knobs);
  }
  /* The index stays exact while the product of cards is below 2^64. */
  if (s->index_fits && tt_space_cartesian_size(s) * (double)card >= 18446744073709551616.0)
    s->index_fits = 0;
  tt_knob *k = &s->knobs[s->nknobs++];
  memset(k, 0, sizeof *k);
  k->name = tt_arena_strdup(s->arena, name);
  k->kind = kind;
  k->card = (uint32_t)card;
  tt_space_unrestrict(s);
  tt_sampler_free(s->sampler);
  s->sampler = NULL;
  return k;
}

/* Integer range lo..hi by step (> 0). */
int tt_space_add_int(tt_space *s, const char *name, int64_t lo, int64_t hi, int64_t step,
                     tt_error *err) {
  if (step <= 0 || hi < lo) {
    tt_error_set(err, TT_ERR_USAGE, "knob '%s': bad range %lld..%lld step %lld", name ? name : "",
                 (long long)lo, (long long)hi, (long long)step);
    return -1;
  }
  uint64_t card = ((uint64_t)hi - (uint64_t)lo) / (uint64_t)step + 1;
  tt_knob *k = add_knob(s, name, TT_KNOB_INT, card, err);
  if (!k) return -1;
  k->lo = lo;
  k->step = step;
  tt_knob_set_roles(s, s->nknobs - 1);
  return (int)s->nknobs - 1;
}

/* Ordinal list of distinct finite numbers, kept in the caller's order. */
int tt_space_add_ordinal(tt_space *s, const char *name, const double *values, size_t n,
                         tt_error *err) {
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < i; j++)
      if (values[j] == values[i]) {
        tt_error_set(err, TT_ERR_USAGE, "knob '%s': duplicate value %g", name, values[i]);
        return -1;
      }
    if (!isfinite(values[i])) {
      tt_error_set(err, TT_ERR_USAGE, "knob '%s': value is not finite", name);
      return -1;
    }
  }
  tt_knob *k = add_knob(s, name, TT_KNOB_ORDINAL, n, err);
  if (!k) return -1;
  k->values = tt_arena_alloc(s->arena, n * sizeof *k->values);
  memcpy(k->values, values, n * sizeof *values);
  tt_knob_prepare_features(s, s->nknobs - 1);
  tt_knob_set_roles(s, s->nknobs - 1);
  return (int)s->nknobs - 1;
}

/* Copies n distinct non-empty labels into the arena; NULL on a bad list. */
static char **copy_labels(tt_space *s, const char *name, const char *const *labels, size_t n,
                          tt_error *err) {
  for (size_t i = 0; i < n; i++) {
    if (!labels[i] || !labels[i][0]) {
      tt_error_set(err, TT_ERR_USAGE, "knob '%s': empty label", name);
      return NULL;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(labels[i], labels[j]) == 0) {
        tt_error_set(err, TT_ERR_USAGE, "knob '%s': duplicate label '%s'", name, labels[i]);
        return NULL;
      }
  }
  char **out = tt_arena_alloc(s->arena, (n + 1) * sizeof *out);
  for (size_t i = 0; i < n; i++)
    out[i] = tt_arena_strdup(s->arena, labels[i]);
  return out;
}

/* Categorical knob over n distinct labels. */
int tt_space_add_categorical(tt_space *s, const char *name, const char *const *labels, size_t n,
                             tt_error *err) {
  char **copy = copy_labels(s, name, labels, n, err);
  if (!copy) return -1;
  tt_knob *k = add_knob(s, name, TT_KNOB_CATEGORICAL, n, err);
  if (!k) return -1;
  k->labels = copy;
  tt_knob_set_roles(s, s->nknobs - 1);
  return (int)s->nknobs - 1;
}

/* Permutation of n (1..12) distinct items: n! values. */
int tt_space_add_permutation(tt_space *s, const char *name, const char *const *items, size_t n,
                             tt_error *err) {
  if (n == 0 || n > TT_PERM_MAX) {
    tt_error_set(err, TT_ERR_USAGE, "knob '%s': a permutation needs 1 to %d items", name,
                 TT_PERM_MAX);
    return -1;
  }
  char **copy = copy_labels(s, name, items, n, err);
  if (!copy) return -1;
  uint64_t card = 1;
  for (size_t i = 2; i <= n; i++)
    card *= i;
  tt_knob *k = add_knob(s, name, TT_KNOB_PERMUTATION, card, err);
  if (!k) return -1;
  k->labels = copy;
  k->perm_n = n;
  tt_knob_set_roles(s, s->nknobs - 1);
  return (int)s->nknobs - 1;
}

/* Boolean knob: index 0 off, 1 on. */
int tt_space_add_bool(tt_space *s, const char *name, tt_error *err) {
  if (!add_knob(s, name, TT_KNOB_BOOL, 2, err)) return -1;
  tt_knob_set_roles(s, s->nknobs - 1);
  return (int)s->nknobs - 1;
}

size_t tt_space_num_knobs(const tt_space *s) {
  return s->nknobs;
}

const char *tt_space_knob_name(const tt_space *s, size_t knob) {
  assert(knob < s->nknobs);
  return s->knobs[knob].name;
}

tt_knob_kind tt_space_knob_kind(const tt_space *s, size_t knob) {
  assert(knob < s->nknobs);
  return s->knobs[knob].kind;
}

/* Index of the knob called name, -1 if there is none. */
int tt_space_knob_index(const tt_space *s, const char *name) {
  for (size_t i = 0; i < s->nknobs; i++)
    if (strcmp(s->knobs[i].name, name) == 0) return (int)i;
  return -1;
}

uint32_t tt_space_knob_card(const tt_space *s, size_t knob) {
  assert(knob < s->nknobs);
  return s->knobs[knob].card;
}

/* Numeric value of value index v; see space.h. */
double tt_space_knob_value(const tt_space *s, size_t knob, uint32_t v) {
  assert(knob < s->nknobs && v < s->knobs[knob].card);
  const tt_knob *k = &s->knobs[knob];
  switch (k->kind) {
  case TT_KNOB_INT:
    return (double)(k->lo + (int64_t)v * k->step);
  case TT_KNOB_ORDINAL:
    return k->values[v];
  default:
    return (double)v;
  }
}

/* Constraints read knobs exactly as tt_space_knob_value gives them. */
double tt_space_slot_value(const tt_space *s, size_t k, uint32_t v) {
  return tt_space_knob_value(s, k, v);
}

/* Categorical label v, or permutation item v; NULL for other kinds. */
const char *tt_space_knob_label(const tt_space *s, size_t knob, uint32_t v) {
  assert(knob < s->nknobs);
  const tt_knob *k = &s->knobs[knob];
  if (k->kind == TT_KNOB_CATEGORICAL && v < k->card) return k->labels[v];
  if (k->kind == TT_KNOB_PERMUTATION && v < k->perm_n) return k->labels[v];
  return NULL;
}

size_t tt_space_perm_len(const tt_space *s, size_t knob) {
  assert(knob < s->nknobs);
  return s->knobs[knob].perm_n;
}

/* Product of all cards, as a double. */
double tt_space_cartesian_size(const tt_space *s) {
  double p = 1;
  for (size_t i = 0; i < s->nknobs; i++)
    p *= s->knobs[i].card;
  return p;
}
