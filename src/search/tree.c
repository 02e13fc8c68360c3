/* Regression trees on binned features, shared by the forests and the
 * gradient-boosted models: one second-order split criterion (XGBoost's
 * G^2 / (H + lambda)) that reduces to variance reduction for g = -y, h = 1. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/model.h"

/* qsort comparator for doubles, ascending. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Fills the cut points and bin minima of feature j from its sorted distinct
 * values u[0..nu): one bin a value when they fit, else equal-count groups of
 * distinct values. Returns the number of bins. */
static int bins_from_unique(const double *u, size_t nu, double *cut, double *lo) {
  if (nu <= TT_TREE_MAX_BINS) {
    for (size_t b = 0; b < nu; b++) {
      lo[b] = u[b];
      cut[b] = b + 1 < nu ? 0.5 * (u[b] + u[b + 1]) : INFINITY;
    }
    return (int)nu;
  }
  lo[0] = u[0];
  for (int b = 1; b < TT_TREE_MAX_BINS; b++) {
    size_t k = (size_t)b * nu / TT_TREE_MAX_BINS; /* first value of bin b */
    lo[b] = u[k];
    cut[b - 1] = 0.5 * (u[k - 1] + u[k]);
  }
  cut[TT_TREE_MAX_BINS - 1] = INFINITY;
  return TT_TREE_MAX_BINS;
}

/* Bin of value v: the first bin whose upper cut is >= v. */
static int bin_of(const double *cut, int nb, double v) {
  int a = 0, z = nb - 1;
  while (a < z) {
    int m = (a + z) / 2;
    if (v <= cut[m])
      z = m;
    else
      a = m + 1;
  }
  return a;
}

/* Collects the sorted distinct values of column j of X into u when there
 * are at most TT_TREE_MAX_BINS (binary search and insertion: encoded knobs
 * rarely have more); returns their count, or 0 when there are more. */
static size_t few_distinct(const double *X, size_t n, size_t d, size_t j, double *u) {
  size_t nu = 0;
  for (size_t i = 0; i < n; i++) {
    double v = X[i * d + j];
    size_t a = 0, z = nu;
    while (a < z) {
      size_t m = (a + z) / 2;
      if (u[m] < v)
        a = m + 1;
      else
        z = m;
    }
    if (a < nu && u[a] == v) continue;
    if (nu == TT_TREE_MAX_BINS) return 0;
    memmove(u + a + 1, u + a, (nu - a) * sizeof *u);
    u[a] = v;
    nu++;
  }
  return nu;
}

/* Sorted distinct values of column j of X into col (n entries); returns
 * their count. */
static size_t all_distinct(const double *X, size_t n, size_t d, size_t j, double *col) {
  for (size_t i = 0; i < n; i++)
    col[i] = X[i * d + j];
  qsort(col, n, sizeof *col, cmp_double);
  size_t nu = 0;
  for (size_t i = 0; i < n; i++)
    if (nu == 0 || col[i] != col[nu - 1]) col[nu++] = col[i];
  return nu;
}

/* Quantises every column of X; the returned object owns all its arrays. */
tt_bins *tt_bins_new(const double *X, size_t n, size_t d) {
  tt_bins *b = tt_xcalloc(1, sizeof *b);
  b->n = n;
  b->d = d;
  b->code = tt_xmalloc(n * d + 1);
  b->nbins = tt_xcalloc(d + 1, sizeof *b->nbins);
  b->cut = tt_xmalloc((d * TT_TREE_MAX_BINS + 1) * sizeof *b->cut);
  b->lo = tt_xmalloc((d * TT_TREE_MAX_BINS + 1) * sizeof *b->lo);
  double *col = tt_xmalloc((n + TT_TREE_MAX_BINS + 1) * sizeof *col);
  for (size_t j = 0; j < d; j++) {
    size_t nu = few_distinct(X, n, d, j, col);
    if (!nu && n) nu = all_distinct(X, n, d, j, col);
    double *cut = b->cut + j * TT_TREE_MAX_BINS, *lo = b->lo + j * TT_TREE_MAX_BINS;
    b->nbins[j] = nu ? bins_from_unique(col, nu, cut, lo) : 1;
    if (!nu) {
      cut[0] = INFINITY;
      lo[0] = 0;
    }
    for (size_t i = 0; i < n; i++)
      b->code[j * n + i] = (uint8_t)bin_of(cut, b->nbins[j], X[i * d + j]);
  }
  free(col);
  return b;
}

