/* Internal to src/search: surrogate models on dense row-major double
 * matrices (n rows of d features). Pure numerics: no space, no strategy.
 * Every model is fitted once by a _fit function that copies what it needs
 * (the caller keeps ownership of X and y) and freed with its _free. */
#ifndef TT_SEARCH_MODEL_H
#define TT_SEARCH_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/support.h"

/* ---- binned features and regression trees (tree.c) ----------------- */

/* Features quantised to at most TT_TREE_MAX_BINS bins each, so that a tree
 * finds a split with one histogram pass over a node's samples. A feature
 * with few distinct values (ranks, one-hot, booleans: the usual encodings)
 * gets one bin per value, so no split is lost. */
#define TT_TREE_MAX_BINS 64

typedef struct tt_bins {
  size_t n, d;
  uint8_t *code; /* d * n, column-major: code[j * n + i] */
  int *nbins;    /* d */
  double *cut;   /* d * TT_TREE_MAX_BINS: threshold between bin b and b+1 */
  double *lo;    /* d * TT_TREE_MAX_BINS: smallest value in bin b */
} tt_bins;

/* Quantises X (n x d, row-major). The result owns its arrays. */
tt_bins *tt_bins_new(const double *X, size_t n, size_t d);
void tt_bins_free(tt_bins *b);

typedef struct tt_tree_node {
  int feature;      /* -1 for a leaf */
  int left, right;  /* child node indices */
  double threshold; /* x[feature] <= threshold goes left */
  double value;     /* leaf prediction */
  double var;       /* leaf: variance of the targets that fell in it */
} tt_tree_node;

typedef struct tt_tree {
  tt_tree_node *nodes; /* nodes[0] is the root */
  size_t len, cap;
} tt_tree;

typedef struct tt_tree_params {
  int max_depth;    /* root is depth 0 */
  int min_leaf;     /* minimum samples (with repetition) in a leaf */
  int max_features; /* features tried per node; <= 0 or > d: all */
  int random_split; /* 1: extra-trees, one random threshold a feature */
  double lambda;    /* L2 penalty on leaf values (0 for forests) */
  double min_gain;  /* a split must improve the objective by more */
  double min_hess;  /* minimum sum of hessians in a child (XGBoost's
                       min_child_weight); 0 to ignore */
} tt_tree_params;

/* Optional leaf re-estimation: returns the value of a leaf holding samples
 * idx[0..n) (indices into the binned data). Used by quantile boosting. */
typedef double (*tt_leaf_fn)(void *ctx, const size_t *idx, size_t n);

/* Grows a tree on the samples idx[0..m) (indices into bins, repetitions
 * allowed: a bootstrap) minimising the second-order objective of gradients
 * g and hessians h (indexed by sample): a leaf's value is -G / (H + lambda)
 * unless leaf_fn is given. For plain regression pass g = -y, h = 1. idx is
 * reordered. tree must be zero-initialised or reset; it owns its nodes. */
void tt_tree_grow(tt_tree *tree, const tt_bins *bins, size_t *idx, size_t m, const double *g,
                  const double *h, const tt_tree_params *p, tt_rng *rng, tt_leaf_fn leaf_fn,
                  void *leaf_ctx);
/* The leaf x falls into. */
const tt_tree_node *tt_tree_leaf(const tt_tree *tree, const double *x);
void tt_tree_free(tt_tree *tree);

/* ---- random forest and extra-trees (forest.c) ---------------------- */

typedef struct tt_forest_params {
  int n_trees;
  int max_depth;
  int min_leaf;
  double max_features; /* fraction of d tried per node; <= 0: all */
  int extra;           /* 1: extra-trees (random thresholds) */
  int bootstrap;       /* 1: each tree sees a bootstrap sample */
  size_t max_samples;  /* cap on samples per tree (0: n) */
} tt_forest_params;

typedef struct tt_forest tt_forest;

/* Defaults: 32 trees, depth 12, min_leaf 2, max_features 1, extra 0,
 * bootstrap 1, max_samples 256. */
