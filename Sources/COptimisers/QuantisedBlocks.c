#include "COptimisersQuantisedBlocks.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

// The bucket layout of a map's tables (see the header).
enum { BUCKETS_PER_SIGN = 24 * 256 + 1, LOWEST_BUCKET = 103 << 8 };

static inline uint32_t bits_of(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}

static inline float float_of(uint32_t b) {
  float x;
  memcpy(&x, &b, 4);
  return x;
}

// The code of the map value nearest u (|u| ≤ 1 up to rounding): the bucket of
// |u|'s exponent and top 8 significand bits gives two neighbouring codes, and
// one comparison with their midpoint picks one.
static inline uint8_t code_of(float u, const uint16_t *pairs, const float *thresholds) {
  uint32_t bits = bits_of(u), magnitude = bits & 0x7FFFFFFFu;
  long bucket = (long)(magnitude >> 15) - LOWEST_BUCKET;
  bucket = bucket < 0 ? 0 : (bucket >= BUCKETS_PER_SIGN ? BUCKETS_PER_SIGN - 1 : bucket);
  long index = (long)(bits >> 31) * BUCKETS_PER_SIGN + bucket;
  uint16_t pair = pairs[index];
  return (uint8_t)(float_of(magnitude) > thresholds[index] ? pair >> 8 : pair);
}

// The largest magnitude of x[0..<n] (NaN ignored) and Σ x[i]·0, which is NaN
// exactly when some value is NaN or ±∞ (the order of the sum cannot matter).
static inline void scan_portable(const float *x, long n, float *largest, float *poison) {
  float l = 0, p = 0;
  for (long i = 0; i < n; i++) {
    float a = float_of(bits_of(x[i]) & 0x7FFFFFFFu);
    l = a > l ? a : l;
    p += x[i] * 0.0f;
  }
  *largest = l;
  *poison = p;
}

// Decides the scale; returns 1 when the codes still have to be written.
static inline int settle(float largest, float poison, long n, uint8_t *codes, uint8_t zero_code, float *scale) {
  if (poison != 0 || largest - largest != 0) {
    *scale = float_of(0x7FC00000u);
    return 0;
  }
  *scale = largest;
  if (largest == 0) {
    memset(codes, zero_code, (size_t)n);
    return 0;
  }
  return 1;
}

static void dequantise_portable(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  for (long i = 0; i < n; i++) out[i] = values[codes[i]] * scale;
}

static float quantise_portable(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                               const float *thresholds, uint8_t zero_code) {
  float largest, poison, scale;
  scan_portable(x, n, &largest, &poison);
  if (!settle(largest, poison, n, codes, zero_code, &scale)) return scale;
  float inverse = 1.0f / largest;
  if (inverse - inverse == 0) {
    for (long i = 0; i < n; i++) codes[i] = code_of(x[i] * inverse, pairs, thresholds);
  } else {
    for (long i = 0; i < n; i++) codes[i] = code_of(x[i] / largest, pairs, thresholds);
  }
  return scale;
}

void optimisers_dequantise_block_portable(float *out, const uint8_t *codes, long n, const float *values,
                                          float scale) {
  dequantise_portable(out, codes, n, values, scale);
}

float optimisers_quantise_block_portable(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                                         const float *thresholds, uint8_t zero_code) {
  return quantise_portable(codes, x, n, pairs, thresholds, zero_code);
}

// Integer-only conversions: the compiler vectorises them on any target.
void optimisers_bfloat16_widen(float *out, const uint16_t *bits, long n) {
  uint32_t *o = (uint32_t *)out;
  for (long i = 0; i < n; i++) o[i] = (uint32_t)bits[i] << 16;
}

void optimisers_bfloat16_narrow(uint16_t *out, const float *x, long n) {
  const uint32_t *b = (const uint32_t *)x;
  for (long i = 0; i < n; i++) {
    uint32_t bits = b[i];
    // Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even.
    uint32_t rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
    uint32_t quiet = (bits >> 16) | 0x0040u;
    int nan = (bits & 0x7FFFFFFFu) > 0x7F800000u;
    out[i] = (uint16_t)(nan ? quiet : rounded);
  }
}

