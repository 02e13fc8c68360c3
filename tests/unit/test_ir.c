/* Unit tests for the IR core: type inference, printer, simplifier rules,
 * substitution and the constant evaluator (floor semantics, labels). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tetune/ir.h"

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

static tt_expr *I(int64_t v) {
  return tt_ex_int(A, v);
}
static tt_expr *F(double v) {
  return tt_ex_float(A, v);
}
static tt_expr *V(const char *n) {
  return tt_ex_var(A, n);
}
static tt_expr *B(tt_binop op, tt_expr *x, tt_expr *y) {
  return tt_ex_bin(A, op, x, y);
}

/* A float-typed variable (as the resolver would type a scalar). */
static tt_expr *VF(const char *n) {
  tt_expr *e = V(n);
  e->type = TT_DT_F64;
  return e;
}

/* Prints the simplified e. */
static const char *simp(tt_expr *e) {
  return tt_expr_str(A, tt_expr_simplify(A, e));
}

static void test_types(void **state) {
  (void)state;
  assert_int_equal(B(TT_OP_ADD, V("i"), I(1))->type, TT_DT_INT);
  assert_int_equal(B(TT_OP_DIV, V("i"), I(2))->type, TT_DT_F64);
  assert_int_equal(B(TT_OP_FLOORDIV, V("i"), I(2))->type, TT_DT_INT);
  assert_int_equal(B(TT_OP_MUL, V("i"), F(2))->type, TT_DT_F64);
  assert_int_equal(B(TT_OP_LT, V("i"), I(2))->type, TT_DT_BOOL);
  tt_expr *l = tt_ex_load(A, "A", (tt_expr *[]){V("i")}, 1);
  l->type = TT_DT_F32;
  assert_int_equal(B(TT_OP_MUL, l, I(2))->type, TT_DT_F32);
  assert_int_equal(B(TT_OP_DIV, l, I(2))->type, TT_DT_F32);
  assert_int_equal(B(TT_OP_MUL, l, F(2))->type, TT_DT_F64);
  assert_int_equal(tt_ex_call(A, "sqrt", (tt_expr *[]){I(4)}, 1)->type, TT_DT_F64);
  assert_int_equal(tt_ex_un(A, TT_OP_NOT, V("x"))->type, TT_DT_BOOL);
  assert_string_equal(tt_dtype_name(TT_DT_F32), "f32");
  assert_string_equal(tt_dtype_ctype(TT_DT_F64), "double");
  assert_string_equal(tt_role_name(TT_ROLE_TEMP), "temp");
}

static void test_print_expr(void **state) {
  (void)state;
  tt_expr *ld = tt_ex_load(A, "A", (tt_expr *[]){V("i"), V("k")}, 2);
  assert_string_equal(tt_expr_str(A, ld), "A[i, k]");
  assert_string_equal(tt_expr_str(A, tt_ex_min(A, V("a"), V("b"))), "min(a, b)");
  tt_expr *e = B(TT_OP_MUL, B(TT_OP_ADD, V("a"), V("b")), V("c"));
  assert_string_equal(tt_expr_str(A, e), "(a + b) * c");
  e = B(TT_OP_SUB, V("a"), B(TT_OP_SUB, V("b"), V("c")));
  assert_string_equal(tt_expr_str(A, e), "a - (b - c)");
  e = B(TT_OP_ADD, B(TT_OP_ADD, V("a"), V("b")), V("c"));
  assert_string_equal(tt_expr_str(A, e), "a + b + c");
  e = B(TT_OP_MOD, B(TT_OP_FLOORDIV, V("a"), I(2)), I(3));
  assert_string_equal(tt_expr_str(A, e), "a // 2 % 3");
  e = B(TT_OP_OR, B(TT_OP_AND, B(TT_OP_LT, V("a"), I(1)), V("b")), V("c"));
  assert_string_equal(tt_expr_str(A, e), "a < 1 && b || c");
  assert_string_equal(tt_expr_str(A, tt_ex_un(A, TT_OP_NEG, I(-3))), "-(-3)");
  assert_string_equal(tt_expr_str(A, tt_ex_un(A, TT_OP_NEG, B(TT_OP_ADD, V("a"), I(1)))),
                      "-(a + 1)");
  assert_string_equal(tt_expr_str(A, F(1.5)), "1.5");
  assert_string_equal(tt_expr_str(A, F(2)), "2.0");
  assert_string_equal(tt_expr_str(A, F(0.1)), "0.1");
  assert_string_equal(tt_expr_str(A, tt_ex_string(A, "io")), "\"io\"");
  assert_string_equal(tt_expr_str(A, tt_ex_cast(A, TT_DT_F64, V("i"))), "f64(i)");
  assert_string_equal(tt_expr_str(A, tt_ex_select(A, V("c"), I(1), I(2))), "select(c, 1, 2)");
  tt_range r = {"k", I(0), V("NK")};
  e = tt_ex_reduce(A, TT_RED_SUM, &r, 1, B(TT_OP_MUL, ld, V("x")));
  assert_string_equal(tt_expr_str(A, e), "sum(k in 0..NK: A[i, k] * x)");
}

