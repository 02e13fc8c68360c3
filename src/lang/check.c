/* Semantic checks of a parsed kernel: every name resolves (and gets its
 * type), tensors are indexed with the right number of integer indices,
 * only writable tensors are written, reductions sit where they may, and
 * compute ranges are completed (axes default to the output's extent, a
 * reduction variable without a range takes the extent of the dimension it
 * indexes). Local names never shadow another name in scope. */
#include "lang/check.h"

#include <string.h>

/* C's keywords (and GNU C's): every user name becomes a C identifier. */
static const char *const C_KEYWORDS[] = {"auto",         "break",    "case",      "char",
                                         "const",        "continue", "default",   "do",
                                         "double",       "else",     "enum",      "extern",
                                         "float",        "for",      "goto",      "if",
                                         "inline",       "int",      "long",      "register",
                                         "restrict",     "return",   "short",     "signed",
                                         "sizeof",       "static",   "struct",    "switch",
                                         "typedef",      "union",    "unsigned",  "void",
                                         "volatile",     "while",    "asm",       "typeof",
                                         "_Bool",        "_Complex", "_Atomic",   "_Alignas",
                                         "_Alignof",     "_Generic", "_Noreturn", "_Static_assert",
                                         "_Thread_local"};

/* Reports a user name the generated C cannot carry: one starting with tt_
 * (any case; the names tetune generates), a C keyword, or a name C
 * reserves for the implementation (__x, _X). */
