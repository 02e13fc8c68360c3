/* Kernel definition lookups and the names of IR enums. */
#include "tetune/ir.h"

#include <string.h>

/* Name of a data type as written in .te files. */
const char *tt_dtype_name(tt_dtype t) {
  switch (t) {
  case TT_DT_INT:
    return "int";
  case TT_DT_F32:
    return "f32";
  case TT_DT_F64:
    return "f64";
  case TT_DT_BOOL:
    return "bool";
  case TT_DT_I32:
    return "i32";
  case TT_DT_I64:
    return "i64";
  case TT_DT_U8:
    return "u8";
  }
  return "?";
}

/* C spelling of a data type. */
const char *tt_dtype_ctype(tt_dtype t) {
  switch (t) {
  case TT_DT_INT:
    return "long";
  case TT_DT_F32:
    return "float";
  case TT_DT_F64:
    return "double";
  case TT_DT_BOOL:
  case TT_DT_I32:
    return "int";
  case TT_DT_I64:
    return "long";
  case TT_DT_U8:
    return "unsigned char";
  }
  return "?";
}

int tt_dtype_size(tt_dtype t) {
  return t == TT_DT_U8 ? 1 : t == TT_DT_F32 || t == TT_DT_I32 || t == TT_DT_BOOL ? 4 : 8;
}

int tt_dtype_is_int(tt_dtype t) {
  return !tt_dtype_is_float(t);
}

/* Name of a tensor role as written in .te files. */
const char *tt_role_name(tt_role r) {
  switch (r) {
  case TT_ROLE_IN:
    return "in";
  case TT_ROLE_OUT:
    return "out";
  case TT_ROLE_INOUT:
    return "inout";
  case TT_ROLE_TEMP:
    return "temp";
  }
  return "?";
}

/* The tensor called name, or NULL. */
const tt_tensor *tt_kernel_tensor(const tt_kernel_def *k, const char *name) {
  for (size_t i = 0; i < k->ntensors; i++)
    if (strcmp(k->tensors[i].name, name) == 0) return &k->tensors[i];
  return NULL;
}

/* The template called name, or NULL. */
const tt_template *tt_kernel_template(const tt_kernel_def *k, const char *name) {
  for (size_t i = 0; i < k->ntemplates; i++)
    if (strcmp(k->templates[i].name, name) == 0) return &k->templates[i];
  return NULL;
}

/* Index of the named dataset in k->sizes, or -1. */
int tt_kernel_size_index(const tt_kernel_def *k, const char *size_name) {
  for (size_t i = 0; i < k->nsizes; i++)
    if (strcmp(k->sizes[i].name, size_name) == 0) return (int)i;
  return -1;
}