static inline uint64_t splitmix_finaliser(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void optimisers_bfloat16_narrow_stochastic(uint16_t *out, const float *x, long n, uint64_t stream, long first) {
  const uint32_t *b = (const uint32_t *)x;
  uint64_t word = 0;
  for (long i = 0; i < n; i++) {
    long index = first + i;
    // One finaliser gives the 16-bit draws of four consecutive elements.
    if (i == 0 || (index & 3) == 0)
      word = splitmix_finaliser(stream + (uint64_t)(index >> 2) * 0x9E3779B97F4A7C15ull);
    uint32_t bits = b[i], random = (uint32_t)(word >> ((index & 3) << 4)) & 0xFFFFu;
    int finite = (bits & 0x7F800000u) != 0x7F800000u;
    if (finite) {
      out[i] = (uint16_t)((bits + random) >> 16);
    } else {
      optimisers_bfloat16_narrow(out + i, x + i, 1);
    }
  }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

AVX2 static void dequantise_avx2(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  __m256 s = _mm256_set1_ps(scale);
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i index = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(codes + i)));
    _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_i32gather_ps(values, index, 4), s));
  }
  for (; i < n; i++) out[i] = values[codes[i]] * scale;
}

// Eight codes of u (as code_of), packed into the low 8 bytes.
AVX2 static inline __m128i codes_avx2(__m256 u, const uint16_t *pairs, const float *thresholds) {
  __m256i bits = _mm256_castps_si256(u);
  __m256i magnitude = _mm256_and_si256(bits, _mm256_set1_epi32(0x7FFFFFFF));
  __m256i bucket = _mm256_sub_epi32(_mm256_srli_epi32(magnitude, 15), _mm256_set1_epi32(LOWEST_BUCKET));
  bucket = _mm256_min_epi32(_mm256_max_epi32(bucket, _mm256_setzero_si256()), _mm256_set1_epi32(BUCKETS_PER_SIGN - 1));
  __m256i side = _mm256_and_si256(_mm256_srai_epi32(bits, 31), _mm256_set1_epi32(BUCKETS_PER_SIGN));
  __m256i index = _mm256_add_epi32(bucket, side);
  __m256 threshold = _mm256_i32gather_ps(thresholds, index, 4);
  __m256i pair = _mm256_i32gather_epi32((const int *)pairs, index, 2);
  __m256i above = _mm256_castps_si256(_mm256_cmp_ps(_mm256_castsi256_ps(magnitude), threshold, _CMP_GT_OQ));
  __m256i code = _mm256_blendv_epi8(pair, _mm256_srli_epi32(pair, 8), above);
  // Byte 0 of each 32-bit lane to the front of its 128-bit half, then the halves together.
  __m256i gathered = _mm256_shuffle_epi8(
      code, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12, -1, -1, -1,
                             -1, -1, -1, -1, -1, -1, -1, -1, -1));
  __m256i packed = _mm256_permutevar8x32_epi32(gathered, _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1));
  return _mm256_castsi256_si128(packed);
}

AVX2 static float quantise_avx2(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                                const float *thresholds, uint8_t zero_code) {
  __m256 absolute = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF)), zero = _mm256_setzero_ps();
  __m256 l8 = zero, p8 = zero;
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    // maxps returns its second operand when either is NaN: NaN is ignored.
    l8 = _mm256_max_ps(_mm256_and_ps(v, absolute), l8);
    p8 = _mm256_add_ps(p8, _mm256_mul_ps(v, zero));
  }
  float lanes[8], sums[8], largest, poison;
  _mm256_storeu_ps(lanes, l8);
  _mm256_storeu_ps(sums, p8);
  scan_portable(x + i, n - i, &largest, &poison);
  for (int k = 0; k < 8; k++) {
    largest = lanes[k] > largest ? lanes[k] : largest;
    poison += sums[k];
  }
  float scale;
  if (!settle(largest, poison, n, codes, zero_code, &scale)) return scale;
  float inverse = 1.0f / largest;
  int multiply = inverse - inverse == 0;
  __m256 factor = _mm256_set1_ps(multiply ? inverse : largest);
  for (i = 0; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    __m256 u = multiply ? _mm256_mul_ps(v, factor) : _mm256_div_ps(v, factor);
    _mm_storel_epi64((__m128i *)(codes + i), codes_avx2(u, pairs, thresholds));
  }
  for (; i < n; i++) codes[i] = code_of(multiply ? x[i] * inverse : x[i] / largest, pairs, thresholds);
  return scale;
}

static int has_avx2(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx2");
  }
  return cached;
}

void optimisers_dequantise_block(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  if (has_avx2()) dequantise_avx2(out, codes, n, values, scale);
  else dequantise_portable(out, codes, n, values, scale);
}

float optimisers_quantise_block(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                                const float *thresholds, uint8_t zero_code) {
  return has_avx2() ? quantise_avx2(codes, x, n, pairs, thresholds, zero_code)
                    : quantise_portable(codes, x, n, pairs, thresholds, zero_code);
}
#else
void optimisers_dequantise_block(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  dequantise_portable(out, codes, n, values, scale);
}

float optimisers_quantise_block(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                                const float *thresholds, uint8_t zero_code) {
  return quantise_portable(codes, x, n, pairs, thresholds, zero_code);
}
#endif
