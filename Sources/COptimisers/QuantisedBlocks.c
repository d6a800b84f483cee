#include "COptimisersQuantisedBlocks.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

// The bucket layout of a map's table (see the header).
enum { BUCKETS_PER_SIGN = 24 * 256 + 1, LOWEST_BUCKET = 103 << 8, BLOCK = 256 };

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

// The code of the map value nearest u (|u| ≤ 1 up to rounding): |u|'s exponent
// and top 8 significand bits pick a bucket, whose entry holds the two codes it
// can give and, in its top bits, the low 15 bits of the threshold magnitude
// (every magnitude in a bucket shares the other 17 bits).
static inline uint8_t code_of(float u, const uint32_t *buckets) {
  uint32_t bits = bits_of(u), magnitude = bits & 0x7FFFFFFFu;
  long bucket = (long)(magnitude >> 15) - LOWEST_BUCKET;
  bucket = bucket < 0 ? 0 : (bucket >= BUCKETS_PER_SIGN ? BUCKETS_PER_SIGN - 1 : bucket);
  uint32_t entry = buckets[(long)(bits >> 31) * BUCKETS_PER_SIGN + bucket];
  return (uint8_t)((magnitude & 0x7FFFu) > (entry >> 16) ? entry >> 8 : entry);
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

// Decides the scale and, when the codes still have to be written, returns 1
// with the factor the values are multiplied by (or divided by when
// *multiply is 0, because 1 / largest overflows).
static inline int settle(float largest, float poison, long n, const optimisers_quantisation_map *map, uint8_t *codes,
                         float *scale, float *factor, int *multiply) {
  if (poison != 0 || largest - largest != 0) {
    *scale = float_of(0x7FC00000u);
    return 0;
  }
  *scale = largest;
  if (largest == 0) {
    memset(codes, map->zero_code, (size_t)n);
    return 0;
  }
  float inverse = 1.0f / largest;
  *multiply = inverse - inverse == 0;
  *factor = *multiply ? inverse : largest;
  return 1;
}

static inline void encode_portable(uint8_t *codes, const float *x, long n, const uint32_t *buckets, float factor,
                                   int multiply) {
  for (long i = 0; i < n; i++) codes[i] = code_of(multiply ? x[i] * factor : x[i] / factor, buckets);
}

static float quantise_portable(uint8_t *codes, const float *x, long n, const optimisers_quantisation_map *map) {
  float largest, poison, scale, factor;
  int multiply;
  scan_portable(x, n, &largest, &poison);
  if (settle(largest, poison, n, map, codes, &scale, &factor, &multiply))
    encode_portable(codes, x, n, map->buckets, factor, multiply);
  return scale;
}

static void dequantise_portable(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  for (long i = 0; i < n; i++) out[i] = values[codes[i]] * scale;
}

void optimisers_dequantise_block_portable(float *out, const uint8_t *codes, long n, const float *values,
                                          float scale) {
  dequantise_portable(out, codes, n, values, scale);
}

float optimisers_quantise_block_portable(uint8_t *codes, const float *x, long n,
                                         const optimisers_quantisation_map *map) {
  return quantise_portable(codes, x, n, map);
}

// Float to bfloat16 bits, to nearest, ties to even; NaN stays a quiet NaN.
static inline uint16_t narrow_one(uint32_t bits) {
  // Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even.
  uint32_t rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
  uint32_t quiet = (bits >> 16) | 0x0040u;
  return (uint16_t)((bits & 0x7FFFFFFFu) > 0x7F800000u ? quiet : rounded);
}

// Integer-only conversions: the compiler vectorises them on any target.
void optimisers_bfloat16_widen(float *out, const uint16_t *bits, long n) {
  uint32_t *o = (uint32_t *)out;
  for (long i = 0; i < n; i++) o[i] = (uint32_t)bits[i] << 16;
}

void optimisers_bfloat16_narrow(uint16_t *out, const float *x, long n) {
  const uint32_t *b = (const uint32_t *)x;
  for (long i = 0; i < n; i++) out[i] = narrow_one(b[i]);
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
    out[i] = (bits & 0x7F800000u) != 0x7F800000u ? (uint16_t)((bits + random) >> 16) : narrow_one(bits);
  }
}

