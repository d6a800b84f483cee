import Optimisers

/// A concrete case a law fails on: leaf shapes, parameter values and one
/// gradient per step, shrunk to the smallest shapes and simplest values that
/// still fail.
///
/// Values are stored as `Double`; for `Float` rules they are exactly the `Float`
/// values used.
///
/// - Complexity: O(*n*) to print.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000 (shrinking).
public struct Counterexample: Sendable, Hashable, CustomStringConvertible {
  /// One shape per leaf.
  public var leafShapes: [[Int]]
  /// The starting parameter values, one row-major array per leaf.
  public var parameters: [[Double]]
  /// The gradients, one per step, each one row-major array per leaf.
  public var gradients: [[[Double]]]

  /// Creates a counterexample.
  ///
  /// - Parameters:
  ///   - leafShapes: One shape per leaf.
  ///   - parameters: Starting values per leaf.
  ///   - gradients: Gradients per step, per leaf.
  /// - Complexity: O(1).
  public init(leafShapes: [[Int]], parameters: [[Double]], gradients: [[[Double]]]) {
    self.leafShapes = leafShapes
    self.parameters = parameters
    self.gradients = gradients
  }

  /// The number of update steps.
  ///
  /// - Complexity: O(1).
  public var steps: Int { gradients.count }

  /// The total number of scalars in the parameters.
  ///
  /// - Complexity: O(leaves).
  public var scalarCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// Every leaf's shape and values, then every step's gradient.
  ///
  /// - Complexity: O(*n*).
  public var description: String {
    var lines = ["\(leafShapes.count) leaf/leaves, \(steps) step(s)"]
    for (index, shape) in leafShapes.enumerated() {
      lines.append("  leaf \(index) shape \(shape): parameters \(parameters[index])")
    }
    for (step, gradient) in gradients.enumerated() {
      lines.append("  step \(step + 1) gradient: \(gradient.map { "\($0)" }.joined(separator: ", "))")
    }
    return lines.joined(separator: "\n")
  }

  static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }
}
