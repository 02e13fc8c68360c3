/* tetune IR: expressions, tensors, statements (loop nests and pure compute
 * stages) and kernel definitions with their schedule templates.
 *
 * Every node lives in a tt_arena owned by whoever created the kernel
 * (one arena per compilation); nothing here is freed individually. Nodes
 * are treated as immutable once built: passes build new trees. Variables
 * are referred to by name (loop variables, size parameters, scalars, knobs,
 * let-bound locals); a name is resolved against the enclosing scope. */
#ifndef TETUNE_IR_H
#define TETUNE_IR_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/export.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A position in a kernel file, for diagnostics (file:line:col). */
typedef struct tt_loc {
  const char *file;
  int line, col; /* 1-based; line 0 = unknown */
} tt_loc;

/* Element and expression types. TT_DT_INT is the type of integer
 * expressions (C long); I32, I64 and U8 are storage types of integer
 * tensors only: a load of one is an integer expression (TT_DT_INT). */
typedef enum tt_dtype {
  TT_DT_INT = 0,
  TT_DT_F32,
  TT_DT_F64,
  TT_DT_BOOL,
  TT_DT_I32,
  TT_DT_I64,
  TT_DT_U8
} tt_dtype;
TT_API const char *tt_dtype_name(tt_dtype t);  /* "int", "f32", "f64", "bool", "i32", "i64", "u8" */
TT_API const char *tt_dtype_ctype(tt_dtype t); /* "long", "float", "double", "int", "int", "long",
                                           "unsigned char" */
TT_API int tt_dtype_size(tt_dtype t);          /* bytes of one element: 8, 4, 8, 4, 4, 8, 1 */
TT_API int tt_dtype_is_int(tt_dtype t);        /* INT, BOOL, I32, I64, U8 */

/* ---- expressions --------------------------------------------------- */

typedef enum tt_expr_kind {
  TT_EX_INT,    /* integer literal: ival */
  TT_EX_FLOAT,  /* floating literal: fval */
  TT_EX_VAR,    /* named variable: name */
  TT_EX_LOAD,   /* tensor element: name[args...] */
  TT_EX_BINARY, /* op(a, b) */
  TT_EX_UNARY,  /* op(a) */
  TT_EX_SELECT, /* cond ? a : b  (args[0], args[1], args[2]) */
  TT_EX_CALL,   /* math function: name(args...), e.g. sqrt, exp, fabs, pow */
  TT_EX_REDUCE, /* red_op over axes: reduce(rvars in [lo,hi)) body */
  TT_EX_CAST,   /* (dtype) a */
  TT_EX_STRING  /* a label in schedule conditions (par == "io"): name */
} tt_expr_kind;

typedef enum tt_binop {
  TT_OP_ADD,
  TT_OP_SUB,
  TT_OP_MUL,
  TT_OP_DIV,      /* real division: the result is floating */
  TT_OP_FLOORDIV, /* integer floor division (// in .te) */
  TT_OP_MOD,      /* integer floor modulo */
  TT_OP_MIN,
  TT_OP_MAX,
  TT_OP_LT,
  TT_OP_LE,
  TT_OP_GT,
  TT_OP_GE,
  TT_OP_EQ,
  TT_OP_NE,
  TT_OP_AND,
  TT_OP_OR
} tt_binop;

typedef enum tt_unop { TT_OP_NEG, TT_OP_NOT } tt_unop;
typedef enum tt_redop { TT_RED_SUM, TT_RED_MIN, TT_RED_MAX } tt_redop;

/* A named iteration range [lo, hi) (loop axis, reduction axis). */
typedef struct tt_range {
  const char *var;
  struct tt_expr *lo, *hi;
} tt_range;

typedef struct tt_expr {
  tt_expr_kind kind;
  tt_dtype type; /* best-known type; TT_DT_INT for index arithmetic */
  tt_loc loc;
  int64_t ival;
  double fval;
  const char *name; /* VAR, LOAD (tensor), CALL (function), STRING (label) */
  int op;           /* tt_binop / tt_unop / tt_redop */
  size_t nargs; /* LOAD indices, CALL args, BINARY 2, UNARY 1, SELECT 3, CAST 1, REDUCE 1 (body) */
  struct tt_expr **args;
  size_t nranges; /* REDUCE: its reduction axes */
  tt_range *ranges;
} tt_expr;

