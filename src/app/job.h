/* Internal to src/app: a tuning job — one kernel at one problem size with
 * one template — joining the compiler (lang, schedule, codegen), the search
 * space and the measure layer. Every command that builds variants uses it. */
#ifndef TT_APP_JOB_H
#define TT_APP_JOB_H

#include "tetune/codegen.h"
#include "tetune/lang.h"
#include "tetune/lower.h"
#include "tetune/measure.h"
#include "tetune/schedule.h"
#include "tetune/space.h"
#include "tetune/target.h"

typedef struct tt_job {
  tt_arena *arena;
  tt_kernel_def *kernel;
  const tt_template *tmpl; /* NULL when the kernel has no template */
  const tt_target *target; /* what variants are generated for (the reference is always C) */
  const char *size_name;
  int64_t *size;
  tt_knob_values *knobs;
  size_t nknobs;
  tt_space *space;    /* one knob per template knob, same order */
  uint32_t *defaults; /* the template's default configuration */
  tt_measure_options mopt;
  char *ref_path; /* reference output file, after tt_job_reference */
  double ref_time_s;
  char *fingerprint; /* NULL: this machine's (tt_machine_fingerprint); else the
                        machine of the workers that measure (tetune-mpi) */
} tt_job;

/* Opens kernel `kernel` (name or path) at size `size` (NULL: "medium" when
 * the kernel has it, else its first size) with template `tmpl` (NULL: the
 * first). Errors are TT_ERR_USAGE one-liners. */
tt_status tt_job_open(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                      tt_error *err);
/* tt_job_open for target t (NULL: C): the default template is the first
 * one t can lower; a named template t cannot lower is a one-line
 * TT_ERR_USAGE naming the step. */
tt_status tt_job_open_target(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                             const tt_target *t, tt_error *err);
void tt_job_close(tt_job *j);

size_t tt_job_nknobs(const tt_job *j);
/* Parses a JSON configuration ("default" or NULL = the defaults; knobs left
 * out take their defaults). */
tt_status tt_job_parse_config(tt_job *j, const char *json, uint32_t *cfg, tt_error *err);
/* The knob values of cfg for the lowering. */
void tt_job_sched_config(tt_job *j, const uint32_t *cfg, tt_sched_config *out);
/* Generated source for cfg (NULL: the naive reference). opts->abi etc. as
 * given; config comment filled in. Caller frees *src. */
tt_status tt_job_source(tt_job *j, const uint32_t *cfg, int abi, int standalone, char **src,
                        tt_error *err);
/* The standalone export of cfg: the translation unit (exported functions
 * tt_<kernel>_init and tt_<kernel>, no loader ABI) and its header, from one
 * lowering. Caller frees both. */
tt_status tt_job_export_sources(tt_job *j, const uint32_t *cfg, char **c_src, char **h_src,
                                tt_error *err);
/* Compiles and runs the reference once (cached). */
tt_status tt_job_reference(tt_job *j, tt_error *err);
/* Builds, validates and times cfg. Configurations that break a constraint
 * or that the schedule rejects are outcome `invalid` with the reason. */
tt_status tt_job_measure(tt_job *j, const uint32_t *cfg, tt_measure_result *res, tt_error *err);
/* Floating-point operations of one kernel call (0 when unknown). */
double tt_job_flops(const tt_job *j);

#endif
