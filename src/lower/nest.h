/* Internal to src/lower: the state of lowering one compute stage into a
 * loop nest. */
#ifndef TT_LOWER_NEST_H
#define TT_LOWER_NEST_H

#include "lower/passes.h"

typedef enum tt_acc_mode {
  TT_ACC_PLAIN,  /* no reduction: out op= rhs in the innermost loop */
  TT_ACC_SCALAR, /* reduction loops innermost: a scalar accumulator */
  TT_ACC_LOCAL,  /* cache_write: a local tile accumulates, then is written back */
  TT_ACC_DIRECT, /* partial sums added straight into the output */
  TT_ACC_BUFFER  /* reduction outside a non-linear update: a whole-output
                    buffer accumulates, then the update is applied */
} tt_acc_mode;

/* A cache_read buffer: tensor packed below loop position pos. A dimension
 * whose axis is split again inside the pack (j by nr below jo) is stored
 * in micro-panels as in BLIS: an outer dimension of tiles, and the tile's
 * offset as one of the last dimensions, so that the innermost loop of each
 * tile reads contiguous memory: B[k, j] packed at ko under jo is
 * B_p[(jm - jo) / nr][k - ko][j - jm]. */
typedef struct tt_pack {
  const char *tensor, *buf;
  int pos;
  size_t ndim;
  int *dim_axis;              /* stage axis indexing each dimension */
  tt_span *span;              /* per dimension */
  int64_t *tile;              /* per dimension: the micro-panel width, or 0 */
  const char **tvar;          /* per tiled dimension: the loop variable of its tiles (jm) */
  int local;                  /* staged in GPU local memory by the whole work-group */
  int64_t *halo_lo, *halo_hi; /* local: per dimension, the least and greatest
                                 offset of a read from its axis (a stencil's halo) */
} tt_pack;

typedef struct tt_nest {
  tt_lower_ctx *cx;
  tt_stage_sched *s;
  tt_acc_mode mode;
  int first_red; /* position of the outermost reduction loop, or -1 */
  int cw_pos;    /* cache_write position (TT_ACC_LOCAL) */
  int zero_init; /* output zeroed first, then accumulated with += */
  tt_update out_op;
  const char *acc;  /* scalar accumulator or local tile name */
  tt_span *cw_span; /* TT_ACC_LOCAL: span of each spatial axis in the tile */
  tt_dtype type;    /* element type of the output */
  tt_expr *term;    /* the reduction body (or rhs), loads rewritten to packs */
  size_t npacks;
  tt_pack *packs;
  int in_full_tile; /* building the full-tile copy of a cache_write tile */
} tt_nest;

tt_status tt_nest_choose_mode(tt_nest *n);
tt_status tt_nest_check_vectorize(tt_nest *n);
/* rhs with its reduction node replaced by `with`. */
tt_expr *tt_replace_reduce(tt_arena *a, const tt_expr *e, tt_expr *with);
/* Finds the (single) access pattern of tensor t in e: each index must be a
 * stage axis variable. Fills dim_axis and ndim; returns 1 found, 0 absent,
 * -1 when an index is not an axis variable or reads disagree. */
int tt_pack_access_axes(const tt_stage_sched *s, const tt_expr *e, const char *t, int *dim_axis,
                        size_t *ndim);
/* Prepares the cache_read buffers and rewrites n->term to read them. */
tt_status tt_nest_packs(tt_nest *n);
/* The statements a cache_read places at the top of its loop. */
tt_stmt *tt_pack_stmts(tt_nest *n, const tt_pack *p);

/* The width W of the stage's loop over axis that is vectorized `by W`
 * (0: none, or the stage runs on a GPU grid), for the vector loops the
 * lowering adds over that axis: a cache_write tile's initialisation and
 * write-back, a pack's copy. Without it the C compiler may pick narrower
 * vectors for them than for the stage's own loop. */
int tt_nest_simdlen(const tt_stage_sched *s, int axis);
/* Local-memory staging (stage_local.c): the spans of a pack that the whole
 * work-group shares (its thread loops count as inside the pack's loop), the
 * cooperative copy between two barriers, and whether n has such a pack. */
tt_status tt_pack_local_spans(tt_nest *n, tt_pack *p);
tt_stmt *tt_pack_local_stmts(tt_nest *n, const tt_pack *p);
int tt_nest_has_local_packs(const tt_nest *n);
/* A stencil's reads of tensor t in e, each index an axis variable plus a
 * constant (A[i, j - 1]): fills p->ndim, p->dim_axis and the least and
 * greatest offsets p->halo_lo/hi (8 dimensions at most). Returns 1 found,
 * 0 absent, -1 when an index is of another form or reads disagree on the
 * axes. tt_pack_add_halo widens p's spans by those offsets: the tile with
 * its halo. */
int tt_pack_halo_axes(const tt_stage_sched *s, const tt_expr *e, const char *t, tt_pack *p);
void tt_pack_add_halo(tt_nest *n, tt_pack *p);
/* thread_reduce.c: `store` (which reads the scalar accumulator) preceded by
 * the combination of the work-items' accumulators across the group when a
 * reduction loop of the stage is bound to threads, and then run by its
 * first lane only; store itself otherwise. */
tt_stmt *tt_nest_thread_reduce(tt_nest *n, tt_stmt *store);

#endif