/* Frees b and its arrays; NULL is a no-op. */
void tt_bins_free(tt_bins *b) {
  if (!b) return;
  free(b->code);
  free(b->nbins);
  free(b->cut);
  free(b->lo);
  free(b);
}

/* State shared by the recursive growth of one tree. */
typedef struct grow_ctx {
  const tt_bins *bins;
  size_t *idx;
  const double *g, *h;
  const tt_tree_params *p;
  tt_rng *rng;
  tt_leaf_fn leaf_fn;
  void *leaf_ctx;
  tt_tree *tree;
  int *feat; /* d feature indices, shuffled per node */
} grow_ctx;

/* Sums of a node's samples. */
typedef struct node_sums {
  double G, H, S2;
  size_t cnt;
} node_sums;

/* Appends a blank node and returns its index. */
static int tree_push(tt_tree *t) {
  if (t->len == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 64;
    t->nodes = tt_xrealloc(t->nodes, t->cap * sizeof *t->nodes);
  }
  memset(&t->nodes[t->len], 0, sizeof t->nodes[0]);
  t->nodes[t->len].feature = -1;
  return (int)t->len++;
}

/* Split score of a child with gradient sum G and hessian sum H. */
static double score(double G, double H, double lambda) {
  return G * G / (H + lambda);
}

/* A candidate split: feature, last bin going left, gain. */
typedef struct split {
  int feature, bin;
  double gain;
} split;

/* Evaluates feature f on the node's samples [lo, hi) and updates best.
 * Returns 0 when f is constant in the node, 1 otherwise. */
static int try_feature(grow_ctx *c, size_t lo, size_t hi, int f, const node_sums *s, split *best) {
  double hg[TT_TREE_MAX_BINS], hh[TT_TREE_MAX_BINS];
  uint32_t hc[TT_TREE_MAX_BINS];
  int nb = c->bins->nbins[f];
  if (nb < 2) return 0;
  memset(hg, 0, (size_t)nb * sizeof *hg); /* only the bins in use: most */
  memset(hh, 0, (size_t)nb * sizeof *hh); /* encoded knobs have a few */
  memset(hc, 0, (size_t)nb * sizeof *hc);
  const uint8_t *code = c->bins->code + (size_t)f * c->bins->n;
  for (size_t i = lo; i < hi; i++) {
    size_t k = c->idx[i];
    hg[code[k]] += c->g[k];
    hh[code[k]] += c->h[k];
    hc[code[k]]++;
  }
  int bmin = 0, bmax = nb - 1;
  while (bmin < bmax && !hc[bmin])
    bmin++;
  while (bmax > bmin && !hc[bmax])
    bmax--;
  if (bmin == bmax) return 0;
  int from = bmin, to = bmax - 1;
  if (c->p->random_split) { /* one uniform threshold between min and max */
    const double *blo = c->bins->lo + (size_t)f * TT_TREE_MAX_BINS;
    double t = blo[bmin] + tt_rng_uniform(c->rng) * (blo[bmax] - blo[bmin]);
    int cb = bmin;
    while (cb + 1 < bmax && blo[cb + 1] <= t)
      cb++;
    from = to = cb;
  }
  double GL = 0, HL = 0, lam = c->p->lambda, parent = score(s->G, s->H, lam);
  size_t nl = 0;
  for (int b = bmin; b <= to; b++) {
    GL += hg[b];
    HL += hh[b];
    nl += hc[b];
    if (b < from) continue;
    size_t nr = s->cnt - nl;
    double HR = s->H - HL;
    if (nl < (size_t)c->p->min_leaf || nr < (size_t)c->p->min_leaf) continue;
    if (HL < c->p->min_hess || HR < c->p->min_hess) continue;
    double gain = score(GL, HL, lam) + score(s->G - GL, HR, lam) - parent;
    if (gain > best->gain) {
      best->gain = gain;
      best->feature = f;
      best->bin = b;
    }
  }
  return 1;
}

/* Finds the best split of [lo, hi) over up to max_features non-constant
 * features drawn at random; best->feature stays -1 when none helps. */
