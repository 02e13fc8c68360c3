/* vectorize L by W on a GPU target: the loop's W iterations become one
 * statement over vectors of W lanes (double2, float2, float4): loads whose
 * last index is L plus something free of L are vector loads (TT_VLDW),
 * loads free of L are broadcast scalars, a store into a tensor is a
 * vector store (TT_VSTW, a STORE with simdlen W) and a sum into a scalar
 * accumulator adds the vector's lanes (TT_HSUMW). A tile with fewer than W
 * iterations (the edge of a split that does not divide) runs the scalar
 * loop: `if (lo + W <= hi) { vector } else { loop }`.
 *
 * A vector access must be aligned to W elements (CUDA loads double2 and
 * float4 from 16-byte boundaries): the pass proves that the element's
 * offset is a multiple of W from the residues of the loop starts and steps
 * around it (modulo 16), and refuses the configuration otherwise. */
#include <string.h>

#include "lower/gpu.h"

/* A value known modulo m (m divides 16; m = 1: nothing known). */
typedef struct cong {
  int64_t r, m;
} cong;

typedef struct vec {
  tt_arena *a;
  const tt_lowered *l;
  const tt_gpu_kernel *k;
  tt_gpu_names names; /* names in scope, with their residues in vals */
  cong *vals;
  size_t cap;
  tt_error *err;
  tt_status st;
} vec;

static int64_t gcd(int64_t x, int64_t y) {
  x = x < 0 ? -x : x;
  y = y < 0 ? -y : y;
  while (y) {
    int64_t t = x % y;
    x = y;
    y = t;
  }
  return x;
}

static cong mk(int64_t r, int64_t m) {
  m = gcd(m, 16);
  if (m == 0) m = 16;
  return (cong){((r % m) + m) % m, m};
}

static cong c_add(cong x, cong y) {
  return mk(x.r + y.r, gcd(x.m, y.m));
}

static cong c_mul(cong x, cong y) {
  return mk(x.r * y.r, gcd(gcd(x.r * y.m, y.r * x.m), x.m * y.m));
}

static cong c_join(cong x, cong y) {
  return mk(x.r, gcd(gcd(x.m, y.m), x.r - y.r));
}

static const cong UNKNOWN = {0, 1};

static void push(vec *v, const char *name, cong c) {
  if (v->names.n == v->cap) {
    size_t cap = v->cap ? 2 * v->cap : 32;
    cong *vals = tt_arena_alloc(v->a, sizeof(cong) * cap);
    if (v->names.n) memcpy(vals, v->vals, sizeof(cong) * v->names.n);
    v->vals = vals;
    v->cap = cap;
  }
  v->vals[v->names.n] = c;
  tt_gpu_names_push(v->a, &v->names, name);
}

/* The residue of an integer expression, from the constants (params, knobs)
 * and the names in scope. */
static cong residue(const vec *v, const tt_expr *e) {
  switch (e->kind) {
  case TT_EX_INT:
    return mk(e->ival, 16);
  case TT_EX_VAR: {
    for (size_t i = v->names.n; i-- > 0;)
      if (strcmp(v->names.v[i], e->name) == 0) return v->vals[i];
    const tt_kernel_def *kd = v->l->kernel;
    for (size_t i = 0; i < kd->nparams; i++)
      if (strcmp(kd->params[i], e->name) == 0) return mk(v->l->size[i], 16);
    return UNKNOWN;
  }
  case TT_EX_BINARY: {
    cong x = residue(v, e->args[0]), y = residue(v, e->args[1]);
    if (e->op == TT_OP_ADD) return c_add(x, y);
    if (e->op == TT_OP_SUB) return c_add(x, mk(-y.r, y.m));
    if (e->op == TT_OP_MUL) return c_mul(x, y);
    if (e->op == TT_OP_MIN || e->op == TT_OP_MAX) return c_join(x, y);
    return UNKNOWN;
  }
  default:
    return UNKNOWN;
  }
}