/* Constructors (all allocate in a). */
TT_API tt_expr *tt_ex_int(tt_arena *a, int64_t v);
TT_API tt_expr *tt_ex_float(tt_arena *a, double v);
TT_API tt_expr *tt_ex_var(tt_arena *a, const char *name);
TT_API tt_expr *tt_ex_string(tt_arena *a, const char *label);
TT_API tt_expr *tt_ex_load(tt_arena *a, const char *tensor, tt_expr **idx, size_t n);
TT_API tt_expr *tt_ex_bin(tt_arena *a, tt_binop op, tt_expr *x, tt_expr *y);
TT_API tt_expr *tt_ex_un(tt_arena *a, tt_unop op, tt_expr *x);
TT_API tt_expr *tt_ex_select(tt_arena *a, tt_expr *c, tt_expr *x, tt_expr *y);
TT_API tt_expr *tt_ex_call(tt_arena *a, const char *fn, tt_expr **args, size_t n);
TT_API tt_expr *tt_ex_reduce(tt_arena *a, tt_redop op, tt_range *ranges, size_t nranges,
                             tt_expr *body);
TT_API tt_expr *tt_ex_cast(tt_arena *a, tt_dtype t, tt_expr *x);
/* Shorthands for index arithmetic. */
TT_API tt_expr *tt_ex_add(tt_arena *a, tt_expr *x, tt_expr *y);
TT_API tt_expr *tt_ex_sub(tt_arena *a, tt_expr *x, tt_expr *y);
TT_API tt_expr *tt_ex_mul(tt_arena *a, tt_expr *x, tt_expr *y);
TT_API tt_expr *tt_ex_min(tt_arena *a, tt_expr *x, tt_expr *y);
TT_API tt_expr *tt_ex_max(tt_arena *a, tt_expr *x, tt_expr *y);

TT_API int tt_expr_equal(const tt_expr *x, const tt_expr *y); /* structural */
TT_API int tt_expr_uses_var(const tt_expr *e, const char *name);
/* Returns 1 and *v when e is an integer constant. */
TT_API int tt_expr_const_int(const tt_expr *e, int64_t *v);
/* Replaces every VAR name by the expression value (not inside REDUCE ranges
 * that rebind it). */
TT_API tt_expr *tt_expr_subst(tt_arena *a, const tt_expr *e, const char *name, tt_expr *value);

/* ---- statements ---------------------------------------------------- */

typedef enum tt_stmt_kind {
  TT_ST_BLOCK,   /* sequence: body[0..nbody) */
  TT_ST_FOR,     /* for var in [lo, hi) step: body[0] */
  TT_ST_STORE,   /* name[idx...] op= value */
  TT_ST_IF,      /* if cond: body[0] else body[1] (may be NULL) */
  TT_ST_LET,     /* local scalar: type name = value (visible in the rest of the enclosing block) */
  TT_ST_ASSIGN,  /* local scalar update: name op= value */
  TT_ST_ALLOC,   /* local buffer name[shape...] of type; freed at block end */
  TT_ST_COMPUTE, /* a pure compute stage (see tt_compute) */
  TT_ST_PRAGMA   /* a verbatim line for the backend (used by lowering) */
} tt_stmt_kind;

/* Update operator of a STORE/ASSIGN/COMPUTE: '=' '+' '-' '*' '/' (for =, +=, -=, *=, /=). */
typedef char tt_update;

typedef enum tt_loop_kind {
  TT_LOOP_SERIAL = 0,
  TT_LOOP_PARALLEL,  /* OpenMP parallel for */
  TT_LOOP_VECTORIZED /* omp simd */
} tt_loop_kind;

/* How a parallel loop's iterations are shared between the threads:
 * contiguous equal chunks (static), one at a time to whichever thread is
 * free (dynamic: iterations of unequal work, such as the blocks of a
 * triangle), or round-robin one iteration each (cyclic). */
