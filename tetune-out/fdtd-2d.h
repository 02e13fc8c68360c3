/* Kernel fdtd-2d, exported by tetune as standalone C (no dependency on
 * tetune).
 *
 * PolyBench 4.2 fdtd-2d: TMAX steps of the 2-D finite-difference
 * time-domain method (electric fields ex, ey, magnetic field hz)
 *
 * Problem size large: TMAX=500 NX=1000 NY=1200; element type double.
 * Schedule template skewed2, configuration
 *   {"ts":16,"xs":8,"ys":128,"sk":1,"wf":false,"vec":true,"vw":8}.
 *
 * Build the .c file with the flags it was tuned with (cc -O3
 * -march=native -fopenmp); without -fopenmp it runs on one thread.
 * Usage: allocate the arrays with the shapes below, call tt_fdtd_2d_init,
 * then tt_fdtd_2d.
 */
#ifndef TT_FDTD_2D_H
#define TT_FDTD_2D_H

/* The problem size the code was generated and tuned for. */
enum { TT_FDTD_2D_TMAX = 500, TT_FDTD_2D_NX = 1000, TT_FDTD_2D_NY = 1200 };

/* Fills the inputs (ex, ey, hz, fict) with the kernel's deterministic initial values
 * (PolyBench's), the data the variant was validated on. */
void tt_fdtd_2d_init(double ex[restrict TT_FDTD_2D_NX][TT_FDTD_2D_NY], double ey[restrict TT_FDTD_2D_NX][TT_FDTD_2D_NY], double hz[restrict TT_FDTD_2D_NX][TT_FDTD_2D_NY], double fict[restrict TT_FDTD_2D_TMAX]);

/* Computes, at the size above, what this reference loop nest computes:
 *   for t in 0..TMAX {
 *     for j in 0..NY {
 *       ey[0, j] = fict[t]
 *     }
 *     for i in 1..NX {
 *       for j in 0..NY {
 *         ey[i, j] = ey[i, j] - 0.5 * (hz[i, j] - hz[i - 1, j])
 *       }
 *     }
 *     for i in 0..NX {
 *       for j in 1..NY {
 *         ex[i, j] = ex[i, j] - 0.5 * (hz[i, j] - hz[i, j - 1])
 *       }
 *     }
 *     for i in 0..NX - 1 {
 *       for j in 0..NY - 1 {
 *         hz[i, j] = hz[i, j] - 0.7 * (ex[i, j + 1] - ex[i, j] + ey[i + 1, j] - ey[i, j])
 *       }
 *     }
 *   }
 * Reads ex, ey, hz, fict; writes ex, ey, hz. Arrays must not overlap. */
void tt_fdtd_2d(double ex[restrict TT_FDTD_2D_NX][TT_FDTD_2D_NY], double ey[restrict TT_FDTD_2D_NX][TT_FDTD_2D_NY], double hz[restrict TT_FDTD_2D_NX][TT_FDTD_2D_NY], const double fict[restrict TT_FDTD_2D_TMAX]);

#endif /* TT_FDTD_2D_H */
