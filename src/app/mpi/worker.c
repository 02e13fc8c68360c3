/* A worker rank of tetune-mpi (worker.h). */
#include "app/mpi/worker.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/job.h"
#include "app/mpi/mailbox.h"
#include "app/mpi/wire.h"
#include "app/tune_args.h"
#include "tetune/kernel_tune.h"

/* The logical CPUs this process may run on, as "0-1,4" (buf, len bytes). */
static void cores_of_self(char *buf, size_t len) {
  cpu_set_t set;
  buf[0] = 0;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return;
  size_t used = 0;
  for (int c = 0; c < CPU_SETSIZE && used + 16 < len; c++) {
    if (!CPU_ISSET(c, &set) || (c > 0 && CPU_ISSET(c - 1, &set))) continue;
    int e = c;
    while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, &set))
      e++;
    used +=
        (size_t)snprintf(buf + used, len - used, e > c ? "%s%d-%d" : "%s%d", used ? "," : "", c, e);
  }
}

/* A string member of o, or NULL. */
static const char *str_of(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number member of o, or dflt. */
static double num_of(const cJSON *o, const char *name, double dflt) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* Opens the job a TASK describes and measures its reference; checks that
 * the worker measures under the settings rank 0 keys reuse on. */
static tt_status open_task(tt_job *j, const char *task, tt_error *err) {
  cJSON *o = cJSON_Parse(task);
  if (!o) return tt_error_set(err, TT_ERR_INTERNAL, "TASK is not JSON");
  const char *tname = str_of(o, "target");
  const tt_target *t = tt_target_find(tname ? tname : "c");
  char why[300] = "";
  if (!t || !tt_target_usable(t, why, sizeof why)) {
    tt_error_set(err, TT_ERR_ENV, "target %s cannot run here: %s", tname ? tname : "c",
                 t ? why : "unknown target");
    cJSON_Delete(o);
    return TT_ERR_ENV;
  }
  tt_status st = tt_tune_open_job(j, str_of(o, "kernel"), str_of(o, "size"), str_of(o, "template"),
                                  t, (long)num_of(o, "threads", 0), num_of(o, "timeout_s", 0), err);
  if (st == TT_OK) st = tt_job_set_compiler(j, str_of(o, "cc"), str_of(o, "cflags"), err);
  char settings[TT_JOB_SETTINGS_LEN];
  tt_job_settings(j, settings, sizeof settings);
  const char *want = str_of(o, "settings");
  if (st == TT_OK && want && strcmp(want, settings) != 0)
    st = tt_error_set(err, TT_ERR_ENV, "measures under '%s', rank 0 under '%s'", settings, want);
  if (st == TT_OK) st = tt_job_reference(j, err);
  cJSON_Delete(o);
  return st;
}

/* The READY answer: the worker's machine, or why it cannot work. */
static char *ready_json(tt_job *j, tt_status st, const tt_error *err) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ok", st == TT_OK);
  if (st != TT_OK) {
    cJSON_AddStringToObject(o, "message", err->msg);
    cJSON_AddNumberToObject(o, "status", st);
  } else {
    char *fp = tt_target_fingerprint(j->target, &j->mopt, NULL), cores[64];
    cores_of_self(cores, sizeof cores);
    cJSON_AddStringToObject(o, "fingerprint", fp);
    cJSON_AddNumberToObject(o, "reference_s", j->ref_time_s);
    cJSON_AddStringToObject(o, "cores", cores);
    free(fp);
  }
  cJSON_AddStringToObject(o, "host", tt_mpi_host());
  cJSON_AddNumberToObject(o, "pid", (double)getpid());
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}

/* Adds name: x to o unless x is NaN (JSON has no NaN). */
static void add_num(cJSON *o, const char *name, double x) {
  if (!isnan(x)) cJSON_AddNumberToObject(o, name, x);
}

