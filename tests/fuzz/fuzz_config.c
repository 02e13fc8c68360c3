/* Fuzz target: the space's readers. First byte even: a configuration JSON
 * (tt_space_config_from_json, what --config goes through), which must
 * round-trip through tt_space_config_to_json; odd: a constraint expression
 * (tt_space_add_constraint, what template constraints and T1 Conditions go
 * through), then counting, sampling and neighbours under it. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tetune/space.h"

/* A space with one knob of every kind. */
static tt_space *make_space(void) {
  tt_space *s = tt_space_new();
  tt_error e = {0};
  double ti[] = {8, 16, 32, 64, 128}, un[] = {1, 2, 4, 8};
  const char *par[] = {"none", "io", "jo"}, *ord[] = {"io", "jo", "ko"};
  tt_space_add_ordinal(s, "ti", ti, 5, &e);
  tt_space_add_ordinal(s, "un", un, 4, &e);
  tt_space_add_int(s, "n", -5, 1000, 5, &e);
  tt_space_add_bool(s, "vec", &e);
  tt_space_add_categorical(s, "par", par, 3, &e);
  tt_space_add_permutation(s, "order", ord, 3, &e);
  return s;
}

/* A configuration read from text must be in range and read back equal. */
static void config(tt_space *s, const char *text, uint32_t *def, uint32_t *cfg, size_t k) {
  tt_error err = {0};
  if (tt_space_config_from_json(s, text, def, cfg, &err) != TT_OK) {
    assert(strchr(err.msg, '\n') == NULL);
    return;
  }
  for (size_t i = 0; i < k; i++)
    assert(cfg[i] < tt_space_knob_card(s, i));
  char *js = tt_space_config_to_json(s, cfg);
  uint32_t *back = calloc(k + 1, sizeof *back);
  tt_error e2 = {0};
  assert(tt_space_config_from_json(s, js, NULL, back, &e2) == TT_OK);
  assert(memcmp(back, cfg, k * sizeof *cfg) == 0);
  free(back);
  free(js);
}

/* A constraint that parses: what a sample under it returns is valid. */
static void constraint(tt_space *s, const char *text, uint32_t *cfg) {
  tt_error err = {0};
  if (tt_space_add_constraint(s, text, &err) != TT_OK) {
    assert(strchr(err.msg, '\n') == NULL);
    return;
  }
  int exact = 0;
  (void)tt_space_valid_size(s, &exact);
  tt_rng rng;
  tt_rng_seed(&rng, 1);
  if (tt_space_sample(s, &rng, cfg) == 0) assert(tt_space_is_valid(s, cfg));
  uint32_t nb[64 * 16];
  (void)tt_space_neighbours(s, cfg, nb, 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  if (n < 1 || n > TT_FUZZ_MAX_INPUT) return 0;
  char *text = malloc(n);
  memcpy(text, data + 1, n - 1);
  text[n - 1] = 0;
  tt_space *s = make_space();
  size_t k = tt_space_num_knobs(s);
  uint32_t *def = calloc(k + 1, sizeof *def), *cfg = calloc(k + 1, sizeof *cfg);
  if ((data[0] & 1) == 0)
    config(s, text, def, cfg, k);
  else
    constraint(s, text, cfg);
  free(def);
  free(cfg);
  tt_space_free(s);
  free(text);
  return 0;
}