typedef enum tt_par_sched {
  TT_PAR_STATIC = 0, /* schedule(static) */
  TT_PAR_DYNAMIC,    /* schedule(dynamic) */
  TT_PAR_CYCLIC      /* schedule(static, 1) */
} tt_par_sched;

/* A loop bound to a GPU grid dimension (bind step): its iterations are
 * spread over work-groups/blocks or work-items/threads of dimension x, y or
 * z instead of running in sequence. */
typedef enum tt_bind_dim {
  TT_BIND_NONE = 0,
  TT_BIND_BLOCK_X,
  TT_BIND_BLOCK_Y,
  TT_BIND_BLOCK_Z,
  TT_BIND_THREAD_X,
  TT_BIND_THREAD_Y,
  TT_BIND_THREAD_Z
} tt_bind_dim;
/* "block.x" ... "thread.z" (NULL for TT_BIND_NONE); tt_bind_parse returns
 * TT_BIND_NONE for an unknown name. */
TT_API const char *tt_bind_name(tt_bind_dim b);
TT_API tt_bind_dim tt_bind_parse(const char *name);

/* A pure compute: out[axes...] op= rhs, evaluated independently for every
 * point of the axes' ranges. rhs contains at most one REDUCE node. Each
 * axis's var is the index used in dimension d of the output. */
typedef struct tt_compute {
  const char *name; /* stage name for schedules (defaults to the tensor) */
  const char *tensor;
  size_t naxes;
  tt_range *axes; /* one per output dimension, outermost first */
  tt_update op;
  tt_expr *rhs;
} tt_compute;

typedef struct tt_stmt {
  tt_stmt_kind kind;
  tt_loc loc;
  /* FOR */
  const char *var;
  const char *label;       /* schedule name of a loop: explicit label or var */
  tt_expr *lo, *hi, *step; /* step NULL = 1 */
  tt_loop_kind loop_kind;
  int unroll;             /* 0 = no request; n > 1: unroll by n (pragma) */
  int simdlen;            /* VECTORIZED: lanes asked for (omp simd simdlen), 0 = compiler's */
  int collapse;           /* PARALLEL: number of perfectly nested loops collapsed (0/1 = none) */
  tt_par_sched par_sched; /* PARALLEL: how the iterations are shared */
  const char *red_var;    /* VECTORIZED loop reducing into a local scalar (omp simd reduction) */
  tt_redop red_op;
  tt_bind_dim bind;    /* FOR bound to a GPU grid dimension (TT_BIND_NONE: not bound) */
  int64_t bind_extent; /* thread-bound FOR: most iterations it ever has (the work-group size) */
  /* STORE / ASSIGN / LET / ALLOC */
  const char *name;
  size_t nidx;
  tt_expr **idx; /* STORE indices, ALLOC shape */
  tt_update op;
  tt_expr *value; /* STORE/ASSIGN/LET value; IF condition */
  tt_dtype type;  /* LET, ALLOC */
  int align;      /* ALLOC: byte alignment (0 = natural) */
  int local_mem;  /* ALLOC: in GPU local (shared) memory, one per work-group */
  /* COMPUTE */
  tt_compute *compute;
  /* BLOCK, FOR (1), IF (2) */
  size_t nbody;
  struct tt_stmt **body;
  const char *text; /* PRAGMA */
} tt_stmt;

TT_API tt_stmt *tt_st_block(tt_arena *a, tt_stmt **items, size_t n);
TT_API tt_stmt *tt_st_for(tt_arena *a, const char *var, tt_expr *lo, tt_expr *hi, tt_stmt *body);
TT_API tt_stmt *tt_st_store(tt_arena *a, const char *tensor, tt_expr **idx, size_t n, tt_update op,
                            tt_expr *value);
