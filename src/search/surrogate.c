/* The surrogate interface (surrogate.h) over the registered adapters
 * (surrogate_impl.h): looks a model up by name, routes each setting to
 * the model that takes it, and turns the adapters' variances into floored
 * standard deviations in one place. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "search/surrogate_impl.h"

struct tt_surrogate {
  const tt_surrogate_ops *ops;
  void *m; /* the adapter's state */
};

/* An unfitted surrogate of the model registered as name; see surrogate.h. */
tt_surrogate *tt_surrogate_new(const char *name, tt_error *err) {
  const tt_surrogate_ops *ops = tt_surrogate_ops_find(name);
  if (!ops) {
    char takes[128] = "";
    size_t len = 0;
    for (size_t i = 0; tt_surrogate_names[i] && len < sizeof takes; i++)
      len += (size_t)snprintf(takes + len, sizeof takes - len, "%s%s", i ? ", " : "",
                              tt_surrogate_names[i]);
    tt_error_set(err, TT_ERR_USAGE, "unknown surrogate '%s' (takes %s)", name ? name : "(null)",
                 takes);
    return NULL;
  }
  tt_surrogate *s = tt_xcalloc(1, sizeof *s);
  s->ops = ops;
  s->m = ops->create();
  return s;
}

/* The registered name of s's model. */
const char *tt_surrogate_model(const tt_surrogate *s) {
  return s->ops->name;
}

/* Frees s and its fit; NULL is a no-op. */
void tt_surrogate_free(tt_surrogate *s) {
  if (!s) return;
  s->ops->destroy(s->m);
  free(s);
}

/* 1 when some registered model takes key. */
static int known_key(const char *key) {
  for (size_t i = 0; tt_surrogate_names[i]; i++)
    if (tt_surrogate_takes(tt_surrogate_ops_find(tt_surrogate_names[i])->settings, key)) return 1;
  return 0;
}

/* Passes the settings s's model takes to it; see surrogate.h. */
int tt_surrogate_configure(tt_surrogate *s, const tt_surrogate_setting *set, size_t n, size_t d,
                           tt_error *err) {
  for (size_t i = 0; i < n; i++)
    if (!known_key(set[i].key)) {
      tt_error_set(err, TT_ERR_USAGE, "surrogate: unknown setting '%s'", set[i].key);
      return -1;
    }
  tt_surrogate_setting *own = tt_xmalloc((n + 1) * sizeof *own);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (tt_surrogate_takes(s->ops->settings, set[i].key)) own[k++] = set[i];
  if (k && s->ops->configure) s->ops->configure(s->m, own, k, d);
  free(own);
  return 0;
}

/* Refits s on (X, y); see surrogate.h. */
void tt_surrogate_fit(tt_surrogate *s, const double *X, const double *y, size_t n, size_t d,
                      tt_rng *rng) {
  s->ops->fit(s->m, X, y, n, d, rng);
}

/* Standard deviations from variances in place, floored at a variance of
 * 1e-12. */
static void to_sd(double *sd, size_t m) {
  for (size_t i = 0; i < m; i++)
    sd[i] = sqrt(sd[i] > 1e-12 ? sd[i] : 1e-12);
}

/* Mean and standard deviation at x (0 +- 1 when unfitted). */
void tt_surrogate_predict(const tt_surrogate *s, const double *x, double *mean, double *sd) {
  tt_surrogate_predict_many(s, x, 1, 0, mean, sd);
}

/* Batch prediction: the adapter's means and variances, the variances
 * floored and turned into deviations. */
void tt_surrogate_predict_many(const tt_surrogate *s, const double *X, size_t m, size_t d,
                               double *mean, double *sd) {
  s->ops->predict_many(s->m, X, m, d, mean, sd);
  to_sd(sd, m);
}

/* Predicts and tracks candidates where the model can; see surrogate.h. */
void tt_surrogate_predict_track(tt_surrogate *s, const double *X, size_t m, size_t d, double *mean,
                                double *sd) {
  if (s->ops->predict_track && s->ops->predict_track(s->m, X, m, d, mean, sd) == 0)
    to_sd(sd, m);
  else
    tt_surrogate_predict_many(s, X, m, d, mean, sd);
}

/* Conditions the model on (x, y); see surrogate.h. */
int tt_surrogate_condition(tt_surrogate *s, const double *x, double y, double *mean, double *sd) {
  size_t m = 0;
  if (!s->ops->condition || s->ops->condition(s->m, x, y, mean, sd, &m) != 0) return -1;
  to_sd(sd, m);
  return 0;
}

/* A joint posterior draw; see surrogate.h. */
int tt_surrogate_sample(const tt_surrogate *s, const double *X, size_t m, size_t d, tt_rng *rng,
                        double *out) {
  return s->ops->sample && m ? s->ops->sample(s->m, X, m, d, rng, out) : -1;
}

/* 1 when s's model can be conditioned; see surrogate.h. */
int tt_surrogate_can_condition(const tt_surrogate *s) {
  return s->ops->condition != NULL;
}
