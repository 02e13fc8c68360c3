/* Unit tests for the .te language: a full gemm kernel with a template, an
 * in-place (LU-like) kernel with a template body, several kernels in one
 * file, and the kernel library (search path, find by name and by path,
 * listing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/lang.h"

static const char GEMM[] =
    "# PolyBench 4.2 gemm: C := alpha*A*B + beta*C\n"
    "#   doc line two\n"
    "kernel gemm(NI, NJ, NK) f64\n"
    "  sizes mini(20, 25, 30) small(60, 70, 80) medium(200, 220, 240)\n"
    "  sizes large(1000, 1100, 1200) extralarge(2000, 2300, 2600)\n"
    "  flops 2*NI*NJ*NK\n"
    "  scalar alpha = 1.5\n"
    "  scalar f32 beta = 1.2\n"
    "  inout C[NI, NJ]\n"
    "  in A[NI, NK], B[NK, NJ] f32\n"
    "  init C[i, j] = ((i*j + 1) % NI) / NI\n"
    "  init A[i, k] = (i*(k + 1) % NK) / NK\n"
    "  init B[k, j] = (k*(j + 2) % NJ) / NJ\n"
    "  compute C[i, j] = beta * C[i, j] + alpha * sum(k: A[i, k] * B[k, j])\n"
    "\n"
    "template tiled\n"
    "  knob ti = split(C.i, [8, 16, 32, 64, 128]) default 32\n"
    "  knob tj = split(C.j, pow2 max 256) default 64\n"
    "  knob tk = split(C.k, divisors)\n"
    "  knob order = permute(io, jo, ko)\n"
    "  knob un = [1, 2, 4, 8] default 4\n"
    "  knob vec = on_off default on\n"
    "  knob par = choice(none, io, jo) default io\n"
    "  constraint ti * tj <= 8192   # a comment\n"
    "  schedule C\n"
    "    split i by ti\n"
    "    split j by tj, 16\n"
    "    split k by tk\n"
    "    reorder order, i, k, j\n"
    "    fuse io, jo\n"
    "    unroll k by un\n"
    "    vectorize j if vec\n"
    "    parallel io if par == io\n"
    "    cache_write at jo\n"
    "    cache_read B at ko\n"
    "\n"
    "template plain\n"
    "  knob t = [4, 8]\n"
    "  schedule C; tile i, j by t, 8 if t > 4\n";

static tt_arena *A;

static int setup(void **state) {
  (void)state;
  A = tt_arena_new();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  tt_arena_free(A);
  return 0;
}

/* Parses text as t.te and returns its only kernel (fails the test on error). */
static tt_kernel_def *parse_one(const char *text) {
  tt_kernel_def **ks;
  size_t n = 0;
  tt_error err = {0};
  tt_status st = tt_lang_parse(A, "t.te", text, &ks, &n, &err);
  if (st != TT_OK) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(st, TT_OK);
  assert_int_equal(n, 1);
  return ks[0];
}

static const char *ex(const tt_expr *e) {
  return tt_expr_str(A, e);
}

static void test_gemm_declarations(void **state) {
  (void)state;
  tt_kernel_def *k = parse_one(GEMM);
  assert_string_equal(k->name, "gemm");
  assert_string_equal(k->file, "t.te");
  assert_int_equal(k->loc.line, 3);
  assert_string_equal(k->doc, "PolyBench 4.2 gemm: C := alpha*A*B + beta*C\n  doc line two");
  assert_int_equal(k->dtype, TT_DT_F64);
  assert_int_equal(k->nparams, 3);
  assert_string_equal(k->params[2], "NK");
  assert_int_equal(k->nsizes, 5);
  assert_int_equal(tt_kernel_size_index(k, "large"), 3);
  assert_int_equal(k->sizes[3].values[1], 1100);
  assert_int_equal(k->sizes[4].values[2], 2600);
  assert_int_equal(tt_kernel_size_index(k, "huge"), -1);
  assert_string_equal(ex(k->flops), "2 * NI * NJ * NK");
  assert_int_equal(k->nscalars, 2);
  assert_int_equal(k->scalars[0].type, TT_DT_F64);
  assert_int_equal(k->scalars[1].type, TT_DT_F32);
  assert_string_equal(ex(k->scalars[1].value), "1.2");
  assert_int_equal(k->ntensors, 3);
  const tt_tensor *c = tt_kernel_tensor(k, "C"), *b = tt_kernel_tensor(k, "B");
  assert_ptr_equal(c, &k->tensors[0]);
  assert_int_equal(c->role, TT_ROLE_INOUT);
  assert_int_equal(k->tensors[1].role, TT_ROLE_IN);
  assert_int_equal(b->type, TT_DT_F32);
  assert_int_equal(k->tensors[1].type, TT_DT_F64);
  assert_int_equal(b->ndim, 2);
  assert_string_equal(ex(b->shape[0]), "NK");
  assert_int_equal(b->loc.line, 10);
  assert_int_equal(b->loc.col, 17);
  assert_null(tt_kernel_tensor(k, "Z"));
}

