/* The translation units of a T1 problem (t1_problem.h): the kernel file
 * with the configuration's macros defined, plus the measuring ABI
 * (measure.h) around its function. */
#include <stdlib.h>
#include <string.h>

#include "app/t1_problem.h"

/* See t1_problem.h. */
size_t tt_t1_num_vectors(const tt_t1_problem *p, size_t n) {
  size_t nv = 0;
  for (size_t i = 0; i < n; i++)
    nv += p->args[i].vector;
  return nv;
}

/* The ABI's metadata over the vector arguments, and tt_init filling them:
 * constants, or uniform values in [0, 1) from a 64-bit LCG per seed (the
 * same data for every configuration). */
void tt_t1_abi_metadata(tt_str *s, const tt_t1_problem *p, int only_target) {
  size_t nv = tt_t1_num_vectors(p, p->nargs);
  tt_str_printf(s,
                "\n/* ---- tetune's measuring ABI ---- */\nconst int tt_abi_version = 1;\n"
                "const int tt_ntensors = %zu;\nconst char *const tt_tensor_names[] = {",
                nv);
  for (size_t i = 0, k = 0; i < p->nargs; i++)
    if (p->args[i].vector) tt_str_printf(s, "%s\"%s\"", k++ ? ", " : "", p->args[i].name);
  tt_str_append(s, "};\nconst long tt_tensor_elems[] = {");
  for (size_t i = 0, k = 0; i < p->nargs; i++)
    if (p->args[i].vector) tt_str_printf(s, "%s%ld", k++ ? ", " : "", p->args[i].size);
  tt_str_append(s, "};\nconst int tt_tensor_elem_size[] = {");
  for (size_t i = 0, k = 0; i < p->nargs; i++)
    if (p->args[i].vector) tt_str_printf(s, "%s(int)sizeof(%s)", k++ ? ", " : "", p->args[i].ctype);
  tt_str_append(s, "};\n/* Roles: stored output checks only its target, so the others are inputs\n"
                   " * there and left unchecked. */\nconst int tt_tensor_role[] = {");
  for (size_t i = 0, k = 0; i < p->nargs; i++)
    if (p->args[i].vector) {
      int role = only_target && i != p->ref_target && p->args[i].role != TT_ABI_ROLE_IN
                     ? TT_ABI_ROLE_IN
                     : p->args[i].role;
      tt_str_printf(s, "%s%d", k++ ? ", " : "", role);
    }
  tt_str_append(s, "};\n\nvoid tt_init(void **args);\nvoid tt_init(void **args) {\n");
  for (size_t i = 0, k = 0; i < p->nargs; i++) {
    const tt_t1_arg *a = &p->args[i];
    if (!a->vector) continue;
    tt_str_printf(s, "  {\n    %s *x = (%s *)args[%zu];\n    unsigned long long r = %lluULL;\n",
                  a->ctype, a->ctype, k++, (unsigned long long)a->seed);
    tt_str_printf(s, "    for (long i = 0; i < %ldL; i++) {\n", a->size);
    if (a->random)
      tt_str_append(s, "      r = r * 6364136223846793005ULL + 1442695040888963407ULL;\n"
                       "      x[i] = (double)(r >> 11) * 0x1p-53;\n");
    else
      tt_str_printf(s, "      x[i] = %.17g;\n", a->value);
    tt_str_append(s, "    }\n    (void)r;\n  }\n");
  }
  tt_str_append(s, "}\n");
}

/* The call of function fn with the arguments in order: vectors from args,
 * scalars as their FillValue. */
static void call(tt_str *s, const tt_t1_problem *p, const char *fn) {
  tt_str_printf(s, "  %s(", fn);
  for (size_t i = 0, k = 0; i < p->nargs; i++) {
    const tt_t1_arg *a = &p->args[i];
    tt_str_append(s, i ? ", " : "");
    if (a->vector)
      tt_str_printf(s, "(%s *)args[%zu]", a->ctype, k++);
    else
      tt_str_printf(s, "(%s)%.17g", a->ctype, a->value);
  }
  tt_str_append(s, ");\n");
}

/* See t1_problem.h. */
char *tt_t1_variant_source(const tt_t1_problem *p, const uint32_t *cfg) {
  tt_str s = {0};
  char *json = tt_space_config_to_json(p->space, cfg);
  tt_str_printf(&s, "/* T1 problem %s, configuration %s */\n", p->path, json);
  free(json);
  for (size_t k = 0; k < tt_space_num_knobs(p->space); k++) {
    tt_str_printf(&s, "#define %s ", tt_space_knob_name(p->space, k));
    if (tt_space_knob_kind(p->space, k) == TT_KNOB_CATEGORICAL)
      tt_str_printf(&s, "%s\n", tt_space_knob_label(p->space, k, cfg[k]));
    else
      tt_str_printf(&s, "%.17g\n", tt_space_knob_value(p->space, k, cfg[k]));
  }
  tt_str_append(&s, p->source);
  tt_t1_abi_metadata(&s, p, 0);
  tt_str_append(&s, "\nvoid tt_kernel(void **args);\nvoid tt_kernel(void **args) {\n");
  call(&s, p, p->name);
  tt_str_append(&s, "}\n");
  return tt_str_take(&s);
}

/* See t1_problem.h. */
char *tt_t1_reference_source(const tt_t1_problem *p) {
  tt_str s = {0};
  tt_str_printf(&s, "/* T1 problem %s: the reference */\n#include <stdio.h>\n#include <stdlib.h>\n",
                p->path);
  if (p->ref_source) tt_str_append(&s, p->ref_source);
  tt_t1_abi_metadata(&s, p, p->ref_data != NULL);
  tt_str_append(&s, "\nvoid tt_kernel(void **args);\nvoid tt_kernel(void **args) {\n");
  if (p->ref_source) {
    call(&s, p, p->ref_name);
  } else {
    /* The stored output, which must hold exactly the target's elements. */
    const tt_t1_arg *t = &p->args[p->ref_target];
    size_t k = tt_t1_num_vectors(p, p->ref_target);
    tt_str_printf(&s, "  FILE *f = fopen(\"%s\", \"rb\");\n", p->ref_data);
    tt_str_printf(&s,
                  "  if (!f || fread(args[%zu], sizeof(%s), %ldUL, f) != %ldUL || fgetc(f) != EOF) "
                  "{\n    fprintf(stderr, \"%s: not %ld %s values\\n\");\n    exit(3);\n  }\n"
                  "  fclose(f);\n",
                  k, t->ctype, t->size, t->size, p->ref_data, t->size, t->ctype);
  }
  tt_str_append(&s, "}\n");
  return tt_str_take(&s);
}
