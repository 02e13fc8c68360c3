/* Reading a T1 problem and writing its translation units (t1_problem.h). */
#include "app/t1_problem.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tetune/objective.h"

/* The directory of path with a trailing '/', or "" (caller frees). */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path + 1) : 0;
  char *d = tt_xmalloc(n + 1);
  memcpy(d, path, n);
  d[n] = '\0';
  return d;
}

/* A file named in the T1 file, relative to it: its text (or, with
 * path_only, its absolute path). */
static char *read_relative(const tt_t1_problem *p, const char *name, int path_only, tt_error *err) {
  char *dir = dir_of(p->path), *rel = tt_xmalloc(strlen(dir) + strlen(name) + 2);
  sprintf(rel, "%s%s", name[0] == '/' ? "" : dir, name);
  char *out = NULL;
  if (path_only) {
    out = realpath(rel, NULL);
    if (!out) tt_error_set(err, TT_ERR_USAGE, "%s: cannot find %s", p->path, rel);
  } else {
    out = tt_file_read(rel, NULL, NULL);
    if (!out) tt_error_set(err, TT_ERR_USAGE, "%s: cannot read %s", p->path, rel);
  }
  free(dir);
  free(rel);
  return out;
}

/* A required string member. */
static const char *need_str(const tt_t1_problem *p, const cJSON *o, const char *key,
                            tt_error *err) {
  const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
  if (!v || !*v) tt_error_set(err, TT_ERR_USAGE, "%s: KernelSpecification needs %s", p->path, key);
  return v;
}

/* The C type of a T1 argument type, and whether vectors may have it. */
static const char *ctype_of(const char *t, int *vector_ok) {
  static const struct {
    const char *t1, *c;
    int vec;
  } map[] = {{"double", "double", 1},
             {"float", "float", 1},
             {"int32", "int", 0},
             {"int64", "long", 0},
             {"uint32", "unsigned", 0}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (t && strcmp(t, map[i].t1) == 0) {
      *vector_ok = map[i].vec;
      return map[i].c;
    }
  return NULL;
}

/* Reads argument j into a. */
static tt_status read_arg(const tt_t1_problem *p, const cJSON *j, tt_t1_arg *a, tt_error *err) {
  const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(j, "Name"));
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(j, "Type"));
  const char *mem = cJSON_GetStringValue(cJSON_GetObjectItem(j, "MemoryType"));
  const char *access = cJSON_GetStringValue(cJSON_GetObjectItem(j, "AccessType"));
  const char *fill = cJSON_GetStringValue(cJSON_GetObjectItem(j, "FillType"));
  const cJSON *size = cJSON_GetObjectItem(j, "Size"), *value = cJSON_GetObjectItem(j, "FillValue");
  const cJSON *seed = cJSON_GetObjectItem(j, "RandomSeed");
  int vector_ok = 0;
  const char *ctype = ctype_of(type, &vector_ok);
  if (!name || !ctype || !mem)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s: an argument needs a Name, a Type (double, float, int32, int64, "
                        "uint32) and a MemoryType",
                        p->path);
  a->name = tt_xstrdup(name);
  a->ctype = tt_xstrdup(ctype);
  a->vector = strcmp(mem, "Vector") == 0;
  a->value = cJSON_IsNumber(value) ? value->valuedouble : 0;
  a->seed = cJSON_IsNumber(seed) ? (unsigned long)seed->valuedouble : 1;
  if (!a->vector && strcmp(mem, "Scalar") == 0) {
    if (!cJSON_IsNumber(value))
      return tt_error_set(err, TT_ERR_USAGE, "%s: scalar argument %s needs a FillValue", p->path,
                          name);
    return TT_OK;
  }
  if (!a->vector || !vector_ok)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s: argument %s: only Scalar arguments and Vector ones of float or double",
                        p->path, name);
  if (!cJSON_IsNumber(size) || size->valuedouble < 1 || size->valuedouble > 1e9)
    return tt_error_set(err, TT_ERR_USAGE, "%s: vector %s needs a Size from 1 to 1e9", p->path,
                        name);
  a->size = (long)size->valuedouble;
  a->role = !access || strcmp(access, "ReadOnly") == 0 ? TT_ABI_ROLE_IN
            : strcmp(access, "WriteOnly") == 0         ? TT_ABI_ROLE_OUT
            : strcmp(access, "ReadWrite") == 0         ? TT_ABI_ROLE_INOUT
                                                       : -1;
  if (a->role < 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s: argument %s: AccessType '%s'", p->path, name,
                        access);
  a->random = fill && strcmp(fill, "Random") == 0;
  if (fill && !a->random && strcmp(fill, "Constant") != 0)
    return tt_error_set(err, TT_ERR_USAGE, "%s: argument %s: FillType must be Constant or Random",
                        p->path, name);
  return TT_OK;
}