TT_API tt_stmt *tt_st_if(tt_arena *a, tt_expr *cond, tt_stmt *then_s, tt_stmt *else_s);
TT_API tt_stmt *tt_st_let(tt_arena *a, tt_dtype t, const char *name, tt_expr *value);
TT_API tt_stmt *tt_st_assign(tt_arena *a, const char *name, tt_update op, tt_expr *value);
TT_API tt_stmt *tt_st_alloc(tt_arena *a, tt_dtype t, const char *name, tt_expr **shape, size_t n);
TT_API tt_stmt *tt_st_compute(tt_arena *a, tt_compute *c);
TT_API tt_stmt *tt_st_pragma(tt_arena *a, const char *text);
/* Shallow copy of a statement node (children shared). */
TT_API tt_stmt *tt_stmt_clone(tt_arena *a, const tt_stmt *s);

/* Growable list of statements used while building blocks. */
typedef struct tt_stmt_list {
  tt_stmt **items;
  size_t len, cap;
} tt_stmt_list;
TT_API void tt_stmt_list_push(tt_arena *a, tt_stmt_list *l, tt_stmt *s);
TT_API tt_stmt *tt_stmt_list_block(tt_arena *a, tt_stmt_list *l);

/* ---- tensors and kernels ------------------------------------------ */

typedef enum tt_role { TT_ROLE_IN = 0, TT_ROLE_OUT, TT_ROLE_INOUT, TT_ROLE_TEMP } tt_role;
TT_API const char *tt_role_name(tt_role r);

typedef struct tt_tensor {
  const char *name;
  tt_dtype type;
  tt_role role;
  size_t ndim;
  tt_expr **shape; /* over size parameters */
  tt_loc loc;
  double tol; /* validation tolerance of this output (`tolerance T v`), 0 = the kernel's */
} tt_tensor;

/* A named dataset: one value per size parameter. */
typedef struct tt_size_set {
  const char *name; /* "mini", "small", ... */
  int64_t *values;  /* nparams entries */
  tt_loc loc;
} tt_size_set;

typedef struct tt_scalar {
  const char *name;
  tt_dtype type;
  tt_expr *value; /* constant expression (may use size params) */
  tt_loc loc;
} tt_scalar;

/* ---- schedule templates (data; interpreted by the schedule layer) --- */

typedef enum tt_knob_decl_kind {
  TT_KD_SPLIT,   /* tile factor of an axis: values from gen over the axis extent */
  TT_KD_LIST,    /* ordinal list of integers */
  TT_KD_CHOICE,  /* categorical labels */
  TT_KD_PERMUTE, /* order of named loops */
  TT_KD_ON_OFF   /* boolean */
} tt_knob_decl_kind;

typedef enum tt_split_gen {
  TT_GEN_LIST,     /* explicit values */
  TT_GEN_DIVISORS, /* divisors of the extent */
  TT_GEN_POW2      /* powers of two up to the extent (and up to max if set) */
} tt_split_gen;

typedef struct tt_knob_decl {
  const char *name;
  tt_knob_decl_kind kind;
  tt_loc loc;
  /* SPLIT: which stage and axis; the extent is the axis's (largest) trip count */
  const char *stage, *axis;
  tt_split_gen gen;
  int64_t max; /* SPLIT pow2/divisors upper bound (0 = the extent) */
  /* SPLIT with TT_GEN_LIST, and LIST: values */
  size_t nvalues;
  int64_t *values;
  /* CHOICE labels, PERMUTE items */
  size_t nlabels;
  const char **labels;
  /* default value: has_default, then def_int (SPLIT/LIST/ON_OFF) or def_label (CHOICE) */
  int has_default;
  int64_t def_int;
  const char *def_label;
  int threads_only; /* 'if threads > 1': fixed at its default at 1 thread */
} tt_knob_decl;