// ---- 8-bit Adam, fused -------------------------------------------------------

// One element of Adam, in the order of the Swift kernel (`Adam.update`): p·s − (η′·m) / d.
static inline void adam_one(const optimisers_adam_coefficients *c, int plain, float *p, float g, float *m, float *v) {
  float q = *p;
  if (c->l2 != 0) g = g + c->l2 * q;
  float mi = *m + c->mix1 * (g - *m);
  float vi = c->keep2 * *v + c->mix2 * g * g;
  // With inner = 1 and ε_root = 0, v / 1 + 0 differs from v only for −0,
  // whose root ±0 gives the same d after + ε (ε > 0 then).
  float root = plain ? __builtin_sqrtf(vi) : __builtin_sqrtf(vi / c->inner + c->epsilon_root);
  float d = root / c->outer + c->epsilon;
  *p = q * c->shrink - c->step_size * mi / d;
  *m = mi;
  *v = vi;
}

static inline float load_one(const void *x, long i, int bfloat16) {
  return bfloat16 ? float_of((uint32_t)((const uint16_t *)x)[i] << 16) : ((const float *)x)[i];
}

// Stores new parameters q[0..<n] at index i of p (rounded when bfloat16).
static inline void store_parameters(void *p, long i, float *q, long n, const optimisers_adam8_leaf *leaf) {
  if (!leaf->bfloat16) return;
  uint16_t *out = (uint16_t *)p + i;
  if (leaf->stochastic) optimisers_bfloat16_narrow_stochastic(out, q, n, leaf->stream, leaf->first + i);
  else optimisers_bfloat16_narrow(out, q, n);
}

// Encodes one block of new moments (codes untouched and scale NaN when poisoned).
static inline void finish_portable(uint8_t *codes, float *scale, const float *x, long n,
                                   const optimisers_quantisation_map *map) {
  *scale = quantise_portable(codes, x, n, map);
}

static void adam8_portable(const optimisers_adam8_leaf *leaf, long lo, long hi) {
  const optimisers_adam_coefficients *c = &leaf->coefficients;
  int plain = c->inner == 1 && c->epsilon_root == 0;
  float mt[BLOCK], vt[BLOCK], qt[BLOCK];
  for (long start = lo; start < hi; start += BLOCK) {
    long n = hi - start < BLOCK ? hi - start : BLOCK, block = start / BLOCK;
    float ms = leaf->m_scales[block], vs = leaf->v_scales[block];
    for (long i = 0; i < n; i++) {
      mt[i] = leaf->m_map->values[leaf->m_codes[start + i]] * ms;
      vt[i] = leaf->v_map->values[leaf->v_codes[start + i]] * vs;
      qt[i] = load_one(leaf->p, start + i, leaf->bfloat16);
      adam_one(c, plain, &qt[i], load_one(leaf->g, start + i, leaf->bfloat16), &mt[i], &vt[i]);
      if (!leaf->bfloat16) ((float *)leaf->p)[start + i] = qt[i];
    }
    store_parameters(leaf->p, start, qt, n, leaf);
    finish_portable(leaf->m_codes + start, leaf->m_scales + block, mt, n, leaf->m_map);
    finish_portable(leaf->v_codes + start, leaf->v_scales + block, vt, n, leaf->v_map);
  }
}

