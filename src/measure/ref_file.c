/* Reference output files.
 *
 * Format (native byte order; the file never leaves the machine's cache):
 *   char magic[8] = "TTREF01\n"; int32 count; int32 zero; double time_s;
 *   count times: int32 index; int32 elem_size; int64 elems;
 *                data (elems * elem_size bytes, padded to 8 bytes).
 * Padding keeps every tensor 8-byte aligned in the buffer it is read into. */
#include "measure_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char REF_MAGIC[8] = {'T', 'T', 'R', 'E', 'F', '0', '1', '\n'};

/* 1 when tensor i of k is stored in a reference (out or inout). */
static int is_output(const tt_mz_kernel *k, int i) {
  return k->role[i] == TT_ABI_ROLE_OUT || k->role[i] == TT_ABI_ROLE_INOUT;
}

/* Writes the header and all output tensors to f; 0 on success. */
static int write_body(FILE *f, const tt_mz_kernel *k, double time_s) {
  int32_t count = 0, zero = 0;
  for (int i = 0; i < k->ntensors; i++)
    count += is_output(k, i);
  int ok = fwrite(REF_MAGIC, 8, 1, f) == 1 && fwrite(&count, 4, 1, f) == 1 &&
           fwrite(&zero, 4, 1, f) == 1 && fwrite(&time_s, 8, 1, f) == 1;
  static const char pad[8] = {0};
  for (int i = 0; ok && i < k->ntensors; i++) {
    if (!is_output(k, i)) continue;
    int32_t idx = i, es = k->elem_size[i];
    int64_t n = k->elems[i];
    size_t bytes = (size_t)n * (size_t)es;
    ok = fwrite(&idx, 4, 1, f) == 1 && fwrite(&es, 4, 1, f) == 1 && fwrite(&n, 8, 1, f) == 1 &&
         (bytes == 0 || fwrite(k->args[i], bytes, 1, f) == 1) &&
         (bytes % 8 == 0 || fwrite(pad, 8 - bytes % 8, 1, f) == 1);
  }
  return ok ? 0 : -1;
}

/* Writes k's outputs to path through a temporary file and rename, so
 * concurrent writers and readers never see a partial file. */
int tt_mz_ref_write(const char *path, const tt_mz_kernel *k, double time_s, char *msg, size_t len) {
  int rc = -1;
  tt_str tmp;
  tt_str_init(&tmp);
  tt_str_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp.data, "wb");
  if (f == NULL) {
    snprintf(msg, len, "cannot create %s: %s", tmp.data, strerror(errno));
    goto done;
  }
  int wrc = write_body(f, k, time_s);
  if (fclose(f) != 0 || wrc != 0 || rename(tmp.data, path) != 0) {
    snprintf(msg, len, "cannot write reference %s: %s", path, strerror(errno));
    unlink(tmp.data);
    goto done;
  }
  rc = 0;
done:
  tt_str_free(&tmp);
  return rc;
}

/* Copies n bytes at *pos out of buf[0..size), advancing *pos; 0 on
 * success, -1 when the file is too short. */
static int take(const char *buf, size_t size, size_t *pos, void *out, size_t n) {
  if (size - *pos < n) return -1;
  memcpy(out, buf + *pos, n);
  *pos += n;
  return 0;
}

/* Parses the entries after the header; 0 on success. */
static int parse_entries(tt_mz_ref *ref, size_t size) {
  size_t pos = 24;
  for (int t = 0; t < ref->ntensors; t++) {
    int32_t idx, es;
    int64_t n;
    if (take(ref->buf, size, &pos, &idx, 4) || take(ref->buf, size, &pos, &es, 4) ||
        take(ref->buf, size, &pos, &n, 8) || (es != 1 && es != 4 && es != 8) || n < 0 ||
        (uint64_t)n > (size - pos) / (uint64_t)es)
      return -1;
    size_t bytes = (size_t)n * (size_t)es;
    ref->index[t] = idx;
    ref->elem_size[t] = es;
    ref->elems[t] = (long)n;
    ref->data[t] = ref->buf + pos;
    pos += bytes + (bytes % 8 ? 8 - bytes % 8 : 0);
    if (pos > size) return -1;
  }
  return 0;
}

/* Reads a reference file written by tt_mz_ref_write. */
int tt_mz_ref_read(const char *path, tt_mz_ref *ref, char *msg, size_t len) {
  memset(ref, 0, sizeof *ref);
  tt_error err = {0};
  size_t size = 0;
  ref->buf = tt_file_read(path, &size, &err);
  if (ref->buf == NULL) {
    snprintf(msg, len, "%s", err.msg);
    return -1;
  }
  int32_t count = 0;
  if (size < 24 || memcmp(ref->buf, REF_MAGIC, 8) != 0) goto bad;
  memcpy(&count, ref->buf + 8, 4);
  memcpy(&ref->time_s, ref->buf + 16, 8);
  if (count < 0 || count > 4096) goto bad;
  ref->ntensors = count;
  ref->index = tt_xcalloc((size_t)count + 1, sizeof *ref->index);
  ref->elem_size = tt_xcalloc((size_t)count + 1, sizeof *ref->elem_size);
  ref->elems = tt_xcalloc((size_t)count + 1, sizeof *ref->elems);
  ref->data = tt_xcalloc((size_t)count + 1, sizeof *ref->data);
  if (parse_entries(ref, size) == 0) return 0;
bad:
  snprintf(msg, len, "reference file %s is corrupt", path);
  tt_mz_ref_free(ref);
  return -1;
}

/* Frees what tt_mz_ref_read allocated. */
void tt_mz_ref_free(tt_mz_ref *ref) {
  free(ref->buf);
  free(ref->index);
  free(ref->elem_size);
  free(ref->elems);
  free(ref->data);
  memset(ref, 0, sizeof *ref);
}

/* Reads the header of a reference file for its stored time. */
int tt_mz_ref_read_time(const char *path, double *time_s) {
  char head[24];
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  size_t got = fread(head, 1, sizeof head, f);
  fclose(f);
  if (got != sizeof head || memcmp(head, REF_MAGIC, 8) != 0) return -1;
  memcpy(time_s, head + 16, 8);
  return 0;
}
