/* xoshiro256** (Blackman & Vigna) seeded through splitmix64: the same
 * sequence on every platform for a given seed. */
#include "tetune/support.h"

#include <assert.h>
#include <math.h>

/* One splitmix64 step; used only to expand the seed. */
static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

/* Seeds r; every seed (0 included) gives a valid, non-zero state. */
void tt_rng_seed(tt_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64(&x);
}

/* Next 64 random bits. */
uint64_t tt_rng_next(tt_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Uniform double in [0, 1) with 53 random bits. */
double tt_rng_uniform(tt_rng *r) {
  return (double)(tt_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n) without modulo bias (rejection sampling). */
uint64_t tt_rng_below(tt_rng *r, uint64_t n) {
  assert(n > 0);
  uint64_t limit = UINT64_MAX - UINT64_MAX % n; /* multiple of n */
  uint64_t x;
  do {
    x = tt_rng_next(r);
  } while (x >= limit);
  return x % n;
}

/* Standard normal by the Box-Muller transform (one value per call). */
double tt_rng_normal(tt_rng *r) {
  double u1 = tt_rng_uniform(r);
  double u2 = tt_rng_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Fisher-Yates shuffle of items[0..n). */
void tt_rng_shuffle(tt_rng *r, int *items, size_t n) {
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)tt_rng_below(r, i);
    int t = items[i - 1];
    items[i - 1] = items[j];
    items[j] = t;
  }
}