/* The constant extent of dimension d of the tensor or local buffer `name`
 * read in this kernel, or 0 when unknown (a private buffer). */
static int64_t dim_extent(const vec *v, const char *name, size_t d, tt_dtype *type) {
  const tt_tensor *t = tt_kernel_tensor(v->l->kernel, name);
  if (t) {
    tt_env env = {0};
    double x = 0;
    for (size_t i = 0; i < v->l->kernel->nparams; i++)
      tt_env_set_int(&env, v->l->kernel->params[i], v->l->size[i]);
    int ok = d < t->ndim && tt_expr_eval(t->shape[d], &env, &x, NULL) == 0;
    tt_env_free(&env);
    *type = t->type;
    return ok ? (int64_t)x : 0;
  }
  for (size_t i = 0; i < v->k->nlocal; i++) {
    const tt_stmt *s = v->k->local_allocs[i];
    int64_t x;
    if (strcmp(s->name, name) == 0 && d < s->nidx && tt_expr_const_int(s->idx[d], &x)) {
      *type = s->type;
      return x;
    }
  }
  return 0;
}

static tt_status fail(vec *v, const char *var, const char *fmt, const char *what) {
  char msg[300];
  snprintf(msg, sizeof msg, fmt, what);
  v->st = tt_error_set(v->err, TT_ERR_USAGE, "vectorize '%s' on a GPU target: %s", var, msg);
  return v->st;
}

/* 1 when e is var plus something free of var (j, j - jo, 1 + j). */
static int unit_in(const tt_expr *e, const char *var) {
  if (e->kind == TT_EX_VAR) return strcmp(e->name, var) == 0;
  if (e->kind != TT_EX_BINARY || (e->op != TT_OP_ADD && e->op != TT_OP_SUB)) return 0;
  int u0 = unit_in(e->args[0], var), f1 = !tt_expr_uses_var(e->args[1], var);
  if (e->op == TT_OP_SUB) return u0 && f1;
  return (u0 && f1) || (unit_in(e->args[1], var) && !tt_expr_uses_var(e->args[0], var));
}

/* Checks a vector access name[idx] (W lanes along var): the last index is
 * unit in var, the others free of it, the element a float of W*size <= 16
 * bytes, and its offset a multiple of W. */
static tt_status check_access(vec *v, const char *var, int w, const char *name, tt_expr **idx,
                              size_t n) {
  for (size_t d = 0; d + 1 < n; d++)
    if (tt_expr_uses_var(idx[d], var))
      return fail(v, var, "'%s' is indexed by it in another dimension than the last", name);
  if (n == 0 || !unit_in(idx[n - 1], var))
    return fail(v, var, "the last index of '%s' is not the loop variable plus a constant", name);
  tt_dtype type = TT_DT_F64;
  cong off = mk(0, 16);
  int64_t stride = 1; /* of dimension d: the product of the extents inside it */
  for (size_t d = n; d-- > 0;) {
    int64_t ext = dim_extent(v, name, d, &type);
    if (ext <= 0) return fail(v, var, "'%s' is a private buffer (no vector loads)", name);
    off = c_add(off, c_mul(residue(v, idx[d]), mk(stride, 16)));
    stride *= ext;
  }
  if (!tt_dtype_is_float(type) || w * tt_dtype_size(type) > 16)
    return fail(v, var,
                tt_dtype_is_float(type) ? "the vector of '%s' is wider than 16 bytes"
                                        : "'%s' is not a floating-point tensor",
                name);
  if (off.m % w != 0 || off.r % w != 0)
    return fail(v, var, "the accesses of '%s' are not provably aligned to the vector width", name);
  return TT_OK;
}

