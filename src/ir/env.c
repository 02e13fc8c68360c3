/* Variable environments and the constant evaluator: sizes, knobs and
 * schedule conditions are evaluated here.
 *
 * Integers are evaluated exactly (int64, floor // and %), anything with a
 * float in double. Labels (categorical knob values) only take part in ==
 * and !=: a label-valued variable compares equal to a STRING with the same
 * text, to another label-valued variable with the same label, and to an
 * unbound VAR whose name is the label (so `par == io` works unquoted).
 * Unbound `on`/`off` read as 1/0 (the values of on_off knobs). */
#include "tetune/ir.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir/arith.h"

/* Index of name in env, or -1. */
static long env_find(const tt_env *env, const char *name) {
  if (env == NULL) return -1;
  for (size_t i = 0; i < env->n; i++)
    if (strcmp(env->names[i], name) == 0) return (long)i;
  return -1;
}

/* Returns the slot for name, appending a fresh one when absent. */
static size_t env_slot(tt_env *env, const char *name) {
  long i = env_find(env, name);
  if (i >= 0) {
    free((char *)env->labels[i]);
    env->labels[i] = NULL;
    return (size_t)i;
  }
  if (env->n == env->cap) {
    size_t cap = env->cap ? env->cap * 2 : 16;
    env->names = tt_xrealloc(env->names, cap * sizeof *env->names);
    env->ivals = tt_xrealloc(env->ivals, cap * sizeof *env->ivals);
    env->fvals = tt_xrealloc(env->fvals, cap * sizeof *env->fvals);
    env->is_float = tt_xrealloc(env->is_float, cap * sizeof *env->is_float);
    env->labels = tt_xrealloc(env->labels, cap * sizeof *env->labels);
    env->cap = cap;
  }
  size_t k = env->n++;
  env->names[k] = tt_xstrdup(name);
  env->labels[k] = NULL;
  return k;
}

/* Binds name to an integer (replacing any earlier binding). */
void tt_env_set_int(tt_env *env, const char *name, int64_t v) {
  size_t k = env_slot(env, name);
  env->ivals[k] = v;
  env->fvals[k] = (double)v;
  env->is_float[k] = 0;
}

/* Binds name to a double. */
void tt_env_set_float(tt_env *env, const char *name, double v) {
  size_t k = env_slot(env, name);
  env->ivals[k] = 0;
  env->fvals[k] = v;
  env->is_float[k] = 1;
}

/* Binds name to a label (copied). */
void tt_env_set_label(tt_env *env, const char *name, const char *label) {
  size_t k = env_slot(env, name);
  env->ivals[k] = 0;
  env->fvals[k] = 0;
  env->is_float[k] = 0;
  env->labels[k] = tt_xstrdup(label);
}

/* Frees the env's storage (names and labels are owned copies); the env
 * is left empty and reusable. */
void tt_env_free(tt_env *env) {
  for (size_t i = 0; i < env->n; i++) {
    free((char *)env->names[i]);
    free((char *)env->labels[i]);
  }
  free(env->names);
  free(env->ivals);
  free(env->fvals);
  free(env->is_float);
  free(env->labels);
  memset(env, 0, sizeof *env);
}

/* A value during evaluation: int, float or label. */
typedef struct val {
  int is_float;
  int64_t i;
  double f;
  const char *label; /* non-NULL for a label */
} val;

static int eval(const tt_expr *e, const tt_env *env, val *out, tt_error *err);

/* The label denoted by e, or NULL: a STRING, a label-bound variable, or an
 * unbound variable (whose name is taken as the label). */
static const char *as_label(const tt_expr *e, const tt_env *env) {
  if (e->kind == TT_EX_STRING) return e->name;
  if (e->kind != TT_EX_VAR) return NULL;
  long k = env_find(env, e->name);
  if (k < 0) return e->name;
  return env->labels[k];
}

