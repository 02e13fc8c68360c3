/* The lowering driver: a script of passes, one a file, each run as
 * `body = pass(body); log(body)`. A pass that fails stops the script with
 * its error. */
#include <string.h>

#include "lower/passes.h"

/* Binds params (and the configuration's knobs) into the context's env. */
static void setup_env(tt_lower_ctx *cx, const int64_t *size) {
  for (size_t i = 0; i < cx->sc.k->nparams; i++)
    tt_env_set_int(&cx->sc.env, cx->sc.k->params[i], size[i]);
  if (!cx->sc.cfg) return;
  const tt_env *e = &cx->sc.cfg->env;
  for (size_t i = 0; i < e->n; i++) {
    if (e->labels[i])
      tt_env_set_label(&cx->sc.env, e->names[i], e->labels[i]);
    else if (e->is_float[i])
      tt_env_set_float(&cx->sc.env, e->names[i], e->fvals[i]);
    else
      tt_env_set_int(&cx->sc.env, e->names[i], e->ivals[i]);
  }
}

/* The passes run so far and what they logged; once one fails, the rest
 * are skipped and the status is its error. */
typedef struct script {
  tt_lower_ctx *cx;
  tt_str *log; /* NULL: no log */
  tt_status st;
} script;

static void run(script *sc, const char *name, tt_pass_fn pass, tt_stmt **body) {
  if (sc->st != TT_OK) return;
  sc->st = pass(sc->cx, body);
  if (sc->st != TT_OK || !sc->log) return;
  tt_str_printf(sc->log, "# after %s\n", name);
  if (*body) tt_stmt_print(sc->log, *body, 0);
}

tt_status tt_lower_logged(tt_arena *a, const tt_kernel_def *k, const int64_t *size,
                          const tt_template *t, const tt_sched_config *config, tt_lowered *out,
                          tt_str *log, tt_error *err) {
  tt_lower_ctx cx = {.sc = {.a = a, .k = k, .t = t, .cfg = config, .err = err}};
  script sc = {.cx = &cx, .log = log, .st = TT_OK};
  memset(out, 0, sizeof(*out));
  out->kernel = k;
  out->size = size;
  out->config = config;
  setup_env(&cx, size);
  cx.root = t && t->body ? t->body : k->body;
  tt_stmt *body = (tt_stmt *)cx.root;
  if (t) {
    /* Time tiles first (they name the algorithm's time loop and sweeps and
     * keep every inner loop's label), then in-place loop steps, while compute stages are still
     * stages, so that they only ever name the algorithm's own loops; an unrolled vectorized sum
     * becomes partial sums before the check for unrolls C cannot spell. */
    run(&sc, "time_tile", tt_pass_time_tile, &body);
    run(&sc, "loop_steps", tt_pass_loop_steps, &body);
    run(&sc, "chunk_reductions", tt_pass_chunk_reductions, &body);
    run(&sc, "check_unroll", tt_pass_check_unroll, &body);
  }
  run(&sc, "stages", tt_pass_stages, &body);
  if (sc.st == TT_OK) out->body = body;
  /* The initialisation is never scheduled: its stages run parallel and
   * vectorized by default. */
  cx.sc.t = NULL;
  cx.sc.fast_init = 1;
  cx.root = k->init;
  tt_stmt *init = k->init;
  run(&sc, "init: stages", tt_pass_stages, &init);
  if (sc.st == TT_OK) out->init = init;
  tt_env_free(&cx.sc.env);
  return sc.st;
}

tt_status tt_lower(tt_arena *a, const tt_kernel_def *k, const int64_t *size, const tt_template *t,
                   const tt_sched_config *config, tt_lowered *out, tt_error *err) {
  return tt_lower_logged(a, k, size, t, config, out, NULL, err);
}
