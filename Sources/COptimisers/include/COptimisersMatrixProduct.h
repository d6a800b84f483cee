#ifndef COPTIMISERS_MATRIX_PRODUCT_H
#define COPTIMISERS_MATRIX_PRODUCT_H

// The matrix product C = A B in float and double, blocked after Goto and van
// de Geijn (BLIS's loop order): for each block of columns (NC) and of depth
// (KC), B's block is packed into panels of NR columns; for each block of rows
// (MC), A's block is packed into panels of MR = 6 rows; a register tile of
// 6 x NR elements of C (NR = 16 floats or 8 doubles: twelve 256-bit
// accumulators) then meets one panel of A (L2-resident) and one of B
// (L1-resident). Blocks: KC = 256; MC = 144 floats / 72 doubles (147 KiB of
// packed A, for a 512 KiB L2); NC = 4080.
//
// Every element is Σₚ aᵢₚ bₚⱼ accumulated from 0 in increasing p, one product
// at a time, each product rounded and then added (no fused multiply-add: the
// float64 SOAP Rosenbrock fixture from pytorch-optimizer agrees with this
// rounding to 7e-14 and with the fused one only to 3e-9; Muon's fixtures are
// closer this way too). Accumulators are reloaded from C between depth blocks, so
// the result is bitwise that of the plain triple loop whatever the blocking,
// the part of C a call computes, the number of threads sharing the work and
// the processor. On x86-64 a copy compiled with `target("avx2")` runs when the
// processor has AVX2 (chosen once, at run time); the portable copy (same
// blocking, same vector code in plain C) runs elsewhere.

typedef struct {
  // Element (i, p) of the m x k matrix A is at a[i * a_row_stride + p * a_column_stride]
  // (a transposed operand is a pair of strides, never a copy).
  const void *a;
  long a_row_stride, a_column_stride;
  // Element (p, j) of the k x n matrix B is at b[p * b_row_stride + j * b_column_stride].
  const void *b;
  long b_row_stride, b_column_stride;
  // Element (i, j) of C is at c[i * c_row_stride + j].
  void *c;
  long c_row_stride;
  long m, k, n;
  // Nonzero: compute only the register tiles that touch the upper triangle
  // (j >= i) of a symmetric result; `optimisers_mirror_upper*` fills the rest.
  int upper;
} optimisers_matrix_operands;

// Bytes of scratch one call of `optimisers_matrix_product_block*` needs for a
// product of depth k whose calls cover at most n columns (64-byte aligned).
long optimisers_matrix_product_workspace_bytes(long k, long n, int is_double);

// Computes rows row_begin..<row_end and columns column_begin..<column_end of C
// (every element written; with `upper`, only tiles touching j >= i). Calls on
// disjoint rectangles may run at the same time, each with its own workspace.
void optimisers_matrix_productf(const optimisers_matrix_operands *product, long row_begin, long row_end,
                                long column_begin, long column_end, void *workspace);
void optimisers_matrix_product(const optimisers_matrix_operands *product, long row_begin, long row_end,
                               long column_begin, long column_end, void *workspace);

// Rows of a register tile (6) and its columns (16 floats, 8 doubles).
long optimisers_matrix_product_tile_rows(void);
long optimisers_matrix_product_tile_columns(int is_double);

// c[i][j] = c[j][i] for every i > j of the n x n matrix at c (row stride ldc).
void optimisers_mirror_upperf(float *c, long n, long ldc);
void optimisers_mirror_upper(double *c, long n, long ldc);

#endif