void tt_ck_reserved(tt_checker *c, const char *name, tt_loc loc) {
  if ((name[0] == 't' || name[0] == 'T') && (name[1] == 't' || name[1] == 'T') && name[2] == '_') {
    tt_p_diag(c->p, loc, "'%s': names starting with 'tt_' are reserved for generated code", name);
    return;
  }
  if (name[0] == '_' && (name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z'))) {
    tt_p_diag(c->p, loc, "'%s' is a name C reserves (it starts with '%.2s')", name, name);
    return;
  }
  for (size_t i = 0; i < sizeof C_KEYWORDS / sizeof C_KEYWORDS[0]; i++)
    if (strcmp(C_KEYWORDS[i], name) == 0) {
      tt_p_diag(c->p, loc, "'%s' is a C keyword: choose another name", name);
      return;
    }
}

/* Pushes a name; a local (loop, let, axis, reduction variable) that would
 * shadow a name in scope is reported, and so is a reserved name. */
void tt_ck_push(tt_checker *c, const char *name, tt_sym_kind kind, tt_dtype t, tt_loc loc) {
  if (kind != SYM_LABEL) tt_ck_reserved(c, name, loc);
  if (kind == SYM_LOOP || kind == SYM_LET || kind == SYM_AXIS || kind == SYM_RVAR) {
    if (tt_ck_lookup(c, name) != NULL || tt_kernel_tensor(c->k, name) != NULL)
      tt_p_diag(c->p, loc, "'%s' is already defined", name);
  }
  c->syms = tt_p_grow(c->p, c->syms, c->n, &c->cap, sizeof *c->syms);
  tt_sym s = {name, kind, t};
  c->syms[c->n++] = s;
}

/* The innermost symbol called name, or NULL. */
const tt_sym *tt_ck_lookup(const tt_checker *c, const char *name) {
  for (size_t i = c->n; i-- > 0;)
    if (strcmp(c->syms[i].name, name) == 0) return &c->syms[i];
  return NULL;
}

/* Reports e when it is floating ("WHAT is not an integer expression"). */
static void need_int(tt_checker *c, const tt_expr *e, const char *what) {
  if (tt_dtype_is_float(e->type))
    tt_p_diag(c->p, e->loc, "%s is not an integer expression (use // for integer division)", what);
}

/* The tensor called name, or a diagnostic at loc and NULL. */
static const tt_tensor *tensor_or_diag(tt_checker *c, const char *name, tt_loc loc) {
  const tt_tensor *t = tt_kernel_tensor(c->k, name);
  if (t == NULL) tt_p_diag(c->p, loc, "unknown tensor '%s'", name);
  return t;
}

/* Reports an index count that does not match t's rank. */
static void check_arity(tt_checker *c, const tt_tensor *t, size_t n, tt_loc loc) {
  if (t != NULL && t->ndim != n)
    tt_p_diag(c->p, loc, "'%s' has %zu dimension%s but %zu ind%s given", t->name, t->ndim,
              t->ndim == 1 ? "" : "s", n, n == 1 ? "ex is" : "ices are");
}

/* Finds a load in e whose index d is exactly VAR var; sets *t, *d. */
static int find_dim(const tt_checker *c, const tt_expr *e, const char *var, const tt_tensor **t,
                    size_t *d) {
  if (e == NULL) return 0;
  if (e->kind == TT_EX_LOAD) {
    const tt_tensor *tn = tt_kernel_tensor(c->k, e->name);
    for (size_t i = 0; tn != NULL && i < e->nargs && i < tn->ndim; i++)
      if (e->args[i]->kind == TT_EX_VAR && strcmp(e->args[i]->name, var) == 0) {
        *t = tn;
        *d = i;
        return 1;
      }
  }
  for (size_t i = 0; i < e->nargs; i++)
    if (find_dim(c, e->args[i], var, t, d)) return 1;
  return 0;
}

/* Checks a reduction: placement, ranges (inferred when absent), body. */
static void check_reduce(tt_checker *c, tt_expr *e) {
  if (!c->in_compute)
    tt_p_diag(c->p, e->loc, "reduction outside a compute");
  else if (c->in_reduce)
    tt_p_diag(c->p, e->loc, "nested reduction");
  else if (c->nreduce++ > 0)
    tt_p_diag(c->p, e->loc, "more than one reduction in a compute");
  size_t mark = c->n;
  for (size_t i = 0; i < e->nranges; i++) {
    tt_range *r = &e->ranges[i];
    const tt_tensor *t;
    size_t d;
    if (r->lo == NULL && find_dim(c, e->args[0], r->var, &t, &d)) {
      r->lo = tt_ex_int(c->p->a, 0);
      r->hi = t->shape[d];
    } else if (r->lo == NULL) {
      tt_p_diag(c->p, e->loc, "cannot infer the range of reduction variable '%s'", r->var);
      r->lo = r->hi = tt_ex_int(c->p->a, 0);
    } else {
      tt_ck_expr(c, r->lo);
      tt_ck_expr(c, r->hi);
      need_int(c, r->lo, "a range bound");
      need_int(c, r->hi, "a range bound");
    }
    tt_ck_push(c, r->var, SYM_RVAR, TT_DT_INT, e->loc);
  }
  int outer = c->in_reduce;
  c->in_reduce = 1;
  tt_ck_expr(c, e->args[0]);
  c->in_reduce = outer;
  c->n = mark;
}

/* Resolves a variable reference and types it. */
static void check_var(tt_checker *c, tt_expr *e) {
  const tt_sym *s = tt_ck_lookup(c, e->name);
  if (s != NULL)
    e->type = s->type;
  else if (c->shape_of != NULL)
    tt_p_diag(c->p, e->loc, "unknown size parameter '%s' in the shape of '%s'", e->name,
              c->shape_of);
  else
    tt_p_diag(c->p, e->loc, "unknown variable '%s'", e->name);
}

/* 1 when e is a floating literal (or its negation) still typed f64. */
static int f64_literal(const tt_expr *e) {
  if (e->kind == TT_EX_UNARY && e->op == TT_OP_NEG) e = e->args[0];
  return e->kind == TT_EX_FLOAT && e->type == TT_DT_F64;
}

/* A floating literal takes the type of the f32 values it meets: in
 * x * 0.5 with x f32, 0.5 is 0.5f and the product stays in float (as a
 * literal's type would in a language with untyped constants). Operands of
 * arithmetic, comparisons, select's values and calls' arguments count;
 * an f64 value among them keeps the literals f64. */
static void adapt_literals(tt_expr *e) {
  size_t from = e->kind == TT_EX_SELECT ? 1 : 0;
  if (e->kind != TT_EX_BINARY && e->kind != TT_EX_SELECT && e->kind != TT_EX_CALL) return;
  int f32 = 0, f64 = 0;
  for (size_t i = from; i < e->nargs; i++) {
    if (f64_literal(e->args[i])) continue;
    f32 |= e->args[i]->type == TT_DT_F32;
    f64 |= e->args[i]->type == TT_DT_F64;
  }
  if (!f32 || f64) return;
  for (size_t i = from; i < e->nargs; i++)
    if (f64_literal(e->args[i])) {
      tt_expr *l = e->args[i];
      if (l->kind == TT_EX_UNARY) l->args[0]->type = TT_DT_F32;
      l->type = TT_DT_F32;
      if (l->kind == TT_EX_UNARY) tt_expr_infer_type(l);
    }
}

/* Resolves names in e, fills in types and checks indexing. */
void tt_ck_expr(tt_checker *c, tt_expr *e) {
  switch (e->kind) {
  case TT_EX_VAR:
    check_var(c, e);
    return;
  case TT_EX_REDUCE:
    check_reduce(c, e);
    break;
  case TT_EX_LOAD: {
    const tt_tensor *t = tensor_or_diag(c, e->name, e->loc);
    check_arity(c, t, e->nargs, e->loc);
    for (size_t i = 0; i < e->nargs; i++) {
      tt_ck_expr(c, e->args[i]);
      need_int(c, e->args[i], "an index");
    }
    /* an integer element is an integer expression, whatever its storage */
    if (t != NULL) e->type = tt_dtype_is_int(t->type) ? TT_DT_INT : t->type;
    return;
  }
  default:
    for (size_t i = 0; i < e->nargs; i++)
      tt_ck_expr(c, e->args[i]);
    adapt_literals(e);
    break;
  }
  tt_expr_infer_type(e);
}

/* The tensor written by a store or compute: known, writable, right rank. */
static const tt_tensor *check_target(tt_checker *c, const char *name, size_t n, tt_loc loc) {
  const tt_tensor *t = tensor_or_diag(c, name, loc);
  check_arity(c, t, n, loc);
  if (t != NULL && t->role == TT_ROLE_IN && !c->in_init)
    tt_p_diag(c->p, loc, "cannot write to input tensor '%s'", name);
  return t;
}

/* A compute: axes get ranges and enter scope, then the right-hand side. */
static void check_compute(tt_checker *c, tt_stmt *s) {
  tt_compute *cp = s->compute;
  const tt_tensor *t = check_target(c, cp->tensor, cp->naxes, s->loc);
  size_t mark = c->n;
  for (size_t i = 0; i < cp->naxes; i++) {
    tt_range *r = &cp->axes[i];
    const tt_sym *outer = r->lo == NULL ? tt_ck_lookup(c, r->var) : NULL;
    if (outer != NULL && outer->kind != SYM_AXIS && outer->kind != SYM_RVAR) {
      /* an outer variable: a fixed index, like an expression */
      r->lo = tt_ex_var(c->p->a, r->var);
      r->lo->loc = s->loc;
      r->var = tt_arena_printf(c->p->a, "tt_fix%zu", i);
    }
    if (r->lo != NULL && r->hi == NULL) { /* fixed index: one point */
      const tt_sym *same = r->lo->kind == TT_EX_VAR ? tt_ck_lookup(c, r->lo->name) : NULL;
      if (same != NULL && same->kind == SYM_AXIS && c->n > mark)
        tt_p_diag(c->p, r->lo->loc, "'%s' is repeated in the output of '%s'", r->lo->name,
                  cp->tensor);
      tt_ck_expr(c, r->lo);
      need_int(c, r->lo, "an index");
      r->hi = tt_expr_simplify(c->p->a, tt_ex_add(c->p->a, r->lo, tt_ex_int(c->p->a, 1)));
      c->syms = tt_p_grow(c->p, c->syms, c->n, &c->cap, sizeof *c->syms);
      c->syms[c->n++] = (tt_sym){r->var, SYM_AXIS, TT_DT_INT};
      continue;
    }
    if (r->lo == NULL) {
      r->lo = tt_ex_int(c->p->a, 0);
      r->hi = t != NULL && i < t->ndim ? t->shape[i] : tt_ex_int(c->p->a, 0);
    } else {
      tt_ck_expr(c, r->lo);
      tt_ck_expr(c, r->hi);
      need_int(c, r->lo, "a range bound");
      need_int(c, r->hi, "a range bound");
    }
    tt_ck_push(c, r->var, SYM_AXIS, TT_DT_INT, s->loc);
  }
  c->in_compute = 1;
  c->nreduce = 0;
  tt_ck_expr(c, cp->rhs);
  c->in_compute = 0;
  c->n = mark;
}

/* Rewrites a loop with a constant negative step, for v in lo..hi step
 * -s (v = lo, lo - s, ... while v > hi), as an ascending loop over a
 * counter that its body turns back into v:
 *   for tt_rev_v in 0..(lo - hi + s - 1) // s { let v = lo - tt_rev_v * s; ... }
 * so that everything after the checker (dependence tests, splits, code
 * generation) sees only ascending loops. The label stays v (or the
 * user's): schedules name the loop as written. */
static void reverse_loop(tt_checker *c, tt_stmt *s, int64_t step) {
  tt_arena *a = c->p->a;
  const char *v = s->var, *r = tt_arena_printf(a, "tt_rev_%s", v);
  tt_expr *span = tt_ex_add(a, tt_ex_sub(a, s->lo, s->hi), tt_ex_int(a, -step - 1));
  tt_expr *count = tt_ex_bin(a, TT_OP_FLOORDIV, span, tt_ex_int(a, -step));
  tt_expr *value = tt_ex_sub(a, s->lo, tt_ex_mul(a, tt_ex_var(a, r), tt_ex_int(a, -step)));
  tt_stmt *let = tt_st_let(a, TT_DT_INT, v, tt_expr_simplify(a, value));
  let->loc = s->loc;
  tt_stmt_list l = {0};
  tt_stmt_list_push(a, &l, let);
  tt_stmt_list_push(a, &l, s->body[0]);
  s->body[0] = tt_stmt_list_block(a, &l);
  s->body[0]->loc = s->loc;
  s->var = r;
  s->lo = tt_ex_int(a, 0);
  s->hi = tt_expr_simplify(a, count);
  s->step = NULL;
}

/* A for loop: integer bounds, then the body with the variable in scope.
 * A constant step must not be 0; a negative one makes a reverse loop. */
static void check_for(tt_checker *c, tt_stmt *s) {
  tt_expr *bounds[3] = {s->lo, s->hi, s->step};
  for (int i = 0; i < 3; i++)
    if (bounds[i] != NULL) {
      tt_ck_expr(c, bounds[i]);
      need_int(c, bounds[i], "a loop bound");
    }
  size_t mark = c->n;
  tt_ck_push(c, s->var, SYM_LOOP, TT_DT_INT, s->loc);
  tt_ck_stmt(c, s->body[0]);
  c->n = mark;
  int64_t step;
  if (s->step == NULL || !tt_expr_const_int(tt_expr_simplify(c->p->a, s->step), &step)) return;
  if (step == 0)
    tt_p_diag(c->p, s->step->loc, "a loop step must not be 0");
  else if (step < 0)
    reverse_loop(c, s, step);
}

/* Checks a statement; a let stays in scope until its block ends. */
void tt_ck_stmt(tt_checker *c, tt_stmt *s) {
  if (s == NULL) return;
  size_t mark = c->n;
  switch (s->kind) {
  case TT_ST_BLOCK:
    for (size_t i = 0; i < s->nbody; i++)
      tt_ck_stmt(c, s->body[i]);
    c->n = mark;
    break;
  case TT_ST_FOR:
    check_for(c, s);
    break;
  case TT_ST_IF:
    tt_ck_expr(c, s->value);
    tt_ck_stmt(c, s->body[0]);
    tt_ck_stmt(c, s->body[1]);
    break;
  case TT_ST_LET:
    tt_ck_expr(c, s->value);
    s->type = tt_dtype_is_float(s->value->type) ? s->value->type : TT_DT_INT;
    tt_ck_push(c, s->name, SYM_LET, s->type, s->loc);
    break;
  case TT_ST_ASSIGN: {
    const tt_sym *sym = tt_ck_lookup(c, s->name);
    if (sym == NULL)
      tt_p_diag(c->p, s->loc, "unknown variable '%s'", s->name);
    else if (sym->kind != SYM_LET)
      tt_p_diag(c->p, s->loc, "'%s' is not a local variable (declare it with let)", s->name);
    tt_ck_expr(c, s->value);
    break;
  }
  case TT_ST_STORE:
    check_target(c, s->name, s->nidx, s->loc);
    for (size_t i = 0; i < s->nidx; i++) {
      tt_ck_expr(c, s->idx[i]);
      need_int(c, s->idx[i], "an index");
    }
    tt_ck_expr(c, s->value);
    break;
  case TT_ST_COMPUTE:
    check_compute(c, s);
    break;
  default:
    break;
  }
}

/* Collects compute stage names of s into names[*n] (up to max). */
static void collect_stages(const tt_stmt *s, const tt_stmt **out, size_t *n, size_t max) {
  if (s == NULL) return;
  if (s->kind == TT_ST_COMPUTE && *n < max) out[(*n)++] = s;
  for (size_t i = 0; i < s->nbody; i++)
    collect_stages(s->body[i], out, n, max);
}

/* Reports a stage name used twice in body. */
void tt_ck_unique_stages(tt_checker *c, const tt_stmt *body) {
  const tt_stmt *st[256];
  size_t n = 0;
  collect_stages(body, st, &n, 256);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(st[i]->compute->name, st[j]->compute->name) == 0) {
        tt_p_diag(c->p, st[i]->loc, "duplicate stage '%s'", st[i]->compute->name);
        break;
      }
}

