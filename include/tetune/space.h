/* tetune search spaces: knobs, constraints, sampling, enumeration,
 * neighbourhoods and model encodings. Knows nothing about kernels.
 *
 * A configuration is an array of uint32_t, one entry per knob, each the
 * index of the knob's value (for a permutation knob: the rank of the
 * permutation in lexicographic order, its Lehmer code). Such arrays are
 * owned by the caller; tt_space_num_knobs() gives their length. */
#ifndef TETUNE_SPACE_H
#define TETUNE_SPACE_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/export.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tt_knob_kind {
  TT_KNOB_INT,         /* integer range lo..hi by step */
  TT_KNOB_ORDINAL,     /* ordered list of numbers (tile sizes, unroll factors) */
  TT_KNOB_CATEGORICAL, /* unordered labels */
  TT_KNOB_PERMUTATION, /* order of n named items (n <= 12) */
  TT_KNOB_BOOL         /* off (index 0) / on (index 1) */
} tt_knob_kind;

typedef struct tt_space tt_space;

TT_API tt_space *tt_space_new(void);
TT_API void tt_space_free(tt_space *s);

/* Adding knobs: names must be unique identifiers; returns the knob index or
 * -1 with err filled (duplicate name, empty list, bad range). */
TT_API int tt_space_add_int(tt_space *s, const char *name, int64_t lo, int64_t hi, int64_t step,
                            tt_error *err);
TT_API int tt_space_add_ordinal(tt_space *s, const char *name, const double *values, size_t n,
                                tt_error *err);
TT_API int tt_space_add_categorical(tt_space *s, const char *name, const char *const *labels,
                                    size_t n, tt_error *err);
TT_API int tt_space_add_permutation(tt_space *s, const char *name, const char *const *items,
                                    size_t n, tt_error *err);
TT_API int tt_space_add_bool(tt_space *s, const char *name, tt_error *err);

/* A constraint is an expression over knob names that must be true (non-zero)
 * for a valid configuration: arithmetic + - * / % (integer floor semantics
 * when both sides are integral), comparisons, && || !, parentheses, numbers,
 * string literals compared to categorical knobs ("io" or bare label). Bool
 * knobs read as 0/1, ordinal/int knobs as their value. Kernel Tuner style
 * Python expressions (and/or/not, ==) are accepted too. */
TT_API tt_status tt_space_add_constraint(tt_space *s, const char *expr, tt_error *err);

/* Evaluates expr, written in the constraint language, with the name var
 * (NULL: none) bound to x, as a dataset's value lists need. Returns TT_OK
 * and *out, or TT_ERR_USAGE with a message beginning with `what` when expr
 * does not parse, names anything else, or cannot be evaluated (division
 * by zero). */
TT_API tt_status tt_space_eval_expr(const char *expr, const char *var, double x, const char *what,
                                    double *out, tt_error *err);

/* Restricts s to the configurations cfgs (n x num_knobs, each valid; a
 * repeated one counts once): from then on a configuration is valid only
 * when it is one of them, and sampling, counting and walking see only
 * them. This is the space of Kernel Tuner's restricted runs, a dataset's
 * measured rows. Adding a knob or a constraint drops the restriction.
 * TT_ERR_USAGE when n is 0 or a row is not valid (s is then unrestricted). */
TT_API tt_status tt_space_restrict(tt_space *s, const uint32_t *cfgs, size_t n, tt_error *err);
/* Members of a restricted space; 0 when it is not restricted. */
TT_API size_t tt_space_num_members(const tt_space *s);

TT_API size_t tt_space_num_knobs(const tt_space *s);
TT_API const char *tt_space_knob_name(const tt_space *s, size_t knob);
TT_API tt_knob_kind tt_space_knob_kind(const tt_space *s, size_t knob);
TT_API int tt_space_knob_index(const tt_space *s, const char *name); /* -1 if absent */
TT_API uint32_t tt_space_knob_card(const tt_space *s, size_t knob);  /* number of values */
/* Numeric value of value index v (int/ordinal: the number; bool: 0/1;
 * categorical: v; permutation: v). */
TT_API double tt_space_knob_value(const tt_space *s, size_t knob, uint32_t v);
/* Label of a categorical value, or a permutation's item; NULL otherwise. */
TT_API const char *tt_space_knob_label(const tt_space *s, size_t knob, uint32_t v);
TT_API size_t tt_space_perm_len(const tt_space *s, size_t knob);
/* Decodes permutation rank v of knob into out[perm_len] (item indices). */
TT_API void tt_space_perm_decode(const tt_space *s, size_t knob, uint32_t v, int *out);
TT_API uint32_t tt_space_perm_encode(const tt_space *s, size_t knob, const int *perm);

/* Roles of a knob, computed once when it is added from what it declares
 * (its kind and values), so that strategies do not re-derive them:
 *   TT_ROLE_RANGED  ordinal or integer: its values have a distance;
 *   TT_ROLE_SIZED   ranged, 2 or more values, all positive: a size (tile,
 *                   block, unroll factor), whose log is meaningful;
 *   TT_ROLE_CODE    ranged with values exactly 0, 1, ..., n-1, n >= 3: a
 *                   method switch written as an integer;
 *   TT_ROLE_SWITCH  categorical, bool, permutation, or two values: its
 *                   effect depends on the context rather than a distance. */
