/* Internal to src/search's Gaussian process (gp.c, gp_batch.c): the
 * fitted model's layout and the kernel pieces batch conditioning reuses. */
#ifndef TT_SEARCH_GP_IMPL_H
#define TT_SEARCH_GP_IMPL_H

#include "search/model.h"

/* Candidates predicted together by tt_gp_predict_block: the solve's
 * working block (n x GP_BLOCK doubles, 25 KiB at the surrogate's 100 rows)
 * stays in L1 (see docs/search-decisions.md). */
#define GP_BLOCK 32

struct tt_gp {
  size_t n, d, np;
  int ard, additive, linear;
  unsigned char *mask;  /* d flags: features in the additive term */
  double nmask;         /* how many */
  unsigned char *lmask; /* d flags: features in the linear term */
  double nlmask;
  double *X;     /* n x d, copied */
  double *Xs;    /* n x d, X divided by the length scales (prediction) */
  double *L;     /* n x n Cholesky factor of K + noise */
  double *alpha; /* (K + noise)^-1 y */
  double ymean, ystd;
  double theta[1]; /* np entries (flexible) */
};

/* The fitted kernel between unscaled rows a and b, noise excluded. */
double tt_gp_k(const tt_gp *gp, const double *a, const double *b);
/* K's diagonal entry at row a: the kernel, the noise and the jitter. */
double tt_gp_k_self(const tt_gp *gp, const double *a);
/* Predicts bm <= GP_BLOCK candidates and leaves L^-1 k(X_train, x_j) in
 * column j of V (n x GP_BLOCK, row-major). */
void tt_gp_predict_block(const tt_gp *gp, const double *X, size_t bm, double *V, double *mean,
                         double *var);

#endif