/* Reads the validation: ReferenceKernel or a BinaryRaw reference output. */
static tt_status read_reference(tt_t1_problem *p, const cJSON *spec, tt_error *err) {
  const cJSON *refs = cJSON_GetObjectItem(spec, "ReferenceArguments");
  const cJSON *r = cJSON_IsArray(refs) ? refs->child : NULL;
  const cJSON *rk = cJSON_GetObjectItem(spec, "ReferenceKernel");
  const char *target = r ? cJSON_GetStringValue(cJSON_GetObjectItem(r, "TargetName")) : NULL;
  const char *fill = r ? cJSON_GetStringValue(cJSON_GetObjectItem(r, "FillType")) : NULL;
  const cJSON *thr = r ? cJSON_GetObjectItem(r, "ValidationThreshold") : NULL;
  if (!target)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s: no ReferenceArguments with a TargetName: nothing to validate against",
                        p->path);
  p->ref_target = p->nargs;
  for (size_t i = 0; i < p->nargs; i++)
    if (p->args[i].vector && p->args[i].role != TT_ABI_ROLE_IN && !strcmp(p->args[i].name, target))
      p->ref_target = i;
  if (p->ref_target == p->nargs)
    return tt_error_set(err, TT_ERR_USAGE, "%s: reference target %s is not an output argument",
                        p->path, target);
  p->tolerance = cJSON_IsNumber(thr) && thr->valuedouble > 0 ? thr->valuedouble : 0;
  if (fill && strcmp(fill, "BinaryRaw") == 0) {
    const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(r, "DataSource"));
    if (!src)
      return tt_error_set(err, TT_ERR_USAGE, "%s: a BinaryRaw reference needs a DataSource",
                          p->path);
    p->ref_data = read_relative(p, src, 1, err);
    return p->ref_data ? TT_OK : TT_ERR_USAGE;
  }
  const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(rk, "KernelFile"));
  const char *fn = cJSON_GetStringValue(cJSON_GetObjectItem(rk, "KernelName"));
  if (!file || !fn)
    return tt_error_set(err, TT_ERR_USAGE,
                        "%s: validation needs ReferenceKernel {KernelFile, KernelName} or a "
                        "BinaryRaw ReferenceArguments DataSource",
                        p->path);
  p->ref_name = tt_xstrdup(fn);
  p->ref_source = read_relative(p, file, 0, err);
  return p->ref_source ? TT_OK : TT_ERR_USAGE;
}

/* CompilerOptions, then what a shared object needs. */
static void read_flags(tt_t1_problem *p, const cJSON *spec) {
  const cJSON *opts = cJSON_GetObjectItem(spec, "CompilerOptions");
  size_t n = 0, cap = (size_t)cJSON_GetArraySize(opts) + 3;
  p->flags = tt_xcalloc(cap, sizeof *p->flags);
  for (const cJSON *o = cJSON_IsArray(opts) ? opts->child : NULL; o; o = o->next)
    if (cJSON_GetStringValue(o)) p->flags[n++] = tt_xstrdup(o->valuestring);
  p->flags[n++] = tt_xstrdup("-fPIC");
  p->flags[n++] = tt_xstrdup("-shared");
}

