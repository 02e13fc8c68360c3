/* Every diagnostic of the .te lexer, parser and checker, each triggered by
 * a small kernel and compared with the exact message (file:line:col). A
 * new diagnostic in src/lang gets a row here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tetune/lang.h"

/* A valid kernel header: lines 1-4; the line after it is line 5. */
#define HDR "kernel k(N)\n  sizes mini(4)\n  in A[N, N]\n  out B[N, N]\n"
/* A valid kernel (lines 1-5); templates start on line 6. */
#define KER HDR "  compute B[i, j] = sum(q: A[i, q] * A[q, j])\n"
#define T6 "template t\n"

typedef struct err_case {
  const char *text;
  const char *msg; /* expected, without the "t.te:" prefix */
} err_case;

static const err_case CASES[] = {
    /* lexer */
    {HDR "  B[0, 0] = 1 @ 2\n", "5:15: unknown character '@'"},
    {HDR "  B[0, 0] = 1.5x\n", "5:13: bad number '1.5x'"},
    {HDR "  B[0, 0] = 3mm\n", "5:13: bad number '3mm'"},
    {HDR "  B[0, 0] = 99999999999999999999\n",
     "5:13: bad number '99999999999999999999' (too large)"},
    /* the earlier syntax error wins over a later lexical one */
    {HDR "  B[0 0] = 1 @\n", "5:7: expected ']' but found '0'"},
    /* file and kernel structure */
    {"", "1:1: expected 'kernel' but found end of file"},
    {"# only a comment\n\n", "3:1: expected 'kernel' but found end of file"},
    {"foo\n", "1:1: expected 'kernel' but found 'foo'"},
    {"kernel (N)\n", "1:8: expected a kernel name but found '('"},
    {"kernel k(N, 3)\n", "1:13: expected a size parameter but found '3'"},
    {"kernel k(N) f16\n", "1:13: expected end of line but found 'f16'"},
    {"kernel k(N, N)\n  sizes mini(4, 4)\n  out B[N]\n  B[0] = 1\n",
     "1:13: duplicate parameter 'N'"},
    {"kernel k(N)\n  out B[N]\n  B[0] = 1\n", "1:8: kernel 'k' has no sizes"},
    {"kernel k(N)\n  sizes mini(4)\n  out B[N]\n", "1:8: kernel 'k' has no body"},
    {KER "kernel k(N)\n  sizes mini(4)\n  out B[N]\n  B[0] = 1\n", "6:8: duplicate kernel 'k'"},
    /* sizes */
    {"kernel k(N)\n  sizes mini(4) mini(5)\n  out B[N]\n  B[0] = 1\n",
     "2:17: duplicate size 'mini'"},
    {"kernel k(N)\n  sizes mini(0)\n  out B[N]\n  B[0] = 1\n",
     "2:14: size values must be positive"},
    {"kernel k(N)\n  sizes mini(-3)\n  out B[N]\n  B[0] = 1\n",
     "2:14: size values must be positive"},
    {"kernel k(N, M)\n  sizes mini(4)\n  out B[N]\n  B[0] = 1\n",
     "2:9: size 'mini' has 1 value but kernel 'k' has 2 parameters"},
    {"kernel k(N)\n  sizes mini(x)\n", "2:14: expected an integer but found 'x'"},
    {"kernel k(N)\n  sizes\n", "2:8: expected a size name but found end of line"},
    /* declarations */
    {HDR "  scalar s = 1\n  scalar s = 2\n  B[0, 0] = s\n", "6:10: duplicate scalar 's'"},
    {HDR "  in A[N]\n  B[0, 0] = 1\n", "5:6: duplicate tensor 'A'"},
    {HDR "  temp N[N]\n  B[0, 0] = 1\n", "5:8: 'N' is already declared as a parameter"},
    {HDR "  scalar A = 1\n  B[0, 0] = 1\n", "5:10: 'A' is already declared as a tensor"},
    {HDR "  temp T[N, M]\n  B[0, 0] = 1\n", "5:13: unknown size parameter 'M' in the shape of 'T'"},
    {HDR "  temp T[N / 2]\n  B[0, 0] = 1\n",
     "5:10: a dimension is not an integer expression (use // for integer division)"},
    {HDR "  in C N\n", "5:8: expected '[' but found 'N'"},
    {HDR "  scalar = 1\n", "5:10: expected a scalar name but found '='"},
    {HDR "  flops 2 * M\n  B[0, 0] = 1\n", "5:13: unknown variable 'M'"},
    /* statements */
    {HDR "  B[0 0] = 1\n", "5:7: expected ']' but found '0'"},
    {HDR "  B[0, 0] 1\n", "5:11: expected '=', '+=', '-=', '*=' or '/=' but found '1'"},
    {HDR "  B[0, 0] = \n", "5:13: expected an expression but found end of line"},
    {HDR "  B[0, 0] = 1 2\n", "5:15: expected end of line but found '2'"},
    {HDR "  + 1\n", "5:3: expected a statement but found '+'"},
    {HDR "  x y\n", "5:5: expected '[' or an assignment but found 'y'"},
    {HDR "  for i 0..N { }\n", "5:9: expected 'in' but found '0'"},
    {HDR "  for i in 0, N { }\n", "5:13: expected '..' but found ','"},
    {HDR "  for i in 0..N\n", "5:16: expected '{' but found end of line"},
    {HDR "  L: B[0, 0] = 1\n", "5:6: expected 'for' but found 'B'"},
    {HDR "  for i in 0..N {\n    B[i, i] = 1\n", "7:1: unterminated '{' opened at 5:17"},
    {HDR "  for i in 0..N {\n    B[i, i] = 1\n" T6, "7:1: unterminated '{' opened at 5:17"},
    {HDR "  let = 1\n", "5:7: expected a variable name but found '='"},
    {HDR "  let x 1\n", "5:9: expected '=' but found '1'"},
    /* expressions */
    {HDR "  B[0, 0] = foo(1)\n", "5:13: unknown function 'foo'"},
    {HDR "  B[0, 0] = sqrt(1, 2)\n", "5:13: 'sqrt' takes 1 argument but 2 given"},
    {HDR "  B[0, 0] = pow(1)\n", "5:13: 'pow' takes 2 arguments but 1 given"},
    {HDR "  B[0, 0] = min(1)\n", "5:13: 'min' takes at least 2 arguments but 1 given"},
    {HDR "  compute B[i, j] = sum(q)\n", "5:26: expected ':' but found ')'"},
    /* newlines inside ( ) and [ ] do not end a statement */
    {HDR "  compute B[i, j] = sum(q: A[i, q]\n", "6:1: expected ')' but found end of file"},
    {HDR "  compute B[i, j] = sum(1: 2)\n", "5:25: expected a reduction variable but found '1'"},
    {HDR "  compute B[i, j] = sum(a, b, c, d, e, f, g, h, l, m, n, o, p, q, r, s, t: 1)\n",
     "5:73: too many reduction variables"},
    {HDR "  B[0, 0] = (1 + 2\n  B[1, 1] = 0\n", "6:3: expected ')' but found 'B'"},
    /* name resolution and indexing */
    {HDR "  scalar tt_x = 1\n  B[0, 0] = 1\n",
     "5:10: 'tt_x': names starting with 'tt_' are reserved for generated code"},
    {HDR "  temp TT_T[N]\n  B[0, 0] = 1\n",
     "5:8: 'TT_T': names starting with 'tt_' are reserved for generated code"},
    {HDR "  for double in 0..N { }\n", "5:3: 'double' is a C keyword: choose another name"},
    {HDR "  let __x = 1\n", "5:3: '__x' is a name C reserves (it starts with '__')"},
    {"kernel k(N, tt_n)\n  sizes mini(4, 4)\n  out B[N]\n  B[0] = 1\n",
     "1:8: 'tt_n': names starting with 'tt_' are reserved for generated code"},
    {HDR "  for i in 0..N step 0 { }\n", "5:22: a loop step must not be 0"},
    {HDR "  tolerance 2\n  B[0, 0] = 1\n", "5:13: a tolerance must lie between 0 and 1"},
    {HDR "  tolerance Q 1e-3\n  B[0, 0] = 1\n", "5:13: unknown tensor 'Q'"},
    {HDR "  out I[N] i32\n  tolerance I 1e-3\n  B[0, 0] = 1\n",
     "6:13: integer tensor 'I' is compared exactly: no tolerance"},
    {HDR "  while 1 { }\n", "5:3: 'while' loops are not supported: write 'for v in lo..hi [step s] "
                            "{ ... }' (loops with bounds known on entry)"},
    {"kernel jacobi- 2d(N)\n", "1:14: expected '(' but found '-'"},
    {HDR "  B[0, 0] = Z[0]\n", "5:13: unknown tensor 'Z'"},
    {HDR "  Z[0] = 1\n", "5:3: unknown tensor 'Z'"},
    {HDR "  compute Z[i] = 1\n", "5:11: unknown tensor 'Z'"},
    {HDR "  B[0, 0] = A[0, 0, 0]\n", "5:13: 'A' has 2 dimensions but 3 indices are given"},
    {HDR "  B[0] = 1\n", "5:3: 'B' has 2 dimensions but 1 index is given"},
    {HDR "  B[0, 0] = x\n", "5:13: unknown variable 'x'"},
    {HDR "  x = 1\n", "5:3: unknown variable 'x'"},
    {HDR "  for i in 0..N {\n    i += 1\n  }\n",
     "6:5: 'i' is not a local variable (declare it with let)"},
    {HDR "  for i in 0..N {\n    for i in 0..N { }\n  }\n", "6:5: 'i' is already defined"},
    {HDR "  let N = 1\n", "5:3: 'N' is already defined"},
    {HDR "  B[0, 0] = A[1 / 2, 0]\n",
     "5:15: an index is not an integer expression (use // for integer division)"},
    {HDR "  for i in 0..N / 2 { }\n",
     "5:15: a loop bound is not an integer expression (use // for integer division)"},
    {HDR "  compute B[i, j] = 1 for i in 0..N / 2\n",
     "5:35: a range bound is not an integer expression (use // for integer division)"},
    {HDR "  A[0, 0] = 1\n", "5:3: cannot write to input tensor 'A'"},
    {HDR "  compute A[i, j] = 1\n", "5:11: cannot write to input tensor 'A'"},
    /* computes and reductions */
    {HDR "  compute B[i, j + 1] = 1\n", "5:16: unknown variable 'j'"},
    {HDR "  compute B[i, i] = 1\n", "5:16: 'i' is repeated in the output of 'B'"},
    {HDR "  compute B[i, j] = 1 for q in 0..N\n", "5:27: 'q' is not an output axis of 'B'"},
    {HDR "  compute B[i, j] = sum(q: 1)\n",
     "5:21: cannot infer the range of reduction variable 'q'"},
    {HDR "  compute B[i, j] = sum(q: sum(r: A[q, r]))\n", "5:28: nested reduction"},
    {HDR "  compute B[i, j] = sum(q: A[i, q]) + sum(r: A[r, j])\n",
     "5:39: more than one reduction in a compute"},
    {HDR "  B[0, 0] = sum(q: A[0, q])\n", "5:13: reduction outside a compute"},
    {HDR "  for i in 0..N {\n    for i in 0..N { }\n  }\n", "6:5: 'i' is already defined"},
    {HDR "  compute B[i, j] = 1\n  compute B[i, j] = 2\n", "6:11: duplicate stage 'B'"},
    /* templates: knobs */
    {KER T6 "  knob ti = split(B.i, [8, 0])\n", "7:28: split factors must be positive"},
    {KER T6 "  knob ti = split(B.i, pow2 max 0)\n", "7:33: split factors must be positive"},
    {KER T6 "  knob ti = split(B.i, [8, 8])\n", "7:28: duplicate value 8 in knob 'ti'"},
    {KER T6 "  knob p = choice(a, b, a)\n", "7:25: duplicate value 'a' in knob 'p'"},
    {KER T6 "  knob u = [1, 2] default 3\n", "7:27: default 3 is not among the values of 'u'"},
    {KER T6 "  knob ti = split(B.i, [8, 16]) default 4\n",
     "7:41: default 4 is not among the values of 'ti'"},
    {KER T6 "  knob p = choice(a, b) default c\n",
     "7:33: default 'c' is not among the values of 'p'"},
    {KER T6 "  knob tj = split(B.j, pow2) default 48\n",
     "7:38: default 48 of 'tj' is not a power of two"},
    {KER T6 "  knob v = on_off default yes\n", "7:27: expected 'on' or 'off' but found 'yes'"},
    {KER T6 "  knob o = permute(io, jo) default jo\n",
     "7:36: a permute knob takes no default (the declared order comes first)"},
    {KER T6 "  knob x = magic(1)\n",
     "7:12: expected a knob kind (split, [values], on_off, choice or permute) but found "
     "'magic'"},
    {KER T6 "  knob x = split(B.i, all)\n",
     "7:23: expected a value list, 'pow2' or 'divisors' but found 'all'"},
    {KER T6 "  knob x = split(B, pow2)\n", "7:19: expected '.' but found ','"},
    {KER T6 "  knob x = split(B.i, [8, 16)\n", "7:29: expected ']' but found ')'"},
    {KER T6 "  knob u = [1]\n  knob u = [2]\n", "8:8: duplicate knob 'u'"},
    {KER T6 "  knob N = [1]\n", "7:8: 'N' is already declared as a parameter"},
    {KER T6 "  knob x = split(Q.i, pow2)\n", "7:18: unknown stage 'Q'"},
    {KER T6 "  knob x = split(B.z, pow2)\n", "7:20: stage 'B' has no axis 'z'"},
    {KER T6 "  knob x = split(loops.i, pow2)\n",
     "7:18: stage 'loops' is empty: the body has no for loops"},
    {HDR "  for i in 0..N {\n    B[i, i] = 1\n  }\n" T6 "  knob x = split(loops.z, pow2)\n",
     "9:24: stage 'loops' has no axis 'z'"},
    {KER T6 T6, "7:10: duplicate template 't'"},
    /* every "expected <name>" */
    {"kernel k N\n", "1:10: expected '(' but found 'N'"},
    {HDR "  for 1 in 0..N { }\n", "5:7: expected a loop variable but found '1'"},
    {HDR "  compute [i] = 1\n", "5:11: expected a tensor name but found '['"},
    {HDR "  compute B[i, j] = 1 for 3 in 0..N\n", "5:27: expected an axis variable but found '3'"},
    {KER "template\n", "6:9: expected a template name but found end of line"},
    {KER T6 "  3\n", "7:3: expected a template item or schedule step but found '3'"},
    {KER T6 "  knob = [1]\n", "7:8: expected a knob name but found '='"},
    {KER T6 "  knob p = choice(1)\n", "7:19: expected a name but found '1'"},
    {KER T6 "  knob p = choice(a) default 3\n", "7:30: expected a value name but found '3'"},
    {KER T6 "  knob x = split(B.3, pow2)\n", "7:20: expected an axis name but found '3'"},
    {KER T6 "  knob x = split(3, pow2)\n", "7:18: expected a stage name but found '3'"},
    {KER T6 "  schedule 3\n", "7:12: expected a stage name but found '3'"},
    {KER T6 "  schedule B\n    vectorize 3\n", "8:15: expected a loop name but found '3'"},
    {HDR "  B[0, 0] = \x01\n", "5:13: unknown character '\\x01'"},
    {KER T6 "  body {\n    compute B[i, j] = 1\n    compute B[i, j] = 2\n  }\n",
     "9:13: duplicate stage 'B'"},
    /* templates: steps */
    {KER T6 "  schedule B\n    split i by 4\n    parallel ioo\n",
     "9:14: stage 'B' has no loop 'ioo'"},
    {KER T6 "  knob par = choice(none, io, jx)\n  schedule B\n    split i by 4\n    parallel par\n",
     "10:14: stage 'B' has no loop 'jx' (a value of knob 'par')"},
    {KER T6 "  schedule B\n    reorder j, q, k\n", "8:19: stage 'B' has no loop 'k'"},
    {HDR "  scalar io = 2\n  compute B[i, j] = A[i, j] * io\n" T6
         "  schedule B\n    split i by 4\n",
     "9:11: split of 'i' makes loop 'io', which is already a scalar"},
    {HDR "  for i in 0..N { }\n" T6 "  schedule loops\n    split i by 2\n    unroll ii by 2\n",
     "9:12: stage 'loops' has no loop 'ii'"},
    {KER T6 "  split i by 4\n", "7:3: 'split' needs a 'schedule STAGE' line before it"},
    {KER T6 "  schedule Q\n", "7:12: unknown stage 'Q'"},
    {KER T6 "  schedule B\n    twist i\n", "8:5: unknown schedule step 'twist'"},
    {KER T6 "  schedule B\n    parallel i sometimes\n",
     "8:16: unknown schedule 'sometimes' after 'parallel i' (dynamic or cyclic)"},
    {KER T6 "  schedule B\n    split i 4\n", "8:13: expected 'by' but found '4'"},
    {KER T6 "  schedule B\n    split i by x\n", "8:16: unknown variable 'x'"},
    {KER T6 "  schedule B\n    split i by 1.5\n", "8:16: a factor is not an integer expression"},
    {KER T6 "  schedule B\n    cache_read B jo\n", "8:18: expected 'at' but found 'jo'"},
    {KER T6 "  schedule B\n    cache_read Z at jo\n", "8:5: unknown tensor 'Z'"},
    {KER T6 "  schedule B\n    compute_at E at io\n", "8:16: unknown stage 'E'"},
    {KER T6 "  schedule B\n    fuse io\n", "8:12: expected ',' but found end of line"},
    {KER T6 "  schedule B\n    tile i, j by 4\n", "8:5: tile has 2 loops but 1 factors"},
    {KER T6 "  schedule B\n    vectorize j if v\n", "8:20: unknown variable 'v'"},
    {KER T6 "  knob p = choice(a, b)\n  constraint p == c\n", "8:19: unknown variable 'c'"},
    {KER T6 "  knob u = [1, 2] default 1 if threads > 2\n",
     "7:32: knob 'u': the one condition a knob takes is 'if threads > 1' (it only changes how "
     "threads share the work)"},
    {KER T6 "  knob u = [1, 2] if u > 1\n",
     "7:22: knob 'u': the one condition a knob takes is 'if threads > 1' (it only changes how "
     "threads share the work)"},
    {KER T6 "  body {\n    B[0, 0] = q\n  }\n", "8:15: unknown variable 'q'"},
    {KER T6 "  body {\n    B[0, 0] = 1\n", "9:1: unterminated '{' opened at 7:8"},
};

