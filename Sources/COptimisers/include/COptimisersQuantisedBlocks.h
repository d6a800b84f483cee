#ifndef COPTIMISERS_QUANTISED_BLOCKS_H
#define COPTIMISERS_QUANTISED_BLOCKS_H

#include <stdint.h>

// The block codec of the 8-bit rules (`Quantised`) and the bfloat16 loads and
// stores of their fused pass, one block of at most 256 values at a time.
//
// Every function computes exactly the same bits on every path: on x86-64 a
// copy written with AVX2 (8 lanes, table gathers) runs when the processor has
// it, and a portable copy otherwise. Only exact IEEE operations are used
// (multiply, divide, compare; no fused multiply-add), so the paths agree bit
// for bit; the `_portable` entry points let tests check that.
//
// A map's tables (built by `QuantisationMap`): `values`, its 256 values
// ascending; `pairs` and `thresholds`, 2 × 6145 buckets (sign, then binade
// from 2^-24 to 1 and the top 8 significand bits, then one bucket for 1 and
// above): the code at the bucket's smaller magnitude (low byte), the code
// above the threshold (high byte), and the threshold magnitude. `pairs` must
// have one spare entry after the last (the vector path reads 4 bytes).

// out[i] = values[codes[i]] * scale.
void optimisers_dequantise_block(float *out, const uint8_t *codes, long n, const float *values, float scale);
void optimisers_dequantise_block_portable(float *out, const uint8_t *codes, long n, const float *values,
                                          float scale);

// Encodes n values with scale = their largest magnitude: codes[i] is the code
// of the map value nearest x[i] / scale (x[i] * (1 / scale) when 1 / scale is
// finite). Returns the scale; NaN, with the codes untouched, when a value is
// NaN or ±∞; 0, with every code the zero code, when all values are zero.
float optimisers_quantise_block(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                                const float *thresholds, uint8_t zero_code);
float optimisers_quantise_block_portable(uint8_t *codes, const float *x, long n, const uint16_t *pairs,
                                         const float *thresholds, uint8_t zero_code);

// bfloat16 bits to Float (exact): out[i] = bits[i] << 16.
void optimisers_bfloat16_widen(float *out, const uint16_t *bits, long n);
// Float to bfloat16, round to nearest, ties to even; NaN stays a quiet NaN.
void optimisers_bfloat16_narrow(uint16_t *out, const float *x, long n);
// Float to bfloat16, rounded stochastically: the random bits of element i
// are those of counter first + i of `stream` (CounterRandom.bits); ±∞ and
// NaN round to nearest.
void optimisers_bfloat16_narrow_stochastic(uint16_t *out, const float *x, long n, uint64_t stream, long first);

#endif