/* Checks the kernel-level declarations, init, body and templates. */
void tt_check_kernel(tt_parser *p, tt_kernel_def *k) {
  tt_checker c = {.p = p, .k = k};
  for (size_t i = 0; i < k->nparams; i++)
    tt_ck_push(&c, k->params[i], SYM_PARAM, TT_DT_INT, k->loc);
  for (size_t i = 0; i < k->ntensors; i++) {
    tt_ck_reserved(&c, k->tensors[i].name, k->tensors[i].loc);
    c.shape_of = k->tensors[i].name;
    for (size_t d = 0; d < k->tensors[i].ndim; d++) {
      tt_ck_expr(&c, k->tensors[i].shape[d]);
      need_int(&c, k->tensors[i].shape[d], "a dimension");
    }
  }
  c.shape_of = NULL;
  if (k->flops != NULL) tt_ck_expr(&c, k->flops);
  for (size_t i = 0; i < k->nscalars; i++) {
    tt_ck_expr(&c, k->scalars[i].value);
    tt_ck_push(&c, k->scalars[i].name, SYM_SCALAR, k->scalars[i].type, k->scalars[i].loc);
  }
  c.in_init = 1;
  tt_ck_stmt(&c, k->init);
  c.in_init = 0;
  tt_ck_stmt(&c, k->body);
  tt_ck_unique_stages(&c, k->body);
  for (size_t i = 0; i < k->ntemplates; i++)
    tt_ck_template(&c, &k->templates[i], i);
}
