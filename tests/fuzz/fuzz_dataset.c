/* Fuzz target: the recorded-dataset readers behind `tetune replay`
 * (Kernel Tuner cache JSON, T4 results JSON, CSV) and the T1 space file
 * read next to them. Input: DATASET, optionally followed by "\n@@T1@@\n"
 * and a T1 file. A dataset that loads is evaluated on sampled
 * configurations of its space. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "tetune/objective.h"

static char dpath[256], tpath[256];

static void write_file(const char *p, const uint8_t *d, size_t n) {
  FILE *f = fopen(p, "wb");
  if (!f) abort();
  if (n) fwrite(d, 1, n, f);
  fclose(f);
}

/* The files' names, in a private directory of this process. */
static void init_paths(void) {
  char dir[128];
  snprintf(dir, sizeof dir, "%s/tetune-fz-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
           (long)getpid());
  mkdir(dir, 0700);
  snprintf(dpath, sizeof dpath, "%s/d_x.json", dir);
  snprintf(tpath, sizeof tpath, "%s/d.t1.json", dir);
}

/* Evaluates a few sampled configurations of a loaded dataset. */
static void evaluate(const tt_objective *o) {
  const tt_space *s = tt_objective_space(o);
  size_t k = tt_space_num_knobs(s);
  uint32_t *cfg = calloc(k + 1, sizeof *cfg);
  tt_rng rng;
  tt_rng_seed(&rng, 7);
  for (int i = 0; i < 8 && tt_space_sample(s, &rng, cfg) == 0; i++) {
    double v = 0;
    (void)tt_objective_eval(o, cfg, &v);
  }
  size_t nv = 0;
  (void)tt_objective_values(o, &nv);
  (void)tt_objective_optimum(o);
  free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  if (n > TT_FUZZ_MAX_INPUT) return 0;
  if (!dpath[0]) init_paths();
  static const char sep[] = "\n@@T1@@\n";
  const uint8_t *t1 = memmem(data, n, sep, sizeof sep - 1);
  size_t dn = t1 ? (size_t)(t1 - data) : n;
  write_file(dpath, data, dn);
  if (t1) {
    const uint8_t *tb = t1 + sizeof sep - 1;
    write_file(tpath, tb, n - (size_t)(tb - data));
  } else {
    unlink(tpath);
  }
  tt_error err = {0};
  tt_objective *o = tt_objective_load(dpath, NULL, &err);
  if (o) {
    evaluate(o);
    tt_objective_free(o);
  } else {
    assert(strchr(err.msg, '\n') == NULL);
  }
  return 0;
}
