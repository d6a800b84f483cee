/// The order in which ``FlatKernels`` adds up a dot product, chosen so that
/// each convention rounds as its reference does.
///
/// Dot products decide L-BFGS's directions and line-search tests, and on
/// Rosenbrock a one-ulp difference grows to 10⁻¹⁰ within tens of iterations;
/// so each convention sums in its reference's order (measured bit for bit on
/// x86-64 with torch 2.15 / MKL 2024.2 and jax 0.10 / XLA CPU):
///
/// - ``blocked``: eight fused partial sums (the library's own order, the
///   fastest).
/// - ``torch``: MKL's `ddot` as `torch.dot` calls it: eight partial sums of
///   rounded products, the tail alternating between the first two, combined
///   lane-wise then across (exact for every *n* up to one block of
///   ``FlatKernels/blockScalars``).
/// - ``xla``: one fused chain in index order, as XLA's CPU `dot` computes
///   `optax.tree.vdot` (measured exact up to 32 scalars).
@usableFromInline
enum ReductionOrder: Int32, Sendable {
  case blocked = 0
  case torch = 1
  case xla = 2
}