/* e as a vector expression along var (*is_vec: it depends on var). */
static tt_expr *vexpr(vec *v, const char *var, int w, const tt_expr *e, int *is_vec) {
  *is_vec = 0;
  if (v->st != TT_OK || !tt_expr_uses_var(e, var)) return (tt_expr *)e;
  tt_arena *a = v->a;
  if (e->kind == TT_EX_LOAD) {
    if (check_access(v, var, w, e->name, e->args, e->nargs) != TT_OK) return (tt_expr *)e;
    tt_expr *args[1] = {(tt_expr *)e};
    tt_expr *c = tt_ex_call(a, w == 2 ? "TT_VLD2" : "TT_VLD4", args, 1);
    c->type = e->type;
    *is_vec = 1;
    return c;
  }
  int arith = e->kind == TT_EX_BINARY && (e->op == TT_OP_ADD || e->op == TT_OP_SUB ||
                                          e->op == TT_OP_MUL || e->op == TT_OP_DIV);
  if (!arith && !(e->kind == TT_EX_UNARY && e->op == TT_OP_NEG)) {
    fail(v, var, "%s has no vector form (only + - * / of loads and scalars)",
         e->kind == TT_EX_VAR ? "the loop variable as a value" : "an expression of it");
    return (tt_expr *)e;
  }
  tt_expr *c = tt_arena_alloc(a, sizeof(*c));
  *c = *e;
  c->args = tt_arena_alloc(a, sizeof(tt_expr *) * e->nargs);
  for (size_t i = 0; i < e->nargs; i++) {
    int iv = 0;
    c->args[i] = vexpr(v, var, w, e->args[i], &iv);
    *is_vec |= iv;
  }
  return c;
}

/* The vector form of the single statement s of a vector loop over var. */
static tt_stmt *vstmt(vec *v, const char *var, int w, const tt_stmt *s) {
  tt_arena *a = v->a;
  int is_vec = 0;
  if (s->kind == TT_ST_BLOCK && s->nbody == 1) return vstmt(v, var, w, s->body[0]);
  if (s->kind == TT_ST_ASSIGN && (s->op == '+' || s->op == '-')) {
    tt_expr *x = vexpr(v, var, w, s->value, &is_vec);
    if (v->st != TT_OK) return NULL;
    if (!is_vec) {
      fail(v, var, "the sum into '%s' does not depend on it", s->name);
      return NULL;
    }
    tt_expr *args[1] = {x};
    tt_expr *h = tt_ex_call(a, w == 2 ? "TT_HSUM2" : "TT_HSUM4", args, 1);
    h->type = s->value->type;
    return tt_st_assign(a, s->name, s->op, h);
  }
  if (s->kind != TT_ST_STORE) {
    fail(v, var, "its body must be one store into a tensor or one sum into a scalar%s", "");
    return NULL;
  }
  if (check_access(v, var, w, s->name, s->idx, s->nidx) != TT_OK) return NULL;
  tt_expr *x = vexpr(v, var, w, s->value, &is_vec);
  if (v->st != TT_OK) return NULL;
  if (!is_vec) {
    fail(v, var, "the value stored into '%s' does not depend on it", s->name);
    return NULL;
  }
  if (s->op != '=') {
    tt_expr *old = tt_ex_load(a, s->name, s->idx, s->nidx), *args[1] = {old};
    tt_expr *vold = tt_ex_call(a, w == 2 ? "TT_VLD2" : "TT_VLD4", args, 1);
    old->type = vold->type = s->value->type;
    x = tt_ex_bin(a, s->op == '-' ? TT_OP_SUB : TT_OP_ADD, vold, x);
  }
  tt_stmt *st = tt_st_store(a, s->name, s->idx, s->nidx, '=', x);
  st->simdlen = w;
  return st;
}

/* hi - lo of a vector loop is W, or hi = min(lo + W, x): 1, and *full set
 * when it is always W. */
