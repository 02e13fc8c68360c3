/* Unit tests for the replay driver: the expected random-search curve and
 * the metrics against hand-computed values, replays on a tiny dataset and
 * on the recorded ones, and the `tetune replay` command's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/commands.h"
#include "tetune/objective.h"
#include "tetune/tune.h"

#define PNPOLY TT_DATA_DIR "/pnpoly_RTX_3090.kt-cache.json.gz"

static int near(double a, double b) {
  return fabs(a - b) < 1e-9 * fmax(1, fabs(b));
}

/* {1, 2, 3, 4}: E[min of 1] = 2.5; of 2 = (1*3 + 2*2 + 3*1) / 6; of 3 =
 * (1*3 + 2*1) / 4; of 4 = 1. With a failure: {1, 3, inf} counts the
 * failure as the worst ok value 3: 7/3, then 1*(2/3) + 3*(1/3) = 5/3. */
static void test_random_curve(void **state) {
  (void)state;
  double v[] = {1, 2, 3, 4}, out[6];
  tt_replay_random_curve(v, 4, 6, out);
  assert_true(near(out[0], 2.5));
  assert_true(near(out[1], 10.0 / 6));
  assert_true(near(out[2], 5.0 / 4));
  assert_true(near(out[3], 1));
  assert_true(near(out[5], 1)); /* past the population: the optimum */
  double f[] = {1, 3, INFINITY};
  tt_replay_random_curve(f, 3, 3, out);
  assert_true(near(out[0], 7.0 / 3));
  assert_true(near(out[1], 5.0 / 3));
  assert_true(near(out[2], 1));
}

/* Two seeds, budget 4, optimum 1, random curve {4, 3, 2, 1}:
 *   seed A: 5 2 1.04 1.04  (within 5% at 3, 10% at 3, never 1%)
 *   seed B: 3 1.005 1.005 1 (within 1% at 2)
 * mean curve 4 1.5025 1.0225 1.02; score over n = 1..3 (random reaches
 * the optimum at n = 4): (0/3 + 1.4975/2 + 0.9775/1) / 3. */
static void test_metrics(void **state) {
  (void)state;
  double curves[] = {5, 2, 1.04, 1.04, 3, 1.005, 1.005, 1};
  double random[] = {4, 3, 2, 1};
  tt_replay_metrics m;
  tt_replay_compute_metrics(curves, 2, 4, 1, random, &m);
  assert_true(near(m.best_mean, 1.02));
  assert_true(near(m.best_median, 1.02));
  assert_int_equal(m.reached[0], 1);
  assert_true(near(m.evals_to[0], 2));
  assert_int_equal(m.reached[1], 2);
  assert_true(near(m.evals_to[1], 2.5)); /* median of 3 and 2 */
  assert_int_equal(m.reached[2], 2);
  assert_true(near(m.score, (0 + 1.4975 / 2 + 0.9775) / 3));
  assert_true(near(m.evals_all[1], 2.5)); /* both seeds got there */
  assert_true(isnan(m.evals_all[0]));     /* (2 + never) / 2 is beyond the budget */
  double never[] = {9, 9, 9, 9};
  tt_replay_compute_metrics(never, 1, 4, 1, random, &m);
  assert_int_equal(m.reached[1], 0);
  assert_true(isnan(m.evals_to[1]));
  assert_true(isnan(m.evals_all[1]));
  assert_true(m.score < 0);
}

/* Three seeds, two of which get within 5%, at 4 and 2: over the seeds that
 * got there the median is 3, over all of them (never last) it is 4. */
static void test_metrics_all_seeds(void **state) {
  (void)state;
  double curves[] = {9, 9, 9, 1, 9, 1, 1, 1, 9, 9, 9, 9};
  double random[] = {4, 3, 2, 1};
  tt_replay_metrics m;
  tt_replay_compute_metrics(curves, 3, 4, 1, random, &m);
  assert_int_equal(m.reached[1], 2);
  assert_true(near(m.evals_to[1], 3));
  assert_true(near(m.evals_all[1], 4));
}

