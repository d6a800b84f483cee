#ifndef COPTIMISERS_FUSED_KERNELS_H
#define COPTIMISERS_FUSED_KERNELS_H

// Vector kernels of the objective-driven optimisers (L-BFGS), written with
// fused multiply-adds: x + a*d is rounded once, as PyTorch's `add_(d, alpha=a)`
// and XLA's fused loops compute it. Every kernel calls `fma` explicitly and
// contracts nothing else, so the result is the same on every processor: on
// x86-64 a copy compiled for AVX2 with FMA runs when the processor has them,
// and the portable copy calls the C library's (exact) `fma` otherwise.
//
// Reductions follow one of three orders (`order`):
//   0  eight partial sums (element i goes to sum i mod 8, each updated by
//      fma(x, y, s)), combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
//      the remaining elements are then added in index order, again by fma;
//   1  MKL's ddot as torch.dot calls it on x86-64 (measured bit for bit): eight
//      partial sums of rounded products (s += x*y, no fma) over blocks of eight,
//      the remaining elements into sums 0 and 1 alternately, then
//      (((s0 + s2) + s4) + s6) + (((s1 + s3) + s5) + s7);
//   2  XLA's CPU dot (jnp.vdot, optax.tree.vdot): one fma chain in index order.

// out[i] = fma(a, d[i], x[i]); `out` may be `x`.
void optimisers_fused_axpy(double *out, const double *x, double a, const double *d, long n);
void optimisers_fused_axpyf(float *out, const float *x, float a, const float *d, long n);

// Σ x[i] * y[i] in the given order.
double optimisers_fused_dot(const double *x, const double *y, long n, int order);
double optimisers_fused_dotf(const float *x, const float *y, long n, int order);

// y[i] = fma(a, x[i], y[i]) * h, then Σ y[i] * z[i] over the new values in the
// given order (0 when `z` is null).
double optimisers_fused_axpy_scale_dot(double *y, double a, const double *x, double h, const double *z, long n,
                                       int order);
float optimisers_fused_axpy_scale_dotf(float *y, float a, const float *x, float h, const float *z, long n,
                                       int order);

// Σ x[i]² as XLA's CPU backend computes optax.tree.norm(x, squared=True)
// (measured bit for bit up to 32 elements): x[1]² rounded, then fma(x[0], x[0], ·),
// then fma(x[i], x[i], ·) for i = 2, 3, …
double optimisers_xla_squared_norm(const double *x, long n);
double optimisers_xla_squared_normf(const float *x, long n);

#endif