/* 1 when e is (or names) a label rather than a number. */
static int is_label(const tt_expr *e, const tt_env *env) {
  if (e->kind == TT_EX_STRING) return 1;
  long k = e->kind == TT_EX_VAR ? env_find(env, e->name) : -1;
  return k >= 0 && env->labels[k] != NULL;
}

/* Evaluates a variable. */
static int eval_var(const tt_expr *e, const tt_env *env, val *out, tt_error *err) {
  long k = env_find(env, e->name);
  memset(out, 0, sizeof *out);
  if (k < 0 && (strcmp(e->name, "on") == 0 || strcmp(e->name, "off") == 0)) {
    out->i = e->name[1] == 'n';
    return 0;
  }
  if (k < 0) {
    tt_error_set(err, TT_ERR_USAGE, "unbound variable '%s'", e->name);
    return -1;
  }
  if (env->labels[k] != NULL) {
    tt_error_set(err, TT_ERR_USAGE, "'%s' is a label, not a number", e->name);
    return -1;
  }
  out->is_float = env->is_float[k];
  out->i = env->ivals[k];
  out->f = env->fvals[k];
  return 0;
}

/* Applies a floating binary operator: arithmetic, or a comparison (an
 * integer 0 or 1). */
static int float_binop(tt_binop op, double x, double y, val *out, tt_error *err) {
  double r;
  if (tt_float_arith(op, x, y, &r)) {
    out->is_float = 1;
    out->f = r;
    return 0;
  }
  int b = tt_float_compare(op, x, y);
  if (b < 0) return tt_error_set(err, TT_ERR_USAGE, "bad operator"), -1;
  out->i = b;
  return 0;
}

/* Evaluates a binary node (&& and || short-circuit; labels compare). */
static int eval_binary(const tt_expr *e, const tt_env *env, val *out, tt_error *err) {
  tt_binop op = (tt_binop)e->op;
  val x, y;
  memset(out, 0, sizeof *out);
  if ((op == TT_OP_EQ || op == TT_OP_NE) &&
      (is_label(e->args[0], env) || is_label(e->args[1], env))) {
    const char *lx = as_label(e->args[0], env), *ly = as_label(e->args[1], env);
    if (lx == NULL || ly == NULL)
      return tt_error_set(err, TT_ERR_USAGE, "a label compared with a number"), -1;
    out->i = (strcmp(lx, ly) == 0) == (op == TT_OP_EQ);
    return 0;
  }
  if (eval(e->args[0], env, &x, err) != 0) return -1;
  if (op == TT_OP_AND || op == TT_OP_OR) {
    int xt = x.is_float ? x.f != 0 : x.i != 0;
    if (xt == (op == TT_OP_OR)) {
      out->i = xt;
      return 0;
    }
    if (eval(e->args[1], env, &y, err) != 0) return -1;
    out->i = y.is_float ? y.f != 0 : y.i != 0;
    return 0;
  }
  if (eval(e->args[1], env, &y, err) != 0) return -1;
  if (!x.is_float && !y.is_float && op != TT_OP_DIV) {
    if (!tt_int_binop(op, x.i, y.i, &out->i))
      return tt_error_set(err, TT_ERR_USAGE, "division by zero or overflow in %s",
                          tt_binop_symbol(op)),
             -1;
    return 0;
  }
  double xf = x.is_float ? x.f : (double)x.i, yf = y.is_float ? y.f : (double)y.i;
  return float_binop(op, xf, yf, out, err);
}

/* Evaluates a math call. */
static int eval_call(const tt_expr *e, const tt_env *env, val *out, tt_error *err) {
  double v[2] = {0, 0};
  for (size_t i = 0; i < e->nargs && i < 2; i++) {
    val a;
    if (eval(e->args[i], env, &a, err) != 0) return -1;
    v[i] = a.is_float ? a.f : (double)a.i;
  }
  memset(out, 0, sizeof *out);
  out->is_float = 1;
  if (strcmp(e->name, "sqrt") == 0)
    out->f = sqrt(v[0]);
  else if (strcmp(e->name, "exp") == 0)
    out->f = exp(v[0]);
  else if (strcmp(e->name, "log") == 0)
    out->f = log(v[0]);
  else if (strcmp(e->name, "fabs") == 0)
    out->f = fabs(v[0]);
  else if (strcmp(e->name, "pow") == 0)
    out->f = pow(v[0], v[1]);
  else
    return tt_error_set(err, TT_ERR_USAGE, "unknown function '%s'", e->name), -1;
  return 0;
}