/* The median's confidence ranks against exact binomial sums (computed
 * with integer binomials): the lower rank l is the largest with
 * P(Binomial(n, 1/2) <= l - 1) <= 2.5%. */
static void test_median_ci_ranks(void **state) {
  (void)state;
  static const size_t n[] = {6, 7, 10, 25, 50, 100}, lo[] = {1, 1, 2, 8, 18, 40};
  size_t l, h;
  assert_int_equal(tt_replay_median_ci_ranks(5, &l, &h), -1);
  for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
    assert_int_equal(tt_replay_median_ci_ranks(n[i], &l, &h), 0);
    assert_int_equal(l, lo[i]);
    assert_int_equal(h, n[i] + 1 - lo[i]);
  }
}

/* 25 seeds where seed s first gets within 5% at evaluation s: the median
 * is 13 and its interval the 8th and 18th values. With budget 15 the last
 * ten never get there, so the upper bound lies beyond the budget. */
static void test_metrics_ci(void **state) {
  (void)state;
  enum { SEEDS = 25, BUDGET = 30 };
  double curves[SEEDS * BUDGET], random[BUDGET], cut[SEEDS * 15];
  for (size_t s = 0; s < SEEDS; s++)
    for (size_t n = 0; n < BUDGET; n++)
      curves[s * BUDGET + n] = n + 1 >= s + 1 ? 1 : 9;
  for (size_t n = 0; n < BUDGET; n++)
    random[n] = 9;
  tt_replay_metrics m;
  tt_replay_compute_metrics(curves, SEEDS, BUDGET, 1, random, &m);
  assert_true(near(m.evals_all[1], 13));
  assert_true(near(m.evals_all_lo[1], 8));
  assert_true(near(m.evals_all_hi[1], 18));
  for (size_t s = 0; s < SEEDS; s++)
    memcpy(cut + s * 15, curves + s * BUDGET, 15 * sizeof *cut);
  tt_replay_compute_metrics(cut, SEEDS, 15, 1, random, &m);
  assert_true(near(m.evals_all_lo[1], 8));
  assert_true(near(m.evals_all[1], 13));
  assert_true(isnan(m.evals_all_hi[1]));
  tt_replay_compute_metrics(curves, 5, BUDGET, 1, random, &m); /* too few seeds */
  assert_true(isnan(m.evals_all_lo[1]) && isnan(m.evals_all_hi[1]));
}

/* The exact random median against hand counts and a simulation. With one
 * hit in 4 values, P(miss in n) = (4 - n) / 4: 1/2 at n = 2. With 2 hits
 * in 10: P(miss in 2) = 8/10 * 7/9 = 0.622, in 3: 0.467, so the median is
 * 3 and the mean 11/3. */
