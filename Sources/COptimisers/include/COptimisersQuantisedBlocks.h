#ifndef COPTIMISERS_QUANTISED_BLOCKS_H
#define COPTIMISERS_QUANTISED_BLOCKS_H

#include <stdint.h>

// The block codec of the 8-bit rules (`Quantised`), the bfloat16 loads and
// stores of their pass, and 8-bit Adam fused into one pass over each block of
// 256 values.
//
// Every function computes exactly the same bits on every path: on x86-64 a
// copy written with AVX2 (8 lanes) runs when the processor has
// it, and a portable copy otherwise. Only exact IEEE operations are used
// (multiply, divide, square root, compare; no fused multiply-add), so the
// paths agree bit for bit; the `_portable` entry points let tests check that.

// A map's tables (built by `QuantisationMap`): `values`, its 256 values
// ascending; `buckets`, 2 × 6145 entries (sign, then binade from 2^-24 to 1
// and the top 8 significand bits of the magnitude, then one entry for 1 and
// above). Entry bits 0–7: the code at the bucket's smaller magnitudes; bits
// 8–15: the code of magnitudes whose low 15 bits exceed bits 16–30 (the
// threshold, the largest Float at or below the exact midpoint of the two
// values, shares its other bits with every magnitude in the bucket).
typedef struct {
  const float *values;
  const uint32_t *buckets;
  uint8_t zero_code;
} optimisers_quantisation_map;

// out[i] = values[codes[i]] * scale.
void optimisers_dequantise_block(float *out, const uint8_t *codes, long n, const float *values, float scale);
void optimisers_dequantise_block_portable(float *out, const uint8_t *codes, long n, const float *values,
                                          float scale);

// Encodes n ≤ 256 values with scale = their largest magnitude: codes[i] is the
// code of the map value nearest x[i] / scale (x[i] * (1 / scale) when 1 / scale
// is finite). Returns the scale; NaN, with the codes untouched, when a value
// is NaN or ±∞; 0, with every code the zero code, when all values are zero.
float optimisers_quantise_block(uint8_t *codes, const float *x, long n, const optimisers_quantisation_map *map);
float optimisers_quantise_block_portable(uint8_t *codes, const float *x, long n,
                                         const optimisers_quantisation_map *map);

// bfloat16 bits to Float (exact): out[i] = bits[i] << 16.
void optimisers_bfloat16_widen(float *out, const uint16_t *bits, long n);
// Float to bfloat16, round to nearest, ties to even; NaN stays a quiet NaN.
void optimisers_bfloat16_narrow(uint16_t *out, const float *x, long n);
// Float to bfloat16, rounded stochastically: the random bits of element i
// are those of counter first + i of `stream` (CounterRandom.bits); ±∞ and
// NaN round to nearest.
void optimisers_bfloat16_narrow_stochastic(uint16_t *out, const float *x, long n, uint64_t stream, long first);

// The coefficients of one Adam step (`AdamArithmetic`): per element,
//   g ← g + l2·p (when l2 ≠ 0);  m ← m + mix1·(g − m);  v ← keep2·v + (mix2·g)·g;
//   d = √(v / inner + epsilon_root) / outer + epsilon;  p ← p·shrink − step_size·(m / d).
typedef struct {
  float mix1, keep2, mix2, l2, shrink, step_size, inner, epsilon_root, outer, epsilon;
} optimisers_adam_coefficients;

// A run of one leaf for `optimisers_adam8`: parameters and gradients (Float,
// or bfloat16 bits when `bfloat16`), the codes of m and v from the same
// element, and their scales from that element's block. Element i of the run
// is element first + i of its leaf (the counter of its stochastic rounding
// when `stochastic`, else bfloat16 results are rounded to nearest).
typedef struct {
  void *p;
  const void *g;
  uint8_t *m_codes, *v_codes;
  float *m_scales, *v_scales;
  const optimisers_quantisation_map *m_map, *v_map;
  optimisers_adam_coefficients coefficients;
  uint64_t stream;
  long first;
  int bfloat16, stochastic;
} optimisers_adam8_leaf;

// One step of 8-bit Adam on elements lo..<hi of the run (lo a multiple of
// 256): per block, decode m and v, update, store p, encode m and v with their
// new scales (as `optimisers_quantise_block`).
void optimisers_adam8(const optimisers_adam8_leaf *leaf, long lo, long hi);
void optimisers_adam8_portable(const optimisers_adam8_leaf *leaf, long lo, long hi);

#endif
