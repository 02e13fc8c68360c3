/* Internal to src/objective: the layout of a tt_objective, and the raw
 * table every dataset reader fills before the common code turns it into a
 * space and a lookup table (dataset.c). */
#ifndef TT_OBJECTIVE_IMPL_H
#define TT_OBJECTIVE_IMPL_H

#include "tetune/objective.h"

typedef tt_outcome (*tt_synthetic_fn)(const tt_space *s, const uint32_t *cfg, double *value);

struct tt_objective {
  char *name;
  tt_space *space;
  tt_synthetic_fn fn;  /* synthetic functions; NULL for datasets */
  tt_keymap table;     /* datasets: configuration key -> record slot */
  tt_outcome *outcome; /* per record slot */
  double *value;
  double *cost; /* per record slot: seconds to compile and benchmark, NAN unknown */
  size_t num_records, num_skipped;
  double *values; /* sorted population, see tt_objective_values */
  size_t nvalues;
  double optimum;
};

/* Fills o->values and o->optimum by evaluating every valid configuration
 * (synthetic functions: their spaces are small). */
void tt_objective_enumerate(tt_objective *o);

/* ---- raw datasets (dataset.c) --------------------------------------- */

typedef struct tt_dataset {
  tt_arena *arena;
  size_t nparams;
  char **names;     /* nparams */
  tt_vec *declared; /* per param: value texts a file declares (may be empty) */
  size_t nrec, cap_rec;
  char **cells; /* nrec * nparams value texts */
  tt_outcome *outcome;
  double *value;
  double *cost; /* seconds the record took to compile and time, NAN unknown */
  size_t cap_params;
} tt_dataset;

void tt_dataset_init(tt_dataset *d);
void tt_dataset_free(tt_dataset *d);
/* Index of parameter name, adding it when new. */
size_t tt_dataset_param(tt_dataset *d, const char *name);
/* Declares value text for parameter p (Kernel Tuner's tune_params). */
void tt_dataset_declare(tt_dataset *d, size_t p, const char *text);
/* Appends a record; cells[nparams] are copied (NULL cells are errors left
 * to the caller to avoid). */
void tt_dataset_add(tt_dataset *d, const char *const *cells, tt_outcome outcome, double value);
/* Sets the cost (seconds to compile and benchmark) of the last record. */
void tt_dataset_set_cost(tt_dataset *d, double seconds);
/* Maps a failure text ("CompilationFailedConfig", "runtime", ...). */
tt_outcome tt_outcome_from_failure(const char *text);
/* Text of a JSON scalar for a cell (numbers %.17g, bools True/False). */
char *tt_json_scalar_text(const void *cjson_item, char *buf, size_t len);

/* Builds the objective: the space is `space` when given (taken over; its
 * knob names must match the parameters one to one), else one knob per
 * parameter from the declared values or, failing that, the values seen
 * (ordinal when all are numbers, sorted; categorical otherwise). */
tt_objective *tt_objective_from_dataset(const char *name, tt_dataset *d, tt_space *space,
                                        tt_error *err);

/* ---- readers --------------------------------------------------------- */

/* Reads a regular file whole, decompressing gzip data (whatever its
 * name) through zlib; more than max_bytes of (decompressed) data is
 * TT_ERR_USAGE. *len (may be NULL) gets the length. Caller frees. */
char *tt_read_dataset_text(const char *path, size_t max_bytes, size_t *len, tt_error *err);
/* T1 space file -> space (value lists and Conditions). */
tt_space *tt_t1_load(const char *path, tt_error *err);
/* Parses a T1 value list ("[1, 2] + [2 * i for i in range(1, 11)]", or a
 * JSON array text) into value texts pushed onto out (arena strings). */
tt_status tt_t1_values(tt_arena *a, const char *text, tt_vec *out, tt_error *err);
/* Readers: fill d from a parsed JSON root (a cJSON *) or CSV text. */
tt_status tt_kt_cache_read(const void *root, const char *objective, tt_dataset *d, tt_error *err);
tt_status tt_t4_read(const void *root, const char *objective, tt_dataset *d, tt_error *err);
tt_status tt_csv_read(const char *text, const char *objective, tt_dataset *d, tt_error *err);

#endif