void tt_forest_params_default(tt_forest_params *p);
tt_forest *tt_forest_fit(const double *X, const double *y, size_t n, size_t d,
                         const tt_forest_params *p, tt_rng *rng);
/* Mean across trees; var is the variance of the mixture of the trees'
 * leaves (across-tree spread plus the within-leaf variance, as skopt's). */
void tt_forest_predict(const tt_forest *f, const double *x, double *mean, double *var);
void tt_forest_free(tt_forest *f);

/* ---- gradient-boosted trees (gbt.c) -------------------------------- */

typedef enum tt_gbt_loss {
  TT_GBT_REG,     /* squared error */
  TT_GBT_RANK,    /* pairwise logistic ranking: higher y ranks higher */
  TT_GBT_QUANTILE /* pinball loss at params.alpha */
} tt_gbt_loss;

typedef struct tt_gbt_params {
  tt_gbt_loss loss;
  int n_rounds;
  int max_depth;
  double eta;       /* shrinkage */
  double lambda;    /* L2 on leaf values */
  double min_hess;  /* min_child_weight */
  double subsample; /* fraction of rows a round (1: all) */
  double alpha;     /* quantile level for TT_GBT_QUANTILE */
} tt_gbt_params;

typedef struct tt_gbt tt_gbt;

/* Defaults after XGBoost as AutoTVM sets it: depth 3, eta 0.3, lambda 1,
 * min_child_weight 1, subsample 1, 100 rounds, rank loss. */
void tt_gbt_params_default(tt_gbt_params *p);
tt_gbt *tt_gbt_fit(const double *X, const double *y, size_t n, size_t d, const tt_gbt_params *p,
                   tt_rng *rng);
double tt_gbt_predict(const tt_gbt *m, const double *x);
void tt_gbt_free(tt_gbt *m);

/* Quantile boosting at 0.16, 0.5 and 0.84 (one sigma each side under a
 * normal): mean is the median prediction, var ((q84 - q16) / 2)^2. */
typedef struct tt_gbtq tt_gbtq;
tt_gbtq *tt_gbtq_fit(const double *X, const double *y, size_t n, size_t d, const tt_gbt_params *p,
                     tt_rng *rng);
void tt_gbtq_predict(const tt_gbtq *m, const double *x, double *mean, double *var);
/* The three quantile predictions, lowest level first. */
void tt_gbtq_quantiles(const tt_gbtq *m, const double *x, double q[3]);
void tt_gbtq_free(tt_gbtq *m);

/* ---- Gaussian process (gp.c, linalg.c, lbfgs.c) -------------------- */

/* Upper bound of the additive variance over the signal variance: up to
 * the signal's own upper bound (the product term may all but vanish). */
#define TT_GP_ADD_MAX 20.0
/* Upper bound of the linear term's variance over the signal variance. */
#define TT_GP_LIN_MAX 1000.0

typedef struct tt_gp_params {
  int ard;          /* 1: one length scale per feature; 0: isotropic */
  int restarts;     /* random restarts of the likelihood optimisation */
  int max_iter;     /* L-BFGS iterations per start */
  double noise_min; /* bounds on the noise variance (standardised y) */
  double noise_max;
  int additive; /* 1: add a fitted additive (main-effects) kernel term */
  /* d flags: the features the additive term sums over (NULL: all). With
   * none set there is no term (and no parameter for it). */
  const unsigned char *additive_mask;
  /* Least additive/signal variance ratio the fit may choose (0: 1e-3; at
   * most TT_GP_ADD_MAX): a floor keeps main effects in the model while
   * data are too few for the likelihood to tell them from interactions
   * (bo's add_floor). */
  double additive_min;
  /* 1: with the additive term, also a linear term (its variance over the
   * signal's a parameter too): sl2 times the mean over the features of
   * linear_mask of (a_k - 1/2)(b_k - 1/2). It carries a trend seen in
   * the data beyond it, to the edge of the box, where the Matern and
   * additive terms revert to the mean. */
  int linear;
  /* d flags: the features the linear term sums over (NULL: all). */
  const unsigned char *linear_mask;
  /* Least linear/signal variance ratio the fit may choose (0: 1e-3). */
  double linear_min;
  const double *init; /* optional warm start (log-parameters), or NULL */
} tt_gp_params;

