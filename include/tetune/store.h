/* tetune store: the SQLite history of tuning tasks, sessions and trials.
 *
 * A task is one (kernel, problem size, target, template, machine
 * fingerprint); a session is one run of a strategy on a task; a trial is one
 * measured configuration. Configurations and fingerprints are JSON text that
 * the store never interprets beyond putting it in a canonical form (object
 * keys sorted, no whitespace) so equal JSON values compare equal.
 *
 * Every write is its own transaction, committed before the call returns, so
 * killing the process loses only trials whose tt_store_add_trial had not
 * returned. Errors are statuses with SQLite's message, never exit().
 *
 * A tt_store is used by one thread at a time; any number of processes may
 * open the same file (WAL mode: readers never wait for the writer, writers
 * wait for each other up to a busy timeout of 10 s). */
#ifndef TETUNE_STORE_H
#define TETUNE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/export.h"
#include "tetune/outcome.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PRAGMA application_id of every tetune database ("ttun"), and the schema
 * version (PRAGMA user_version) this build reads and writes. */
#define TT_STORE_APPLICATION_ID 0x7474756E
#define TT_STORE_SCHEMA_VERSION 3

typedef struct tt_store tt_store;

typedef enum tt_store_mode {
  TT_STORE_READ_WRITE, /* creates the file and its schema when missing */
  TT_STORE_READ_ONLY   /* never creates or changes anything */
} tt_store_mode;

/* Opens the database at path. A file that is not SQLite, a SQLite database
 * of another application, or one written by a newer tetune is
 * TT_ERR_USAGE with a one-line message naming the file, and the file is left
 * untouched. A missing file in read-only mode is TT_ERR_USAGE; a path that
 * cannot be created or opened is TT_ERR_IO. Opening an existing tetune
 * database writes nothing unless its schema is older and mode is
 * read-write (then it is migrated). An empty path, ":memory:" or a "file:"
 * URI is TT_ERR_USAGE (nothing would be kept). An existing file is checked
 * (integrity_check, or quick_check above 64 MB) and refused as corrupted
 * (TT_ERR_USAGE) when damaged. Returns NULL on error. */
TT_API tt_store *tt_store_open(const char *path, tt_store_mode mode, tt_error *err);
/* Closes the database; NULL is allowed. */
TT_API void tt_store_close(tt_store *s);
/* The path given to tt_store_open (owned by the store). */
TT_API const char *tt_store_path(const tt_store *s);

/* Canonical text of a JSON value: object keys sorted (recursively), no
 * whitespace. Used as the dedupe key of a configuration. Returns NULL and
 * TT_ERR_USAGE for malformed JSON. Caller frees. */
TT_API char *tt_store_canonical_json(const char *json, tt_error *err);

/* ---- tasks --------------------------------------------------------- */

/* What identifies a task. fingerprint is a JSON object describing the
 * machine (by convention: cpu_model, cores, compiler, flags); tasks with
 * equal canonical fingerprints are the same task. */
typedef struct tt_task_key {
  const char *kernel;
  const char *size;
  const char *target;        /* "cpu", "opencl", "cuda" */
  const char *template_name; /* the schedule template */
  const char *fingerprint;   /* JSON object */
} tt_task_key;

/* Returns the id of the task matching key in *task_id, creating it when
 * absent (read-write stores only). */
TT_API tt_status tt_store_ensure_task(tt_store *s, const tt_task_key *key, int64_t *task_id,
                                      tt_error *err);
/* Like tt_store_ensure_task but never creates: *task_id = 0 when absent. */
TT_API tt_status tt_store_find_task(tt_store *s, const tt_task_key *key, int64_t *task_id,
                                    tt_error *err);

/* ---- sessions ------------------------------------------------------ */

typedef enum tt_session_status {
  TT_SESSION_RUNNING = 0, /* also what a killed session stays at */
  TT_SESSION_COMPLETED,
  TT_SESSION_INTERRUPTED, /* stopped early by the user (SIGINT) */
  TT_SESSION_FAILED,      /* stopped by an environment error */
  TT_SESSION_STATUS_COUNT
} tt_session_status;

/* "running", "completed", "interrupted", "failed". */
TT_API const char *tt_session_status_name(tt_session_status st);

/* What a new session records. args is the JSON object of the command-line
 * arguments (NULL: "{}"). */
typedef struct tt_session_spec {
  int64_t task_id;
  const char *strategy;
  uint64_t seed;
  const char *args;
  int64_t trials_requested;
} tt_session_spec;

/* Creates a session with status running, started now, held by this
 * process (see "coordination" below). */
