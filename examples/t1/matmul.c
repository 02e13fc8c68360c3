/* A C/OpenMP kernel whose tunable parameters are preprocessor macros, as
 * Kernel Tuner users write them: tetune compiles it once per configuration
 * with -DTILE_I=... -DTILE_J=... -DTILE_K=... -DPAR=... (see matmul.t1.json). */
#ifndef TILE_I
#define TILE_I 16
#endif
#ifndef TILE_J
#define TILE_J 16
#endif
#ifndef TILE_K
#define TILE_K 16
#endif
#ifndef PAR
#define PAR 0
#endif

/* C[n][n] = A[n][n] * B[n][n], tiled. */
void matmul(const double *A, const double *B, double *C, int n) {
#if PAR
#pragma omp parallel for schedule(static)
#endif
  for (int ii = 0; ii < n; ii += TILE_I)
    for (int jj = 0; jj < n; jj += TILE_J) {
      for (int i = ii; i < ii + TILE_I && i < n; i++)
        for (int j = jj; j < jj + TILE_J && j < n; j++)
          C[i * n + j] = 0;
      for (int kk = 0; kk < n; kk += TILE_K)
        for (int i = ii; i < ii + TILE_I && i < n; i++)
          for (int k = kk; k < kk + TILE_K && k < n; k++) {
            double a = A[i * n + k];
            for (int j = jj; j < jj + TILE_J && j < n; j++)
              C[i * n + j] += a * B[k * n + j];
          }
    }
}

/* The reference implementation the variants are checked against. */
void matmul_ref(const double *A, const double *B, double *C, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int k = 0; k < n; k++)
        s += A[i * n + k] * B[k * n + j];
      C[i * n + j] = s;
    }
}