static int w_trips(vec *v, const tt_stmt *f, int w, int *full) {
  int64_t c;
  tt_expr *d = tt_expr_simplify(v->a, tt_ex_sub(v->a, f->hi, f->lo));
  *full = tt_expr_const_int(d, &c) && c == w;
  if (*full) return 1;
  if (f->hi->kind != TT_EX_BINARY || f->hi->op != TT_OP_MIN) return 0;
  for (int i = 0; i < 2; i++) {
    d = tt_expr_simplify(v->a, tt_ex_sub(v->a, f->hi->args[i], f->lo));
    if (tt_expr_const_int(d, &c) && c == w) return 1;
  }
  return 0;
}

static tt_stmt *walk(vec *v, const tt_stmt *s);

static tt_stmt *vector_loop(vec *v, const tt_stmt *f) {
  tt_arena *a = v->a;
  int w = f->simdlen, full = 0;
  int64_t step = 1;
  if (w != 2 && w != 4) {
    fail(v, f->var, "a width of %s lanes (GPU vectors have 2 or 4)", w > 4 ? "more than 4" : "3");
    return NULL;
  }
  if ((f->step && !(tt_expr_const_int(f->step, &step) && step == 1)) || !w_trips(v, f, w, &full)) {
    fail(v, f->var, "the loop must run at most W iterations: the innermost level of a split by W%s",
         "");
    return NULL;
  }
  size_t saved = v->names.n;
  push(v, f->var, residue(v, f->lo));
  tt_stmt *vs = vstmt(v, f->var, w, f->body[0]);
  v->names.n = saved;
  if (!vs) return NULL;
  tt_stmt *items[2] = {tt_st_let(a, TT_DT_INT, f->var, f->lo), vs};
  tt_stmt *block = tt_st_block(a, items, 2);
  if (full) return block;
  tt_stmt *scalar = tt_stmt_clone(a, f);
  scalar->loop_kind = TT_LOOP_SERIAL;
  scalar->simdlen = 0;
  scalar->body = tt_arena_alloc(a, sizeof(tt_stmt *));
  scalar->body[0] = walk(v, f->body[0]);
  /* hi = min(lo + W, x): the tile is full when lo + W <= x */
  tt_expr *end = tt_ex_add(a, f->lo, tt_ex_int(a, w)), *hi = f->hi;
  if (hi->kind == TT_EX_BINARY && hi->op == TT_OP_MIN)
    for (int i = 0; i < 2; i++)
      if (tt_expr_equal(tt_expr_simplify(a, hi->args[i]), tt_expr_simplify(a, end)))
        hi = hi->args[1 - i];
  tt_expr *cond = tt_ex_bin(a, TT_OP_LE, end, hi);
  return tt_st_if(a, tt_expr_simplify(a, cond), block, scalar);
}

static tt_stmt *walk(vec *v, const tt_stmt *s) {
  if (!s || v->st != TT_OK) return (tt_stmt *)s;
  if (s->kind == TT_ST_FOR && s->loop_kind == TT_LOOP_VECTORIZED && s->simdlen > 1)
    return vector_loop(v, s);
  if (s->kind == TT_ST_LET) push(v, s->name, residue(v, s->value));
  if (s->nbody == 0) return (tt_stmt *)s;
  size_t saved = v->names.n;
  if (s->kind == TT_ST_FOR) {
    cong step = s->step ? residue(v, s->step) : mk(1, 16);
    push(v, s->var, c_add(residue(v, s->lo), c_mul(UNKNOWN, step)));
  }
  tt_stmt *c = tt_stmt_clone(v->a, s);
  c->body = tt_arena_alloc(v->a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++)
    c->body[i] = walk(v, s->body[i]);
  v->names.n = saved;
  return c;
}

tt_status tt_gpu_vectorize(tt_arena *a, const tt_lowered *l, tt_gpu_kernel *k, tt_error *err) {
  vec v = {.a = a, .l = l, .k = k, .err = err};
  tt_stmt *body = walk(&v, k->body);
  if (v.st == TT_OK) k->body = body;
  return v.st;
}
