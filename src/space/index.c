/* Enumeration: mixed-radix indices, keys, and lexicographic walking over
 * the valid configurations with early pruning of invalid prefixes. */
#include <assert.h>
#include <stdlib.h>

#include "space/space_impl.h"

/* Index of cfg, first knob most significant. */
uint64_t tt_space_index(const tt_space *s, const uint32_t *cfg) {
  uint64_t idx = 0;
  for (size_t k = 0; k < s->nknobs; k++)
    idx = idx * s->knobs[k].card + cfg[k];
  return idx;
}

/* Inverse of tt_space_index. */
void tt_space_from_index(const tt_space *s, uint64_t index, uint32_t *cfg) {
  for (size_t k = s->nknobs; k-- > 0;) {
    cfg[k] = (uint32_t)(index % s->knobs[k].card);
    index /= s->knobs[k].card;
  }
}

/* The index when the product fits 64 bits, else a hash of the values. */
uint64_t tt_space_key(const tt_space *s, const uint32_t *cfg) {
  if (s->index_fits) return tt_space_index(s, cfg);
  return tt_hash_bytes(cfg, s->nknobs * sizeof *cfg, 0x7e7e);
}

/* A walk's knob order: depth d is knob d, or knob K-1-d when reversed
 * (first knob least significant). */
typedef struct walk {
  const tt_space *s;
  int K, rev;
  int *last;     /* per constraint: the depth at which all its knobs are set */
  double *slots; /* knob values, by knob */
} walk;

static size_t knob_at(const walk *w, int d) {
  return (size_t)(w->rev ? w->K - 1 - d : d);
}

/* 1 when every constraint completed at depth d holds on the knobs set. */
static int prefix_ok(const walk *w, int d) {
  for (size_t c = 0; c < w->s->ncons; c++)
    if (w->last[c] == d && !tt_constraint_holds(w->s, &w->s->cons[c], w->slots)) return 0;
  return 1;
}

/* Moves cfg to the next prefix after depth d (resetting deeper knobs);
 * returns the depth to re-check from, or -1 when the space is exhausted. */
static int bump(const walk *w, uint32_t *cfg, int d) {
  for (int j = d + 1; j < w->K; j++)
    cfg[knob_at(w, j)] = 0;
  while (d >= 0 && ++cfg[knob_at(w, d)] >= w->s->knobs[knob_at(w, d)].card)
    cfg[knob_at(w, d--)] = 0;
  return d;
}

/* The walk of tt_space_next_valid in either order. */
static int next_valid(const tt_space *s, uint32_t *cfg, int after, int rev) {
  int rc = -1;
  walk w = {.s = s, .K = (int)s->nknobs, .rev = rev};
  w.last = tt_xmalloc((s->ncons + 1) * sizeof *w.last);
  w.slots = tt_xmalloc(((size_t)w.K + 1) * sizeof *w.slots);
  for (size_t c = 0; c < s->ncons; c++) {
    const tt_constraint *con = &s->cons[c];
    w.last[c] = -1; /* constraint knobs are listed in ascending order */
    if (con->nknobs)
      w.last[c] = rev ? w.K - 1 - (int)con->knobs[0] : (int)con->knobs[con->nknobs - 1];
  }
  if (!prefix_ok(&w, -1)) goto done; /* a constant constraint is false: nothing is valid */
  if (after && bump(&w, cfg, w.K - 1) < 0) goto done;
  int d = 0; /* cfg is now a lower bound: check every prefix from the top */
  for (;;) {
    while (d < w.K) {
      size_t k = knob_at(&w, d);
      assert(cfg[k] < s->knobs[k].card);
      w.slots[k] = tt_space_slot_value(s, k, cfg[k]);
      if (prefix_ok(&w, d)) {
        d++;
      } else if ((d = bump(&w, cfg, d)) < 0) {
        goto done;
      }
    }
    if (tt_space_member(s, cfg)) break; /* a restricted space's members only */
    if ((d = bump(&w, cfg, w.K - 1)) < 0) goto done;
  }
  rc = 0;
done:
  free(w.last);
  free(w.slots);
  return rc;
}

/* Advances cfg to the first valid configuration at or after it (strictly
 * after when after != 0) in lexicographic order; see space.h. */
int tt_space_next_valid(const tt_space *s, uint32_t *cfg, int after) {
  return next_valid(s, cfg, after, 0);
}

/* The same with the first knob least significant; see space.h. */
int tt_space_next_valid_rev(const tt_space *s, uint32_t *cfg, int after) {
  return next_valid(s, cfg, after, 1);
}