static void test_gemm_computes(void **state) {
  (void)state;
  tt_kernel_def *k = parse_one(GEMM);
  assert_string_equal(tt_stmt_str(A, k->init),
                      "compute C[i, j] = (i * j + 1) % NI / NI for i in 0..NI, j in 0..NJ\n"
                      "compute A[i, k] = i * (k + 1) % NK / NK for i in 0..NI, k in 0..NK\n"
                      "compute B[k, j] = k * (j + 2) % NJ / NJ for k in 0..NK, j in 0..NJ\n");
  assert_int_equal(k->body->kind, TT_ST_BLOCK);
  assert_int_equal(k->body->nbody, 1);
  const tt_stmt *s = k->body->body[0];
  assert_int_equal(s->kind, TT_ST_COMPUTE);
  assert_int_equal(s->loc.line, 14);
  const tt_compute *c = s->compute;
  assert_string_equal(c->name, "C");
  assert_string_equal(c->tensor, "C");
  assert_int_equal(c->op, '=');
  assert_int_equal(c->naxes, 2);
  assert_string_equal(c->axes[1].var, "j");
  assert_string_equal(ex(c->axes[1].lo), "0");
  assert_string_equal(ex(c->axes[1].hi), "NJ");
  /* the reduction: one axis, range inferred from A[i, k] */
  const tt_expr *r = c->rhs->args[1]->args[1];
  assert_int_equal(r->kind, TT_EX_REDUCE);
  assert_int_equal(r->op, TT_RED_SUM);
  assert_int_equal(r->nranges, 1);
  assert_string_equal(r->ranges[0].var, "k");
  assert_string_equal(ex(r->ranges[0].hi), "NK");
  /* types: A is f64, B is f32, beta is f32, the whole is f64 */
  assert_int_equal(r->args[0]->args[1]->type, TT_DT_F32);
  assert_int_equal(r->type, TT_DT_F64);
  assert_int_equal(c->rhs->args[0]->args[0]->type, TT_DT_F32);
  assert_int_equal(c->rhs->type, TT_DT_F64);
  /* init: / is real division on ints */
  assert_int_equal(k->init->body[0]->compute->rhs->type, TT_DT_F64);
}