static void test_random_evals(void **state) {
  (void)state;
  double one[] = {1, 2, 3, INFINITY}, mean;
  assert_true(near(tt_replay_random_evals(one, 4, 1, 0.05, &mean), 2));
  assert_true(near(mean, 2.5));
  double two[] = {1, 1.04, 2, 3, 4, 5, 6, 7, 8, INFINITY};
  assert_true(near(tt_replay_random_evals(two, 10, 1, 0.05, &mean), 3));
  assert_true(near(mean, 11.0 / 3));
  assert_true(near(tt_replay_random_evals(two, 10, 1, 0.01, NULL), 5)); /* 1 hit: (10 - n) / 10 */
  assert_true(isnan(tt_replay_random_evals(two, 10, 0.5, 0.05, &mean)));
  assert_true(isnan(mean));
  /* simulation: first-hit draws of 20000 shuffles of `two` (hits: 0, 1) */
  enum { RUNS = 20000 };
  tt_rng rng;
  tt_rng_seed(&rng, 7);
  double sum = 0;
  size_t le3 = 0;
  for (int r = 0; r < RUNS; r++) {
    int idx[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    tt_rng_shuffle(&rng, idx, 10);
    int n = 0;
    while (idx[n] > 1)
      n++;
    sum += n + 1;
    le3 += n + 1 <= 3;
  }
  assert_true(fabs(sum / RUNS - 11.0 / 3) < 0.05);
  assert_true(fabs((double)le3 / RUNS - (1 - 0.8 * 7.0 / 9 * 6.0 / 8)) < 0.01);
}

/* A dataset of 8 configurations: 4 ok, 2 failed, 2 absent. */
static tt_objective *tiny(char **dir) {
  *dir = tt_mkdtemp("tt-replay", NULL);
  char path[512];
  snprintf(path, sizeof path, "%s/tiny.csv", *dir);
  const char *text = "bs,tile,algo,time\n32,1,naive,5.0\n32,2,naive,4.0\n64,1,naive,3.5\n"
                     "64,2,naive,CompilationFailedConfig\n32,1,tiled,2.5\n"
                     "64,2,tiled,RuntimeFailedConfig\n";
  assert_int_equal(tt_file_write(path, text, strlen(text), NULL), TT_OK);
  tt_objective *o = tt_objective_load(path, NULL, NULL);
  assert_non_null(o);
  return o;
}

/* Grid walks (32,1,naive)=5 (32,1,tiled)=2.5 ... then runs out. */
static void test_replay_grid_tiny(void **state) {
  (void)state;
  char *dir;
  tt_objective *o = tiny(&dir);
  double curves[2 * 10];
  assert_int_equal(tt_replay_run(o, "grid", NULL, 10, 2, curves, NULL), TT_OK);
  double want[10] = {5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5};
  assert_memory_equal(curves, want, sizeof want);
  assert_memory_equal(curves + 10, want, sizeof want); /* grid ignores the seed */
  tt_error err = {0};
  assert_int_equal(tt_replay_run(o, "nope", NULL, 10, 2, curves, &err), TT_ERR_USAGE);
  tt_objective_free(o);
  tt_rmtree(dir);
  free(dir);
}

/* Random search over many seeds matches its expected curve: score ~ 0. */
static void test_replay_random_is_zero(void **state) {
  (void)state;
  char *dir;
  tt_objective *o = tiny(&dir);
  enum { SEEDS = 4000, BUDGET = 8 };
  double *curves = malloc(SEEDS * BUDGET * sizeof *curves), random[BUDGET];
  size_t nv;
  const double *v = tt_objective_values(o, &nv);
  assert_int_equal(nv, 8);
  tt_replay_random_curve(v, nv, BUDGET, random);
  assert_int_equal(tt_replay_run(o, "random", NULL, BUDGET, SEEDS, curves, NULL), TT_OK);
  tt_replay_metrics m;
  tt_replay_compute_metrics(curves, SEEDS, BUDGET, tt_objective_optimum(o), random, &m);
  assert_true(fabs(m.score) < 0.03);
  assert_true(near(m.best_mean, 2.5)); /* the whole space at n = 8 */
  assert_int_equal(m.reached[0], SEEDS);
  free(curves);
  tt_objective_free(o);
  tt_rmtree(dir);
  free(dir);
}

/* On pnpoly: random, grid and ga run. Told the budget of 60, ga evolves a
 * population of 15, so only its first generation is random search's; with
 * AutoTVM's population of 100 given it is exactly random search. */
static void test_replay_recorded(void **state) {
  (void)state;
  tt_objective *o = tt_objective_load(PNPOLY, NULL, NULL);
  assert_non_null(o);
  enum { SEEDS = 5, BUDGET = 60 };
  double a[SEEDS * BUDGET], b[SEEDS * BUDGET];
  assert_int_equal(tt_replay_run(o, "random", NULL, BUDGET, SEEDS, a, NULL), TT_OK);
  assert_int_equal(tt_replay_run(o, "ga", NULL, BUDGET, SEEDS, b, NULL), TT_OK);
  for (size_t k = 0; k < SEEDS; k++)
    assert_memory_equal(a + k * BUDGET, b + k * BUDGET, 15 * sizeof *a);
  assert_memory_not_equal(a, b, sizeof a);
  assert_int_equal(tt_replay_run(o, "ga", "pop=100", BUDGET, SEEDS, b, NULL), TT_OK);
  assert_memory_equal(a, b, sizeof a);
  assert_int_equal(tt_replay_run(o, "ga", "pop=20", BUDGET, SEEDS, b, NULL), TT_OK);
  for (size_t i = 0; i < SEEDS * BUDGET; i++) {
    assert_true(b[i] >= tt_objective_optimum(o));
    if (i % BUDGET) assert_true(b[i] <= b[i - 1]); /* best-so-far never rises */
  }
  assert_int_equal(tt_replay_run(o, "grid", NULL, BUDGET, 1, b, NULL), TT_OK);
  /* seeds 3..5 from tt_replay_run_from are the last three of seeds 1..5 */
  assert_int_equal(tt_replay_run(o, "bo", NULL, BUDGET, SEEDS, a, NULL), TT_OK);
  assert_int_equal(tt_replay_run_from(o, "bo", NULL, BUDGET, 3, SEEDS - 2, b, NULL), TT_OK);
  assert_memory_equal(a + 2 * BUDGET, b, (SEEDS - 2) * BUDGET * sizeof *a);
  tt_objective_free(o);
}

/* Runs tt_cmd_replay with argv, capturing stdout into a heap string. */
static int run_cmd(char **argv, int argc, char **out) {
  char path[] = "/tmp/tt-replay-out-XXXXXX";
  int fd = mkstemp(path);
  fflush(stdout);
  int saved = dup(1);
  dup2(fd, 1);
  int rc = tt_cmd_replay(argc, argv);
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  close(fd);
  *out = tt_file_read(path, NULL, NULL);
  unlink(path);
  return rc;
}

static void test_cmd_replay(void **state) {
  (void)state;
  char *out;
  char *argv[] = {"replay",  PNPOLY, "--strategies", "random,ga(pop=10)", "--budget", "30",
                  "--seeds", "3",    "--json"};
  assert_int_equal(run_cmd(argv, 9, &out), 0);
  cJSON *root = cJSON_Parse(out);
  assert_non_null(root);
  assert_string_equal(cJSON_GetObjectItem(root, "dataset")->valuestring,
                      "pnpoly_RTX_3090.kt-cache.json.gz");
  assert_true(near(cJSON_GetObjectItem(root, "optimum")->valuedouble, 8.714240169525146));
  cJSON *ga = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "strategies"), "ga(pop=10)");
  assert_non_null(ga);
  const char *keys[] = {"score",         "best_mean",      "best_median", "evals_to_1pct",
                        "evals_to_5pct", "evals_to_10pct", "reached_5pct"};
  for (int i = 0; i < 7; i++)
    assert_non_null(cJSON_GetObjectItem(ga, keys[i]));
  cJSON_Delete(root);
  free(out);
  char *table[] = {"replay", "synthetic:branin", "--strategies", "grid", "--budget", "5", "--seeds",
                   "1"};
  assert_int_equal(run_cmd(table, 8, &out), 0);
  assert_non_null(strstr(out, "synthetic:branin: 3721 valid configurations"));
  assert_non_null(strstr(out, "grid"));
  free(out);
  char *help[] = {"replay", "--help"};
  assert_int_equal(run_cmd(help, 2, &out), 0);
  assert_non_null(strstr(out, "usage: tetune replay DATASET"));
  free(out);
  char *bad[][4] = {{"replay", "synthetic:nope", "--seeds", "1"},
                    {"replay", "synthetic:branin", "--strategies", "zz"},
                    {"replay", "synthetic:branin", "--budget", "0"},
                    {"replay", "/nonexistent.csv", "--seeds", "1"}};
  for (int i = 0; i < 4; i++) {
    assert_int_equal(run_cmd(bad[i], 4, &out), 2);
    free(out);
  }
  char *none[] = {"replay"};
  assert_int_equal(run_cmd(none, 1, &out), 2);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_curve),      cmocka_unit_test(test_metrics),
      cmocka_unit_test(test_metrics_all_seeds), cmocka_unit_test(test_median_ci_ranks),
      cmocka_unit_test(test_metrics_ci),        cmocka_unit_test(test_random_evals),
      cmocka_unit_test(test_replay_grid_tiny),  cmocka_unit_test(test_replay_random_is_zero),
      cmocka_unit_test(test_replay_recorded),   cmocka_unit_test(test_cmd_replay),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
