/* tt_lower_gpu: a lowered body split between host and device (see
 * schedule.h). The host keeps the control flow around bound loops and the
 * integer lets it can compute (ke = min(kb + NB, N)); every loop nest whose
 * outermost loop is bound becomes a kernel, and every run of other
 * statements a kernel of one work-item. */
#include <string.h>

#include "lower/gpu.h"

void tt_gpu_names_push(tt_arena *a, tt_gpu_names *s, const char *name) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    const char **v = tt_arena_alloc(a, sizeof(char *) * cap);
    if (s->n) memcpy(v, s->v, sizeof(char *) * s->n);
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = name;
}

int tt_gpu_names_has(const tt_gpu_names *s, const char *name) {
  for (size_t i = s->n; i-- > 0;)
    if (strcmp(s->v[i], name) == 0) return 1;
  return 0;
}

void tt_gpu_expr_vars(const tt_expr *e, void (*f)(void *, const char *), void *arg) {
  if (!e) return;
  if (e->kind == TT_EX_VAR) f(arg, e->name);
  for (size_t i = 0; i < e->nargs; i++)
    tt_gpu_expr_vars(e->args[i], f, arg);
  for (size_t i = 0; i < e->nranges; i++) {
    tt_gpu_expr_vars(e->ranges[i].lo, f, arg);
    tt_gpu_expr_vars(e->ranges[i].hi, f, arg);
  }
}

void tt_gpu_stmt_vars(const tt_stmt *s, void (*f)(void *, const char *), void *arg) {
  if (!s) return;
  tt_gpu_expr_vars(s->lo, f, arg);
  tt_gpu_expr_vars(s->hi, f, arg);
  tt_gpu_expr_vars(s->step, f, arg);
  tt_gpu_expr_vars(s->value, f, arg);
  for (size_t i = 0; i < s->nidx; i++)
    tt_gpu_expr_vars(s->idx[i], f, arg);
  for (size_t i = 0; i < s->nbody; i++)
    tt_gpu_stmt_vars(s->body[i], f, arg);
}

typedef struct split {
  tt_arena *a;
  const tt_lowered *l;
  const tt_gpu_limits *lim;
  tt_gpu_names host; /* names the host binds around the current point */
  tt_vec kernels;    /* tt_gpu_kernel * */
  tt_gpu_kernel *cur;
  tt_error *err;
} split;

static int has_bind(const tt_stmt *s) {
  if (!s) return 0;
  if (s->kind == TT_ST_FOR && s->bind) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (has_bind(s->body[i])) return 1;
  return 0;
}

static int loads(const tt_expr *e) {
  if (!e) return 0;
  if (e->kind == TT_EX_LOAD) return 1;
  for (size_t i = 0; i < e->nargs; i++)
    if (loads(e->args[i])) return 1;
  return 0;
}

static int assigned(const tt_stmt *s, const char *name) {
  if (!s) return 0;
  if (s->kind == TT_ST_ASSIGN && strcmp(s->name, name) == 0) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (assigned(s->body[i], name)) return 1;
  return 0;
}

/* An integer let the host computes (and passes to the kernels that read it). */
static int host_let(const split *g, const tt_stmt *s) {
  return s->kind == TT_ST_LET && s->type == TT_DT_INT && !loads(s->value) &&
         !assigned(g->l->body, s->name);
}

static void add_scalar(void *arg, const char *name) {
  split *g = arg;
  tt_gpu_kernel *k = g->cur;
  if (!tt_gpu_names_has(&g->host, name)) return;
  for (size_t i = 0; i < k->nscalars; i++)
    if (strcmp(k->scalars[i], name) == 0) return;
  const char **v = tt_arena_alloc(g->a, sizeof(char *) * (k->nscalars + 1));
  if (k->nscalars) memcpy(v, k->scalars, sizeof(char *) * k->nscalars);
  v[k->nscalars++] = name;
  k->scalars = v;
}

static int touches(const tt_stmt *s, const char *t) {
  if (!s) return 0;
  int found = 0;
  if (s->kind == TT_ST_STORE && strcmp(s->name, t) == 0) return 1;
  const tt_expr *es[4] = {s->lo, s->hi, s->value, s->step};
  for (int i = 0; i < 4 && !found; i++) {
    const tt_expr *stack[256];
    int n = 0;
    if (es[i]) stack[n++] = es[i];
    while (n > 0 && !found) {
      const tt_expr *e = stack[--n];
      if (e->kind == TT_EX_LOAD && strcmp(e->name, t) == 0) found = 1;
      for (size_t j = 0; j < e->nargs && n < 256; j++)
        stack[n++] = e->args[j];
    }
  }
  for (size_t i = 0; i < s->nidx && !found; i++)
    found = touches(&(tt_stmt){.kind = TT_ST_LET, .value = s->idx[i]}, t);
  for (size_t i = 0; i < s->nbody && !found; i++)
    found = touches(s->body[i], t);
  return found;
}

