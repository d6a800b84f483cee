#include "COptimisersMatrixProduct.h"
#include <stdint.h>
#include <string.h>

// Nothing is contracted: each product is rounded, then added (see the header).
#pragma STDC FP_CONTRACT OFF

enum { MR = 6, KC = 256, NC = 4080 };

typedef float f8 __attribute__((ext_vector_type(8)));
typedef double d4 __attribute__((ext_vector_type(4)));

static long round_up(long x, long to) { return (x + to - 1) / to * to; }
static long smaller(long x, long y) { return x < y ? x : y; }
static long rows_per_block(int is_double) { return is_double ? 72 : 144; }
long optimisers_matrix_product_tile_rows(void) { return MR; }
long optimisers_matrix_product_tile_columns(int is_double) { return is_double ? 8 : 16; }

// The packed block of A (MC x KC) comes first, then B's (KC x NC); both 64-byte aligned.
static long packed_a_bytes(int is_double) { return round_up(rows_per_block(is_double) * KC * (is_double ? 8 : 4), 64); }

long optimisers_matrix_product_workspace_bytes(long k, long n, int is_double) {
  long depth = k < 1 ? 1 : smaller(k, KC);
  long columns = round_up(smaller(n < 1 ? 1 : n, NC), optimisers_matrix_product_tile_columns(is_double));
  return 64 + packed_a_bytes(is_double) + depth * columns * (is_double ? 8 : 4);
}

static char *aligned(void *workspace) { return (char *)(((uintptr_t)workspace + 63) & ~(uintptr_t)63); }

// One row of the register tile: c_r0, c_r1 += a[r] * (b0, b1), the product
// rounded, then the sum (two instructions; Zen's separate add pipes keep the
// fused multiply-add's throughput).
#define TILE_ROW(r, V)                                                                         \
  x = (V)(a[r]);                                                                               \
  c##r##0 = c##r##0 + x * b0;                                                                  \
  c##r##1 = c##r##1 + x * b1;