/* Parses each case and compares the first diagnostic. */
static void test_all_diagnostics(void **state) {
  (void)state;
  int failures = 0;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    tt_arena *a = tt_arena_new();
    tt_kernel_def **ks;
    size_t n;
    tt_error err = {0};
    char want[600];
    snprintf(want, sizeof want, "t.te:%s", CASES[i].msg);
    tt_status st = tt_lang_parse(a, "t.te", CASES[i].text, &ks, &n, &err);
    if (st != TT_ERR_USAGE || strcmp(err.msg, want) != 0) {
      fprintf(stderr, "case %zu:\n%s\n  want: %s\n  got:  %s (status %d)\n", i, CASES[i].text, want,
              st == TT_OK ? "<no error>" : err.msg, (int)st);
      failures++;
    }
    tt_arena_free(a);
  }
  assert_int_equal(failures, 0);
}

/* The valid prefixes used above parse cleanly. */
static void test_prefixes_are_valid(void **state) {
  (void)state;
  const char *ok[] = {KER, KER T6, HDR "  B[0, 0] = 1\n"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    tt_arena *a = tt_arena_new();
    tt_kernel_def **ks;
    size_t n;
    tt_error err = {0};
    tt_status st = tt_lang_parse(a, "t.te", ok[i], &ks, &n, &err);
    if (st != TT_OK) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(st, TT_OK);
    tt_arena_free(a);
  }
}

