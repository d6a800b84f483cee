import Optimisers

/// Builds parameters of any leaf shapes for the law kit, so it can draw random
/// cases and shrink a failing one to the smallest shapes.
///
/// The kit only needs a value with the requested leaf shapes; it overwrites the
/// scalars itself. Ready-made generators cover tensors (``tensor(shape:)``),
/// scalars (``scalar()``) and your `Parameterised` models (``model(_:)``); for
/// any other `Differentiable` type, give the shapes of a typical value and a
/// closure that builds one of given shapes.
///
/// ```swift
/// let tensors = ParameterGenerator<Tensor<Float>>.tensor(shape: [4, 3])
/// let models = ParameterGenerator.model(Affine(weight: .zeros([3, 2]), bias: .zeros([3])))
/// ```
///
/// Drawn cases use each leaf's rank and extents between 1 and the template's
/// (occasionally 0); shrinking reduces extents towards 1.
///
/// - Complexity: ``make(_:)`` costs what the closure costs, typically O(*n*).
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000 (generators).
public struct ParameterGenerator<Params: Differentiable>: Sendable {
  /// The leaf shapes of the largest case; drawn cases have the same ranks and
  /// extents up to these.
  public var leafShapes: [[Int]]
  let builder: @Sendable ([[Int]]) -> Params

  /// Creates a generator from template shapes and a builder.
  ///
  /// - Parameters:
  ///   - leafShapes: The leaf shapes of the largest case.
  ///   - make: Returns parameters whose leaves have exactly the given shapes
  ///     (any values).
  /// - Complexity: O(1).
  public init(leafShapes: [[Int]], make: @escaping @Sendable ([[Int]]) -> Params) {
    self.leafShapes = leafShapes
    self.builder = make
  }

  /// Parameters with the given leaf shapes.
  ///
  /// - Parameter shapes: One shape per leaf.
  /// - Complexity: What the builder costs.
  public func make(_ shapes: [[Int]]) -> Params { builder(shapes) }

  /// A generator of tensors with the rank of `shape` and extents up to it.
  ///
  /// - Parameter shape: The largest shape; default `[3, 4]`.
  /// - Complexity: O(1).
  public static func tensor<S: ParameterScalar>(shape: [Int] = [3, 4]) -> ParameterGenerator
  where Params == Tensor<S> {
    ParameterGenerator(leafShapes: [shape]) { Tensor<S>.zeros($0[0]) }
  }

  /// A generator of single `Float` or `Double` parameters.
  ///
  /// - Complexity: O(1).
  public static func scalar() -> ParameterGenerator where Params: ParameterScalar {
    ParameterGenerator(leafShapes: [[]]) { _ in Params.zero }
  }

  /// A generator of models shaped like `prototype`: every tensor field can be
  /// resized, scalar fields stay scalars.
  ///
  /// - Parameter prototype: A model whose leaf shapes are the largest case.
  /// - Complexity: O(leaves).
  public static func model(_ prototype: Params) -> ParameterGenerator where Params: Parameterised {
    let shapes = (0..<prototype.parameterLeafCount).map { prototype.parameterLeafShape(at: $0) }
    return ParameterGenerator(leafShapes: shapes) { requested in
      var model = prototype
      for (index, leaf) in Params.parameters.leaves.enumerated() {
        if case .tensor(let path) = leaf.path { model[keyPath: path] = .zeros(requested[index]) }
      }
      return model
    }
  }
}