void optimisers_adam8_portable(const optimisers_adam8_leaf *leaf, long lo, long hi) { adam8_portable(leaf, lo, hi); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

// values[codes[0..<8]]: eight scalar loads, which Zen 3 runs in about half
// the time of one vgatherdps.
AVX2 static inline __m256 lookup_avx2(const uint8_t *codes, const float *values) {
  uint64_t w;
  memcpy(&w, codes, 8);
  __m128 a = _mm_setr_ps(values[w & 255], values[(w >> 8) & 255], values[(w >> 16) & 255], values[(w >> 24) & 255]);
  __m128 b = _mm_setr_ps(values[(w >> 32) & 255], values[(w >> 40) & 255], values[(w >> 48) & 255], values[w >> 56]);
  return _mm256_set_m128(b, a);
}

AVX2 static void dequantise_avx2(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  __m256 s = _mm256_set1_ps(scale);
  long i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_mul_ps(lookup_avx2(codes + i, values), s));
  dequantise_portable(out + i, codes + i, n - i, values, scale);
}

// The codes of eight values u (as code_of), one in each 32-bit lane.
AVX2 static inline __m256i code_lanes_avx2(__m256 u, const uint32_t *buckets) {
  __m256i bits = _mm256_castps_si256(u);
  __m256i magnitude = _mm256_and_si256(bits, _mm256_set1_epi32(0x7FFFFFFF));
  __m256i bucket = _mm256_sub_epi32(_mm256_srli_epi32(magnitude, 15), _mm256_set1_epi32(LOWEST_BUCKET));
  bucket = _mm256_min_epi32(_mm256_max_epi32(bucket, _mm256_setzero_si256()), _mm256_set1_epi32(BUCKETS_PER_SIGN - 1));
  __m256i side = _mm256_and_si256(_mm256_srai_epi32(bits, 31), _mm256_set1_epi32(BUCKETS_PER_SIGN));
  __m256i entry = _mm256_i32gather_epi32((const int *)buckets, _mm256_add_epi32(bucket, side), 4);
  __m256i low15 = _mm256_and_si256(magnitude, _mm256_set1_epi32(0x7FFF));
  __m256i above = _mm256_cmpgt_epi32(low15, _mm256_srli_epi32(entry, 16));
  __m256i code = _mm256_blendv_epi8(entry, _mm256_srli_epi32(entry, 8), above);
  return _mm256_and_si256(code, _mm256_set1_epi32(0xFF));
}

// Folds the lanes of a vector scan into the scan of the tail x[0..<n].
AVX2 static inline void fold_scan(__m256 l8, __m256 p8, const float *x, long n, float *largest, float *poison) {
  float lanes[8], sums[8];
  _mm256_storeu_ps(lanes, l8);
  _mm256_storeu_ps(sums, p8);
  scan_portable(x, n, largest, poison);
  for (int k = 0; k < 8; k++) {
    *largest = lanes[k] > *largest ? lanes[k] : *largest;
    *poison += sums[k];
  }
}

// The scan of a block whose vector part was taken already, then its codes.
AVX2 static inline float encode_avx2(uint8_t *codes, const float *x, long n, __m256 l8, __m256 p8,
                                     const optimisers_quantisation_map *map) {
  long whole = n & ~7L;
  float largest, poison, scale, factor;
  int multiply;
  fold_scan(l8, p8, x + whole, n - whole, &largest, &poison);
  if (!settle(largest, poison, n, map, codes, &scale, &factor, &multiply)) return scale;
  __m256 f = _mm256_set1_ps(factor);
  long i = 0;
  // 32 codes at a time: two rounds of packing, then one permutation puts the
  // four 4-byte groups of each 128-bit half in order; the rest one by one.
  for (; i + 32 <= n; i += 32) {
    __m256i lanes[4];
    for (int k = 0; k < 4; k++) {
      __m256 v = _mm256_loadu_ps(x + i + 8 * k);
      lanes[k] = code_lanes_avx2(multiply ? _mm256_mul_ps(v, f) : _mm256_div_ps(v, f), map->buckets);
    }
    __m256i bytes = _mm256_packus_epi16(_mm256_packus_epi32(lanes[0], lanes[1]), _mm256_packus_epi32(lanes[2], lanes[3]));
    bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)(codes + i), bytes);
  }
  encode_portable(codes + i, x + i, n - i, map->buckets, factor, multiply);
  return scale;
}

#define ABSOLUTE _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF))

