/* Internal to src/lower: the GPU passes (gpu_split.c splits a lowered
 * body between host and device; gpu_grid.c turns the bound loops of one
 * kernel into grid indices). */
#ifndef TT_LOWER_GPU_H
#define TT_LOWER_GPU_H

#include "tetune/lower.h"

/* A stack of names in scope. */
typedef struct tt_gpu_names {
  const char **v;
  size_t n, cap;
} tt_gpu_names;

void tt_gpu_names_push(tt_arena *a, tt_gpu_names *s, const char *name);
int tt_gpu_names_has(const tt_gpu_names *s, const char *name);

/* Calls f on every variable name e reads. */
void tt_gpu_expr_vars(const tt_expr *e, void (*f)(void *, const char *), void *arg);
/* Calls f on every variable name s reads (expressions of every statement). */
void tt_gpu_stmt_vars(const tt_stmt *s, void (*f)(void *, const char *), void *arg);

/* Rewrites the bound loops of body (one kernel) into grid indices, hoists
 * its local buffers and fills k's launch shape (groups over the host
 * variables in `host`). Errors name the loop. */
tt_status tt_gpu_grid(tt_arena *a, const tt_gpu_limits *lim, const tt_gpu_names *host,
                      const tt_kernel_def *kd, const tt_stmt *body, tt_gpu_kernel *k,
                      tt_error *err);

/* Rewrites the vectorized loops of k's body (vectorize L by W, W of 2 or
 * 4) into vector loads and stores (gpu_vector.c). Errors (the
 * configuration is invalid) name the loop and why: a body other than one
 * store or one sum into a scalar, an access not along the last dimension
 * or not provably aligned to W elements, a vector wider than 16 bytes. */
tt_status tt_gpu_vectorize(tt_arena *a, const tt_lowered *l, tt_gpu_kernel *k, tt_error *err);

#endif