static void find_split(grow_ctx *c, size_t lo, size_t hi, const node_sums *s, split *best) {
  size_t d = c->bins->d;
  size_t want =
      c->p->max_features > 0 && (size_t)c->p->max_features < d ? (size_t)c->p->max_features : d;
  best->feature = -1;
  best->gain = c->p->min_gain > 0 ? c->p->min_gain : 1e-12;
  size_t tried = 0;
  for (size_t k = 0; k < d && tried < want; k++) {
    if (want < d) { /* partial Fisher-Yates: feat[k] becomes a fresh draw */
      size_t r = k + (size_t)tt_rng_below(c->rng, d - k);
      int t = c->feat[k];
      c->feat[k] = c->feat[r];
      c->feat[r] = t;
    }
    tried += (size_t)try_feature(c, lo, hi, c->feat[k], s, best);
  }
}

/* Moves samples of [lo, hi) with code(f) <= bin to the front; returns the
 * first index of the right part. */
static size_t partition(grow_ctx *c, size_t lo, size_t hi, int f, int bin) {
  const uint8_t *code = c->bins->code + (size_t)f * c->bins->n;
  size_t i = lo, j = hi;
  while (i < j) {
    if (code[c->idx[i]] <= bin) {
      i++;
    } else {
      j--;
      size_t t = c->idx[i];
      c->idx[i] = c->idx[j];
      c->idx[j] = t;
    }
  }
  return i;
}

/* Turns node k into a leaf for samples [lo, hi). */
static void make_leaf(grow_ctx *c, int k, size_t lo, size_t hi, const node_sums *s) {
  tt_tree_node *nd = &c->tree->nodes[k];
  nd->feature = -1;
  double n = (double)(s->cnt ? s->cnt : 1);
  nd->value =
      c->leaf_fn ? c->leaf_fn(c->leaf_ctx, c->idx + lo, hi - lo) : -s->G / (s->H + c->p->lambda);
  double m = s->G / n, v = s->S2 / n - m * m;
  nd->var = v > 0 ? v : 0;
}

/* Grows the subtree of samples [lo, hi) at depth; returns its node index. */
static int grow(grow_ctx *c, size_t lo, size_t hi, int depth) {
  node_sums s = {0, 0, 0, hi - lo};
  for (size_t i = lo; i < hi; i++) {
    size_t k = c->idx[i];
    s.G += c->g[k];
    s.H += c->h[k];
    s.S2 += c->g[k] * c->g[k];
  }
  int k = tree_push(c->tree);
  split best;
  best.feature = -1;
  if (depth < c->p->max_depth && s.cnt >= 2 * (size_t)(c->p->min_leaf > 0 ? c->p->min_leaf : 1))
    find_split(c, lo, hi, &s, &best);
  if (best.feature < 0) {
    make_leaf(c, k, lo, hi, &s);
    return k;
  }
  size_t mid = partition(c, lo, hi, best.feature, best.bin);
  assert(mid > lo && mid < hi);
  int l = grow(c, lo, mid, depth + 1);
  int r = grow(c, mid, hi, depth + 1);
  tt_tree_node *nd = &c->tree->nodes[k]; /* after the children: realloc */
  nd->feature = best.feature;
  nd->threshold = c->bins->cut[(size_t)best.feature * TT_TREE_MAX_BINS + best.bin];
  nd->left = l;
  nd->right = r;
  return k;
}

/* Grows a tree; see model.h. The tree keeps its buffer across calls. */
void tt_tree_grow(tt_tree *tree, const tt_bins *bins, size_t *idx, size_t m, const double *g,
                  const double *h, const tt_tree_params *p, tt_rng *rng, tt_leaf_fn leaf_fn,
                  void *leaf_ctx) {
  assert(m > 0);
  grow_ctx c = {bins, idx, g, h, p, rng, leaf_fn, leaf_ctx, tree, NULL};
  c.feat = tt_xmalloc((bins->d + 1) * sizeof *c.feat);
  for (size_t j = 0; j < bins->d; j++)
    c.feat[j] = (int)j;
  tree->len = 0;
  grow(&c, 0, m, 0);
  free(c.feat);
}

/* Walks x down to its leaf. */
const tt_tree_node *tt_tree_leaf(const tt_tree *tree, const double *x) {
  const tt_tree_node *nd = tree->nodes;
  while (nd->feature >= 0)
    nd = &tree->nodes[x[nd->feature] <= nd->threshold ? nd->left : nd->right];
  return nd;
}

/* Frees the nodes (not the tree struct, which callers embed). */
void tt_tree_free(tt_tree *tree) {
  free(tree->nodes);
  tree->nodes = NULL;
  tree->len = tree->cap = 0;
}