static void test_gemm_template(void **state) {
  (void)state;
  tt_kernel_def *k = parse_one(GEMM);
  assert_int_equal(k->ntemplates, 2);
  const tt_template *t = tt_kernel_template(k, "tiled");
  assert_non_null(t);
  assert_null(t->body);
  assert_int_equal(t->nknobs, 7);
  const tt_knob_decl *kd = &t->knobs[0];
  assert_int_equal(kd->kind, TT_KD_SPLIT);
  assert_string_equal(kd->stage, "C");
  assert_string_equal(kd->axis, "i");
  assert_int_equal(kd->gen, TT_GEN_LIST);
  assert_int_equal(kd->nvalues, 5);
  assert_int_equal(kd->values[4], 128);
  assert_true(kd->has_default);
  assert_int_equal(kd->def_int, 32);
  kd = &t->knobs[1];
  assert_int_equal(kd->gen, TT_GEN_POW2);
  assert_int_equal(kd->max, 256);
  kd = &t->knobs[2];
  assert_int_equal(kd->gen, TT_GEN_DIVISORS);
  assert_string_equal(kd->axis, "k");
  assert_false(kd->has_default);
  kd = &t->knobs[3];
  assert_int_equal(kd->kind, TT_KD_PERMUTE);
  assert_int_equal(kd->nlabels, 3);
  assert_string_equal(kd->labels[2], "ko");
  kd = &t->knobs[4];
  assert_int_equal(kd->kind, TT_KD_LIST);
  assert_int_equal(kd->def_int, 4);
  kd = &t->knobs[5];
  assert_int_equal(kd->kind, TT_KD_ON_OFF);
  assert_int_equal(kd->def_int, 1);
  kd = &t->knobs[6];
  assert_int_equal(kd->kind, TT_KD_CHOICE);
  assert_string_equal(kd->labels[0], "none");
  assert_string_equal(kd->def_label, "io");
  assert_int_equal(t->nconstraints, 1);
  assert_string_equal(t->constraints[0].text, "ti * tj <= 8192");
  assert_int_equal(t->constraints[0].expr->op, TT_OP_LE);
  assert_int_equal(t->nsteps, 10);
  static const char *const want[] = {
      "0 C - [i, ti] -",  "0 C - [j, tj, 16] -", "0 C - [k, tk] -", "1 C - [order, i, k, j] -",
      "2 C - [io, jo] -", "3 C - [k, un] -",     "4 C - [j] vec",   "5 C - [io] par == io",
      "6 C - [jo] -",     "7 C B [ko] -",
  };
  for (size_t i = 0; i < t->nsteps; i++) {
    const tt_step *s = &t->steps[i];
    tt_str line;
    tt_str_init(&line);
    tt_str_printf(&line, "%d %s %s [", (int)s->kind, s->stage, s->tensor ? s->tensor : "-");
    for (size_t j = 0; j < s->nargs; j++) {
      tt_str_append(&line, j ? ", " : "");
      tt_expr_print(&line, s->args[j]);
    }
    tt_str_append(&line, "] ");
    if (s->cond)
      tt_expr_print(&line, s->cond);
    else
      tt_str_append(&line, "-");
    assert_string_equal(tt_str_cstr(&line), want[i]);
    tt_str_free(&line);
  }
  assert_int_equal(t->steps[7].loc.line, 33);
  assert_int_equal(t->steps[7].loc.col, 5);
  /* tile = split per loop, then reorder outer loops before inner ones */
  t = tt_kernel_template(k, "plain");
  assert_int_equal(t->nsteps, 3);
  assert_int_equal(t->steps[0].kind, TT_STEP_SPLIT);
  assert_string_equal(ex(t->steps[1].args[1]), "8");
  assert_int_equal(t->steps[2].kind, TT_STEP_REORDER);
  assert_string_equal(ex(t->steps[2].args[0]), "io");
  assert_string_equal(ex(t->steps[2].args[3]), "j");
  assert_string_equal(ex(t->steps[2].cond), "t > 4");
}

static const char LU[] =
    "kernel lu(N)\n"
    "  sizes mini(40) small(120)\n"
    "  flops 2*N*N*N // 3\n"
    "  inout A[N, N]\n"
    "  temp T[N, N]\n"
    "  init {\n"
    "    for i in 0..N {\n"
    "      for j in 0..i + 1 { A[i, j] = f64(-j % N) / N + 1 }\n"
    "      for j in i + 1..N { A[i, j] = 0 }; A[i, i] = 1\n"
    "    }\n"
    "    compute T[r, s] = sum(t: A[r, t] * A[s, t])\n"
    "    compute A[r, s] = T[r, s]\n"
    "  }\n"
    "  for i in 0..N {\n"
    "    for j in 0..i {\n"
    "      let w = A[i, j]\n"
    "      for k in 0..j { w -= A[i, k] * A[k, j] }\n"
    "      A[i, j] = w / A[j, j]\n"
    "    }\n"
    "    row: for j in i..N step 1 {\n"
    "      if j == i { A[i, j] += 0 }\n"
    "      else if j > N { A[i, j] *= 1 }\n"
    "      else {\n"
    "        for k in 0..i { A[i, j] -= A[i, k] * A[k, j] }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "template blocked\n"
    "  knob NB = [16, 32, 64] default 32\n"
    "  knob ti = split(upd.i, pow2 max 64)\n"
    "  constraint NB >= ti\n"
    "  schedule upd\n"
    "    split i by ti\n"
    "    parallel io if NB > 16\n"
    "  schedule loops\n"
    "    unroll kk by 2\n"
    "  body {\n"
    "    kk: for kb in 0..N step NB {\n"
    "      let ke = min(kb + NB, N)\n"
    "      compute upd: A[i, j] -= sum(k in kb..ke: A[i, k] * A[k, j]) for i in ke..N, "
    "j in ke..N\n"
    "    }\n"
    "  }\n";

