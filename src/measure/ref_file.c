/* Reference output files.
 *
 * Format (native byte order; the file never leaves the machine's cache):
 *   char magic[8] = "TTREF02\n"; int32 count; int32 repeats;
 *   double time_s (median of the timed calls); double spread;
 *   uint64 timing_key (tt_mz_timing_key of the settings that timed it);
 *   uint64 checksum (FNV-1a of every byte after the header);
 *   count times: int32 index; int32 elem_size; int64 elems;
 *                data (elems * elem_size bytes, padded to 8 bytes).
 * Padding keeps every tensor 8-byte aligned in the buffer it is read into.
 * The checksum makes a damaged file (a full disk, a bit flip, someone
 * else's write) an error instead of the yardstick every variant is
 * validated against; version 1 files (one cold call, no checksum) are
 * never read, so they are measured again. */
#include "measure_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char REF_MAGIC[8] = {'T', 'T', 'R', 'E', 'F', '0', '2', '\n'};
enum { REF_HEADER = 48 };

/* 1 when tensor i of k is stored in a reference (out or inout). */
static int is_output(const tt_mz_kernel *k, int i) {
  return k->role[i] == TT_ABI_ROLE_OUT || k->role[i] == TT_ABI_ROLE_INOUT;
}

/* Appends n bytes to f, folding them into *h; 0 on success. */
static int put(FILE *f, const void *p, size_t n, uint64_t *h) {
  *h = tt_hash_more(*h, p, n);
  return n == 0 || fwrite(p, n, 1, f) == 1 ? 0 : -1;
}

/* Writes the tensors after a placeholder header, then the header with the
 * checksum; 0 on success. */
static int write_body(FILE *f, const tt_mz_kernel *k, const tt_mz_ref_timing *tm) {
  char head[REF_HEADER] = {0};
  uint64_t h = tt_hash_bytes(NULL, 0, 0);
  int32_t count = 0;
  for (int i = 0; i < k->ntensors; i++)
    count += is_output(k, i);
  int ok = fwrite(head, sizeof head, 1, f) == 1;
  static const char pad[8] = {0};
  for (int i = 0; ok && i < k->ntensors; i++) {
    if (!is_output(k, i)) continue;
    int32_t idx = i, es = k->elem_size[i];
    int64_t n = k->elems[i];
    size_t bytes = (size_t)n * (size_t)es;
    ok = put(f, &idx, 4, &h) == 0 && put(f, &es, 4, &h) == 0 && put(f, &n, 8, &h) == 0 &&
         put(f, k->args[i], bytes, &h) == 0 && put(f, pad, bytes % 8 ? 8 - bytes % 8 : 0, &h) == 0;
  }
  int32_t reps = tm->repeats;
  memcpy(head, REF_MAGIC, 8);
  memcpy(head + 8, &count, 4);
  memcpy(head + 12, &reps, 4);
  memcpy(head + 16, &tm->time_s, 8);
  memcpy(head + 24, &tm->spread, 8);
  memcpy(head + 32, &tm->timing_key, 8);
  memcpy(head + 40, &h, 8);
  ok = ok && fseek(f, 0, SEEK_SET) == 0 && fwrite(head, sizeof head, 1, f) == 1;
  return ok ? 0 : -1;
}

/* Writes k's outputs to path through a temporary file, fsync and rename,
 * so concurrent writers and readers never see a partial file. */
int tt_mz_ref_write(const char *path, const tt_mz_kernel *k, const tt_mz_ref_timing *tm, char *msg,
                    size_t len) {
  int rc = -1;
  tt_str tmp;
  tt_str_init(&tmp);
  tt_str_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp.data, "wb");
  if (f == NULL) {
    snprintf(msg, len, "cannot create %s: %s", tmp.data, strerror(errno));
    goto done;
  }
  int wrc = write_body(f, k, tm);
  wrc = wrc == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
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

/* Parses the entries after the header; 0 on success (the whole file used). */
static int parse_entries(tt_mz_ref *ref, size_t size) {
  size_t pos = REF_HEADER;
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
  return pos == size ? 0 : -1;
}

/* Reads the header fields of buf[0..size) into tm; 0 when the magic,
 * sizes and checksum are right. */
static int check_header(const char *buf, size_t size, int32_t *count, tt_mz_ref_timing *tm) {
  uint64_t sum = 0;
  int32_t reps = 0;
  if (size < REF_HEADER || memcmp(buf, REF_MAGIC, 8) != 0) return -1;
  memcpy(count, buf + 8, 4);
  memcpy(&reps, buf + 12, 4);
  memcpy(&tm->time_s, buf + 16, 8);
  memcpy(&tm->spread, buf + 24, 8);
  memcpy(&tm->timing_key, buf + 32, 8);
  memcpy(&sum, buf + 40, 8);
  tm->repeats = reps;
  if (*count < 0 || *count > 4096 || reps < 1 || !(tm->time_s > 0) || !(tm->spread >= 0)) return -1;
  return tt_hash_bytes(buf + REF_HEADER, size - REF_HEADER, 0) == sum ? 0 : -1;
}

/* Reads a reference file written by tt_mz_ref_write, checksum verified. */
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
  if (check_header(ref->buf, size, &count, &ref->timing) != 0) goto bad;
  ref->ntensors = count;
  ref->index = tt_xcalloc((size_t)count + 1, sizeof *ref->index);
  ref->elem_size = tt_xcalloc((size_t)count + 1, sizeof *ref->elem_size);
  ref->elems = tt_xcalloc((size_t)count + 1, sizeof *ref->elems);
  ref->data = tt_xcalloc((size_t)count + 1, sizeof *ref->data);
  if (parse_entries(ref, size) == 0) return 0;
bad:
  snprintf(msg, len, "reference file %s is corrupt (bad header, size or checksum)", path);
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