static void test_print_stmt(void **state) {
  (void)state;
  tt_expr *val = B(TT_OP_MUL, tt_ex_load(A, "A", (tt_expr *[]){V("i"), V("j")}, 2), F(2));
  tt_stmt *st = tt_st_store(A, "B", (tt_expr *[]){V("i"), V("j")}, 2, '+', val);
  tt_stmt *inner = tt_st_for(A, "j", I(0), V("i"), tt_st_block(A, (tt_stmt *[]){st}, 1));
  inner->loop_kind = TT_LOOP_VECTORIZED;
  tt_stmt *ifs = tt_st_if(A, B(TT_OP_GT, V("i"), I(0)), inner, tt_st_let(A, TT_DT_F64, "s", F(0)));
  tt_stmt *outer = tt_st_for(A, "i", I(0), V("N"), ifs);
  outer->label = "L";
  outer->step = I(2);
  const char *want = "L: for i in 0..N step 2 {\n"
                     "  if i > 0 {\n"
                     "    for j in 0..i {  # vectorized\n"
                     "      B[i, j] += A[i, j] * 2.0\n"
                     "    }\n"
                     "  } else {\n"
                     "    let s: f64 = 0.0\n"
                     "  }\n"
                     "}\n";
  assert_string_equal(tt_stmt_str(A, outer), want);
  tt_compute c = {.name = "C", .tensor = "C", .naxes = 1, .op = '=', .rhs = V("x")};
  tt_range ax = {"i", I(0), V("N")};
  c.axes = &ax;
  assert_string_equal(tt_stmt_str(A, tt_st_compute(A, &c)), "compute C[i] = x for i in 0..N\n");
  tt_stmt *cl = tt_stmt_clone(A, outer);
  assert_ptr_not_equal(cl, outer);
  assert_ptr_equal(cl->body[0], outer->body[0]);
  tt_stmt_list l = {0};
  tt_stmt_list_push(A, &l, st);
  tt_stmt_list_push(A, &l, NULL);
  tt_stmt_list_push(A, &l, tt_st_assign(A, "s", '*', F(2)));
  tt_stmt *blk = tt_stmt_list_block(A, &l);
  assert_int_equal(blk->nbody, 2);
  assert_string_equal(tt_stmt_str(A, blk), "B[i, j] += A[i, j] * 2.0\ns *= 2.0\n");
}