TT_API tt_status tt_store_add_session(tt_store *s, const tt_session_spec *spec, int64_t *session_id,
                                      tt_error *err);
/* A resumed session: status running again, held by this process, and at
 * least trials_requested trials asked for (resume may raise the count,
 * never lower it). Refused while another live process holds it. */
TT_API tt_status tt_store_resume_session(tt_store *s, int64_t session_id, int64_t trials_requested,
                                         tt_error *err);
/* Sets the session's status and end time (now) and releases it. */
TT_API tt_status tt_store_end_session(tt_store *s, int64_t session_id, tt_session_status status,
                                      tt_error *err);

/* ---- trials -------------------------------------------------------- */

/* One trial. Times are seconds; NAN marks a value that was not measured
 * (stored as NULL). started_at/finished_at are Unix times in seconds.
 *
 * For tt_store_add_trial the caller fills it (strings borrowed): id, task_id
 * and seq are ignored (the store assigns them: task_id from the session, seq
 * = 1 + the session's trials so far); config_key NULL means the canonical
 * form of config (then config must be valid JSON: TT_ERR_USAGE otherwise);
 * message NULL means ""; strategy NULL means the session's; finished_at 0
 * means now and started_at 0 means finished_at.
 *
 * A trial returned by the store lives in one allocation with its strings:
 * free it with tt_trial_free. */
typedef struct tt_trial {
  int64_t id;
  int64_t session_id;
  int64_t task_id;
  int64_t seq;
  const char *config; /* JSON */
  const char *config_key;
  tt_outcome outcome;
  const char *message;
  double time_median_s;
  double time_min_s;
  double time_spread; /* relative spread of the repeats */
  int repeats;
  double max_rel_err; /* against the reference */
  double compile_s;
  double gflops;
  const char *strategy;
  double started_at;
  double finished_at;
  const char *settings; /* the measurement settings it was measured under
                           (tt_measure_settings); NULL means "" (unknown,
                           as for trials of schema version 1) */
  /* Where and when it ran (schema version 3; 0 and NULL mean unknown, as
   * for older trials): the build and the timing on the evaluator's clock
   * (Unix seconds, or simulated seconds for a recorded evaluator), the
   * logical CPUs that timed it ("0-1") and the worker ("local", "rank 2"). */
  double compile_start, compile_end;
  double measure_start, measure_end;
  const char *cores;
  const char *worker;
} tt_trial;

/* Frees a trial returned by the store; NULL is allowed. */
TT_API void tt_trial_free(tt_trial *t);

/* Stores t in its own committed transaction; *trial_id (may be NULL) gets
 * its id. An unknown session is TT_ERR_USAGE. */
TT_API tt_status tt_store_add_trial(tt_store *s, const tt_trial *t, int64_t *trial_id,
                                    tt_error *err);

/* The latest trial of the task with this config_key, whatever its outcome,
 * or *out = NULL when the configuration was never measured there. */
TT_API tt_status tt_store_find_trial(tt_store *s, int64_t task_id, const char *config_key,
                                     tt_trial **out, tt_error *err);

/* The latest trial of the task with this config_key that may be reused
 * under the measurement settings `settings`: one measured under equal
 * settings, or one from before settings were recorded ("") whose outcome
 * does not depend on them (ok, invalid). *out = NULL when there is none. A
 * timeout under a 0.1 ms limit is not reused by a session with 60 s. */
TT_API tt_status tt_store_find_reusable(tt_store *s, int64_t task_id, const char *config_key,
                                        const char *settings, tt_trial **out, tt_error *err);

/* ---- coordination between processes -------------------------------- */

/* A session is held by the process that created or resumed it (its owner:
 * host, pid and process start time) until tt_store_end_session. Resuming a
 * session whose owner is still alive (same host: the process exists with
 * the same start time; another host: it stored a trial or took the lease
 * within TT_STORE_LEASE_S) is refused: TT_ERR_ENV, "session N is running in
 * another process (pid P on H)". A killed owner frees the session at once. */
#define TT_STORE_LEASE_S 3600.0

/* What tt_store_claim found. */
typedef enum tt_claim_result {
  TT_CLAIM_OURS, /* claimed (or already ours): measure it */
  TT_CLAIM_BUSY, /* another live process is measuring it: wait, look again */
  TT_CLAIM_DONE  /* a reusable trial exists (tt_store_find_reusable) */
} tt_claim_result;