typedef struct tt_gp tt_gp;

/* Defaults: ard 1, restarts 2, max_iter 60, noise 1e-6 .. 1, additive 0
 * (mask NULL, no floor), linear 0, no warm start. */
void tt_gp_params_default(tt_gp_params *p);
/* Fits a zero-mean GP on standardised y with a Matern 5/2 kernel plus a
 * noise term, hyper-parameters maximising the log marginal likelihood.
 * Returns NULL only when no Cholesky factorisation succeeded. */
tt_gp *tt_gp_fit(const double *X, const double *y, size_t n, size_t d, const tt_gp_params *p,
                 tt_rng *rng);
/* Predictive mean and variance of the latent function (noise excluded). */
void tt_gp_predict(const tt_gp *gp, const double *x, double *mean, double *var);
/* The same for m candidates X (m x d) at once, much faster for many. */
void tt_gp_predict_many(const tt_gp *gp, const double *X, size_t m, double *mean, double *var);
/* A joint draw of the latent function at m points X (m x d) from gp's
 * posterior into out (units of y; gp_sample.c). Returns -1 (out
 * unchanged) when their covariance cannot be factorised. */
int tt_gp_sample(const tt_gp *gp, const double *X, size_t m, tt_rng *rng, double *out);
/* Batch proposals (gp_batch.c): tracks the predictions of m candidates
 * (X, m x d; the same numbers as tt_gp_predict_many into mean and var)
 * while gp is conditioned on more points. tt_gp_track_add adds the row
 * (x, y) to gp with its hyper-parameters fixed (one more row of the
 * Cholesky factor) and writes the candidates' new predictions into mean
 * and var (*m of them); -1 (nothing changed) when the factor cannot be
 * extended (x repeats a row of a GP without noise). The
 * track belongs to that gp: free it before the gp. */
typedef struct tt_gp_track tt_gp_track;
tt_gp_track *tt_gp_track_new(const tt_gp *gp, const double *X, size_t m, double *mean, double *var);
int tt_gp_track_add(tt_gp_track *t, tt_gp *gp, const double *x, double y, double *mean, double *var,
                    size_t *m);
void tt_gp_track_free(tt_gp_track *t);

/* Log marginal likelihood of the fitted model (standardised y). */
double tt_gp_log_marginal(const tt_gp *gp);
/* Fitted log-parameters: [log signal var, log length scales..., log noise
 * var, log additive/signal variance ratio if additive, log linear/signal
 * variance ratio if linear]; returns how many (2 + 1 or 2 + d, plus 1
 * with a non-empty additive term, plus 1 more with the linear one). */
size_t tt_gp_params_get(const tt_gp *gp, double *out, size_t max);
void tt_gp_free(tt_gp *gp);

/* Dense Cholesky A = L L^T in place (lower triangle, n x n row-major);
 * returns 0, or -1 when A is not positive definite. */
int tt_chol(double *A, size_t n);
/* Solves L x = b (forward) and L^T x = b (backward) in place. */
void tt_chol_solve_lower(const double *L, size_t n, double *b);
void tt_chol_solve_upper(const double *L, size_t n, double *b);

/* Minimises f by L-BFGS (memory 8) with a backtracking line search and
 * box bounds by projection. f returns the value and writes the gradient.
 * x is the start on entry and the best point on exit; returns f there. */
typedef double (*tt_lbfgs_fn)(void *ctx, const double *x, double *grad);
double tt_lbfgs_minimize(tt_lbfgs_fn f, void *ctx, double *x, size_t n, const double *lo,
                         const double *hi, int max_iter);

#endif
