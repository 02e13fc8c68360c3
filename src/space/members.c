/* Restricted spaces: a list of member configurations on top of the knobs
 * and constraints (tt_space_restrict), as when the space is a dataset's
 * measured rows. Members are kept sorted by key, so membership is a binary
 * search and sampling one is a uniform draw from the list. */
#include <stdlib.h>
#include <string.h>

#include "space/space_impl.h"

typedef struct keyed {
  uint64_t key;
  size_t row;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  return (x->key > y->key) - (x->key < y->key);
}

static int cmp_key(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

void tt_space_unrestrict(tt_space *s) {
  free(s->members);
  free(s->member_keys);
  s->members = NULL;
  s->member_keys = NULL;
  s->nmembers = 0;
}

/* Restricts s to the rows of cfgs; see space.h. */
tt_status tt_space_restrict(tt_space *s, const uint32_t *cfgs, size_t n, tt_error *err) {
  size_t K = s->nknobs;
  tt_space_unrestrict(s);
  if (n == 0) {
    tt_error_set(err, TT_ERR_USAGE, "restricted space: no configurations");
    return TT_ERR_USAGE;
  }
  for (size_t i = 0; i < n; i++)
    if (!tt_space_is_valid(s, cfgs + i * K)) {
      tt_error_set(err, TT_ERR_USAGE, "restricted space: configuration %zu is not valid", i + 1);
      return TT_ERR_USAGE;
    }
  keyed *order = tt_xmalloc(n * sizeof *order);
  for (size_t i = 0; i < n; i++)
    order[i] = (keyed){tt_space_key(s, cfgs + i * K), i};
  qsort(order, n, sizeof *order, cmp_keyed);
  s->member_keys = tt_xmalloc(n * sizeof *s->member_keys);
  s->members = tt_xmalloc((n * K + 1) * sizeof *s->members);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m && s->member_keys[m - 1] == order[i].key) continue; /* a duplicate */
    s->member_keys[m] = order[i].key;
    memcpy(s->members + m * K, cfgs + order[i].row * K, K * sizeof *cfgs);
    m++;
  }
  s->nmembers = m;
  free(order);
  tt_sampler_free(s->sampler);
  s->sampler = NULL;
  return TT_OK;
}

size_t tt_space_num_members(const tt_space *s) {
  return s->nmembers;
}

int tt_space_member(const tt_space *s, const uint32_t *cfg) {
  if (!s->nmembers) return 1;
  uint64_t key = tt_space_key(s, cfg);
  return bsearch(&key, s->member_keys, s->nmembers, sizeof key, cmp_key) != NULL;
}

/* A uniformly drawn member into cfg (the space is restricted). */
void tt_space_sample_member(const tt_space *s, tt_rng *rng, uint32_t *cfg) {
  size_t i = (size_t)tt_rng_below(rng, s->nmembers);
  memcpy(cfg, s->members + i * s->nknobs, s->nknobs * sizeof *cfg);
}
