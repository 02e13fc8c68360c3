/* 64-bit FNV-1a: simple, stable across runs and platforms; used for cache
 * keys, not for security. */
#include "tetune/support.h"

#include <string.h>

static const uint64_t FNV_OFFSET = 0xcbf29ce484222325ULL;
static const uint64_t FNV_PRIME = 0x100000001b3ULL;

/* Hashes n bytes; seed 0 gives plain FNV-1a, any other seed is mixed into
 * the offset basis so hashes can be chained (pass the previous hash). */
uint64_t tt_hash_bytes(const void *data, size_t n, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = FNV_OFFSET ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV_PRIME;
  }
  return h;
}

/* Continues FNV-1a from state h: tt_hash_more(tt_hash_bytes(a, n, 0), b, m)
 * equals the seed-0 hash of a followed by b. */
uint64_t tt_hash_more(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV_PRIME;
  }
  return h;
}

/* Hashes the bytes of a NUL-terminated string (without the NUL). */
uint64_t tt_hash_str(const char *s, uint64_t seed) {
  return tt_hash_bytes(s, strlen(s), seed);
}

/* Writes h as 16 lower-case hex digits plus NUL. */
void tt_hash_hex(uint64_t h, char out[17]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; i--) {
    out[i] = digits[h & 0xf];
    h >>= 4;
  }
  out[16] = '\0';
}