static void test_simplify_int(void **state) {
  (void)state;
  tt_expr *x = V("x");
  assert_string_equal(simp(B(TT_OP_ADD, I(2), B(TT_OP_MUL, I(3), I(4)))), "14");
  assert_string_equal(simp(B(TT_OP_ADD, x, I(0))), "x");
  assert_string_equal(simp(B(TT_OP_ADD, I(0), x)), "x");
  assert_string_equal(simp(B(TT_OP_SUB, x, I(0))), "x");
  assert_string_equal(simp(B(TT_OP_MUL, x, I(1))), "x");
  assert_string_equal(simp(B(TT_OP_MUL, I(1), x)), "x");
  assert_string_equal(simp(B(TT_OP_MUL, x, I(0))), "0");
  assert_string_equal(simp(B(TT_OP_MUL, I(0), x)), "0");
  assert_string_equal(simp(B(TT_OP_FLOORDIV, x, I(1))), "x");
  assert_string_equal(simp(B(TT_OP_MOD, x, I(1))), "0");
  assert_string_equal(simp(B(TT_OP_FLOORDIV, I(-7), I(2))), "-4");
  assert_string_equal(simp(B(TT_OP_MOD, I(-7), I(2))), "1");
  assert_string_equal(simp(B(TT_OP_MOD, I(7), I(-2))), "-1");
  assert_string_equal(simp(B(TT_OP_FLOORDIV, x, I(0))), "x // 0");
  assert_string_equal(simp(tt_ex_min(A, I(3), I(5))), "3");
  assert_string_equal(simp(tt_ex_max(A, I(3), I(5))), "5");
  assert_string_equal(simp(tt_ex_min(A, x, V("x"))), "x");
  assert_string_equal(simp(B(TT_OP_ADD, B(TT_OP_ADD, x, I(2)), I(3))), "x + 5");
  assert_string_equal(simp(B(TT_OP_ADD, B(TT_OP_ADD, x, I(2)), I(-2))), "x");
  assert_string_equal(simp(B(TT_OP_SUB, B(TT_OP_ADD, x, I(2)), I(5))), "x - 3");
  assert_string_equal(simp(B(TT_OP_SUB, B(TT_OP_ADD, x, I(4)), V("x"))), "4");
  assert_string_equal(simp(B(TT_OP_SUB, B(TT_OP_ADD, x, V("y")), V("x"))), "y");
  assert_string_equal(simp(B(TT_OP_SUB, x, V("x"))), "0");
  assert_string_equal(simp(B(TT_OP_ADD, I(1), x)), "x + 1");
  assert_string_equal(simp(tt_ex_min(A, B(TT_OP_ADD, x, I(4)), B(TT_OP_ADD, x, I(2)))), "x + 2");
  assert_string_equal(simp(B(TT_OP_MUL, B(TT_OP_MUL, x, I(2)), I(3))), "x * 6");
  assert_string_equal(simp(B(TT_OP_DIV, I(1), I(4))), "0.25");
  assert_string_equal(simp(B(TT_OP_LT, I(1), I(4))), "1");
  assert_string_equal(simp(B(TT_OP_AND, I(0), B(TT_OP_LT, x, I(4)))), "0");
  assert_string_equal(simp(B(TT_OP_AND, I(1), B(TT_OP_LT, x, I(4)))), "x < 4");
  assert_string_equal(simp(tt_ex_select(A, I(1), x, V("y"))), "x");
  assert_string_equal(simp(tt_ex_un(A, TT_OP_NEG, I(3))), "-3");
  /* nested: min(x + 1 + 1, x + 2) -> x + 2 */
  tt_expr *n = tt_ex_min(A, B(TT_OP_ADD, B(TT_OP_ADD, x, I(1)), I(1)), B(TT_OP_ADD, x, I(2)));
  assert_string_equal(simp(n), "x + 2");
  /* overflow is not folded */
  assert_string_equal(simp(B(TT_OP_ADD, I(INT64_MAX), I(1))), "9223372036854775807 + 1");
  /* unchanged trees are returned as is */
  tt_expr *same = B(TT_OP_ADD, x, V("y"));
  assert_ptr_equal(tt_expr_simplify(A, same), same);
}

static void test_simplify_float(void **state) {
  (void)state;
  tt_expr *y = VF("y");
  assert_string_equal(simp(B(TT_OP_MUL, F(1.5), F(2))), "3.0");
  assert_string_equal(simp(B(TT_OP_ADD, I(1), F(0.5))), "1.5");
  assert_string_equal(simp(B(TT_OP_MUL, y, F(1))), "y");
  assert_string_equal(simp(B(TT_OP_DIV, y, F(1))), "y");
  assert_string_equal(simp(B(TT_OP_SUB, y, F(0))), "y");
  /* y + 0.0 is not y for y = -0.0 */
  assert_string_equal(simp(B(TT_OP_ADD, y, F(0))), "y + 0.0");
  /* y * 0 is not 0 for NaN or infinities */
  assert_string_equal(simp(B(TT_OP_MUL, y, I(0))), "y * 0");
  assert_string_equal(simp(B(TT_OP_MUL, y, I(1))), "y * 1");
  /* int x * 1.0 changes type: kept */
  assert_string_equal(simp(B(TT_OP_MUL, V("i"), F(1))), "i * 1.0");
  assert_string_equal(simp(tt_ex_max(A, y, VF("y"))), "y");
  assert_string_equal(simp(tt_ex_call(A, "sqrt", (tt_expr *[]){F(4)}, 1)), "2.0");
  assert_string_equal(simp(tt_ex_call(A, "exp", (tt_expr *[]){F(0)}, 1)), "exp(0.0)");
  assert_string_equal(simp(tt_ex_cast(A, TT_DT_F64, I(3))), "3.0");
}

