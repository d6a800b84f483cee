/// How ``Accumulate`` combines the gradients of its *k* calls.
///
///     mean:  a = (1/k) Σ gᵢ   (as a running mean, a ← a + (g − a)/(n + 1))
///     sum:   a = Σ gᵢ
///
/// - Complexity: O(1).
/// - References: optax `MultiSteps` (`use_grad_mean`), 2020.
public enum AccumulationMode: String, Codable, Sendable, CaseIterable {
  /// The mean of the *k* gradients (optax's default).
  case mean
  /// The sum of the *k* gradients.
  case sum
}
