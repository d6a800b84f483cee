#ifndef COPTIMISERS_H
#define COPTIMISERS_H

// Elementwise maths for the optimiser kernels.
//
// `__builtin_elementwise_sqrt` lowers to the IEEE square-root instruction with
// no `errno` side effect, so loops that call these helpers vectorise with the
// default compiler flags. The transcendental helpers call the C library.

static inline float optimisers_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double optimisers_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

// Asks the processor to start fetching the cache line at `address` (a hint: it
// never faults). The leaf walk prefetches the first lines of the next leaf's
// buffers, where the hardware prefetcher has not yet seen a stream.
static inline void optimisers_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

float optimisers_expf(float x);
double optimisers_exp(double x);
float optimisers_logf(float x);
double optimisers_log(double x);
float optimisers_tanhf(float x);
double optimisers_tanh(double x);
float optimisers_erff(float x);
double optimisers_erf(double x);
float optimisers_powf(float x, float y);
double optimisers_pow(double x, double y);
double optimisers_cos(double x);

// The number of processors this process may run on (its CPU affinity mask on
// Linux, the online processor count elsewhere); at least 1.
long optimisers_processor_count(void);

// The fused vector kernels of L-BFGS.
#include "COptimisersFusedKernels.h"

// The 8-bit codec and bfloat16 conversions of `Quantised`.
#include "COptimisersQuantisedBlocks.h"

// The blocked float and double matrix product (AVX2 when available).
#include "COptimisersMatrixProduct.h"

#endif