static void test_equal_subst(void **state) {
  (void)state;
  tt_expr *ld = tt_ex_load(A, "A", (tt_expr *[]){V("i"), V("k")}, 2);
  tt_expr *ld2 = tt_ex_load(A, "A", (tt_expr *[]){V("i"), V("k")}, 2);
  assert_true(tt_expr_equal(ld, ld2));
  assert_false(tt_expr_equal(ld, tt_ex_load(A, "A", (tt_expr *[]){V("i"), V("j")}, 2)));
  assert_false(tt_expr_equal(I(1), F(1)));
  tt_range r = {"k", I(0), V("k")};
  tt_expr *red = tt_ex_reduce(A, TT_RED_SUM, &r, 1, B(TT_OP_MUL, ld, V("k")));
  assert_true(tt_expr_uses_var(red, "i"));
  assert_true(tt_expr_uses_var(red, "k")); /* free in the range's bound */
  tt_expr *s = tt_expr_subst(A, red, "k", V("q"));
  assert_string_equal(tt_expr_str(A, s), "sum(k in 0..q: A[i, k] * k)");
  s = tt_expr_subst(A, red, "i", B(TT_OP_ADD, V("io"), I(1)));
  assert_string_equal(tt_expr_str(A, s), "sum(k in 0..k: A[io + 1, k] * k)");
  assert_ptr_equal(tt_expr_subst(A, ld, "z", I(0)), ld);
  int64_t v;
  assert_true(tt_expr_const_int(I(7), &v));
  assert_int_equal(v, 7);
  assert_false(tt_expr_const_int(V("x"), &v));
}

static void test_eval(void **state) {
  (void)state;
  tt_env env = {0};
  tt_error err = {0};
  double out;
  tt_env_set_int(&env, "n", -7);
  tt_env_set_int(&env, "m", 2);
  tt_env_set_float(&env, "f", 0.5);
  tt_env_set_label(&env, "par", "io");
  tt_env_set_label(&env, "par2", "io");
  assert_int_equal(tt_expr_eval(B(TT_OP_FLOORDIV, V("n"), V("m")), &env, &out, &err), 0);
  assert_true(out == -4);
  assert_int_equal(tt_expr_eval(B(TT_OP_MOD, V("n"), V("m")), &env, &out, &err), 0);
  assert_true(out == 1);
  assert_int_equal(tt_expr_eval(B(TT_OP_DIV, V("n"), V("m")), &env, &out, &err), 0);
  assert_true(out == -3.5);
  assert_int_equal(tt_expr_eval(B(TT_OP_MUL, V("f"), V("m")), &env, &out, &err), 0);
  assert_true(out == 1.0);
  assert_int_equal(tt_expr_eval(B(TT_OP_EQ, V("par"), V("io")), &env, &out, &err), 0);
  assert_true(out == 1);
  assert_int_equal(tt_expr_eval(B(TT_OP_EQ, V("par"), V("jo")), &env, &out, &err), 0);
  assert_true(out == 0);
  assert_int_equal(tt_expr_eval(B(TT_OP_NE, tt_ex_string(A, "io"), V("par")), &env, &out, &err), 0);
  assert_true(out == 0);
  assert_int_equal(tt_expr_eval(B(TT_OP_EQ, V("par"), V("par2")), &env, &out, &err), 0);
  assert_true(out == 1);
  assert_int_equal(tt_expr_eval(V("on"), &env, &out, &err), 0);
  assert_true(out == 1);
  /* short circuit: the unbound name is never looked at */
  assert_int_equal(tt_expr_eval(B(TT_OP_AND, I(0), V("nope")), &env, &out, &err), 0);
  assert_int_equal(tt_expr_eval(tt_ex_select(A, I(1), I(3), V("nope")), &env, &out, &err), 0);
  assert_true(out == 3);
  assert_int_equal(tt_expr_eval(V("nope"), &env, &out, &err), -1);
  assert_string_equal(err.msg, "unbound variable 'nope'");
  tt_error_clear(&err);
  assert_int_equal(tt_expr_eval(B(TT_OP_MOD, V("n"), I(0)), &env, &out, &err), -1);
  tt_error_clear(&err);
  assert_int_equal(tt_expr_eval(tt_ex_load(A, "A", (tt_expr *[]){I(0)}, 1), &env, &out, &err), -1);
  assert_string_equal(err.msg, "'A[...]' is not a constant");
  tt_env_set_int(&env, "m", 3); /* rebinding replaces */
  assert_int_equal(env.n, 5);
  tt_expr *bound = tt_expr_bind(A, B(TT_OP_MUL, B(TT_OP_ADD, V("m"), V("k")), I(1)), &env);
  assert_string_equal(tt_expr_str(A, bound), "k + 3");
  bound = tt_expr_bind(A, B(TT_OP_EQ, V("par"), V("io")), &env);
  assert_string_equal(tt_expr_str(A, bound), "\"io\" == io");
  tt_env_free(&env);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_types),          cmocka_unit_test(test_print_expr),
      cmocka_unit_test(test_print_stmt),     cmocka_unit_test(test_simplify_int),
      cmocka_unit_test(test_simplify_float), cmocka_unit_test(test_equal_subst),
      cmocka_unit_test(test_eval),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
