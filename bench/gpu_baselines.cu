/* The baselines bench/gpu.sh compares tetune's tuned CUDA variants with,
 * FP64, on PolyBench's inputs (as kernels/*.te initialise them):
 *   3mm       cuBLAS (three dgemm) and a naive kernel per product
 *   lu        cuSOLVER dgetrf without pivoting (devIpiv NULL, as PolyBench's
 *             lu) and naive right-looking kernels (a launch pair per column)
 *   cholesky  cuSOLVER dpotrf and naive right-looking kernels
 * The naive kernels are PolyBench-GPU's style: one thread per element,
 * 32 x 8 thread blocks, no tiling or shared memory.
 *
 * usage: gpu_baselines 3mm NI NJ NK NL NM | lu N | cholesky N
 * Prints one line per implementation, "KERNEL IMPL TIME_S" (median of 5
 * timed runs after a warm-up, cudaEvents around the computation only;
 * lu and cholesky restore their input before each run, untimed), then
 * "KERNEL check MAXREL": the largest difference between the vendor's and
 * the naive result relative to the largest element. */
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusolverDn.h>

#define CK(x)                                                                                      \
  do {                                                                                             \
    cudaError_t e_ = (x);                                                                          \
    if (e_ != cudaSuccess) {                                                                       \
      fprintf(stderr, "gpu_baselines: %s: %s\n", #x, cudaGetErrorString(e_));                      \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)
#define CKS(x)                                                                                     \
  do {                                                                                             \
    int s_ = (int)(x);                                                                             \
    if (s_ != 0) {                                                                                 \
      fprintf(stderr, "gpu_baselines: %s: status %d\n", #x, s_);                                   \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static const int REPEATS = 5;

/* Median device time of f() over REPEATS runs after one warm-up; before()
 * runs untimed ahead of each. */
template <class F, class G> static double timed(F f, G before) {
  cudaEvent_t a, b;
  CK(cudaEventCreate(&a));
  CK(cudaEventCreate(&b));
  std::vector<double> t;
  for (int r = 0; r <= REPEATS; r++) {
    before();
    CK(cudaDeviceSynchronize());
    CK(cudaEventRecord(a));
    f();
    CK(cudaEventRecord(b));
    CK(cudaEventSynchronize(b));
    CK(cudaGetLastError());
    float ms = 0;
    CK(cudaEventElapsedTime(&ms, a, b));
    if (r > 0) t.push_back(ms * 1e-3);
  }
  std::sort(t.begin(), t.end());
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  return t[t.size() / 2];
}

static dim3 grid2(long rows, long cols) {
  return dim3((unsigned)((cols + 31) / 32), (unsigned)((rows + 7) / 8));
}

/* C[NI][NJ] = A[NI][NK] B[NK][NJ], one thread per element. */
__global__ void naive_mm(double *C, const double *A, const double *B, int ni, int nj, int nk) {
  int j = blockIdx.x * blockDim.x + threadIdx.x, i = blockIdx.y * blockDim.y + threadIdx.y;
  if (i >= ni || j >= nj) return;
  double s = 0;
  for (int k = 0; k < nk; k++)
    s += A[(long)i * nk + k] * B[(long)k * nj + j];
  C[(long)i * nj + j] = s;
}

/* Column k of the right-looking factorisations: A[i][k] /= A[k][k], i > k. */
__global__ void naive_scale(double *A, int n, int k) {
  int i = k + 1 + blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) A[(long)i * n + k] /= A[(long)k * n + k];
}

/* LU's trailing update: A[i][j] -= A[i][k] A[k][j], i, j > k. */
__global__ void naive_lu_update(double *A, int n, int k) {
  int j = k + 1 + blockIdx.x * blockDim.x + threadIdx.x;
  int i = k + 1 + blockIdx.y * blockDim.y + threadIdx.y;
  if (i < n && j < n) A[(long)i * n + j] -= A[(long)i * n + k] * A[(long)k * n + j];
}

__global__ void naive_sqrt(double *A, int n, int k) {
  A[(long)k * n + k] = sqrt(A[(long)k * n + k]);
}

/* Cholesky's trailing update of the lower triangle: A[i][j] -= A[i][k] A[j][k],
 * k < j <= i. */
__global__ void naive_chol_update(double *A, int n, int k) {
  int j = k + 1 + blockIdx.x * blockDim.x + threadIdx.x;
  int i = k + 1 + blockIdx.y * blockDim.y + threadIdx.y;
  if (i < n && j <= i) A[(long)i * n + j] -= A[(long)i * n + k] * A[(long)j * n + k];
}

static double *upload(const std::vector<double> &h) {
  double *d;
  CK(cudaMalloc(&d, h.size() * sizeof(double)));
  CK(cudaMemcpy(d, h.data(), h.size() * sizeof(double), cudaMemcpyHostToDevice));
  return d;
}

static std::vector<double> download(const double *d, size_t n) {
  std::vector<double> h(n);
  CK(cudaMemcpy(h.data(), d, n * sizeof(double), cudaMemcpyDeviceToHost));
  return h;
}

/* max |x - y| / max |y| over the pairs (i, j) of an n x n matrix, with
 * y read transposed when ty. lower: j <= i only. */
static double maxrel(const std::vector<double> &x, const std::vector<double> &y, long n, int ty,
                     int lower) {
  double d = 0, m = 0;
  for (long i = 0; i < n; i++)
    for (long j = 0; j < (lower ? i + 1 : n); j++) {
      double yv = ty ? y[j * n + i] : y[i * n + j];
      d = std::max(d, std::fabs(x[i * n + j] - yv));
      m = std::max(m, std::fabs(yv));
    }
  return m > 0 ? d / m : d;
}

static void run_3mm(int ni, int nj, int nk, int nl, int nm) {
  std::vector<double> A((size_t)ni * nk), B((size_t)nk * nj), C((size_t)nj * nm),
      D((size_t)nm * nl);
  for (long i = 0; i < ni; i++)
    for (long k = 0; k < nk; k++)
      A[i * nk + k] = (double)((i * k + 1) % ni) / (5 * ni);
  for (long k = 0; k < nk; k++)
    for (long j = 0; j < nj; j++)
      B[k * nj + j] = (double)((k * (j + 1) + 2) % nj) / (5 * nj);
  for (long j = 0; j < nj; j++)
    for (long m = 0; m < nm; m++)
      C[j * nm + m] = (double)(j * (m + 3) % nl) / (5 * nl);
  for (long m = 0; m < nm; m++)
    for (long l = 0; l < nl; l++)
      D[m * nl + l] = (double)((m * (l + 2) + 2) % nk) / (5 * nk);
  double *dA = upload(A), *dB = upload(B), *dC = upload(C), *dD = upload(D), *E, *F, *G;
  CK(cudaMalloc(&E, (size_t)ni * nj * sizeof(double)));
  CK(cudaMalloc(&F, (size_t)nj * nl * sizeof(double)));
  CK(cudaMalloc(&G, (size_t)ni * nl * sizeof(double)));
  cublasHandle_t h;
  CKS(cublasCreate(&h));
  const double one = 1, zero = 0;
  /* row-major X = Y Z is column-major X^T = Z^T Y^T */
  double t = timed(
      [&] {
        CKS(cublasDgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, nj, ni, nk, &one, dB, nj, dA, nk, &zero, E,
                        nj));
        CKS(cublasDgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, nl, nj, nm, &one, dD, nl, dC, nm, &zero, F,
                        nl));
        CKS(cublasDgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, nl, ni, nj, &one, F, nl, E, nj, &zero, G, nl));
      },
      [] {});
  printf("3mm cublas %.6e\n", t);
  std::vector<double> g = download(G, (size_t)ni * nl);
  t = timed(
      [&] {
        naive_mm<<<grid2(ni, nj), dim3(32, 8)>>>(E, dA, dB, ni, nj, nk);
        naive_mm<<<grid2(nj, nl), dim3(32, 8)>>>(F, dC, dD, nj, nl, nm);
        naive_mm<<<grid2(ni, nl), dim3(32, 8)>>>(G, E, F, ni, nl, nj);
      },
      [] {});
  printf("3mm naive %.6e\n", t);
  std::vector<double> gn = download(G, (size_t)ni * nl);
  double d = 0, m = 0;
  for (size_t i = 0; i < g.size(); i++) {
    d = std::max(d, std::fabs(g[i] - gn[i]));
    m = std::max(m, std::fabs(g[i]));
  }
  printf("3mm check %.3e\n", m > 0 ? d / m : d);
  cublasDestroy(h);
}

/* PolyBench's lu and cholesky input, A = L0 L0^T (symmetric positive
 * definite), built on the device with one dgemm. */
static double *spd_input(int n) {
  std::vector<double> L((size_t)n * n);
  for (long i = 0; i < n; i++)
    for (long j = 0; j < n; j++)
      L[i * n + j] = j < i ? -(double)(j % n) / n + 1 : (j == i ? 1.0 : 0.0);
  double *dL = upload(L), *A;
  CK(cudaMalloc(&A, (size_t)n * n * sizeof(double)));
  cublasHandle_t h;
  CKS(cublasCreate(&h));
  const double one = 1, zero = 0;
  /* column-major view of row-major L0 is M = L0^T; A = M^T M = L0 L0^T */
  CKS(cublasDgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, n, n, n, &one, dL, n, dL, n, &zero, A, n));
  CK(cudaDeviceSynchronize());
  cublasDestroy(h);
  cudaFree(dL);
  return A;
}

static void run_factor(const char *kernel, int n) {
  int chol = strcmp(kernel, "cholesky") == 0;
  size_t bytes = (size_t)n * n * sizeof(double);
  double *A0 = spd_input(n), *A, *work;
  int *info;
  CK(cudaMalloc(&A, bytes));
  CK(cudaMalloc(&info, sizeof(int)));
  cusolverDnHandle_t h;
  CKS(cusolverDnCreate(&h));
  int lwork = 0;
  if (chol)
    CKS(cusolverDnDpotrf_bufferSize(h, CUBLAS_FILL_MODE_UPPER, n, A, n, &lwork));
  else
    CKS(cusolverDnDgetrf_bufferSize(h, n, n, A, n, &lwork));
  CK(cudaMalloc(&work, (size_t)std::max(lwork, 1) * sizeof(double)));
  auto restore = [&] { CK(cudaMemcpy(A, A0, bytes, cudaMemcpyDeviceToDevice)); };
  /* A is symmetric: column-major sees the same matrix. Row-major lower L
   * is column-major upper U = L^T (potrf UPPER); getrf's column-major
   * factors are the transpose of the row-major ones. */
  double t = timed(
      [&] {
        if (chol)
          CKS(cusolverDnDpotrf(h, CUBLAS_FILL_MODE_UPPER, n, A, n, work, lwork, info));
        else
          CKS(cusolverDnDgetrf(h, n, n, A, n, work, NULL, info));
      },
      restore);
  int hinfo = 0;
  CK(cudaMemcpy(&hinfo, info, sizeof(int), cudaMemcpyDeviceToHost));
  printf("%s cusolver %.6e%s\n", kernel, t, hinfo ? " (info != 0)" : "");
  std::vector<double> v = download(A, (size_t)n * n);
  t = timed(
      [&] {
        for (int k = 0; k < n; k++) {
          if (chol) naive_sqrt<<<1, 1>>>(A, n, k);
          if (k + 1 == n) break;
          naive_scale<<<(n - k - 1 + 255) / 256, 256>>>(A, n, k);
          if (chol)
            naive_chol_update<<<grid2(n - k - 1, n - k - 1), dim3(32, 8)>>>(A, n, k);
          else
            naive_lu_update<<<grid2(n - k - 1, n - k - 1), dim3(32, 8)>>>(A, n, k);
        }
      },
      restore);
  printf("%s naive %.6e\n", kernel, t);
  std::vector<double> nv = download(A, (size_t)n * n);
  printf("%s check %.3e\n", kernel, maxrel(nv, v, n, !chol, chol));
  cusolverDnDestroy(h);
  cudaFree(work);
  cudaFree(info);
  cudaFree(A);
  cudaFree(A0);
}

int main(int argc, char **argv) {
  if (argc == 7 && strcmp(argv[1], "3mm") == 0)
    run_3mm(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
  else if (argc == 3 && (strcmp(argv[1], "lu") == 0 || strcmp(argv[1], "cholesky") == 0))
    run_factor(argv[1], atoi(argv[2]));
  else {
    fprintf(stderr, "usage: gpu_baselines 3mm NI NJ NK NL NM | lu N | cholesky N\n");
    return 2;
  }
  return 0;
}
