extension HyperparameterVisitor {
  /// The two guards of a denominator √(v̂ + ε_root) + ε: each ≥ 0 and finite,
  /// and not both 0. optax allows ε = 0 when ε_root > 0 (the root alone keeps
  /// the denominator at least √ε_root > 0); with ε_root = 0 the denominator
  /// can reach 0, so ε must then be positive.
  ///
  /// - Parameters:
  ///   - epsilon: ε, added after the square root.
  ///   - epsilonRoot: ε_root, added inside it.
  ///   - rootIsAddedOption: Whether ε_root is an option added after the
  ///     rule's first release, off at 0 (``option(_:_:in:)``); default `false`.
  @inlinable
  public mutating func denominatorGuards(epsilon: Double, epsilonRoot: Double, rootIsAddedOption: Bool = false) {
    nonNegative(epsilon, "epsilon")
    if rootIsAddedOption { option(epsilonRoot, "epsilonRoot") } else { nonNegative(epsilonRoot, "epsilonRoot") }
    require(epsilon > 0 || epsilonRoot > 0, "epsilon", epsilon, "> 0 when epsilonRoot is 0")
  }

  /// What every Adam-family rule declares first: the learning rate η ≥ 0, the
  /// moment decays β₁, β₂ ∈ [0, 1), then the denominator's two guards
  /// (``denominatorGuards(epsilon:epsilonRoot:rootIsAddedOption:)``).
  @inlinable
  public mutating func adaptiveMoments(
    learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, epsilonRoot: Double, rootIsAddedOption: Bool = false
  ) {
    nonNegative(learningRate, "learningRate"); unitInterval(beta1, "beta1"); unitInterval(beta2, "beta2")
    denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: rootIsAddedOption)
  }
}
