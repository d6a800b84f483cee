import Optimisers

/// Generated input for a property of an optimiser: starting parameters and one
/// gradient per step, as drawn by ``Generator/optimiserCase(parameters:steps:gradientScale:)``
/// and shrunk to fewer steps, smaller leaves and simpler values.
///
/// Its description lists every leaf's shape and values and every step's
/// gradient, so a shrunk counterexample can be typed back in.
///
/// - Complexity: O(*n* × steps) to print.
public struct OptimiserCase<Params: Differentiable>: Sendable, CustomStringConvertible {
  /// The starting parameters.
  public var parameters: Params
  /// One gradient per step, shaped like ``parameters``.
  public var gradients: [Params.TangentVector]

  /// Creates a case.
  ///
  /// - Parameters:
  ///   - parameters: The starting parameters.
  ///   - gradients: One gradient per step.
  /// - Complexity: O(1).
  public init(parameters: Params, gradients: [Params.TangentVector]) {
    self.parameters = parameters
    self.gradients = gradients
  }

  /// The number of steps.
  ///
  /// - Complexity: O(1).
  public var steps: Int { gradients.count }

  /// The number of scalars in the parameters.
  ///
  /// - Complexity: O(leaves).
  public var scalarCount: Int {
    (0..<parameters.parameterLeafCount).reduce(0) { total, leaf in
      total + parameters.parameterLeafShape(at: leaf).reduce(1, *)
    }
  }

  /// The leaves with shapes and values, then each step's gradient.
  ///
  /// - Complexity: O(*n* × steps).
  public var description: String {
    var lines = ["\(parameters.parameterLeafCount) leaf/leaves, \(scalarCount) scalar(s), \(steps) step(s)"]
    for leaf in 0..<parameters.parameterLeafCount {
      let values = parameters.withParameterLeaf(at: leaf) { Array($0) }
      lines.append(
        "  \(parameters.parameterLeafName(at: leaf)) \(parameters.parameterLeafShape(at: leaf)): \(values)")
    }
    for (step, gradient) in gradients.enumerated() {
      let leaves = (0..<gradient.leafCount).map { leaf in "\(gradient.withLeaf(at: leaf) { Array($0) })" }
      lines.append("  step \(step + 1) gradient: \(leaves.joined(separator: ", "))")
    }
    return lines.joined(separator: "\n")
  }
}
