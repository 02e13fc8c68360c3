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

/* 1 when every constraint whose last knob is d holds on slots[0..d]. */
static int prefix_ok(const tt_space *s, const int *last, int d, const double *slots) {
  for (size_t c = 0; c < s->ncons; c++)
    if (last[c] == d && !tt_constraint_holds(s, &s->cons[c], slots)) return 0;
  return 1;
}

/* Moves cfg to the next prefix after position d (resetting later knobs);
 * returns the depth to re-check from, or -1 when the space is exhausted. */
static int bump(const tt_space *s, uint32_t *cfg, int d) {
  for (size_t j = (size_t)d + 1; j < s->nknobs; j++)
    cfg[j] = 0;
  while (d >= 0 && ++cfg[d] >= s->knobs[d].card)
    cfg[d--] = 0;
  return d;
}

/* Advances cfg to the first valid configuration at or after it (strictly
 * after when after != 0) in lexicographic order; see space.h. */
int tt_space_next_valid(const tt_space *s, uint32_t *cfg, int after) {
  int rc = -1;
  int K = (int)s->nknobs;
  int *last = tt_xmalloc((s->ncons + 1) * sizeof *last);
  double *slots = tt_xmalloc(((size_t)K + 1) * sizeof *slots);
  for (size_t c = 0; c < s->ncons; c++) {
    const tt_constraint *con = &s->cons[c];
    last[c] = con->nknobs ? (int)con->knobs[con->nknobs - 1] : -1;
  }
  if (!prefix_ok(s, last, -1, slots))
    goto done; /* a constant constraint is false: nothing is valid */
  if (after && bump(s, cfg, K - 1) < 0) goto done;
  int d = 0; /* cfg is now a lower bound: check every prefix from the top */
  while (d < K) {
    assert(cfg[d] < s->knobs[d].card);
    slots[d] = tt_space_slot_value(s, (size_t)d, cfg[d]);
    if (prefix_ok(s, last, d, slots)) {
      d++;
    } else if ((d = bump(s, cfg, d)) < 0) {
      goto done;
    }
  }
  rc = 0;
done:
  free(last);
  free(slots);
  return rc;
}
