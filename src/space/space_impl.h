/* Internal to src/space: the layout of a tt_space, shared by the files that
 * implement include/tetune/space.h (knobs, constraints, sampling, indexing,
 * neighbours, encodings, JSON). Nothing outside src/space includes this. */
#ifndef TT_SPACE_IMPL_H
#define TT_SPACE_IMPL_H

#include <pthread.h>

#include "space/expr.h"
#include "tetune/space.h"

#define TT_PERM_MAX 12

typedef struct tt_knob {
  char *name;
  tt_knob_kind kind;
  uint32_t card;    /* number of values, >= 1 */
  double *values;   /* ordinal: card values in the caller's order */
  int64_t lo, step; /* int: value v is lo + v * step */
  char **labels;    /* categorical: card labels; permutation: perm_n items */
  size_t perm_n;    /* permutation length */
  double *feat[2];  /* ordinal: encoded feature per value, [TT_ENCODE_RANK/LOG] */
  unsigned roles;   /* TT_ROLE_* flags (roles.c), set once the knob is complete */
} tt_knob;

/* A constraint: its source text, its bound AST, and the knobs it reads
 * (sorted, no duplicates). Evaluation of a knob reads slot == knob index. */
typedef struct tt_constraint {
  char *text;
  tt_cexpr *expr;
  size_t *knobs;
  size_t nknobs;
} tt_constraint;

typedef struct tt_sampler tt_sampler; /* sampler.c: built lazily */

struct tt_space {
  tt_arena *arena; /* knob names, labels, constraint ASTs */
  tt_knob *knobs;
  size_t nknobs, cap_knobs;
  tt_constraint *cons;
  size_t ncons, cap_cons;
  int index_fits; /* cartesian product < 2^64: tt_space_index is exact */
  /* Lazily built sampling structure; reset whenever a knob or constraint is
   * added. The mutex makes the lazy build safe when several threads sample
   * one const space. */
  pthread_mutex_t lock;
  tt_sampler *sampler;
  /* tt_space_restrict: the member configurations (nmembers x nknobs) in
   * ascending key order, and their keys; nmembers == 0: unrestricted. */
  uint32_t *members;
  uint64_t *member_keys;
  size_t nmembers;
};

/* Sets knob k's roles from its kind and values (roles.c). */
void tt_knob_set_roles(tt_space *s, size_t k);
/* Precomputes an ordinal knob's encoded features (encode.c). */
void tt_knob_prepare_features(tt_space *s, size_t k);
/* Value of knob k at index v as read by constraints (space.c). */
double tt_space_slot_value(const tt_space *s, size_t k, uint32_t v);
/* 1 when constraint c holds for the knob values in slots (indexed by knob);
 * an evaluation error (division by zero) counts as false (constraint.c). */
int tt_constraint_holds(const tt_space *s, const tt_constraint *c, const double *slots);
/* 1 when constraint c holds for configuration cfg. */
int tt_constraint_holds_cfg(const tt_space *s, const tt_constraint *c, const uint32_t *cfg);

/* 1 when cfg is a member of a restricted space, or the space is not
 * restricted (members.c). */
int tt_space_member(const tt_space *s, const uint32_t *cfg);
/* Drops the restriction (the space changed under it). */
void tt_space_unrestrict(tt_space *s);
/* A uniformly drawn member into cfg; the space is restricted. */
void tt_space_sample_member(const tt_space *s, tt_rng *rng, uint32_t *cfg);

/* The sampler (sampler.c). */
tt_sampler *tt_sampler_get(const tt_space *s);
void tt_sampler_free(tt_sampler *sm);
int tt_sampler_sample(const tt_space *s, tt_sampler *sm, tt_rng *rng, uint32_t *cfg);
double tt_sampler_valid_size(const tt_sampler *sm, int *exact);

#endif