enum { TT_ROLE_RANGED = 1, TT_ROLE_SIZED = 2, TT_ROLE_CODE = 4, TT_ROLE_SWITCH = 8 };
TT_API unsigned tt_space_knob_roles(const tt_space *s, size_t knob);

/* Size of the cartesian product (as a double: may exceed 2^64). */
TT_API double tt_space_cartesian_size(const tt_space *s);
/* Number of valid configurations: exact when the space was small enough to
 * count (sets *exact = 1), otherwise an estimate from sampling. */
TT_API double tt_space_valid_size(const tt_space *s, int *exact);

TT_API int tt_space_is_valid(const tt_space *s, const uint32_t *cfg);

/* Uniformly samples one valid configuration into cfg. Works when valid
 * points are rare, never enumerates a large space. Returns 0, or -1 if no
 * valid configuration exists. */
TT_API int tt_space_sample(const tt_space *s, tt_rng *rng, uint32_t *cfg);

/* Mixed-radix index of cfg in the cartesian product, in lexicographic order
 * (first knob most significant); valid while the product < 2^64. */
TT_API uint64_t tt_space_index(const tt_space *s, const uint32_t *cfg);
TT_API void tt_space_from_index(const tt_space *s, uint64_t index, uint32_t *cfg);
/* A 64-bit key identifying cfg (the index when it fits, else a hash). */
TT_API uint64_t tt_space_key(const tt_space *s, const uint32_t *cfg);
/* Advances cfg to the first valid configuration at or after it in
 * lexicographic order (strictly after it when after != 0). Invalid prefixes
 * are pruned as soon as a constraint over them fails, so a sparse space is
 * walked without visiting each point. Returns 0, or -1 when none is left
 * (cfg is then unspecified). */
TT_API int tt_space_next_valid(const tt_space *s, uint32_t *cfg, int after);
/* The same walk with the first knob least significant (it changes
 * fastest), the order of AutoTVM's ConfigSpace indices. */
TT_API int tt_space_next_valid_rev(const tt_space *s, uint32_t *cfg, int after);

/* Valid neighbours of cfg: every configuration that changes one knob's value
 * (ordinal/int: to any other value; permutation: swapping two positions).
 * Writes up to max configurations into out (max * num_knobs entries) and
 * returns how many. */
TT_API size_t tt_space_neighbours(const tt_space *s, const uint32_t *cfg, uint32_t *out,
                                  size_t max);
/* The same moves sampled for a search, as strategies use them: knobs are
 * visited from a random start (so that max does not always cut the same
 * ones); a knob of at most 32 values contributes all its other values, a
 * larger one the values 1, 2, 4, ... steps away on both sides and 8 random
 * ones (so that a knob of thousands costs a few dozen); every swap of a
 * permutation. A candidate is kept when keep(ctx, cand) is non-zero (keep
 * NULL: when valid). Same rng state, same neighbours. */
typedef int (*tt_space_keep_fn)(void *ctx, const uint32_t *cand);
TT_API size_t tt_space_neighbours_sampled(const tt_space *s, const uint32_t *cfg, tt_rng *rng,
                                          tt_space_keep_fn keep, void *ctx, uint32_t *out,
                                          size_t max);

/* Model encodings: a fixed-length vector of doubles per configuration.
 * TT_ENCODE_RANK: ordinal/int as value rank scaled to [0,1];
 * TT_ENCODE_LOG: ordinal/int as log2(value) scaled to [0,1] (positive
 * values; falls back to rank otherwise). Both: categorical one-hot, bool
 * 0/1, permutation as pairwise-order features (1 if item a precedes b). */
typedef enum tt_encoding { TT_ENCODE_RANK, TT_ENCODE_LOG } tt_encoding;
TT_API size_t tt_space_encoded_dim(const tt_space *s);
/* The knob each feature encodes: writes tt_space_encoded_dim(s) knob
 * indices into knob_of (a categorical or permutation knob owns several
 * consecutive features). */
TT_API void tt_space_encoded_knobs(const tt_space *s, size_t *knob_of);
TT_API void tt_space_encode(const tt_space *s, tt_encoding enc, const uint32_t *cfg, double *out);

/* JSON object {"knob": value, ...}: numbers for int/ordinal, true/false for
 * bool, strings for categorical, arrays of strings for permutations.
 * Returns a heap string the caller frees. */
TT_API char *tt_space_config_to_json(const tt_space *s, const uint32_t *cfg);
/* Parses such an object. Knobs missing from json take their value in
 * defaults (when defaults is NULL, a missing knob is an error). Unknown
 * knobs and values not in the knob's list are errors (TT_ERR_USAGE) with a
 * message naming the knob. */
TT_API tt_status tt_space_config_from_json(const tt_space *s, const char *json,
                                           const uint32_t *defaults, uint32_t *cfg, tt_error *err);
/* Maps a configuration of a related space (another problem size, machine
 * or dataset with knobs of the same names) onto s, leniently, for
 * transfer: a knob of s found in json takes its value when s lists it,
 * else the nearest of its values (numbers; on a log scale when positive);
 * knobs json lacks or whose value cannot be mapped take defaults; knobs
 * s lacks are ignored. Returns how many of s's knobs json gave a value
 * for, or -1 when json is not an object. cfg may be invalid in s. */
TT_API int tt_space_config_map_json(const tt_space *s, const char *json, const uint32_t *defaults,
                                    uint32_t *cfg);

#ifdef __cplusplus
}
#endif
#endif
