/* One device kernel: every bound loop becomes the work-item's share of its
 * iterations. A block loop `for v in lo..hi step s` bound to x becomes
 * `for v = lo + TT_GID_X*s; v < hi; v += TT_NGRP_X*s` (a grid-stride loop:
 * the host launches at most max_groups groups); a thread loop the same
 * over TT_LID_X / TT_LSZ_X, with as many work-items as it has iterations.
 * A thread loop around a barrier runs instead as `let v = lo + TT_LID_X*s`
 * with its bound pushed down as a guard onto the statements that do not
 * reach the barrier, so that every work-item meets every barrier. */
#include <string.h>

#include "lower/gpu.h"

typedef struct grid {
  tt_arena *a;
  const tt_gpu_limits *lim;
  const tt_gpu_names *host;
  const tt_kernel_def *kd;
  tt_gpu_kernel *k;
  tt_gpu_names dev; /* names bound inside the kernel */
  int in_thread;
  const char *repeated; /* a tensor updated outside the thread loops */
  tt_error *err;
  tt_status st;
} grid;

static const char *const GID[] = {"TT_GID_X", "TT_GID_Y", "TT_GID_Z"};
static const char *const NGRP[] = {"TT_NGRP_X", "TT_NGRP_Y", "TT_NGRP_Z"};
static const char *const LID[] = {"TT_LID_X", "TT_LID_Y", "TT_LID_Z"};
static const char *const LSZ[] = {"TT_LSZ_X", "TT_LSZ_Y", "TT_LSZ_Z"};

static int has_barrier(const tt_stmt *s) {
  if (!s) return 0;
  if (s->kind == TT_ST_PRAGMA && strncmp(s->text, "TT_BARRIER", 10) == 0) return 1;
  for (size_t i = 0; i < s->nbody; i++)
    if (has_barrier(s->body[i])) return 1;
  return 0;
}

/* cond guards every statement of s that does not reach a barrier. Lets and
 * buffers stay unguarded: their scope is the enclosing block. */
static tt_stmt *guard(tt_arena *a, tt_stmt *s, tt_expr *cond) {
  if (!s) return NULL;
  if (s->kind == TT_ST_LET || s->kind == TT_ST_ALLOC) return s;
  if (s->kind == TT_ST_BLOCK && s->nbody == 0) return s;
  /* A block with a barrier of its own is a work-group's staging: all of it
   * runs in every work-item. */
  for (size_t i = 0; s->kind == TT_ST_BLOCK && i < s->nbody; i++)
    if (s->body[i] && s->body[i]->kind == TT_ST_PRAGMA && has_barrier(s->body[i])) return s;
  if (!has_barrier(s)) return tt_st_if(a, cond, s, NULL);
  if (s->kind == TT_ST_PRAGMA || s->nbody == 0) return s;
  tt_stmt *c = tt_stmt_clone(a, s);
  c->body = tt_arena_alloc(a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++)
    c->body[i] = guard(a, s->body[i], cond);
  return c;
}

/* Records a device-computed name read by a block loop's range. */
static void check_host_var(void *arg, const char *name) {
  grid *g = arg;
  if (g->st == TT_OK && tt_gpu_names_has(&g->dev, name))
    g->st = tt_error_set(g->err, TT_ERR_USAGE,
                         "a block loop's range depends on '%s', which the device computes", name);
}

static int is_tensor(const grid *g, const char *name) {
  return tt_kernel_tensor(g->kd, name) != NULL;
}

static tt_stmt *rewrite(grid *g, const tt_stmt *s);

static void find_lid(void *arg, const char *name) {
  if (strncmp(name, "TT_LID_", 7) == 0) *(int *)arg = 1;
}

/* 1 when e reads a work-item's index in its group. */
static int reads_lid(const tt_expr *e) {
  int found = 0;
  tt_gpu_expr_vars(e, find_lid, &found);
  return found;
}