/* Appends n copies of piece to out. */
static void repeat(tt_str *out, const char *piece, int n) {
  for (int i = 0; i < n; i++)
    tt_str_append(out, piece);
}

/* Parses text and compares the diagnostic with want (after "t.te:"). */
static void expect_diag(const char *text, const char *want) {
  tt_arena *a = tt_arena_new();
  tt_kernel_def **ks;
  size_t n;
  tt_error err = {0};
  tt_status st = tt_lang_parse(a, "t.te", text, &ks, &n, &err);
  char full[200];
  snprintf(full, sizeof full, "t.te:%s", want);
  if (st != TT_ERR_USAGE || strcmp(err.msg, full) != 0)
    fprintf(stderr, "want: %s\ngot:  %s\n", full, st == TT_OK ? "<no error>" : err.msg);
  assert_int_equal(st, TT_ERR_USAGE);
  assert_string_equal(err.msg, full);
  tt_arena_free(a);
}

/* Nesting far past the bounds (the reliability reproducers' depths) is one
 * diagnostic at the token that crosses the bound, not a stack overflow:
 * 16,000 parentheses, 80,000 unary minus signs, an 80,000-term sum,
 * 100,000 nested ifs, parentheses in a constraint; the bound itself
 * parses. */
static void test_depth_limits(void **state) {
  (void)state;
  tt_str t = {0};
  tt_str_append(&t, HDR "  B[0, 0] = ");
  repeat(&t, "(", 16000);
  tt_str_append(&t, "1");
  repeat(&t, ")", 16000);
  tt_str_append(&t, "\n");
  expect_diag(tt_str_cstr(&t), "5:213: nesting deeper than 200 levels");
  tt_str_free(&t);
  tt_str_append(&t, HDR "  B[0, 0] = ");
  repeat(&t, "-", 80000);
  tt_str_append(&t, "A[0, 0]\n");
  expect_diag(tt_str_cstr(&t), "5:212: nesting deeper than 200 levels");
  tt_str_free(&t);
  tt_str_append(&t, HDR "  compute B[i, j] = A[i, j]");
  repeat(&t, " + A[i, j]", 80000);
  tt_str_append(&t, "\n");
  expect_diag(tt_str_cstr(&t), "5:10009: expression deeper than 1000 operations");
  tt_str_free(&t);
  tt_str_append(&t, HDR);
  repeat(&t, "if 1 == 1 {\n", 100000);
  tt_str_append(&t, "B[0, 0] = 1\n");
  repeat(&t, "}\n", 100000);
  expect_diag(tt_str_cstr(&t), "105:1: nesting deeper than 200 levels");
  tt_str_free(&t);
  tt_str_append(&t, KER T6 "  knob ti = split(B.i, [2, 4])\n  constraint ");
  repeat(&t, "(", 5000);
  tt_str_append(&t, "ti");
  repeat(&t, ")", 5000);
  tt_str_append(&t, " > 1\n");
  expect_diag(tt_str_cstr(&t), "8:214: nesting deeper than 200 levels");
  /* 150 parentheses and a 900-term sum are fine */
  tt_str_free(&t);
  tt_str_append(&t, HDR "  compute B[i, j] = ");
  repeat(&t, "(", 150);
  tt_str_append(&t, "A[i, j]");
  repeat(&t, " + A[i, j]", 900);
  repeat(&t, ")", 150);
  tt_str_append(&t, "\n");
  tt_arena *a = tt_arena_new();
  tt_kernel_def **ks;
  size_t n;
  tt_error err = {0};
  assert_int_equal(tt_lang_parse(a, "t.te", tt_str_cstr(&t), &ks, &n, &err), TT_OK);
  tt_arena_free(a);
  tt_str_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_depth_limits),
      cmocka_unit_test(test_prefixes_are_valid),
      cmocka_unit_test(test_all_diagnostics),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