static void test_inplace_kernel(void **state) {
  (void)state;
  tt_kernel_def *k = parse_one(LU);
  assert_null(k->doc);
  assert_string_equal(ex(k->flops), "2 * N * N * N // 3");
  assert_int_equal(tt_kernel_tensor(k, "T")->role, TT_ROLE_TEMP);
  const char *init =
      "for i in 0..N {\n"
      "  for j in 0..i + 1 {\n"
      "    A[i, j] = f64(-j % N) / N + 1\n"
      "  }\n"
      "  for j in i + 1..N {\n"
      "    A[i, j] = 0\n"
      "  }\n"
      "  A[i, i] = 1\n"
      "}\n"
      "compute T[r, s] = sum(t in 0..N: A[r, t] * A[s, t]) for r in 0..N, s in 0..N\n"
      "compute A[r, s] = T[r, s] for r in 0..N, s in 0..N\n";
  assert_string_equal(tt_stmt_str(A, k->init), init);
  const char *body = "for i in 0..N {\n"
                     "  for j in 0..i {\n"
                     "    let w: f64 = A[i, j]\n"
                     "    for k in 0..j {\n"
                     "      w -= A[i, k] * A[k, j]\n"
                     "    }\n"
                     "    A[i, j] = w / A[j, j]\n"
                     "  }\n"
                     "  row: for j in i..N step 1 {\n"
                     "    if j == i {\n"
                     "      A[i, j] += 0\n"
                     "    } else {\n"
                     "      if j > N {\n"
                     "        A[i, j] *= 1\n"
                     "      } else {\n"
                     "        for k in 0..i {\n"
                     "          A[i, j] -= A[i, k] * A[k, j]\n"
                     "        }\n"
                     "      }\n"
                     "    }\n"
                     "  }\n"
                     "}\n";
  assert_string_equal(tt_stmt_str(A, k->body), body);
  const tt_stmt *row = k->body->body[0]->body[0]->body[1];
  assert_int_equal(row->kind, TT_ST_FOR);
  assert_string_equal(row->label, "row");
  assert_string_equal(row->var, "j");
  assert_int_equal(row->loc.line, 20);
  const tt_template *t = &k->templates[0];
  assert_non_null(t->body);
  assert_string_equal(tt_stmt_str(A, t->body),
                      "kk: for kb in 0..N step NB {\n"
                      "  let ke: int = min(kb + NB, N)\n"
                      "  compute upd: A[i, j] -= sum(k in kb..ke: A[i, k] * A[k, j]) "
                      "for i in ke..N, j in ke..N\n"
                      "}\n");
  assert_string_equal(t->knobs[1].stage, "upd");
  assert_int_equal(t->nsteps, 3);
  assert_string_equal(t->steps[1].stage, "upd");
  assert_string_equal(t->steps[2].stage, "");
  assert_int_equal(t->steps[2].kind, TT_STEP_UNROLL);
}

static void test_several_kernels(void **state) {
  (void)state;
  const char *text = "kernel 3mm(N) f32\n  sizes mini(4)\n  out E[N]\n  E[0] = 1\n"
                     "template a\n  knob x = [1]\n"
                     "# doc of b\nkernel b(N)\n  sizes mini(4)\n  out E[N]\n  E[0] = 1\n";
  tt_kernel_def **ks;
  size_t n = 0;
  tt_error err = {0};
  assert_int_equal(tt_lang_parse(A, "m.te", text, &ks, &n, &err), TT_OK);
  assert_int_equal(n, 2);
  assert_string_equal(ks[0]->name, "3mm");
  assert_int_equal(ks[0]->dtype, TT_DT_F32);
  assert_int_equal(ks[0]->tensors[0].type, TT_DT_F32);
  assert_int_equal(ks[0]->ntemplates, 1);
  assert_int_equal(ks[1]->ntemplates, 0);
  assert_string_equal(ks[1]->doc, "doc of b");
}

/* Writes text to dir/name. */
static void write_file(const char *dir, const char *name, const char *text) {
  char *path = tt_arena_printf(A, "%s/%s", dir, name);
  assert_int_equal(tt_file_write(path, text, strlen(text), NULL), TT_OK);
}

