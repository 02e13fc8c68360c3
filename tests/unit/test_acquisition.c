/* Unit tests for the acquisition functions against hand-computed values
 * and for the GP-Hedge softmax choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include "search/acquisition.h"

#define CLOSE(a, b, tol) assert_true(fabs((a) - (b)) < (tol))

static void test_normal(void **state) {
  (void)state;
  CLOSE(tt_norm_cdf(0), 0.5, 1e-15);
  CLOSE(tt_norm_cdf(1.96), 0.9750021048517795, 1e-12);
  CLOSE(tt_norm_cdf(-0.4), 0.3445782583896758, 1e-12);
  CLOSE(tt_norm_pdf(-0.4), 0.36827014030332333, 1e-12);
  /* the far tail keeps relative precision (erfc, not 1 - erf) */
  CLOSE(tt_norm_cdf(-8) / 6.22096057427178e-16, 1.0, 1e-9);
}

static void test_lcb(void **state) {
  (void)state;
  CLOSE(tt_acq_lcb(1.0, 0.5, 1.96), 0.02, 1e-12);
  CLOSE(tt_acq_lcb(-2.0, 0.0, 3.0), -2.0, 1e-12);
  /* as a utility: worst - lcb, clipped at zero */
  CLOSE(tt_acq_utility(TT_ACQ_LCB, 1.0, 0.5, 0.0, 1.5, 1.96, 0), 1.48, 1e-12);
  CLOSE(tt_acq_utility(TT_ACQ_LCB, 3.0, 0.1, 0.0, 1.5, 1.96, 0), 0.0, 1e-12);
}

static void test_ei(void **state) {
  (void)state;
  /* imp = 0.8 - 1 = -0.2, z = -0.4: -0.2 Phi(-0.4) + 0.5 phi(-0.4) */
  CLOSE(tt_acq_ei(1.0, 0.5, 0.8, 0.0), 0.1152194184737265, 1e-12);
  /* imp = 1 - 0.1 - 0.5 = 0.4, sigma 1: 0.4 Phi(0.4) + phi(0.4) */
  CLOSE(tt_acq_ei(0.5, 1.0, 1.0, 0.1), 0.630438836947453, 1e-12);
  CLOSE(tt_acq_ei(0.5, 0.0, 1.0, 0.1), 0.4, 1e-12);
  CLOSE(tt_acq_ei(2.0, 0.0, 1.0, 0.0), 0.0, 1e-12);
  assert_true(tt_acq_ei(50.0, 1.0, 0.0, 0.0) >= 0);
  CLOSE(tt_acq_utility(TT_ACQ_EI, 1.0, 0.5, 0.8, 9, 2, 0.0), 0.1152194184737265, 1e-12);
}

static void test_pi(void **state) {
  (void)state;
  CLOSE(tt_acq_pi(1.0, 0.5, 0.8, 0.0), 0.3445782583896758, 1e-12);
  CLOSE(tt_acq_pi(0.5, 1.0, 1.0, 0.1), 0.6554217416103242, 1e-12);
  CLOSE(tt_acq_pi(0.5, 0.0, 1.0, 0.1), 1.0, 1e-12);
  CLOSE(tt_acq_pi(0.95, 0.0, 1.0, 0.1), 0.0, 1e-12);
}

static void test_hedge(void **state) {
  (void)state;
  tt_hedge h;
  tt_hedge_init(&h, 1.0);
  double p[TT_HEDGE_N];
  tt_hedge_probs(&h, p);
  for (int i = 0; i < TT_HEDGE_N; i++)
    CLOSE(p[i], 1.0 / 3, 1e-12);
  double mu[TT_HEDGE_N] = {0, -1, -2}; /* lower predicted: more gain */
  tt_hedge_update(&h, mu);
  CLOSE(h.gains[2], 2.0, 1e-12);
  tt_hedge_probs(&h, p);
  double z = 1 + exp(1) + exp(2);
  CLOSE(p[0], 1 / z, 1e-12);
  CLOSE(p[1], exp(1) / z, 1e-12);
  CLOSE(p[2], exp(2) / z, 1e-12);
  tt_rng r;
  tt_rng_seed(&r, 9);
  int count[TT_HEDGE_N] = {0};
  for (int i = 0; i < 100000; i++)
    count[tt_hedge_choose(&h, &r)]++;
  for (int i = 0; i < TT_HEDGE_N; i++)
    CLOSE(count[i] / 100000.0, p[i], 0.01);
  /* large gains do not overflow */
  double big[TT_HEDGE_N] = {-1e6, 0, 0};
  tt_hedge_update(&h, big);
  tt_hedge_probs(&h, p);
  CLOSE(p[0], 1.0, 1e-12);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_normal), cmocka_unit_test(test_lcb),   cmocka_unit_test(test_ei),
      cmocka_unit_test(test_pi),     cmocka_unit_test(test_hedge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
