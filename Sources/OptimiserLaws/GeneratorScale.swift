/// How ``Generator/double(in:scale:)`` spreads its draws over a range.
///
/// - Complexity: O(1).
public enum GeneratorScale: Sendable, Hashable {
  /// Uniform in the range.
  case linear
  /// Uniform in the logarithm: as many draws in [10⁻⁴, 10⁻³] as in [10⁻², 10⁻¹].
  /// The range must be positive; for learning rates, ε and decays.
  case logarithmic
}
