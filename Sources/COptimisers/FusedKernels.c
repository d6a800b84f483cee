#include "COptimisersFusedKernels.h"
#include <math.h>
#include <stddef.h>

#pragma STDC FP_CONTRACT OFF

// Each kernel is written once as a macro and instantiated twice per scalar
// type: a portable copy and, on x86-64, a copy for processors with AVX2 and
// FMA. Both compute the same roundings.
#define DEFINE_KERNELS(SUFFIX, T, FMA, ATTRIBUTE)                                              \
  ATTRIBUTE static void axpy_##SUFFIX(T *out, const T *x, T a, const T *d, long n) {          \
    for (long i = 0; i < n; i++) out[i] = FMA(a, d[i], x[i]);                                  \
  }                                                                                            \
  ATTRIBUTE static T dot_##SUFFIX(const T *x, const T *y, long n) {                           \
    T s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;                          \
    long i = 0;                                                                                \
    for (; i + 8 <= n; i += 8) {                                                               \
      s0 = FMA(x[i], y[i], s0); s1 = FMA(x[i + 1], y[i + 1], s1);                              \
      s2 = FMA(x[i + 2], y[i + 2], s2); s3 = FMA(x[i + 3], y[i + 3], s3);                      \
      s4 = FMA(x[i + 4], y[i + 4], s4); s5 = FMA(x[i + 5], y[i + 5], s5);                      \
      s6 = FMA(x[i + 6], y[i + 6], s6); s7 = FMA(x[i + 7], y[i + 7], s7);                      \
    }                                                                                          \
    T total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));                               \
    for (; i < n; i++) total = FMA(x[i], y[i], total);                                         \
    return total;                                                                              \
  }                                                                                            \
  ATTRIBUTE static T axpy_scale_dot_##SUFFIX(T *y, T a, const T *x, T h, const T *z, long n) { \
    if (z == NULL) {                                                                           \
      for (long i = 0; i < n; i++) y[i] = FMA(a, x[i], y[i]) * h;                              \
      return 0;                                                                                \
    }                                                                                          \
    T s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;                          \
    long i = 0;                                                                                \
    for (; i + 8 <= n; i += 8) {                                                               \
      T v0 = FMA(a, x[i], y[i]) * h, v1 = FMA(a, x[i + 1], y[i + 1]) * h;                      \
      T v2 = FMA(a, x[i + 2], y[i + 2]) * h, v3 = FMA(a, x[i + 3], y[i + 3]) * h;              \
      T v4 = FMA(a, x[i + 4], y[i + 4]) * h, v5 = FMA(a, x[i + 5], y[i + 5]) * h;              \
      T v6 = FMA(a, x[i + 6], y[i + 6]) * h, v7 = FMA(a, x[i + 7], y[i + 7]) * h;              \
      y[i] = v0; y[i + 1] = v1; y[i + 2] = v2; y[i + 3] = v3;                                  \
      y[i + 4] = v4; y[i + 5] = v5; y[i + 6] = v6; y[i + 7] = v7;                              \
      s0 = FMA(v0, z[i], s0); s1 = FMA(v1, z[i + 1], s1);                                      \
      s2 = FMA(v2, z[i + 2], s2); s3 = FMA(v3, z[i + 3], s3);                                  \
      s4 = FMA(v4, z[i + 4], s4); s5 = FMA(v5, z[i + 5], s5);                                  \
      s6 = FMA(v6, z[i + 6], s6); s7 = FMA(v7, z[i + 7], s7);                                  \
    }                                                                                          \
    T total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));                               \
    for (; i < n; i++) {                                                                       \
      T v = FMA(a, x[i], y[i]) * h;                                                            \
      y[i] = v;                                                                                \
      total = FMA(v, z[i], total);                                                             \
    }                                                                                          \
    return total;                                                                              \
  }

#define PORTABLE
DEFINE_KERNELS(portable_d, double, __builtin_fma, PORTABLE)
DEFINE_KERNELS(portable_f, float, __builtin_fmaf, PORTABLE)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define HASWELL __attribute__((target("avx2,fma")))
DEFINE_KERNELS(haswell_d, double, __builtin_fma, HASWELL)
DEFINE_KERNELS(haswell_f, float, __builtin_fmaf, HASWELL)

static int has_fma(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }
  return cached;
}
#define DISPATCH(NAME, SUFFIX, ...) (has_fma() ? NAME##_haswell_##SUFFIX(__VA_ARGS__) : NAME##_portable_##SUFFIX(__VA_ARGS__))
#else
#define DISPATCH(NAME, SUFFIX, ...) NAME##_portable_##SUFFIX(__VA_ARGS__)
#endif

void optimisers_fused_axpy(double *out, const double *x, double a, const double *d, long n) {
  DISPATCH(axpy, d, out, x, a, d, n);
}
void optimisers_fused_axpyf(float *out, const float *x, float a, const float *d, long n) {
  DISPATCH(axpy, f, out, x, a, d, n);
}
double optimisers_fused_dot(const double *x, const double *y, long n) { return DISPATCH(dot, d, x, y, n); }
double optimisers_fused_dotf(const float *x, const float *y, long n) { return (double)DISPATCH(dot, f, x, y, n); }
double optimisers_fused_axpy_scale_dot(double *y, double a, const double *x, double h, const double *z, long n) {
  return DISPATCH(axpy_scale_dot, d, y, a, x, h, z, n);
}
float optimisers_fused_axpy_scale_dotf(float *y, float a, const float *x, float h, const float *z, long n) {
  return DISPATCH(axpy_scale_dot, f, y, a, x, h, z, n);
}
