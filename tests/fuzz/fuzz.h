/* Shared by the fuzz targets (tests/fuzz/): the libFuzzer entry point each
 * defines, and the largest input they read. The cap is well above the
 * parser's nesting and expression-depth limits (200 levels, 1000
 * operations), so inputs can reach them. */
#ifndef TT_FUZZ_H
#define TT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define TT_FUZZ_MAX_INPUT ((size_t)4 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

#endif