/* Reads the budget (ConfigurationCount), when given. */
static void read_budget(tt_t1_problem *p, const cJSON *root) {
  const cJSON *b = cJSON_GetObjectItem(root, "Budget");
  for (const cJSON *e = cJSON_IsArray(b) ? b->child : NULL; e; e = e->next) {
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(e, "Type"));
    const cJSON *v = cJSON_GetObjectItem(e, "BudgetValue");
    if (type && !strcmp(type, "ConfigurationCount") && cJSON_IsNumber(v) && v->valuedouble >= 1)
      p->budget = (long)fmin(v->valuedouble, 1e6);
  }
}

/* See t1_problem.h. */
tt_status tt_t1_problem_load(tt_t1_problem *p, const char *path, tt_error *err) {
  memset(p, 0, sizeof *p);
  p->path = tt_xstrdup(path);
  char *text = tt_file_read(path, NULL, err);
  cJSON *root = text ? cJSON_Parse(text) : NULL;
  const cJSON *spec = cJSON_GetObjectItem(root, "KernelSpecification");
  const cJSON *args = cJSON_GetObjectItem(spec, "Arguments");
  const char *lang = NULL, *name = NULL, *file = NULL;
  tt_status st = TT_OK;
  if (!text)
    st = err ? err->status : TT_ERR_IO;
  else if (!root)
    st = tt_error_set(err, TT_ERR_USAGE, "%s: not valid JSON", path);
  else if (!cJSON_IsObject(spec))
    st = tt_error_set(err, TT_ERR_USAGE, "%s: not a T1 file (no KernelSpecification)", path);
  else if (!(lang = need_str(p, spec, "Language", err)) ||
           !(name = need_str(p, spec, "KernelName", err)) ||
           !(file = need_str(p, spec, "KernelFile", err)))
    st = TT_ERR_USAGE;
  else if (strcmp(lang, "C") != 0 && strcmp(lang, "OpenCL") != 0)
    st = tt_error_set(err, TT_ERR_USAGE,
                      "%s: Language %s: tetune tunes C (OpenMP) and OpenCL kernels", path, lang);
  else if (!cJSON_IsArray(args) || !args->child)
    st = tt_error_set(err, TT_ERR_USAGE, "%s: KernelSpecification needs Arguments", path);
  if (st == TT_OK) {
    p->name = tt_xstrdup(name);
    p->nargs = (size_t)cJSON_GetArraySize(args);
    p->args = tt_xcalloc(p->nargs, sizeof *p->args);
    size_t i = 0;
    for (const cJSON *a = args->child; a && st == TT_OK; a = a->next)
      st = read_arg(p, a, &p->args[i++], err);
  }
  if (st == TT_OK && !(p->source = read_relative(p, file, 0, err))) st = TT_ERR_USAGE;
  if (st == TT_OK) st = read_reference(p, spec, err);
  if (st == TT_OK && !(p->space = tt_t1_space(path, err))) st = TT_ERR_USAGE;
  if (st == TT_OK) {
    p->opencl = strcmp(lang, "OpenCL") == 0;
    if (p->opencl)
      st = tt_t1_opencl_load(p, spec, err);
    else
      read_flags(p, spec);
    read_budget(p, root);
  }
  cJSON_Delete(root);
  free(text);
  return st;
}

void tt_t1_problem_free(tt_t1_problem *p) {
  for (size_t i = 0; i < p->nargs; i++) {
    free(p->args[i].name);
    free(p->args[i].ctype);
  }
  for (size_t i = 0; p->flags && p->flags[i]; i++)
    free(p->flags[i]);
  free(p->flags);
  free(p->args);
  free(p->path);
  free(p->name);
  free(p->source);
  free(p->ref_name);
  free(p->ref_source);
  free(p->ref_data);
  free(p->cl_options);
  for (size_t i = 0; i < 6; i++)
    free(p->size_expr[i]);
  tt_space_free(p->space);
  memset(p, 0, sizeof *p);
}
