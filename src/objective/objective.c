/* tt_objective: evaluation, the sorted population and accessors shared by
 * synthetic functions and recorded datasets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* Frees o and its space. NULL is allowed. */
void tt_objective_free(tt_objective *o) {
  if (!o) return;
  free(o->name);
  tt_space_free(o->space);
  tt_keymap_free(&o->table);
  free(o->outcome);
  free(o->value);
  free(o->cost);
  free(o->values);
  free(o);
}

const char *tt_objective_name(const tt_objective *o) {
  return o->name;
}
const tt_space *tt_objective_space(const tt_objective *o) {
  return o->space;
}
double tt_objective_optimum(const tt_objective *o) {
  return o->optimum;
}
size_t tt_objective_num_records(const tt_objective *o) {
  return o->num_records;
}
size_t tt_objective_num_skipped(const tt_objective *o) {
  return o->num_skipped;
}

const double *tt_objective_values(const tt_objective *o, size_t *n) {
  *n = o->nvalues;
  return o->values;
}

/* Evaluates cfg: the synthetic function, or the dataset's record (absent
 * valid configurations are invalid: they were never measurable). */
tt_outcome tt_objective_eval(const tt_objective *o, const uint32_t *cfg, double *value) {
  *value = 0;
  if (!tt_space_is_valid(o->space, cfg)) return TT_OUTCOME_INVALID;
  if (o->fn) return o->fn(o->space, cfg, value);
  uint32_t slot;
  if (!tt_keymap_get(&o->table, tt_space_key(o->space, cfg), &slot)) return TT_OUTCOME_INVALID;
  *value = o->value[slot];
  return o->outcome[slot];
}

/* The recorded cost of cfg; see objective.h. */
double tt_objective_cost(const tt_objective *o, const uint32_t *cfg) {
  uint32_t slot;
  if (o->fn || !o->cost || !tt_space_is_valid(o->space, cfg)) return NAN;
  if (!tt_keymap_get(&o->table, tt_space_key(o->space, cfg), &slot)) return NAN;
  return o->cost[slot];
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Evaluates every valid configuration into the sorted population. */
void tt_objective_enumerate(tt_objective *o) {
  size_t K = tt_space_num_knobs(o->space), cap = 1024;
  uint32_t *cfg = tt_xcalloc(K + 1, sizeof *cfg);
  o->values = tt_xmalloc(cap * sizeof *o->values);
  o->nvalues = 0;
  for (int after = 0; tt_space_next_valid(o->space, cfg, after) == 0; after = 1) {
    double v;
    if (o->nvalues == cap) o->values = tt_xrealloc(o->values, (cap *= 2) * sizeof *o->values);
    o->values[o->nvalues++] = o->fn(o->space, cfg, &v) == TT_OUTCOME_OK ? v : INFINITY;
  }
  free(cfg);
  qsort(o->values, o->nvalues, sizeof *o->values, cmp_double);
  o->optimum = o->nvalues ? o->values[0] : INFINITY;
}

/* "synthetic:NAME" or a dataset path. */
tt_objective *tt_objective_open(const char *spec, const tt_dataset_options *opt, tt_error *err) {
  if (strncmp(spec, "synthetic:", 10) == 0) return tt_objective_synthetic(spec + 10, err);
  return tt_objective_load(spec, opt, err);
}
