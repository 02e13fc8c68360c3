/* The names (and literal values) already declared in each scope of the
 * file being parsed, so that every duplicate check is a hash lookup: a
 * file with 100,000 sizes, tensors or knob values used to take minutes in
 * the linear scans (the reliability issue's item 7). A scope is a number
 * from tt_p_scope: one per kernel's names, sizes and templates, per
 * template's knobs, per knob's values. */
#include <string.h>

#include "lang/parser.h"

/* See parser.h. */
uint64_t tt_p_scope(tt_parser *p) {
  return ++p->scopes;
}

/* The entry of (scope, name), or NULL; *slot is the key where it is or
 * where it would go (FNV-1a can collide: colliding names probe on). */
static const tt_p_name *lookup(const tt_parser *p, uint64_t scope, const char *name,
                               uint64_t *slot) {
  uint64_t key = tt_hash_str(name, scope);
  uint32_t at;
  for (; tt_keymap_get(&p->seen, key, &at); key++) {
    const tt_p_name *e = &p->names[at];
    if (e->scope == scope && strcmp(e->name, name) == 0) return *slot = key, e;
  }
  *slot = key;
  return NULL;
}

/* See parser.h. */
const char *tt_p_seen(tt_parser *p, uint64_t scope, const char *name, const char *kind) {
  uint64_t slot;
  const tt_p_name *old = lookup(p, scope, name, &slot);
  if (old) return old->kind;
  if (!kind) return NULL;
  p->names = tt_p_grow(p, p->names, p->nnames, &p->names_cap, sizeof *p->names);
  p->names[p->nnames] = (tt_p_name){.name = name, .kind = kind, .scope = scope};
  tt_keymap_put(&p->seen, slot, (uint32_t)p->nnames++);
  return NULL;
}
