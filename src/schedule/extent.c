/* Extents and tensor sizes at a problem size, with every conversion and
 * product checked: a `.te` file can declare any size, and an extent that
 * wraps or that generated code cannot index must be an error, not a
 * garbage loop bound or a short buffer. */
#include <math.h>
#include <string.h>

#include "schedule/internal.h"

/* Converts an evaluated size expression to an extent. Expressions are
 * evaluated in double, which is exact only up to 2^53: anything larger (or
 * negative, fractional, NaN) is refused instead of cast (casting a double
 * out of int64's range is undefined behaviour). Returns 1 on success. */
int tt_extent_from_double(double x, int64_t *out) {
  if (!(x >= 0 && x <= (double)TT_EXTENT_MAX) || x != floor(x)) return 0;
  *out = (int64_t)x;
  return 1;
}

/* Evaluates e as an extent; 1 on success. */
static int eval_extent(const tt_expr *e, const tt_env *env, int64_t *out) {
  double x;
  return tt_expr_eval(e, env, &x, NULL) == 0 && tt_extent_from_double(x, out);
}

/* Finds the dimension extent that variable v indexes directly in some load
 * of e (a fallback extent for ranges that depend on outer loops). */
static int load_extent(const tt_kernel_def *k, const tt_expr *e, const char *v, const tt_env *env,
                       int64_t *out) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD) {
    const tt_tensor *t = tt_kernel_tensor(k, e->name);
    for (size_t d = 0; t && d < e->nargs && d < t->ndim; d++)
      if (e->args[d]->kind == TT_EX_VAR && strcmp(e->args[d]->name, v) == 0 &&
          eval_extent(t->shape[d], env, out))
        return 1;
  }
  for (size_t i = 0; i < e->nargs; i++)
    if (load_extent(k, e->args[i], v, env, out)) return 1;
  return 0;
}

/* The largest trip count of axis `axis` of compute c: hi - lo when it is
 * constant, else the extent of the tensor dimension the axis indexes. An
 * extent outside [0, TT_EXTENT_MAX] is not found (0). */
int tt_axis_extent(const tt_kernel_def *k, const tt_compute *c, const char *axis, const tt_env *env,
                   int64_t *out) {
  const tt_range *r = NULL;
  int dim = -1;
  for (size_t i = 0; i < c->naxes; i++)
    if (strcmp(c->axes[i].var, axis) == 0) r = &c->axes[i], dim = (int)i;
  const tt_expr *red = tt_find_reduce(c->rhs);
  for (size_t i = 0; !r && red && i < red->nranges; i++)
    if (strcmp(red->ranges[i].var, axis) == 0) r = &red->ranges[i];
  if (!r) return 0;
  double lo, hi;
  if (tt_expr_eval(r->lo, env, &lo, NULL) == 0 && tt_expr_eval(r->hi, env, &hi, NULL) == 0)
    return tt_extent_from_double(hi - lo, out);
  if (dim >= 0) {
    const tt_tensor *t = tt_kernel_tensor(k, c->tensor);
    if (t && eval_extent(t->shape[dim], env, out)) return 1;
  }
  return load_extent(k, c->rhs, axis, env, out);
}

/* See schedule.h. */
tt_status tt_kernel_check_sizes(const tt_kernel_def *k, const int64_t *size, int64_t *bytes,
                                tt_error *err) {
  tt_env env = {0};
  tt_status st = TT_OK;
  int64_t total = 0;
  for (size_t i = 0; i < k->nparams; i++) {
    if (size[i] < 0 || size[i] > TT_EXTENT_MAX) {
      st = tt_error_set(err, TT_ERR_USAGE,
                        "%s:%d:%d: kernel %s: size %s = %lld is outside 0..2^53 (what generated "
                        "code can index)",
                        k->loc.file, k->loc.line, k->loc.col, k->name, k->params[i],
                        (long long)size[i]);
      goto done;
    }
    tt_env_set_int(&env, k->params[i], size[i]);
  }
  for (size_t i = 0; i < k->ntensors; i++) {
    const tt_tensor *t = &k->tensors[i];
    int64_t elems = 1, d_ext = 0;
    for (size_t d = 0; d < t->ndim; d++) {
      if (!eval_extent(t->shape[d], &env, &d_ext) ||
          (d_ext > 0 && elems > TT_TENSOR_BYTES_MAX / 8 / d_ext)) {
        st = tt_error_set(err, TT_ERR_USAGE,
                          "%s:%d:%d: tensor %s is too large at this size (more than 2^%d "
                          "bytes, or a dimension outside 0..2^53)",
                          t->loc.file, t->loc.line, t->loc.col, t->name, TT_TENSOR_BYTES_LOG2);
        goto done;
      }
      elems *= d_ext;
    }
    int64_t b = elems * tt_dtype_size(t->type);
    total = total > INT64_MAX - b ? INT64_MAX : total + b;
  }
  if (bytes != NULL) *bytes = total;
done:
  tt_env_free(&env);
  return st;
}
