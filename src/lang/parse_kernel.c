/* The kernel section of a .te file: header, declarations, init and body.
 *   kernel NAME(P1, P2, ...) [f64|f32]
 *     sizes mini(..) small(..) ...     flops EXPR     scalar [T] x = EXPR
 *     in|out|inout|temp T[dims] [f32|f64], ...
 *     init T[i, j] = EXPR | init { statements }
 *     statements (the reference algorithm)
 *   template ... (parse_template.c)
 * Declarations are checked for duplicates here; uses are resolved in
 * check.c once the whole kernel is read. */
#include "lang/parser.h"

#include <string.h>

/* Kind of kernel-level name: "parameter", "scalar", "tensor" or NULL. */
const char *tt_p_kernel_name_kind(const tt_kernel_def *k, const char *name) {
  for (size_t i = 0; i < k->nparams; i++)
    if (strcmp(k->params[i], name) == 0) return "parameter";
  for (size_t i = 0; i < k->nscalars; i++)
    if (strcmp(k->scalars[i].name, name) == 0) return "scalar";
  if (tt_kernel_tensor(k, name) != NULL) return "tensor";
  return NULL;
}

/* Reports a clash of a new kernel-level name of the given kind. */
static void declare(tt_parser *p, tt_loc loc, const char *name, const char *kind) {
  const char *old = tt_p_seen(p, p->kernel_names, name, kind);
  if (old == NULL) return;
  if (strcmp(old, kind) == 0)
    tt_p_diag(p, loc, "duplicate %s '%s'", kind, name);
  else
    tt_p_diag(p, loc, "'%s' is already declared as a %s", name, old);
}

/* The comment lines directly above byte offset pos (no blank line in
 * between), without their '#', or NULL. */
