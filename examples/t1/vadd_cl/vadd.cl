/* An OpenCL kernel whose tunable parameters are macros, as Kernel Tuner and
 * KTT users write them: tetune builds the program once per configuration
 * with -D BLOCK=... -D WPT=... -D STRIDED=... (see vadd.t1.json); BLOCK is
 * the work-group size the T1 file's LocalSize names. */
#ifndef WPT
#define WPT 1
#endif
#ifndef STRIDED
#define STRIDED 0
#endif

/* c = a + b over n elements, WPT elements a work-item: contiguous runs, or
 * (STRIDED) one element per pass over the whole grid, so that neighbouring
 * work-items touch neighbouring elements. */
__kernel void vadd(__global const float *a, __global const float *b, __global float *c, int n) {
#if STRIDED
  int first = get_global_id(0), step = get_global_size(0);
#else
  int first = get_global_id(0) * WPT, step = 1;
#endif
  for (int w = 0; w < WPT; w++) {
    int i = first + w * step;
    if (i < n) c[i] = a[i] + b[i];
  }
}
