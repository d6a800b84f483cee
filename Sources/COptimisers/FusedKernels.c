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
  /* Value j of the dot product's left side: y[j] <- (a x[j] + y[j]) h, stored and */          \
  /* returned; or x[j] itself when y == NULL (a plain dot product). */                         \
  ATTRIBUTE static inline T value_##SUFFIX(T *y, T a, const T *x, T h, long j) {               \
    if (!y) return x[j];                                                                       \
    T v = FMA(a, x[j], y[j]) * h;                                                              \
    y[j] = v;                                                                                  \
    return v;                                                                                  \
  }                                                                                            \
  ATTRIBUTE static T axpy_scale_dot_##SUFFIX(T *y, T a, const T *x, T h, const T *z, long n,   \
                                             int order) {                                      \
    if (z == NULL) {                                                                           \
      for (long i = 0; i < n; i++) y[i] = FMA(a, x[i], y[i]) * h;                              \
      return 0;                                                                                \
    }                                                                                          \
    long i = 0;                                                                                \
    T s[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                                         \
    if (order == 1) { /* MKL's ddot: products rounded, then added */                           \
      for (; i + 8 <= n; i += 8)                                                               \
        for (int k = 0; k < 8; k++)                                                            \
          s[k] = s[k] + value_##SUFFIX(y, a, x, h, i + k) * z[i + k];                          \
      for (; i < n; i++) s[i & 1] = s[i & 1] + value_##SUFFIX(y, a, x, h, i) * z[i];           \
      return (((s[0] + s[2]) + s[4]) + s[6]) + (((s[1] + s[3]) + s[5]) + s[7]);                \
    }                                                                                          \
    T total = 0;                                                                               \
    if (order != 2) { /* eight fused lanes; XLA (order 2) is one fused chain */                \
      for (; i + 8 <= n; i += 8)                                                               \
        for (int k = 0; k < 8; k++)                                                            \
          s[k] = FMA(value_##SUFFIX(y, a, x, h, i + k), z[i + k], s[k]);                       \
      total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));               \
    }                                                                                          \
    for (; i < n; i++) total = FMA(value_##SUFFIX(y, a, x, h, i), z[i], total);                \
    return total;                                                                              \
  }                                                                                            \
  ATTRIBUTE static T dot_##SUFFIX(const T *x, const T *y, long n, int order) {                \
    return axpy_scale_dot_##SUFFIX(NULL, 0, x, 1, y, n, order);                                \
  }                                                                                            \
  ATTRIBUTE static T squared_norm_xla_##SUFFIX(const T *x, long n) {                          \
    if (n == 0) return 0;                                                                      \
    if (n == 1) return x[0] * x[0];                                                            \
    T total = FMA(x[0], x[0], x[1] * x[1]);                                                    \
    for (long i = 2; i < n; i++) total = FMA(x[i], x[i], total);                               \
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
double optimisers_fused_dot(const double *x, const double *y, long n, int order) {
  return DISPATCH(dot, d, x, y, n, order);
}
double optimisers_fused_dotf(const float *x, const float *y, long n, int order) {
  return (double)DISPATCH(dot, f, x, y, n, order);
}
double optimisers_fused_axpy_scale_dot(double *y, double a, const double *x, double h, const double *z, long n,
                                       int order) {
  return DISPATCH(axpy_scale_dot, d, y, a, x, h, z, n, order);
}
float optimisers_fused_axpy_scale_dotf(float *y, float a, const float *x, float h, const float *z, long n,
                                       int order) {
  return DISPATCH(axpy_scale_dot, f, y, a, x, h, z, n, order);
}
double optimisers_xla_squared_norm(const double *x, long n) { return DISPATCH(squared_norm_xla, d, x, n); }
double optimisers_xla_squared_normf(const float *x, long n) { return (double)DISPATCH(squared_norm_xla, f, x, n); }