#define TILE_LOAD(r, V, W)                                                                     \
  if (first) c##r##0 = c##r##1 = (V)(0);                                                       \
  else {                                                                                       \
    memcpy(&c##r##0, out + r * stride, sizeof(V));                                             \
    memcpy(&c##r##1, out + r * stride + W, sizeof(V));                                         \
  }
#define TILE_STORE(r, V, W)                                                                    \
  memcpy(out + r * stride, &c##r##0, sizeof(V));                                               \
  memcpy(out + r * stride + W, &c##r##1, sizeof(V));

// The micro-kernel, the packing and the loops around them for one scalar type
// T in vectors V of W lanes (NR = 2W columns), MC rows per block of A.
#define DEFINE_PRODUCT(SUFFIX, T, V, W, MC, ATTRIBUTE)                                   \
  /* C[0..<rows, 0..<columns] (row stride ldc) gains the kc products of a 6-row panel of A     \
     and a 2W-column panel of B; starts from 0 when `first`. */                                \
  ATTRIBUTE static void kernel_##SUFFIX(long kc, const T *a, const T *b, T *c, long ldc, long rows, \
                                        long columns, int first) {                            \
    T edge[MR * 2 * W];                                                                        \
    T *out = c;                                                                                \
    long stride = ldc;                                                                         \
    int full = rows == MR && columns == 2 * W;                                                 \
    if (!full) {                                                                               \
      out = edge, stride = 2 * W;                                                              \
      for (long i = 0; i < MR * 2 * W; i++) edge[i] = 0;                                       \
      if (!first)                                                                              \
        for (long i = 0; i < rows; i++)                                                        \
          for (long j = 0; j < columns; j++) edge[i * 2 * W + j] = c[i * ldc + j];             \
    }                                                                                          \
    V c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, b0, b1, x;                   \
    TILE_LOAD(0, V, W) TILE_LOAD(1, V, W) TILE_LOAD(2, V, W)                                   \
    TILE_LOAD(3, V, W) TILE_LOAD(4, V, W) TILE_LOAD(5, V, W)                                   \
    for (long p = 0; p < kc; p++) {                                                            \
      memcpy(&b0, b, sizeof(V));                                                               \
      memcpy(&b1, b + W, sizeof(V));                                                           \
      TILE_ROW(0, V) TILE_ROW(1, V) TILE_ROW(2, V)                           \
      TILE_ROW(3, V) TILE_ROW(4, V) TILE_ROW(5, V)                           \
      a += MR;                                                                                 \
      b += 2 * W;                                                                              \
    }                                                                                          \
    TILE_STORE(0, V, W) TILE_STORE(1, V, W) TILE_STORE(2, V, W)                                \
    TILE_STORE(3, V, W) TILE_STORE(4, V, W) TILE_STORE(5, V, W)                                \
    if (!full)                                                                                 \
      for (long i = 0; i < rows; i++)                                                          \
        for (long j = 0; j < columns; j++) c[i * ldc + j] = edge[i * 2 * W + j];               \
  }                                                                                            \
  /* Rows i0..<i0+mc, depths p0..<p0+kc of A as panels of MR rows, depth after depth. */       \
  ATTRIBUTE static void pack_a_##SUFFIX(const T *a, long rs, long cs, long i0, long mc, long p0, long kc, \
                                        T *to) {                                              \
    for (long r = 0; r < mc; r += MR) {                                                        \
      long live = smaller(MR, mc - r);                                                         \
      const T *from = a + (i0 + r) * rs + p0 * cs;                                             \
      for (long p = 0; p < kc; p++, to += MR) {                                                \
        for (long l = 0; l < live; l++) to[l] = from[p * cs + l * rs];                         \
        for (long l = live; l < MR; l++) to[l] = 0;                                            \
      }                                                                                        \
    }                                                                                          \
  }                                                                                            \
  /* Depths p0..<p0+kc, columns j0..<j0+nc of B as panels of 2W columns, depth after depth. */ \
  ATTRIBUTE static void pack_b_##SUFFIX(const T *b, long rs, long cs, long p0, long kc, long j0, long nc, \
                                        T *to) {                                              \
    for (long j = 0; j < nc; j += 2 * W) {                                                     \
      long live = smaller(2 * W, nc - j);                                                      \
      const T *from = b + p0 * rs + (j0 + j) * cs;                                             \
      for (long p = 0; p < kc; p++, to += 2 * W) {                                             \
        if (cs == 1 && live == 2 * W) {                                                        \
          memcpy(to, from + p * rs, 2 * W * sizeof(T));                                        \
          continue;                                                                            \
        }                                                                                      \
        for (long l = 0; l < live; l++) to[l] = from[p * rs + l * cs];                         \
        for (long l = live; l < 2 * W; l++) to[l] = 0;                                         \
      }                                                                                        \
    }                                                                                          \
  }                                                                                            \
  ATTRIBUTE static void block_##SUFFIX(const optimisers_matrix_operands *product, long r0, long r1, \
                                       long c0, long c1, void *workspace) {                   \
    const T *A = product->a, *B = product->b;                                                  \
    T *C = product->c;                                                                         \
    long k = product->k, ldc = product->c_row_stride, nr = 2 * W;                              \
    int upper = product->upper;                                                                \
    if (k == 0) {                                                                              \
      for (long i = r0; i < r1; i++)                                                           \
        for (long j = c0; j < c1; j++) C[i * ldc + j] = 0;                                     \
      return;                                                                                  \
    }                                                                                          \
    T *packed_a = (T *)aligned(workspace);                                                     \
    T *packed_b = (T *)((char *)packed_a + packed_a_bytes(sizeof(T) == 8));                    \
    /* Upper triangle: columns left of the first row are never needed. */                     \
    if (upper && r0 > c0) c0 += (smaller(r0, c1) - c0) / nr * nr;                              \
    for (long jc = c0; jc < c1; jc += NC) {                                                    \
      long nc = smaller(NC, c1 - jc);                                                          \
      for (long pc = 0; pc < k; pc += KC) {                                                    \
        long kc = smaller(KC, k - pc);                                                         \
        pack_b_##SUFFIX(B, product->b_row_stride, product->b_column_stride, pc, kc, jc, nc, packed_b); \
        for (long ic = r0; ic < r1; ic += MC) {                                                \
          long mc = smaller(MC, r1 - ic);                                                      \
          if (upper && jc + nc <= ic) break;                                                   \
          pack_a_##SUFFIX(A, product->a_row_stride, product->a_column_stride, ic, mc, pc, kc, packed_a); \
          for (long jr = 0; jr < nc; jr += nr) {                                               \
            long columns = smaller(nr, nc - jr);                                               \
            for (long ir = 0; ir < mc; ir += MR) {                                             \
              /* A tile wholly left of the diagonal: the mirror fills it. */                   \
              if (upper && jc + jr + columns <= ic + ir) break;                                \
              kernel_##SUFFIX(kc, packed_a + ir * kc, packed_b + jr * kc, C + (ic + ir) * ldc + jc + jr, \
                              ldc, smaller(MR, mc - ir), columns, pc == 0);                    \
            }                                                                                  \
          }                                                                                    \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
  }

#define PORTABLE
DEFINE_PRODUCT(portable_f, float, f8, 8, 144, PORTABLE)
DEFINE_PRODUCT(portable_d, double, d4, 4, 72, PORTABLE)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(__AVX2__)
#define HASWELL __attribute__((target("avx2")))
DEFINE_PRODUCT(haswell_f, float, f8, 8, 144, HASWELL)
DEFINE_PRODUCT(haswell_d, double, d4, 4, 72, HASWELL)
// Decided once: the processor does not change under a running process.
static int has_avx2(void) {
  static int answer = -1;
  if (answer < 0) {
    __builtin_cpu_init();
    answer = __builtin_cpu_supports("avx2") ? 1 : 0;
  }
  return answer;
}
#define PRODUCT(SUFFIX) (has_avx2() ? block_haswell_##SUFFIX : block_portable_##SUFFIX)
#else
#define PRODUCT(SUFFIX) block_portable_##SUFFIX
#endif

void optimisers_matrix_productf(const optimisers_matrix_operands *product, long row_begin, long row_end,
                                long column_begin, long column_end, void *workspace) {
  PRODUCT(f)(product, row_begin, row_end, column_begin, column_end, workspace);
}
void optimisers_matrix_product(const optimisers_matrix_operands *product, long row_begin, long row_end,
                               long column_begin, long column_end, void *workspace) {
  PRODUCT(d)(product, row_begin, row_end, column_begin, column_end, workspace);
}

// In 32 x 32 blocks, so both the rows read and the rows written stay in cache.
#define DEFINE_MIRROR(NAME, T)                                                                 \
  void NAME(T *c, long n, long ldc) {                                                          \
    for (long i0 = 0; i0 < n; i0 += 32)                                                        \
      for (long j0 = 0; j0 <= i0; j0 += 32)                                                    \
        for (long i = i0; i < smaller(i0 + 32, n); i++)                                        \
          for (long j = j0; j < smaller(j0 + 32, i); j++) c[i * ldc + j] = c[j * ldc + i];     \
  }
DEFINE_MIRROR(optimisers_mirror_upperf, float)
DEFINE_MIRROR(optimisers_mirror_upper, double)
