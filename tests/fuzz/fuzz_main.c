/* A main for the fuzz targets when libFuzzer is not linked in: runs the
 * target once on every file named on the command line (directories: every
 * file inside). The test suite uses it to replay the corpus and the
 * reliability reproducers under the sanitizers. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Runs the target on the file at path; returns 0, or 1 when unreadable. */
static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 1;
  size_t cap = 1 << 16, n = 0, got;
  uint8_t *buf = malloc(cap);
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

/* Runs the target on path, or on every regular file in it. */
static int run_path(const char *path, size_t *count) {
  struct stat st;
  if (stat(path, &st) != 0) return 1;
  if (!S_ISDIR(st.st_mode)) return (*count)++, run_file(path);
  DIR *d = opendir(path);
  if (!d) return 1;
  int bad = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    bad |= run_path(sub, count);
  }
  closedir(d);
  return bad;
}

int main(int argc, char **argv) {
  size_t count = 0;
  int bad = 0;
  for (int i = 1; i < argc; i++)
    bad |= run_path(argv[i], &count);
  printf("%zu inputs run\n", count);
  if (bad) fprintf(stderr, "fuzz: some input could not be read\n");
  return bad ? 1 : 0;
}
