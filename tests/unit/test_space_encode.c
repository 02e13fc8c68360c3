/* Unit tests for neighbourhoods, model encodings (rank, log, one-hot,
 * pairwise order) and configurations as JSON (round trip, errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/space.h"

/* tile ordinal, unroll int 0..12 by 4, vec bool, par categorical, order
 * permutation of 3: every knob kind. */
static tt_space *mixed_space(void) {
  tt_space *s = tt_space_new();
  double tiles[] = {4, 1, 16, 64}; /* deliberately unsorted */
  const char *par[] = {"none", "io", "fused"};
  const char *items[] = {"i", "j", "k"};
  tt_space_add_ordinal(s, "tile", tiles, 4, NULL);
  tt_space_add_int(s, "unroll", 0, 12, 4, NULL);
  tt_space_add_bool(s, "vec", NULL);
  tt_space_add_categorical(s, "par", par, 3, NULL);
  tt_space_add_permutation(s, "order", items, 3, NULL);
  return s;
}

/* Number of knobs where a and b differ. */
static int differing(const uint32_t *a, const uint32_t *b, size_t K) {
  int n = 0;
  for (size_t k = 0; k < K; k++)
    n += a[k] != b[k];
  return n;
}

static void test_neighbours(void **state) {
  (void)state;
  tt_space *s = mixed_space();
  uint32_t cfg[5] = {1, 2, 0, 1, 3}, out[64 * 5];
  /* 3 other tiles + 3 unrolls + 1 vec + 2 par + 3 swaps */
  size_t n = tt_space_neighbours(s, cfg, out, 64);
  assert_int_equal(n, 12);
  int perm[3], nperm[3];
  tt_space_perm_decode(s, 4, cfg[4], perm);
  for (size_t i = 0; i < n; i++) {
    const uint32_t *nb = out + 5 * i;
    assert_int_equal(differing(cfg, nb, 5), 1);
    assert_true(tt_space_is_valid(s, nb));
    if (nb[4] != cfg[4]) { /* exactly two positions swapped */
      tt_space_perm_decode(s, 4, nb[4], nperm);
      int moved = 0;
      for (int j = 0; j < 3; j++)
        moved += perm[j] != nperm[j];
      assert_int_equal(moved, 2);
    }
    for (size_t j = 0; j < i; j++)
      assert_int_not_equal(differing(nb, out + 5 * j, 5), 0);
  }
  assert_int_equal(tt_space_neighbours(s, cfg, out, 5), 5); /* max respected */
  /* a constraint removes invalid neighbours */
  tt_space_add_constraint(s, "unroll <= tile", NULL);
  n = tt_space_neighbours(s, cfg, out, 64); /* tile 1, unroll 8: cfg invalid */
  for (size_t i = 0; i < n; i++)
    assert_true(tt_space_is_valid(s, out + 5 * i));
  uint32_t ok[5] = {3, 2, 0, 1, 3}; /* tile 64, unroll 8 */
  n = tt_space_neighbours(s, ok, out, 64);
  assert_int_equal(n, 1 + 3 + 1 + 2 + 3); /* tiles 4 and 1 are invalid */
  tt_space_free(s);
}

/* Roles follow the declarations: tile sizes are sized, unroll 0..12 by 4
 * starts at 0 (not sized, and not a code: 0, 4, 8, 12), a 0..3 integer is
 * a code, a bool, a categorical and a permutation are switches, and so is
 * a two-valued ordinal. */
static void test_roles(void **state) {
  (void)state;
  tt_space *s = mixed_space();
  double two[] = {32, 64};
  tt_space_add_int(s, "method", 0, 3, 1, NULL);
  tt_space_add_ordinal(s, "bs", two, 2, NULL);
  const unsigned want[] = {TT_ROLE_RANGED | TT_ROLE_SIZED,
                           TT_ROLE_RANGED,
                           TT_ROLE_SWITCH,
                           TT_ROLE_SWITCH,
                           TT_ROLE_SWITCH,
                           TT_ROLE_RANGED | TT_ROLE_CODE,
                           TT_ROLE_RANGED | TT_ROLE_SIZED | TT_ROLE_SWITCH};
  for (size_t k = 0; k < 7; k++)
    assert_int_equal(tt_space_knob_roles(s, k), want[k]);
  tt_space_free(s);
}

/* The sampled neighbourhood: a knob of 1000 values gives its values 1, 2,
 * 4, ... steps away and at most 8 random ones, not 999; a small knob all
 * of its others; the filter is obeyed; the same rng state, the same list. */
static void test_neighbours_sampled(void **state) {
  (void)state;
  tt_space *s = tt_space_new();
  tt_space_add_int(s, "big", 0, 999, 1, NULL);
  tt_space_add_int(s, "small", 0, 9, 1, NULL);
  uint32_t cfg[2] = {500, 5}, out[128 * 2], again[128 * 2];
  tt_rng r1, r2;
  tt_rng_seed(&r1, 4);
  tt_rng_seed(&r2, 4);
  size_t n = tt_space_neighbours_sampled(s, cfg, &r1, NULL, NULL, out, 128);
  assert_int_equal(tt_space_neighbours_sampled(s, cfg, &r2, NULL, NULL, again, 128), n);
  assert_memory_equal(out, again, n * 2 * sizeof *out);
  size_t big = 0, small = 0;
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(differing(cfg, out + 2 * i, 2), 1);
    big += out[2 * i] != cfg[0];
    small += out[2 * i + 1] != cfg[1];
  }
  assert_int_equal(small, 9);
  assert_true(big >= 18 && big <= 18 + 8);        /* 9 steps each side (1..256), + random */
  uint32_t *all = malloc(2000 * 2 * sizeof *all); /* the plain list: every value */
  assert_int_equal(tt_space_neighbours(s, cfg, all, 2000), 999 + 9);
  free(all);
  tt_space_free(s);
}