/* Marks (task, config_key, settings) as being measured by this process for
 * session session_id, in one write transaction that also checks for a
 * reusable trial and for a live claim of another process (a dead one's is
 * taken over). Storing a trial of that configuration and settings releases
 * the claim; so does tt_store_unclaim (after a measurement that is not
 * stored). */
TT_API tt_status tt_store_claim(tt_store *s, int64_t task_id, const char *config_key,
                                const char *settings, int64_t session_id, tt_claim_result *out,
                                tt_error *err);
TT_API tt_status tt_store_unclaim(tt_store *s, int64_t task_id, const char *config_key,
                                  const char *settings, tt_error *err);

/* The ok trial of the task with the smallest median time (the earliest on
 * ties), or *out = NULL when there is none. */
TT_API tt_status tt_store_best_trial(tt_store *s, int64_t task_id, tt_trial **out, tt_error *err);

/* Called for each trial; the trial and its strings are valid during the
 * call only. Returns 0 to go on, non-zero to stop. */
typedef int (*tt_trial_fn)(void *ctx, const tt_trial *t);

/* Calls fn for every trial of the task, all sessions, in the order they
 * were stored (sessions in creation order, each by seq): the order a
 * resumed strategy should be told them. Reads one consistent snapshot:
 * trials other connections add meanwhile are not visited (fn may add some
 * through another store; adding through this one is allowed too, but
 * whether those are visited is unspecified). */
TT_API tt_status tt_store_each_trial(tt_store *s, int64_t task_id, tt_trial_fn fn, void *ctx,
                                     tt_error *err);

/* Number of trials of a session / of a task. */
TT_API tt_status tt_store_count_session_trials(tt_store *s, int64_t session_id, int64_t *n,
                                               tt_error *err);
TT_API tt_status tt_store_count_task_trials(tt_store *s, int64_t task_id, int64_t *n,
                                            tt_error *err);

/* ---- related tasks, for transfer ------------------------------------ */

/* A task related to another: the same kernel and template at another
 * size, on another machine (fingerprint) or target. */
typedef struct tt_related_task {
  int64_t id;
  char *size, *target, *fingerprint;
  int same_machine;  /* its fingerprint equals the key's */
  int64_t ok_trials; /* trials with outcome ok, at least 1 */
} tt_related_task;

typedef struct tt_related_list {
  tt_related_task *items;
  size_t len;
} tt_related_list;

/* The tasks related to key's task (itself excluded, whether it exists or
 * not) that have an ok trial: same machine first, then same target, then
 * the most ok trials. Read-only. */
TT_API tt_status tt_store_related_tasks(tt_store *s, const tt_task_key *key, tt_related_list *out,
                                        tt_error *err);
TT_API void tt_related_list_free(tt_related_list *l);

/* ---- queries for history, reports and comparisons ------------------ */

/* A session with its task and best result. Strings are owned by the list. */
typedef struct tt_session_info {
  int64_t id;
  int64_t task_id;
  char *kernel;
  char *size;
  char *target;
  char *template_name;
  char *strategy;
  uint64_t seed;
  int64_t trials_requested;
  int64_t trials;    /* stored */
  int64_t ok_trials; /* with outcome ok */
  double started_at;
  double ended_at; /* NAN while running or after a kill */
  tt_session_status status;
  double best_time_s; /* NAN when no ok trial */
  double best_gflops;
  char *fingerprint; /* the task's machine fingerprint (JSON object) */
  char *best_config; /* NULL when no ok trial */
} tt_session_info;

typedef struct tt_session_list {
  tt_session_info *items;
  size_t len;
} tt_session_list;

/* Sessions in creation order, only those of kernel unless it is NULL. */
TT_API tt_status tt_store_list_sessions(tt_store *s, const char *kernel, tt_session_list *out,
                                        tt_error *err);
TT_API void tt_session_list_free(tt_session_list *list);

/* The JSON arguments session_id was created with (tt_session_spec.args);
 * *args is NULL when there is no such session, else the caller frees it. */
TT_API tt_status tt_store_session_args(tt_store *s, int64_t session_id, char **args, tt_error *err);

/* One point of a session's trial series. */
typedef struct tt_series_point {
  int64_t seq;
  tt_outcome outcome;
  double time_s;   /* median; NAN unless ok */
  double gflops;   /* NAN unless measured */
  double offset_s; /* finished_at - session start: the wall-clock axis */
} tt_series_point;

/* The session's trials in seq order; *points is malloc'ed (caller frees,
 * NULL when *n == 0). */
TT_API tt_status tt_store_session_series(tt_store *s, int64_t session_id, tt_series_point **points,
                                         size_t *n, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
