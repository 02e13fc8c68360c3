/* Validation of a variant's outputs against the reference (the error
 * measure is documented in measure.h). */
#include "measure_impl.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Element i of a float (es 4) or double (es 8) array, as a double. */
static double at(const void *p, int es, long i) {
  return es == 4 ? (double)((const float *)p)[i] : ((const double *)p)[i];
}

/* Error of x against r given the tensor's floor; INFINITY for a non-finite
 * value where the reference has a different one. */
static double elem_err(double x, double r, double floor) {
  if (isnan(r)) return isnan(x) ? 0.0 : INFINITY;
  if (isinf(r)) return x == r ? 0.0 : INFINITY;
  if (!isfinite(x)) return INFINITY;
  double scale = fabs(r) > floor ? fabs(r) : floor;
  return fabs(x - r) / scale;
}

/* The floor of a reference tensor: 1e-3 of its largest finite magnitude,
 * or 1 when it has none (all zeros). */
static double tensor_floor(const void *r, int es, long n) {
  double maxabs = 0.0;
  for (long i = 0; i < n; i++) {
    double v = fabs(at(r, es, i));
    if (isfinite(v) && v > maxabs) maxabs = v;
  }
  return maxabs > 0 ? 1e-3 * maxabs : 1.0;
}

/* Element i of an integer array of es bytes (unsigned when uns). */
static long long int_at(const void *p, int es, int uns, long i) {
  if (es == 1) return uns ? ((const unsigned char *)p)[i] : ((const signed char *)p)[i];
  if (es == 4) return ((const int32_t *)p)[i];
  return ((const int64_t *)p)[i];
}

/* Integer outputs are compared exactly: returns 0 or INFINITY (any
 * difference), describing the first difference in msg. */
static double compare_ints(const tt_mz_kernel *k, int idx, const void *r, char *msg, size_t len) {
  int es = k->elem_size[idx], uns = k->kind[idx] == 2;
  const void *x = k->args[idx];
  long n = k->elems[idx], bad = -1, nbad = 0;
  for (long i = 0; i < n; i++)
    if (int_at(x, es, uns, i) != int_at(r, es, uns, i)) {
      if (bad < 0) bad = i;
      nbad++;
    }
  if (bad >= 0 && msg[0] == '\0')
    snprintf(msg, len,
             "%s: %ld of %ld integer elements differ (integers are compared exactly); first bad "
             "element %ld: got %lld, expected %lld",
             k->names[idx], nbad, n, bad, int_at(x, es, uns, bad), int_at(r, es, uns, bad));
  return bad >= 0 ? INFINITY : 0.0;
}

/* Compares tensor k->args[idx] with ref data; returns its max error and
 * describes the first element above tol in msg (if msg[0] is still
 * empty). */
static double compare_tensor(const tt_mz_kernel *k, int idx, const void *r, double tol, char *msg,
                             size_t len) {
  int es = k->elem_size[idx];
  long n = k->elems[idx];
  const void *x = k->args[idx];
  double floor = tensor_floor(r, es, n), worst = 0.0;
  long bad = -1;
  for (long i = 0; i < n; i++) {
    double e = elem_err(at(x, es, i), at(r, es, i), floor);
    if (e > worst) worst = e;
    if (e > tol && bad < 0) bad = i;
  }
  if (bad >= 0 && msg[0] == '\0')
    snprintf(msg, len,
             "%s: max relative error %.3g exceeds tolerance %.3g (f%d); first bad element "
             "%ld: got %.17g, expected %.17g",
             k->names[idx], worst, tol, es * 8, bad, at(x, es, bad), at(r, es, bad));
  return worst;
}

/* Checks that ref matches k's tensor layout; 0 when it does. */
static int check_layout(const tt_mz_kernel *k, const tt_mz_ref *ref, char *msg, size_t len) {
  int outputs = 0;
  for (int i = 0; i < k->ntensors; i++)
    outputs += k->role[i] == TT_ABI_ROLE_OUT || k->role[i] == TT_ABI_ROLE_INOUT;
  if (outputs != ref->ntensors) {
    snprintf(msg, len, "reference has %d output tensors, variant %d", ref->ntensors, outputs);
    return -1;
  }
  for (int t = 0; t < ref->ntensors; t++) {
    int i = ref->index[t];
    if (i < 0 || i >= k->ntensors || k->elem_size[i] != ref->elem_size[t] ||
        k->elems[i] != ref->elems[t] ||
        (k->role[i] != TT_ABI_ROLE_OUT && k->role[i] != TT_ABI_ROLE_INOUT)) {
      snprintf(msg, len, "reference tensor %d (index %d) does not match the variant's layout", t,
               i);
      return -1;
    }
  }
  return 0;
}

/* See measure_impl.h. */
int tt_mz_validate(const tt_mz_kernel *k, const tt_mz_ref *ref, const tt_measure_options *opt,
                   double *max_rel_err, char *msg, size_t len) {
  msg[0] = '\0';
  *max_rel_err = INFINITY;
  if (check_layout(k, ref, msg, len) != 0) return 0;
  double worst = 0.0;
  for (int t = 0; t < ref->ntensors; t++) {
    int i = ref->index[t];
    double tol = k->elem_size[i] == 4 ? opt->tol_f32 : opt->tol_f64;
    if (k->tol && k->tol[i] > 0) tol = k->tol[i]; /* the kernel's own tolerance */
    double e = k->kind && k->kind[i] != 0 ? compare_ints(k, i, ref->data[t], msg, len)
                                          : compare_tensor(k, i, ref->data[t], tol, msg, len);
    if (e > worst) worst = e;
  }
  *max_rel_err = worst;
  return msg[0] == '\0';
}