typedef enum tt_step_kind {
  TT_STEP_SPLIT,       /* split AXIS by F1[, F2...]: loops AXISo (, AXISm...), AXIS */
  TT_STEP_REORDER,     /* reorder L1, L2, ... (a PERMUTE knob name expands in place) */
  TT_STEP_FUSE,        /* fuse L1, L2 (adjacent loops) into one loop named L1_L2 */
  TT_STEP_UNROLL,      /* unroll L by F */
  TT_STEP_VECTORIZE,   /* vectorize L [by LANES] */
  TT_STEP_PARALLEL,    /* parallel L [dynamic|cyclic] */
  TT_STEP_CACHE_WRITE, /* cache_write at L: accumulate the output tile in a local buffer */
  TT_STEP_CACHE_READ,  /* cache_read TENSOR at L: pack the tile of an input */
  TT_STEP_COMPUTE_AT,  /* compute_at L of STAGE: compute this stage inside another stage's loop */
  TT_STEP_BIND,        /* bind L to block.x|y|z / thread.x|y|z (GPU targets) */
  TT_STEP_TIME_TILE,  /* time_tile T, L[, M...] by FT, FL[, FM...] skew S [wavefront|strips]: skewed
                         time tiles of the sweeps (loops over L, and M inside them) inside T */
  TT_STEP_INTERCHANGE /* interchange L, M1, M2...: L distributed around its child loops Mk, each
                         then outside its copy of L (named Mk_L) */
} tt_step_kind;

/* One schedule step of a template, applied to stage `stage` (a compute
 * name, or "" for the loops of an in-place nest). Arguments are expressions
 * over knob names: loop names are VARs, factors are ints/knobs. The step
 * applies only when cond (NULL = always) evaluates non-zero. */
typedef struct tt_step {
  tt_step_kind kind;
  const char *stage;
  tt_loc loc;
  size_t nargs;
  tt_expr **args;
  const char *tensor; /* CACHE_READ tensor, COMPUTE_AT target stage, BIND dimension */
  tt_expr *cond;
  int local;          /* CACHE_READ ... local: staged in GPU local memory by the whole work-group */
  tt_par_sched sched; /* PARALLEL L [dynamic|cyclic] */
} tt_step;

typedef struct tt_constraint {
  const char *text; /* expression over knob names, as written */
  tt_expr *expr;    /* parsed */
  tt_loc loc;
} tt_constraint;

typedef struct tt_template {
  const char *name;
  tt_loc loc;
  tt_stmt *body; /* replacement algorithm (e.g. blocked LU) or NULL = the kernel's */
  size_t nknobs;
  tt_knob_decl *knobs;
  size_t nconstraints;
  tt_constraint *constraints;
  size_t nsteps;
  tt_step *steps;
} tt_template;

typedef struct tt_kernel_def {
  const char *name;
  const char *file;
  tt_loc loc;
  tt_dtype dtype; /* default element type */
  size_t nparams;
  const char **params; /* size parameter names */
  size_t nsizes;
  tt_size_set *sizes;
  size_t nscalars;
  tt_scalar *scalars;
  size_t ntensors;
  tt_tensor *tensors; /* in declaration order = ABI argument order */
  tt_stmt *init;      /* deterministic initialisation (computes and loops) */
  tt_stmt *body;      /* the reference algorithm */
  tt_expr *flops;     /* floating-point operation count over params, or NULL */
  size_t ntemplates;
  tt_template *templates;
  const char *doc; /* leading comment lines, or NULL */
  double tol;      /* validation tolerance of every output (`tolerance v`), 0 = the
                      element type's default */
} tt_kernel_def;

TT_API const tt_tensor *tt_kernel_tensor(const tt_kernel_def *k, const char *name);
TT_API const tt_template *tt_kernel_template(const tt_kernel_def *k, const char *name);
TT_API int tt_kernel_size_index(const tt_kernel_def *k, const char *size_name); /* -1 if absent */

/* ---- printing and simplification ---------------------------------- */

/* Appends e as C-like text (the printer used by diagnostics and tests). */
TT_API void tt_expr_print(tt_str *out, const tt_expr *e);
TT_API void tt_stmt_print(tt_str *out, const tt_stmt *s, int indent);
/* Spelling of an update operator: "=", "+=", "-=", "*=", "/=". */
TT_API const char *tt_update_symbol(tt_update op);

/* Constant folding and algebraic identities (x+0, x*1, x*0 for ints,
 * min/max of constants, nested constant offsets). Returns a new tree (or e
 * when nothing changed). */
TT_API tt_expr *tt_expr_simplify(tt_arena *a, const tt_expr *e);