/* Evaluates a unary, select or cast node. */
static int eval_other(const tt_expr *e, const tt_env *env, val *out, tt_error *err) {
  val x;
  if (eval(e->args[0], env, &x, err) != 0) return -1;
  int truth = x.is_float ? x.f != 0 : x.i != 0;
  if (e->kind == TT_EX_SELECT) return eval(e->args[truth ? 1 : 2], env, out, err);
  memset(out, 0, sizeof *out);
  if (e->kind == TT_EX_UNARY && e->op == TT_OP_NOT) {
    out->i = !truth;
  } else if (e->kind == TT_EX_UNARY) {
    out->is_float = x.is_float;
    out->f = -x.f;
    out->i = x.i == INT64_MIN ? x.i : -x.i;
  } else if (tt_dtype_is_float(e->type)) { /* CAST */
    out->is_float = 1;
    out->f = x.is_float ? x.f : (double)x.i;
    if (e->type == TT_DT_F32) out->f = (float)out->f;
  } else {
    out->i = x.is_float ? (isfinite(x.f) && fabs(x.f) < 9.0e18 ? (int64_t)x.f : 0) : x.i;
  }
  return 0;
}

/* Evaluates e into a value. */
static int eval(const tt_expr *e, const tt_env *env, val *out, tt_error *err) {
  memset(out, 0, sizeof *out);
  switch (e->kind) {
  case TT_EX_INT:
    out->i = e->ival;
    return 0;
  case TT_EX_FLOAT:
    out->is_float = 1;
    out->f = e->fval;
    return 0;
  case TT_EX_VAR:
    return eval_var(e, env, out, err);
  case TT_EX_BINARY:
    return eval_binary(e, env, out, err);
  case TT_EX_CALL:
    return eval_call(e, env, out, err);
  case TT_EX_UNARY:
  case TT_EX_SELECT:
  case TT_EX_CAST:
    return eval_other(e, env, out, err);
  case TT_EX_STRING:
    return tt_error_set(err, TT_ERR_USAGE, "label \"%s\" used as a number", e->name), -1;
  case TT_EX_LOAD:
    return tt_error_set(err, TT_ERR_USAGE, "'%s[...]' is not a constant", e->name), -1;
  case TT_EX_REDUCE:
    return tt_error_set(err, TT_ERR_USAGE, "a reduction is not a constant"), -1;
  }
  return -1;
}

/* Evaluates e under env into *out (ints converted to double). */
int tt_expr_eval(const tt_expr *e, const tt_env *env, double *out, tt_error *err) {
  val v;
  if (eval(e, env, &v, err) != 0) return -1;
  *out = v.is_float ? v.f : (double)v.i;
  return 0;
}

/* Substitutes every bound variable (ints, floats, labels as STRING) and
 * simplifies. */
tt_expr *tt_expr_bind(tt_arena *a, const tt_expr *e, const tt_env *env) {
  tt_expr *r = (tt_expr *)e;
  for (size_t i = 0; env != NULL && i < env->n; i++) {
    if (!tt_expr_uses_var(r, env->names[i])) continue;
    tt_expr *v;
    if (env->labels[i] != NULL)
      v = tt_ex_string(a, env->labels[i]);
    else if (env->is_float[i])
      v = tt_ex_float(a, env->fvals[i]);
    else
      v = tt_ex_int(a, env->ivals[i]);
    r = tt_expr_subst(a, r, env->names[i], v);
  }
  return tt_expr_simplify(a, r);
}