/* Measures the configuration of one EVAL and returns the RESULT. */
static char *evaluate(tt_job *j, const char *eval) {
  cJSON *in = cJSON_Parse(eval), *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", num_of(in, "id", 0));
  uint32_t *cfg = tt_xcalloc(tt_job_nknobs(j) + 1, sizeof(uint32_t));
  tt_measure_result m;
  memset(&m, 0, sizeof m);
  tt_error e = {0};
  double t0 = tt_wall_now();
  tt_status st = tt_job_parse_config(j, str_of(in, "config"), cfg, &e);
  if (st == TT_OK) st = tt_job_measure(j, cfg, &m, &e);
  double t1 = tt_wall_now();
  if (st != TT_OK) { /* the worker's environment failed, not the configuration */
    cJSON_AddBoolToObject(o, "env_error", 1);
    cJSON_AddStringToObject(o, "message", e.msg);
  } else {
    int ok = m.outcome == TT_OUTCOME_OK;
    cJSON_AddStringToObject(o, "outcome", tt_outcome_name(m.outcome));
    add_num(o, "value", ok ? m.time_median_s : NAN);
    add_num(o, "time_min_s", ok ? m.time_min_s : NAN);
    add_num(o, "spread", ok ? m.spread : NAN);
    add_num(o, "max_rel_err", m.max_rel_err >= 0 ? m.max_rel_err : NAN);
    cJSON_AddNumberToObject(o, "repeats", m.repeats);
    cJSON_AddNumberToObject(o, "compile_s", m.compile_s);
    cJSON_AddNumberToObject(o, "compile_start", t0);
    cJSON_AddNumberToObject(o, "compile_end", t0 + m.compile_s);
    cJSON_AddNumberToObject(o, "measure_start", t0 + m.compile_s);
    cJSON_AddNumberToObject(o, "measure_end", t1);
    cJSON_AddStringToObject(o, "message", m.message);
  }
  char cores[64];
  cores_of_self(cores, sizeof cores);
  cJSON_AddStringToObject(o, "cores", cores);
  free(cfg);
  cJSON_Delete(in);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}

/* Serves EVALs until STOP. */
static void serve(tt_job *j, tt_mailbox *m) {
  char *msg;
  while ((msg = tt_mailbox_wait(m, 0)) != NULL) {
    m->cancel = 0;
    char *res = evaluate(j, msg);
    free(msg);
    tt_mpi_send(0, TT_MPI_RESULT, res);
    free(res);
  }
}

static volatile sig_atomic_t *signal_cancel;

/* SIGINT/SIGTERM (mpirun forwards a Ctrl-C as SIGTERM to every rank):
 * kill the variant in flight, then wait for rank 0's STOP, so that rank 0
 * ends the session as interrupted instead of mpirun aborting the job
 * because a worker died. */
static void on_signal(int sig) {
  (void)sig;
  if (signal_cancel) *signal_cancel = 1;
}

/* Installs on_signal for SIGINT and SIGTERM. */
static void catch_signals(tt_mailbox *m) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  signal_cancel = &m->cancel;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* See worker.h. */
int tt_mpi_worker_main(void) {
  tt_mailbox m;
  memset(&m, 0, sizeof m);
  pthread_t th;
  if (tt_mailbox_start(&m, &th) != 0) {
    fprintf(stderr, "tetune-mpi: rank worker: cannot start its thread\n");
    return 0;
  }
  catch_signals(&m);
  char *task = tt_mailbox_wait(&m, 1);
  if (task) {
    tt_job j;
    memset(&j, 0, sizeof j);
    tt_error err = {0};
    tt_status st = open_task(&j, task, &err);
    j.mopt.cancel = &m.cancel;
    char *ready = ready_json(&j, st, &err);
    tt_mpi_send(0, TT_MPI_READY, ready);
    free(ready);
    if (st == TT_OK) serve(&j, &m);
    tt_job_close(&j);
    free(task);
  }
  tt_mailbox_wait_stop(&m);
  int finalize = m.finalize;
  if (m.orphaned)
    fprintf(stderr, "tetune-mpi: rank 0 went silent; worker %s exits\n", tt_mpi_host());
  tt_mailbox_stop(&m, th);
  return finalize;
}
