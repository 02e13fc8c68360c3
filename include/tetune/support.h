/* tetune support layer: status codes, arena allocation, growable strings,
 * deterministic RNG, hashing, files and process spawning.
 * Everything else in tetune is built on these; this header depends on
 * nothing but libc (and export.h, the export macro). */
#ifndef TETUNE_SUPPORT_H
#define TETUNE_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tetune/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status of an operation that can fail because of the environment or the
 * user's input. Bugs are asserts, never statuses (STYLE.md). */
typedef enum tt_status {
  TT_OK = 0,
  TT_ERR_USAGE,   /* bad input from the user: exit code 2 */
  TT_ERR_IO,      /* file or process failure */
  TT_ERR_NOMEM,   /* allocation failed */
  TT_ERR_ENV,     /* compiler, SQLite, device missing or broken */
  TT_ERR_INTERNAL /* unexpected state reported instead of aborting */
} tt_status;

/* An error: a status plus a one-line message. Functions that can fail take a
 * tt_error* (may be NULL) and fill it with the first error only. */
typedef struct tt_error {
  tt_status status;
  char msg[512];
} tt_error;

/* Records an error unless one is already recorded; returns status. */
TT_API tt_status tt_error_set(tt_error *err, tt_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
TT_API void tt_error_clear(tt_error *err);

/* ---- allocation ---------------------------------------------------- */

/* Aborts with a message on out-of-memory: the tool cannot do anything
 * useful without memory, and this keeps every call site honest. */
TT_API void *tt_xmalloc(size_t n);
TT_API void *tt_xcalloc(size_t count, size_t size);
TT_API void *tt_xrealloc(void *p, size_t n);
TT_API char *tt_xstrdup(const char *s);

/* Arena: many small objects that die together (one per compilation).
 * Grows by chained blocks; never a fixed size. */
typedef struct tt_arena tt_arena;
TT_API tt_arena *tt_arena_new(void);
TT_API void tt_arena_free(tt_arena *a);
TT_API void *tt_arena_alloc(tt_arena *a, size_t n); /* zeroed, 16-byte aligned */
TT_API char *tt_arena_strdup(tt_arena *a, const char *s);
TT_API char *tt_arena_strndup(tt_arena *a, const char *s, size_t n);
TT_API char *tt_arena_printf(tt_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- growable string ----------------------------------------------- */

typedef struct tt_str {
  char *data; /* always NUL-terminated once anything was appended */
  size_t len;
  size_t cap;
} tt_str;

TT_API void tt_str_init(tt_str *s);
TT_API void tt_str_free(tt_str *s);
TT_API void tt_str_append(tt_str *s, const char *text);
TT_API void tt_str_appendn(tt_str *s, const char *text, size_t n);
TT_API void tt_str_printf(tt_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
TT_API void tt_str_vprintf(tt_str *s, const char *fmt, va_list ap);
TT_API void tt_str_indent(tt_str *s, int levels); /* two spaces a level */
/* Returns the buffer (caller frees) and resets s. Never NULL. */
TT_API char *tt_str_take(tt_str *s);
TT_API const char *tt_str_cstr(const tt_str *s); /* "" when empty */

/* ---- dynamic array of pointers ------------------------------------ */

typedef struct tt_vec {
  void **items;
  size_t len;
  size_t cap;
} tt_vec;

TT_API void tt_vec_push(tt_vec *v, void *item);
TT_API void tt_vec_free(tt_vec *v); /* frees the array, not the items */

/* ---- RNG ----------------------------------------------------------- */

/* xoshiro256** seeded through splitmix64: reproducible across platforms. */
typedef struct tt_rng {
  uint64_t s[4];
} tt_rng;

TT_API void tt_rng_seed(tt_rng *r, uint64_t seed);
TT_API uint64_t tt_rng_next(tt_rng *r);
TT_API double tt_rng_uniform(tt_rng *r);             /* [0, 1) */
TT_API uint64_t tt_rng_below(tt_rng *r, uint64_t n); /* [0, n), unbiased; n > 0 */
TT_API double tt_rng_normal(tt_rng *r);              /* standard normal */
TT_API void tt_rng_shuffle(tt_rng *r, int *items, size_t n);

/* ---- hashing ------------------------------------------------------- */

/* 64-bit FNV-1a; hash_hex writes 16 hex digits + NUL into out[17]. */
TT_API uint64_t tt_hash_bytes(const void *data, size_t n, uint64_t seed);
TT_API uint64_t tt_hash_str(const char *s, uint64_t seed);
TT_API void tt_hash_hex(uint64_t h, char out[17]);

/* ---- files --------------------------------------------------------- */

/* Reads a whole file; returns NULL and fills err on failure. Caller frees.
 * len may be NULL. */
TT_API char *tt_file_read(const char *path, size_t *len, tt_error *err);
TT_API tt_status tt_file_write(const char *path, const char *data, size_t len, tt_error *err);
/* Creates the directory and its parents (mode 0700). */
TT_API tt_status tt_mkdirs(const char *path, tt_error *err);
/* Creates a private temporary directory under $TMPDIR (or /tmp); caller
 * frees the returned path and removes it with tt_rmtree. */
TT_API char *tt_mkdtemp(const char *prefix, tt_error *err);
TT_API void tt_rmtree(const char *path);
TT_API int tt_file_exists(const char *path);
/* Directory of the running executable (from /proc/self/exe); caller frees. */
TT_API char *tt_exe_dir(void);

/* ---- processes ----------------------------------------------------- */

/* Result of running a child process. */
typedef struct tt_proc_result {
  int exited;    /* 1 when it exited normally */
  int exit_code; /* valid when exited */
  int signal;    /* terminating signal when !exited and !timed_out */
  int timed_out; /* killed by us after the timeout */
  double wall_s; /* elapsed wall time */
  char *out;     /* captured stdout+stderr (caller frees), never NULL */
} tt_proc_result;

/* Runs argv[0] with the argument vector argv (never through a shell), with
 * stdout and stderr captured, killing it (and its process group) after
 * timeout_s seconds (<= 0: no limit). Returns TT_ERR_IO only when the
 * process could not be started; a failing child is reported in res. */
TT_API tt_status tt_proc_run(char *const argv[], double timeout_s, tt_proc_result *res,
                             tt_error *err);
TT_API void tt_proc_result_free(tt_proc_result *res);
/* Waits until deadline (a tt_now() time; <= 0: forever) for the child pid
 * to end. Returns 1 with *status set as by waitpid when it ended (or is no
 * longer our child: *status 0), 0 when the deadline passed first. */
TT_API int tt_proc_wait(int pid, double deadline, int *status);
/* Describes a waitpid status: "exited with status 3", "killed by signal
 * 11 (Segmentation fault)". */
TT_API void tt_proc_describe(int status, char *buf, size_t len);

/* A hash map from 64-bit keys (configuration keys, tt_space_key) to
 * 32-bit values, with deletion: open addressing. A zero-initialised
 * tt_keymap is an empty map; free it with tt_keymap_free. Used for the
 * seen and pending sets of strategies and for recorded datasets. */
typedef struct tt_keymap {
  uint64_t *keys;
  uint32_t *vals;
  uint8_t *state; /* 0 empty, 1 full, 2 deleted */
  size_t cap;     /* power of two, or 0 before the first insertion */
  size_t len;     /* full slots */
  size_t used;    /* full + deleted slots */
} tt_keymap;

TT_API void tt_keymap_free(tt_keymap *m);
/* 1 and *val set when key is present, 0 otherwise (val may be NULL). */
TT_API int tt_keymap_get(const tt_keymap *m, uint64_t key, uint32_t *val);
/* Inserts or overwrites key. */
TT_API void tt_keymap_put(tt_keymap *m, uint64_t key, uint32_t val);
/* Removes key; returns 1 when it was present. */
TT_API int tt_keymap_del(tt_keymap *m, uint64_t key);

/* Monotonic time in seconds. */
TT_API double tt_now(void);
/* The resolution of tt_now's clock in seconds (> 0). */
TT_API double tt_clock_tick(void);
/* Unix time now (CLOCK_REALTIME), in seconds with a fraction: for dates. */
TT_API double tt_wall_now(void);

#ifdef __cplusplus
}
#endif
#endif