static void test_library(void **state) {
  (void)state;
  tt_error err = {0};
  char *dir = tt_mkdtemp("tt-lang", &err);
  assert_non_null(dir);
  write_file(dir, "zeta.te",
             "kernel zeta(N)\n  sizes mini(4)\n  out E[N]\n  E[0] = 1\n"
             "kernel alpha2(N)\n  sizes mini(4)\n  out E[N]\n  E[0] = 2\n");
  write_file(dir, "beta.te", "kernel beta(N)\n  sizes mini(4)\n  out E[N]\n  E[0] = 1\n");
  setenv("TETUNE_KERNEL_PATH", dir, 1);
  const char **dirs;
  size_t nd = tt_lang_kernel_dirs(&dirs);
  assert_true(nd >= 2);
  assert_string_equal(dirs[0], dir);
  tt_kernel_def *k = NULL;
  assert_int_equal(tt_lang_find_kernel(A, "zeta", &k, &err), TT_OK);
  assert_string_equal(k->name, "zeta");
  assert_int_equal(tt_lang_find_kernel(A, "alpha2", &k, &err), TT_OK);
  assert_string_equal(k->name, "alpha2");
  char *path = tt_arena_printf(A, "%s/zeta.te", dir);
  assert_int_equal(tt_lang_find_kernel(A, path, &k, &err), TT_OK);
  assert_string_equal(k->name, "zeta");
  assert_int_equal(tt_lang_find_kernel(A, tt_arena_printf(A, "%s:alpha2", path), &k, &err), TT_OK);
  assert_string_equal(k->name, "alpha2");
  assert_int_equal(tt_lang_find_kernel(A, "nope", &k, &err), TT_ERR_USAGE);
  assert_string_equal(err.msg, "unknown kernel 'nope' (see tetune list)");
  tt_error_clear(&err);
  assert_int_equal(tt_lang_find_kernel(A, tt_arena_printf(A, "%s:nope", path), &k, &err),
                   TT_ERR_USAGE);
  assert_string_equal(err.msg, tt_arena_printf(A, "no kernel 'nope' in %s", path));
  tt_error_clear(&err);
  assert_int_equal(tt_lang_find_kernel(A, "/no/such.te", &k, &err), TT_ERR_USAGE);
  tt_error_clear(&err);
  tt_kernel_def **ks;
  size_t n = 0;
  assert_int_equal(tt_lang_list_kernels(A, &ks, &n, &err), TT_OK);
  assert_true(n >= 3);
  for (size_t i = 1; i < n; i++)
    assert_true(strcmp(ks[i - 1]->name, ks[i]->name) < 0);
  /* a broken file is reported when listing, with its location */
  write_file(dir, "bad.te", "kernel bad(N)\n  sizes mini(4)\n  out E[N]\n  E[0] = Q\n");
  assert_int_equal(tt_lang_list_kernels(A, &ks, &n, &err), TT_ERR_USAGE);
  assert_non_null(strstr(err.msg, "bad.te:4:10: unknown variable 'Q'"));
  unsetenv("TETUNE_KERNEL_PATH");
  tt_rmtree(dir);
  free(dir);
}

/* A floating literal takes the f32 type of the values it meets; next to an
 * f64 value it stays f64. */
static void test_f32_literals(void **state) {
  (void)state;
  static const char text[] = "kernel k(N) f32\n  sizes mini(4)\n  in A[N], D[N] f64\n"
                             "  out B[N], E[N] f64\n"
                             "  compute B[i] = sqrt(A[i]) * 0.5 + -1.5\n"
                             "  compute E[i] = D[i] * 0.5 + A[i]\n";
  tt_kernel_def **ks;
  size_t n;
  tt_error err = {0};
  assert_int_equal(tt_lang_parse(A, "t.te", text, &ks, &n, &err), TT_OK);
  const tt_expr *b = ks[0]->body->body[0]->compute->rhs; /* sqrt(A[i]) * 0.5 + -1.5 */
  assert_int_equal(b->type, TT_DT_F32);
  assert_int_equal(b->args[1]->type, TT_DT_F32);          /* -1.5 */
  assert_int_equal(b->args[0]->args[1]->type, TT_DT_F32); /* 0.5 */
  assert_int_equal(b->args[0]->args[0]->type, TT_DT_F32); /* sqrt of f32 is f32 */
  const tt_expr *e = ks[0]->body->body[1]->compute->rhs;  /* D[i] * 0.5 + A[i] */
  assert_int_equal(e->type, TT_DT_F64);
  assert_int_equal(e->args[0]->args[1]->type, TT_DT_F64);
}

/* PolyBench's names with '-' are kernel names. */
static void test_dashed_names(void **state) {
  (void)state;
  static const char text[] = "kernel floyd-warshall(N)\n  sizes mini(4)\n  out B[N]\n  B[0] = 1\n"
                             "kernel heat-3d(N)\n  sizes mini(4)\n  out B[N]\n  B[0] = 1\n";
  tt_kernel_def **ks;
  size_t n;
  tt_error err = {0};
  assert_int_equal(tt_lang_parse(A, "t.te", text, &ks, &n, &err), TT_OK);
  assert_int_equal(n, 2);
  assert_string_equal(ks[0]->name, "floyd-warshall");
  assert_string_equal(ks[1]->name, "heat-3d");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dashed_names),      cmocka_unit_test(test_f32_literals),
      cmocka_unit_test(test_gemm_declarations), cmocka_unit_test(test_gemm_computes),
      cmocka_unit_test(test_gemm_template),     cmocka_unit_test(test_inplace_kernel),
      cmocka_unit_test(test_several_kernels),   cmocka_unit_test(test_library),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