AVX2 static float quantise_avx2(uint8_t *codes, const float *x, long n, const optimisers_quantisation_map *map) {
  __m256 l8 = _mm256_setzero_ps(), p8 = l8;
  for (long i = 0; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    // maxps returns its second operand when either is NaN: NaN is ignored.
    l8 = _mm256_max_ps(_mm256_and_ps(v, ABSOLUTE), l8);
    p8 = _mm256_add_ps(p8, _mm256_mul_ps(v, _mm256_setzero_ps()));
  }
  return encode_avx2(codes, x, n, l8, p8, map);
}

// Adam on eight elements; `plain` as in adam_one.
AVX2 static inline void adam_avx2(const optimisers_adam_coefficients *c, int plain, __m256 *p, __m256 g, __m256 *m,
                                  __m256 *v) {
  __m256 q = *p;
  if (c->l2 != 0) g = _mm256_add_ps(g, _mm256_mul_ps(_mm256_set1_ps(c->l2), q));
  __m256 mi = _mm256_add_ps(*m, _mm256_mul_ps(_mm256_set1_ps(c->mix1), _mm256_sub_ps(g, *m)));
  __m256 vi = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(c->keep2), *v),
                            _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(c->mix2), g), g));
  __m256 root = plain ? _mm256_sqrt_ps(vi)
                      : _mm256_sqrt_ps(_mm256_add_ps(_mm256_div_ps(vi, _mm256_set1_ps(c->inner)),
                                                     _mm256_set1_ps(c->epsilon_root)));
  __m256 d = _mm256_add_ps(_mm256_div_ps(root, _mm256_set1_ps(c->outer)), _mm256_set1_ps(c->epsilon));
  *p = _mm256_sub_ps(_mm256_mul_ps(q, _mm256_set1_ps(c->shrink)),
                     _mm256_div_ps(_mm256_mul_ps(_mm256_set1_ps(c->step_size), mi), d));
  *m = mi;
  *v = vi;
}

AVX2 static inline __m256 load_avx2(const void *x, long i, int bfloat16) {
  if (!bfloat16) return _mm256_loadu_ps((const float *)x + i);
  __m128i bits = _mm_loadu_si128((const __m128i *)((const uint16_t *)x + i));
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(bits), 16));
}

// As narrow_one, eight at a time.
AVX2 static inline __m128i narrow_avx2(__m256 x) {
  __m256i bits = _mm256_castps_si256(x), one = _mm256_set1_epi32(1);
  __m256i lowest = _mm256_and_si256(_mm256_srli_epi32(bits, 16), one);
  __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(bits, _mm256_add_epi32(_mm256_set1_epi32(0x7FFF), lowest)), 16);
  __m256i quiet = _mm256_or_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(0x0040));
  __m256i nan = _mm256_cmpgt_epi32(_mm256_and_si256(bits, _mm256_set1_epi32(0x7FFFFFFF)), _mm256_set1_epi32(0x7F800000));
  __m256i halves = _mm256_blendv_epi8(rounded, quiet, nan);
  __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(halves, halves), 0x08);
  return _mm256_castsi256_si128(packed);
}