static tt_stmt *bound_loop(grid *g, const tt_stmt *f) {
  tt_arena *a = g->a;
  int thread = f->bind >= TT_BIND_THREAD_X, d = (f->bind - 1) % 3;
  tt_expr *step = f->step ? f->step : tt_ex_int(a, 1);
  if (thread) {
    if (f->bind_extent < 1) {
      g->st = tt_error_set(g->err, TT_ERR_USAGE,
                           "thread loop '%s' has no constant trip count (split it first)", f->var);
      return NULL;
    }
    if (f->bind_extent > g->k->local[d]) g->k->local[d] = f->bind_extent;
  } else {
    tt_gpu_expr_vars(f->lo, check_host_var, g);
    tt_gpu_expr_vars(f->hi, check_host_var, g);
    tt_gpu_expr_vars(step, check_host_var, g);
    if (g->st != TT_OK) {
      g->st = tt_error_set(g->err, TT_ERR_USAGE, "cannot bind loop '%s' to %s: %s", f->var,
                           tt_bind_name(f->bind), g->err->msg);
      return NULL;
    }
    tt_expr *trips = tt_ex_bin(
        a, TT_OP_FLOORDIV,
        tt_ex_add(a, tt_ex_sub(a, f->hi, f->lo), tt_ex_sub(a, step, tt_ex_int(a, 1))), step);
    trips = tt_ex_min(a, tt_ex_max(a, trips, tt_ex_int(a, 1)), tt_ex_int(a, g->lim->max_groups[d]));
    g->k->groups[d] =
        tt_expr_simplify(a, g->k->groups[d] ? tt_ex_max(a, g->k->groups[d], trips) : trips);
  }
  size_t saved = g->dev.n;
  tt_gpu_names_push(a, &g->dev, f->var);
  g->in_thread += thread;
  tt_stmt *body = rewrite(g, f->body[0]);
  g->in_thread -= thread;
  g->dev.n = saved;
  tt_expr *start = tt_expr_simplify(
      a, tt_ex_add(a, f->lo, tt_ex_mul(a, tt_ex_var(a, thread ? LID[d] : GID[d]), step)));
  if (thread && has_barrier(body)) {
    tt_stmt *items[2] = {tt_st_let(a, TT_DT_INT, f->var, start),
                         guard(a, body, tt_ex_bin(a, TT_OP_LT, tt_ex_var(a, f->var), f->hi))};
    return tt_st_block(a, items, 2);
  }
  tt_stmt *c = tt_st_for(a, f->var, start, f->hi, body);
  c->step = tt_expr_simplify(a, tt_ex_mul(a, tt_ex_var(a, thread ? LSZ[d] : NGRP[d]), step));
  return c;
}

static tt_stmt *rewrite(grid *g, const tt_stmt *s) {
  if (!s || g->st != TT_OK) return (tt_stmt *)s;
  if (s->kind == TT_ST_FOR && s->bind) return bound_loop(g, s);
  if (s->kind == TT_ST_ALLOC && s->local_mem) {
    tt_stmt **v = tt_arena_alloc(g->a, sizeof(tt_stmt *) * (g->k->nlocal + 1));
    if (g->k->nlocal) memcpy(v, g->k->local_allocs, sizeof(tt_stmt *) * g->k->nlocal);
    v[g->k->nlocal++] = (tt_stmt *)s;
    g->k->local_allocs = v;
    return tt_st_block(g->a, NULL, 0);
  }
  if (s->kind == TT_ST_STORE && s->op != '=' && !g->in_thread && is_tensor(g, s->name))
    g->repeated = s->name;
  if (s->kind == TT_ST_LET) tt_gpu_names_push(g->a, &g->dev, s->name);
  if (s->nbody == 0) return (tt_stmt *)s;
  /* A statement guarded by a work-item index (the first lane of a
   * reduction across threads) is not repeated by every work-item. */
  int pinned = s->kind == TT_ST_IF && reads_lid(s->value);
  g->in_thread += pinned;
  size_t saved = g->dev.n;
  if (s->kind == TT_ST_FOR) tt_gpu_names_push(g->a, &g->dev, s->var);
  tt_stmt *c = tt_stmt_clone(g->a, s);
  c->body = tt_arena_alloc(g->a, sizeof(tt_stmt *) * s->nbody);
  for (size_t i = 0; i < s->nbody; i++)
    c->body[i] = rewrite(g, s->body[i]);
  g->dev.n = saved;
  g->in_thread -= pinned;
  return c;
}

tt_status tt_gpu_grid(tt_arena *a, const tt_gpu_limits *lim, const tt_gpu_names *host,
                      const tt_kernel_def *kd, const tt_stmt *body, tt_gpu_kernel *k,
                      tt_error *err) {
  grid g = {.a = a, .lim = lim, .host = host, .kd = kd, .k = k, .err = err};
  for (int d = 0; d < 3; d++)
    k->local[d] = 1;
  k->body = rewrite(&g, body);
  if (g.st != TT_OK) return g.st;
  for (int d = 0; d < 3; d++)
    if (!k->groups[d]) k->groups[d] = tt_ex_int(a, 1);
  int64_t size = k->local[0] * k->local[1] * k->local[2], bytes = 0;
  if (size > lim->max_group_size)
    return tt_error_set(err, TT_ERR_USAGE,
                        "a work-group of %lld work-items (%lld x %lld x %lld) exceeds the "
                        "target's %lld",
                        (long long)size, (long long)k->local[0], (long long)k->local[1],
                        (long long)k->local[2], (long long)lim->max_group_size);
  if (size > 1 && g.repeated)
    return tt_error_set(err, TT_ERR_USAGE,
                        "'%s' is updated outside the loops bound to threads: every work-item of a "
                        "group would repeat the update",
                        g.repeated);
  for (size_t i = 0; i < k->nlocal; i++) {
    int64_t b = k->local_allocs[i]->type == TT_DT_F32 ? 4 : 8, v;
    for (size_t d = 0; d < k->local_allocs[i]->nidx; d++)
      if (tt_expr_const_int(k->local_allocs[i]->idx[d], &v)) b *= v;
    bytes += b;
  }
  if (bytes > lim->local_bytes)
    return tt_error_set(err, TT_ERR_USAGE,
                        "local memory of %lld bytes exceeds the target's %lld bytes",
                        (long long)bytes, (long long)lim->local_bytes);
  return TT_OK;
}