static void test_encode(void **state) {
  (void)state;
  tt_space *s = mixed_space();
  assert_int_equal(tt_space_encoded_dim(s), 1 + 1 + 1 + 3 + 3);
  double x[9];
  int perm[3] = {2, 0, 1}; /* k before i before j */
  uint32_t cfg[5] = {0, 1, 1, 2, tt_space_perm_encode(s, 4, perm)};
  tt_space_encode(s, TT_ENCODE_RANK, cfg, x);
  assert_true(fabs(x[0] - 1.0 / 3) < 1e-12); /* 4 is 2nd smallest of 1,4,16,64 */
  assert_true(fabs(x[1] - 1.0 / 3) < 1e-12); /* unroll 4 of 0..12 */
  assert_true(x[2] == 1);
  assert_true(x[3] == 0 && x[4] == 0 && x[5] == 1); /* one-hot fused */
  /* pairs (i,j) (i,k) (j,k): i before j yes, i before k no, j before k no */
  assert_true(x[6] == 1 && x[7] == 0 && x[8] == 0);
  tt_space_encode(s, TT_ENCODE_LOG, cfg, x);
  assert_true(fabs(x[0] - 2.0 / 6) < 1e-12); /* log2 4 in [0, 6] */
  assert_true(fabs(x[1] - 1.0 / 3) < 1e-12); /* unroll has 0: rank */
  cfg[0] = 3;
  tt_space_encode(s, TT_ENCODE_LOG, cfg, x);
  assert_true(x[0] == 1);
  for (size_t i = 0; i < 9; i++)
    assert_true(x[i] >= 0 && x[i] <= 1);
  size_t knob_of[9], want[9] = {0, 1, 2, 3, 3, 3, 4, 4, 4};
  tt_space_encoded_knobs(s, knob_of);
  assert_memory_equal(knob_of, want, sizeof want);
  tt_space_free(s);
}

static void test_json_roundtrip(void **state) {
  (void)state;
  tt_space *s = mixed_space();
  uint32_t cfg[5], back[5];
  for (uint64_t i = 0; i < (uint64_t)tt_space_cartesian_size(s); i += 5) {
    tt_space_from_index(s, i, cfg);
    char *json = tt_space_config_to_json(s, cfg);
    assert_int_equal(tt_space_config_from_json(s, json, NULL, back, NULL), TT_OK);
    assert_memory_equal(cfg, back, sizeof cfg);
    free(json);
  }
  int perm[3] = {1, 2, 0};
  uint32_t c2[5] = {2, 3, 1, 1, tt_space_perm_encode(s, 4, perm)};
  char *json = tt_space_config_to_json(s, c2);
  assert_string_equal(json, "{\"tile\":16,\"unroll\":12,\"vec\":true,\"par\":\"io\","
                            "\"order\":[\"j\",\"k\",\"i\"]}");
  free(json);
  tt_space_free(s);
}

static void test_json_errors(void **state) {
  (void)state;
  tt_space *s = mixed_space();
  uint32_t cfg[5], defaults[5] = {0, 0, 0, 0, 0};
  struct {
    const char *json, *msg;
  } cases[] = {
      {"[1]", "not a JSON object"},
      {"{\"tile\": 4", "configuration is not valid JSON (it ends too early)"},
      {"{\"colour\": 1}", "unknown knob 'colour'"},
      {"{\"tile\": 5}", "knob 'tile': 5 is not one of its values"},
      {"{\"unroll\": 6}", "knob 'unroll': 6 is not one of its values"},
      {"{\"vec\": \"yes\"}", "knob 'vec': \"yes\" is not one of its values"},
      {"{\"par\": \"outer\"}", "knob 'par': \"outer\" is not one of its values"},
      {"{\"order\": [\"i\", \"i\", \"k\"]}", "knob 'order'"},
      {"{\"order\": [\"i\", \"j\"]}", "knob 'order'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tt_error err = {0};
    assert_int_equal(tt_space_config_from_json(s, cases[i].json, defaults, cfg, &err),
                     TT_ERR_USAGE);
    if (!strstr(err.msg, cases[i].msg)) fail_msg("%s: got '%s'", cases[i].json, err.msg);
  }
  tt_error err = {0};
  assert_int_equal(tt_space_config_from_json(s, "{\"tile\": 64}", NULL, cfg, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "knob 'unroll' missing"));
  /* defaults fill the missing knobs; 0/1 accepted for a bool */
  assert_int_equal(tt_space_config_from_json(s, "{\"tile\": 64, \"vec\": 1}", defaults, cfg, NULL),
                   TT_OK);
  assert_int_equal(cfg[0], 3);
  assert_int_equal(cfg[2], 1);
  assert_int_equal(cfg[1], 0);
  tt_space_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_neighbours),         cmocka_unit_test(test_roles),
      cmocka_unit_test(test_neighbours_sampled), cmocka_unit_test(test_encode),
      cmocka_unit_test(test_json_roundtrip),     cmocka_unit_test(test_json_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