static const char *leading_doc(tt_parser *p, size_t pos) {
  const char *s = p->src;
  size_t line = pos;
  while (line > 0 && s[line - 1] != '\n')
    line--;
  size_t first = line;
  while (first > 0) {
    size_t prev = first - 1;
    while (prev > 0 && s[prev - 1] != '\n')
      prev--;
    size_t q = prev;
    while (s[q] == ' ' || s[q] == '\t')
      q++;
    if (s[q] != '#') break;
    first = prev;
  }
  if (first == line) return NULL;
  tt_str doc;
  tt_str_init(&doc);
  for (size_t q = first; q < line;) {
    while (s[q] == ' ' || s[q] == '\t')
      q++;
    q++; /* '#' */
    if (s[q] == ' ') q++;
    size_t end = q;
    while (s[end] != '\n')
      end++;
    size_t e = end;
    while (e > q && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
      e--;
    if (doc.len > 0) tt_str_append(&doc, "\n");
    tt_str_appendn(&doc, s + q, e - q);
    q = end + 1;
  }
  const char *r = tt_arena_strdup(p->a, tt_str_cstr(&doc));
  tt_str_free(&doc);
  return r;
}

/* An optional element type name: f32, f64, i32, i64, u8 (and int for a
 * scalar: allow_int). A scalar of an integer type is an integer (long). */
static int accept_dtype(tt_parser *p, tt_dtype *t, int allow_int) {
  static const struct {
    const char *name;
    tt_dtype t;
  } types[] = {{"f64", TT_DT_F64},
               {"f32", TT_DT_F32},
               {"i32", TT_DT_I32},
               {"i64", TT_DT_I64},
               {"u8", TT_DT_U8}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (tt_p_accept_kw(p, types[i].name)) {
      *t = allow_int && tt_dtype_is_int(types[i].t) ? TT_DT_INT : types[i].t;
      return 1;
    }
  if (!allow_int || !tt_p_accept_kw(p, "int")) return 0;
  *t = TT_DT_INT;
  return 1;
}

/* A kernel name: a name, or names and numbers joined by '-' without
 * spaces, as PolyBench spells them (jacobi-2d, floyd-warshall). */
static const char *dashed_name(tt_parser *p) {
  const tt_token *first = tt_p_next(p), *last = first;
  for (;;) {
    const tt_token *dash = tt_p_peek(p), *part = tt_p_peek_at(p, 1);
    if (dash->kind != TK_MINUS || dash->pos != last->pos + last->len ||
        part->pos != dash->pos + 1 ||
        (part->kind != TK_IDENT && part->kind != TK_WORD && part->kind != TK_INT))
      break;
    tt_p_next(p);
    last = tt_p_next(p);
  }
  return tt_arena_strndup(p->a, first->start, last->pos + last->len - first->pos);
}

/* kernel NAME(params) [type], at 'kernel'. */
static void parse_header(tt_parser *p, tt_kernel_def *k) {
  const tt_token *kt = tt_p_next(p);
  k->doc = leading_doc(p, kt->pos);
  const tt_token *t = tt_p_peek(p);
  k->loc = tt_p_loc(p, t);
  k->name = "_";
  if (t->kind == TK_IDENT || t->kind == TK_WORD)
    k->name = dashed_name(p);
  else
    tt_p_expected(p, "a kernel name");
  tt_p_expect(p, TK_LPAREN);
  size_t cap = 0;
  while (!p->failed && !tt_p_at(p, TK_RPAREN)) {
    const tt_token *pt = tt_p_peek(p);
    const char *name = tt_p_ident(p, "a size parameter");
    declare(p, tt_p_loc(p, pt), name, "parameter");
    k->params = tt_p_grow(p, k->params, k->nparams, &cap, sizeof *k->params);
    k->params[k->nparams++] = name;
    if (!tt_p_accept(p, TK_COMMA)) break;
  }
  tt_p_expect(p, TK_RPAREN);
  accept_dtype(p, &k->dtype, 0);
}

/* sizes NAME(v, ...) NAME(v, ...) ... */
static void parse_sizes(tt_parser *p, tt_kernel_def *k, size_t *cap) {
  do {
    const tt_token *t = tt_p_peek(p);
    tt_size_set ss = {.name = tt_p_ident(p, "a size name"), .loc = tt_p_loc(p, t)};
    if (tt_p_seen(p, p->kernel_sizes, ss.name, "size"))
      tt_p_diag(p, ss.loc, "duplicate size '%s'", ss.name);
    ss.values = tt_arena_alloc(p->a, (k->nparams + 1) * sizeof *ss.values);
    size_t n = 0;
    tt_p_expect(p, TK_LPAREN);
    while (!p->failed && !tt_p_at(p, TK_RPAREN)) {
      tt_loc vl;
      int64_t v = tt_p_int(p, &vl);
      if (v <= 0) tt_p_diag(p, vl, "size values must be positive");
      if (n < k->nparams) ss.values[n] = v;
      n++;
      if (!tt_p_accept(p, TK_COMMA)) break;
    }
    tt_p_expect(p, TK_RPAREN);
    if (n != k->nparams)
      tt_p_diag(p, ss.loc, "size '%s' has %zu value%s but kernel '%s' has %zu parameter%s", ss.name,
                n, n == 1 ? "" : "s", k->name, k->nparams, k->nparams == 1 ? "" : "s");
    k->sizes = tt_p_grow(p, k->sizes, k->nsizes, cap, sizeof *k->sizes);
    k->sizes[k->nsizes++] = ss;
  } while (!p->failed && tt_p_at(p, TK_IDENT));
}

/* tolerance VALUE | tolerance T VALUE (after the keyword): the relative
 * error validation accepts for every output, or for output T (declared
 * above). Integer outputs are always compared exactly. */
static void parse_tolerance(tt_parser *p, tt_kernel_def *k) {
  tt_tensor *t = NULL;
  const tt_token *at = tt_p_peek(p);
  if (at->kind == TK_IDENT) {
    const char *name = tt_p_ident(p, "a tensor name");
    t = (tt_tensor *)tt_kernel_tensor(k, name);
    if (t == NULL) tt_p_diag(p, tt_p_loc(p, at), "unknown tensor '%s'", name);
  }
  const tt_token *v = tt_p_peek(p);
  double tol = v->kind == TK_FLOAT ? v->fval : (double)v->ival;
  if (v->kind != TK_FLOAT && v->kind != TK_INT) {
    tt_p_expected(p, "a tolerance");
    return;
  }
  tt_p_next(p);
  if (!(tol > 0 && tol < 1))
    tt_p_diag(p, tt_p_loc(p, v), "a tolerance must lie between 0 and 1");
  else if (t != NULL && tt_dtype_is_int(t->type))
    tt_p_diag(p, tt_p_loc(p, at), "integer tensor '%s' is compared exactly: no tolerance", t->name);
  if (t != NULL)
    t->tol = tol;
  else
    k->tol = tol;
}

/* scalar [T] NAME = EXPR (after the keyword). */
static void parse_scalar(tt_parser *p, tt_kernel_def *k, size_t *cap) {
  tt_scalar sc = {.type = tt_dtype_is_int(k->dtype) ? TT_DT_INT : k->dtype};
  if (tt_p_peek_at(p, 1)->kind == TK_IDENT) accept_dtype(p, &sc.type, 1);
  const tt_token *t = tt_p_peek(p);
  sc.loc = tt_p_loc(p, t);
  sc.name = tt_p_ident(p, "a scalar name");
  declare(p, sc.loc, sc.name, "scalar");
  tt_p_expect(p, TK_ASSIGN);
  sc.value = tt_p_expr(p);
  k->scalars = tt_p_grow(p, k->scalars, k->nscalars, cap, sizeof *k->scalars);
  k->scalars[k->nscalars++] = sc;
}

/* ROLE T[dims] [type], U[dims] ... (after the role keyword). */
static void parse_tensors(tt_parser *p, tt_kernel_def *k, tt_role role, size_t *cap) {
  do {
    const tt_token *t = tt_p_peek(p);
    tt_tensor tn = {.type = k->dtype, .role = role, .loc = tt_p_loc(p, t)};
    tn.name = tt_p_ident(p, "a tensor name");
    declare(p, tn.loc, tn.name, "tensor");
    tt_p_expect(p, TK_LBRACK);
    size_t dcap = 0;
    do {
      tn.shape = tt_p_grow(p, tn.shape, tn.ndim, &dcap, sizeof *tn.shape);
      tn.shape[tn.ndim++] = tt_p_expr(p);
    } while (!p->failed && tt_p_accept(p, TK_COMMA));
    tt_p_expect(p, TK_RBRACK);
    accept_dtype(p, &tn.type, 0);
    k->tensors = tt_p_grow(p, k->tensors, k->ntensors, cap, sizeof *k->tensors);
    k->tensors[k->ntensors++] = tn;
  } while (!p->failed && tt_p_accept(p, TK_COMMA));
}

typedef struct kernel_lists {
  size_t sizes_cap, scalars_cap, tensors_cap;
  tt_stmt_list init, body;
} kernel_lists;

/* init T[...] = e  or  init { statements } (after the keyword). */
static void parse_init(tt_parser *p, kernel_lists *l) {
  if (!tt_p_at(p, TK_LBRACE)) {
    tt_stmt_list_push(p->a, &l->init, tt_p_compute(p));
    return;
  }
  tt_stmt *b = tt_p_block(p);
  for (size_t i = 0; i < b->nbody; i++)
    tt_stmt_list_push(p->a, &l->init, b->body[i]);
}

/* One line of the kernel section. */
static void parse_item(tt_parser *p, tt_kernel_def *k, kernel_lists *l) {
  static const char *const roles[] = {"in", "out", "inout", "temp"};
  for (int r = 0; r < 4; r++)
    if (tt_p_accept_kw(p, roles[r])) {
      parse_tensors(p, k, (tt_role)r, &l->tensors_cap);
      return;
    }
  if (tt_p_accept_kw(p, "sizes"))
    parse_sizes(p, k, &l->sizes_cap);
  else if (tt_p_accept_kw(p, "flops"))
    k->flops = tt_p_expr(p);
  else if (tt_p_accept_kw(p, "tolerance"))
    parse_tolerance(p, k);
  else if (tt_p_accept_kw(p, "scalar"))
    parse_scalar(p, k, &l->scalars_cap);
  else if (tt_p_accept_kw(p, "init"))
    parse_init(p, l);
  else
    tt_stmt_list_push(p->a, &l->body, tt_p_stmt(p));
}

/* A whole kernel section with its templates, at 'kernel'. */
tt_kernel_def *tt_p_kernel(tt_parser *p) {
  tt_kernel_def *k = tt_arena_alloc(p->a, sizeof *k);
  kernel_lists l = {0};
  k->file = p->file;
  k->dtype = TT_DT_F64;
  p->k = k;
  p->tmpl = NULL;
  p->kernel_names = tt_p_scope(p);
  p->kernel_sizes = tt_p_scope(p);
  p->kernel_templates = tt_p_scope(p);
  p->tmpl_cap = 0;
  p->nrefs = 0;
  parse_header(p, k);
  tt_p_end_stmt(p);
  for (;;) {
    tt_p_skip_separators(p);
    if (p->failed || tt_p_at(p, TK_EOF) || tt_p_at_kw(p, "kernel")) break;
    if (tt_p_at_kw(p, "template")) {
      tt_p_template(p);
      continue;
    }
    parse_item(p, k, &l);
    tt_p_end_stmt(p);
  }
  k->init = tt_stmt_list_block(p->a, &l.init);
  k->body = tt_stmt_list_block(p->a, &l.body);
  if (!p->failed && k->nsizes == 0) tt_p_diag(p, k->loc, "kernel '%s' has no sizes", k->name);
  if (!p->failed && k->body->nbody == 0) tt_p_diag(p, k->loc, "kernel '%s' has no body", k->name);
  return k;
}