/* A variable environment: name -> integer value, for evaluating constant
 * expressions (sizes, knobs). */
typedef struct tt_env {
  size_t n, cap;
  const char **names;
  int64_t *ivals;
  double *fvals;
  int *is_float;
  const char **labels; /* string-valued entries (categorical knobs), else NULL */
} tt_env;
TT_API void tt_env_set_int(tt_env *env, const char *name, int64_t v);
TT_API void tt_env_set_float(tt_env *env, const char *name, double v);
TT_API void tt_env_set_label(tt_env *env, const char *name, const char *label);
TT_API void tt_env_free(tt_env *env);
/* Evaluates e (no loads, no reductions) under env. Returns 0 and *out on
 * success; -1 when a name is unbound or e is not constant (err names it). */
TT_API int tt_expr_eval(const tt_expr *e, const tt_env *env, double *out, tt_error *err);
/* Replaces every variable bound in env with its value and simplifies. */
TT_API tt_expr *tt_expr_bind(tt_arena *a, const tt_expr *e, const tt_env *env);

/* ---- additions (IR core helpers) ----------------------------------- */

/* Type of `x op y` for the arithmetic rules of the IR: int op int is int
 * (except real division, which is f64); any f64 operand makes f64, else
 * any f32 makes f32; comparisons and && || are bool (bool counts as int). */
TT_API tt_dtype tt_dtype_promote(tt_dtype x, tt_dtype y);
TT_API int tt_dtype_is_float(tt_dtype t);
/* The source spelling of an operator: "+", "//", "min", "<=", "&&", ... */
TT_API const char *tt_binop_symbol(tt_binop op);
TT_API const char *tt_redop_name(tt_redop op); /* "sum", "min", "max" */
/* Recomputes e->type from its children (used after a pass retypes
 * leaves: the parser sets load and variable types once names resolve). */
TT_API void tt_expr_infer_type(tt_expr *e);
/* e printed into the arena (for diagnostics and tests). */
TT_API const char *tt_expr_str(tt_arena *a, const tt_expr *e);
TT_API const char *tt_stmt_str(tt_arena *a, const tt_stmt *s);

/* Layout of tt_step.args per kind (as produced by the .te parser):
 *   SPLIT        [axis VAR, f1, f2, ...]   factors: INT or knob VAR
 *   REORDER      [l1, l2, ...]             loop VARs (a permute knob stays a VAR)
 *   FUSE         [l1, l2]
 *   UNROLL       [loop VAR, factor]
 *   VECTORIZE    [loop VAR] or [loop VAR, lanes]
 *   PARALLEL     [loop VAR]
 *   CACHE_WRITE  [loop VAR]                tensor = NULL (the stage's output)
 *   CACHE_READ   [loop VAR]                tensor = the input tensor
 *   COMPUTE_AT   [loop VAR]                tensor = the stage computed there
 *   BIND         [loop VAR]                tensor = the dimension ("block.x", "thread.y")
 *   TIME_TILE    [time loop VAR, d space loop VARs, time factor, d space factors, skew,
 *                 order] (d = (nargs - 4) / 2, 1..TT_TIME_TILE_MAX_DIMS)
 *                                          factors and skew: INT or knob VAR; order INT, one of
 *                                          tt_time_tile_order
 *   INTERCHANGE  [outer loop VAR, child loop VARs...] */

/* The most space loops one time_tile step tiles. */
#define TT_TIME_TILE_MAX_DIMS 3

/* The order of a time_tile step's tiles (its last argument): in order
 * (time tile, then the space tiles of L, M, ...), as a wavefront (waves of
 * (time tile, tile of L) in sequence, their tiles in parallel), or in
 * strips (time tile, then the tiles of M, ..., the tiles of L innermost). */
typedef enum tt_time_tile_order {
  TT_TIME_TILE_IN_ORDER = 0,
  TT_TIME_TILE_WAVEFRONT = 1,
  TT_TIME_TILE_STRIPS = 2
} tt_time_tile_order;

#ifdef __cplusplus
}
#endif
#endif