/* A kernel from a device statement; *out is its launch. */
static tt_status launch(split *g, const tt_stmt *body, tt_stmt **out) {
  tt_gpu_kernel *k = tt_arena_alloc(g->a, sizeof(*k));
  k->name = tt_arena_printf(g->a, "tt_k%zu", g->kernels.len);
  tt_status st = tt_gpu_grid(g->a, g->lim, &g->host, g->l->kernel, body, k, g->err);
  if (st == TT_OK) st = tt_gpu_vectorize(g->a, g->l, k, g->err);
  if (st != TT_OK) return st;
  g->cur = k;
  tt_gpu_stmt_vars(k->body, add_scalar, g);
  for (int d = 0; d < 3; d++)
    tt_gpu_expr_vars(k->groups[d], add_scalar, g);
  const tt_kernel_def *kd = g->l->kernel;
  k->tensors = tt_arena_alloc(g->a, sizeof(char *) * (kd->ntensors + 1));
  for (size_t i = 0; i < kd->ntensors; i++)
    if (touches(k->body, kd->tensors[i].name)) k->tensors[k->ntensors++] = kd->tensors[i].name;
  *out = tt_st_pragma(g->a, tt_arena_printf(g->a, "@launch %zu", g->kernels.len));
  tt_vec_push(&g->kernels, k);
  return TT_OK;
}

static tt_status host_stmt(split *g, const tt_stmt *s, tt_stmt **out);

/* Launches the pending device statements as one kernel of one work-item. */
static tt_status flush(split *g, tt_stmt_list *run, tt_stmt_list *out) {
  if (run->len == 0) return TT_OK;
  tt_stmt *l = NULL;
  tt_status st = launch(g, tt_stmt_list_block(g->a, run), &l);
  memset(run, 0, sizeof *run);
  if (st == TT_OK) tt_stmt_list_push(g->a, out, l);
  return st;
}

static tt_status host_block(split *g, const tt_stmt *s, tt_stmt **out) {
  tt_stmt_list res = {0}, run = {0};
  size_t saved = g->host.n;
  tt_status st = TT_OK;
  for (size_t i = 0; i < s->nbody && st == TT_OK; i++) {
    const tt_stmt *c = s->body[i];
    tt_stmt *h = NULL;
    if (c->kind == TT_ST_ALLOC)
      st = tt_error_set(g->err, TT_ERR_USAGE,
                        "buffer '%s' would be shared by several kernels (bind the loops around "
                        "it to blocks)",
                        c->name);
    else if (host_let(g, c) || has_bind(c)) {
      if ((st = flush(g, &run, &res)) != TT_OK) break;
      if (c->kind == TT_ST_LET) {
        tt_gpu_names_push(g->a, &g->host, c->name);
        h = (tt_stmt *)c;
      } else {
        st = host_stmt(g, c, &h);
      }
      if (st == TT_OK) tt_stmt_list_push(g->a, &res, h);
    } else {
      tt_stmt_list_push(g->a, &run, (tt_stmt *)c);
    }
  }
  if (st == TT_OK) st = flush(g, &run, &res);
  g->host.n = saved;
  *out = tt_stmt_list_block(g->a, &res);
  return st;
}

static tt_status host_stmt(split *g, const tt_stmt *s, tt_stmt **out) {
  if (s->kind == TT_ST_BLOCK) return host_block(g, s, out);
  if (!has_bind(s) || (s->kind == TT_ST_FOR && s->bind)) return launch(g, s, out);
  if (s->kind != TT_ST_FOR && s->kind != TT_ST_IF)
    return tt_error_set(g->err, TT_ERR_USAGE,
                        "cannot split this statement between host and device");
  if (loads(s->lo) || loads(s->hi) || loads(s->value))
    return tt_error_set(g->err, TT_ERR_USAGE,
                        "a loop or condition around bound loops reads a tensor (the host cannot)");
  tt_stmt *c = tt_stmt_clone(g->a, s);
  c->body = tt_arena_alloc(g->a, sizeof(tt_stmt *) * s->nbody);
  size_t saved = g->host.n;
  if (s->kind == TT_ST_FOR) tt_gpu_names_push(g->a, &g->host, s->var);
  tt_status st = TT_OK;
  for (size_t i = 0; i < s->nbody && st == TT_OK; i++)
    st = s->body[i] ? host_stmt(g, s->body[i], &c->body[i]) : TT_OK;
  g->host.n = saved;
  *out = c;
  return st;
}

tt_status tt_lower_gpu(tt_arena *a, const tt_lowered *l, const tt_gpu_limits *lim,
                       tt_gpu_program *out, tt_error *err) {
  split g = {.a = a, .l = l, .lim = lim, .err = err};
  memset(out, 0, sizeof *out);
  tt_status st = host_stmt(&g, l->body, &out->host);
  out->nkernels = g.kernels.len;
  out->kernels = tt_arena_alloc(a, sizeof(tt_gpu_kernel) * (g.kernels.len + 1));
  for (size_t i = 0; i < g.kernels.len; i++)
    out->kernels[i] = *(tt_gpu_kernel *)g.kernels.items[i];
  tt_vec_free(&g.kernels);
  return st;
}
