/// Which reference an ``LBFGS`` step follows where `torch.optim.LBFGS` and
/// `optax.lbfgs` differ.
///
/// | | ``torch`` | ``optax`` |
/// | --- | --- | --- |
/// | evaluation at the start of a step | always (`step(closure)` calls the closure first) | only when the state holds no value and gradient for the current parameters (`optax.value_and_grad_from_state`) |
/// | first direction | d = −g, trial step t = min(1, 1/‖g‖₁)·η | d = −γ₀ g with γ₀ = min(1, 1/‖g‖₂), trial step from the line search |
/// | curvature pair (s, y) | s = t·d, y = gₖ₊₁ − gₖ; kept only if y·s > 10⁻¹⁰ | s = xₖ₊₁ − xₖ, y = gₖ₊₁ − gₖ; always kept, ρ = 0 when y·s = 0 |
/// | initial inverse Hessian γI | γ = y·s / y·y of the last *kept* pair | γ = y·s / y·y of the last pair (1 if y·y = 0) |
///
/// Both use the two-loop recursion over the last ``LBFGS/historySize`` pairs.
///
/// - Complexity: O(1) to compare.
/// - References: `torch.optim.LBFGS` (PyTorch 2.x); `optax.scale_by_lbfgs`
///   (optax 0.2.x).
public enum LBFGSConvention: String, Codable, Sendable, Hashable, CaseIterable {
  /// `torch.optim.LBFGS`: one ``LBFGS/step(_:_:objective:)`` is one
  /// `optimizer.step(closure)` call, with its `max_iter` iterations.
  case torch
  /// `optax.lbfgs`: one iteration is one `update` of `optax.lbfgs` followed by
  /// `optax.apply_updates`, the value and gradient coming from
  /// `optax.value_and_grad_from_state`.
  case optax
}