// One pass over each block: decode, update, store the parameters, keep the
// new moments in L1 with their running scans, then encode them.
AVX2 static inline void adam8_avx2_body(const optimisers_adam8_leaf *leaf, long lo, long hi, int plain, int bfloat16) {
  // Local copies, so that stores to p cannot make the compiler reload them.
  const optimisers_adam_coefficients k = leaf->coefficients, *c = &k;
  void *p = leaf->p;
  const void *g = leaf->g;
  const float *mvalues = leaf->m_map->values, *vvalues = leaf->v_map->values;
  int nearest = bfloat16 && !leaf->stochastic;
  float mt[BLOCK] __attribute__((aligned(32))), vt[BLOCK] __attribute__((aligned(32))), qt[BLOCK];
  for (long start = lo; start < hi; start += BLOCK) {
    long n = hi - start < BLOCK ? hi - start : BLOCK, whole = n & ~7L, block = start / BLOCK;
    __m256 ms = _mm256_set1_ps(leaf->m_scales[block]), vs = _mm256_set1_ps(leaf->v_scales[block]);
    __m256 ml = _mm256_setzero_ps(), mp = ml, vl = ml, vp = ml, zero = ml;
    const uint8_t *mc = leaf->m_codes + start, *vc = leaf->v_codes + start;
    for (long i = 0; i < whole; i += 8) {
      __m256 m = _mm256_mul_ps(lookup_avx2(mc + i, mvalues), ms);
      __m256 v = _mm256_mul_ps(lookup_avx2(vc + i, vvalues), vs);
      __m256 q = load_avx2(p, start + i, bfloat16);
      adam_avx2(c, plain, &q, load_avx2(g, start + i, bfloat16), &m, &v);
      if (!bfloat16) _mm256_storeu_ps((float *)p + start + i, q);
      else if (nearest) _mm_storeu_si128((__m128i *)((uint16_t *)p + start + i), narrow_avx2(q));
      else _mm256_storeu_ps(qt + i, q);
      _mm256_store_ps(mt + i, m);
      _mm256_store_ps(vt + i, v);
      ml = _mm256_max_ps(_mm256_and_ps(m, ABSOLUTE), ml);
      mp = _mm256_add_ps(mp, _mm256_mul_ps(m, zero));
      vl = _mm256_max_ps(_mm256_and_ps(v, ABSOLUTE), vl);
      vp = _mm256_add_ps(vp, _mm256_mul_ps(v, zero));
    }
    for (long i = whole; i < n; i++) {
      mt[i] = mvalues[mc[i]] * leaf->m_scales[block];
      vt[i] = vvalues[vc[i]] * leaf->v_scales[block];
      qt[i] = load_one(p, start + i, bfloat16);
      adam_one(c, plain, &qt[i], load_one(g, start + i, bfloat16), &mt[i], &vt[i]);
      if (!bfloat16) ((float *)p)[start + i] = qt[i];
    }
    if (nearest) optimisers_bfloat16_narrow((uint16_t *)p + start + whole, qt + whole, n - whole);
    else store_parameters(p, start, qt, n, leaf);
    leaf->m_scales[block] = encode_avx2(leaf->m_codes + start, mt, n, ml, mp, leaf->m_map);
    leaf->v_scales[block] = encode_avx2(leaf->v_codes + start, vt, n, vl, vp, leaf->v_map);
  }
}

// The four specialisations, so that no per-element test is left.
AVX2 static void adam8_avx2(const optimisers_adam8_leaf *leaf, long lo, long hi) {
  int plain = leaf->coefficients.inner == 1 && leaf->coefficients.epsilon_root == 0;
  if (plain && leaf->bfloat16) adam8_avx2_body(leaf, lo, hi, 1, 1);
  else if (plain) adam8_avx2_body(leaf, lo, hi, 1, 0);
  else if (leaf->bfloat16) adam8_avx2_body(leaf, lo, hi, 0, 1);
  else adam8_avx2_body(leaf, lo, hi, 0, 0);
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

float optimisers_quantise_block(uint8_t *codes, const float *x, long n, const optimisers_quantisation_map *map) {
  return has_avx2() ? quantise_avx2(codes, x, n, map) : quantise_portable(codes, x, n, map);
}

void optimisers_adam8(const optimisers_adam8_leaf *leaf, long lo, long hi) {
  if (has_avx2()) adam8_avx2(leaf, lo, hi);
  else adam8_portable(leaf, lo, hi);
}
#else
void optimisers_dequantise_block(float *out, const uint8_t *codes, long n, const float *values, float scale) {
  dequantise_portable(out, codes, n, values, scale);
}

float optimisers_quantise_block(uint8_t *codes, const float *x, long n, const optimisers_quantisation_map *map) {
  return quantise_portable(codes, x, n, map);
}

void optimisers_adam8(const optimisers_adam8_leaf *leaf, long lo, long hi) { adam8_portable(leaf, lo, hi); }
#endif
