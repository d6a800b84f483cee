import Optimisers

extension Generator {
  /// Parameters of the leaf shapes `parameters` allows — each extent between
  /// 1 and the template's — with values from ``normal(scale:)``. Shrinks towards
  /// extents of 1 and values 0, ±1, ….
  ///
  /// - Parameter parameters: The leaf layout, e.g. `.tensor(shape: [3, 4])` or
  ///   `.model(prototype)`.
  /// - Complexity: O(*n*) per draw.
  public static func parameters(_ parameters: ParameterGenerator<Value>) -> Generator
  where Value: Differentiable {
    let template = parameters.leafShapes
    return Generator { source in
      let shapes = template.map { shape in
        shape.map { extent in extent <= 1 ? extent : Generator<Int>.int(in: 1...extent).draw(&source) }
      }
      var params = parameters.make(shapes)
      for leaf in 0..<min(params.parameterLeafCount, shapes.count) {
        let values = drawValues(shapes[leaf].reduce(1, *), paddedTo: template[leaf].reduce(1, *), scale: 1, &source)
        params.withMutableParameterLeaf(at: leaf) { buffer in
          for i in 0..<min(buffer.count, values.count) { buffer[i] = .init(values[i]) }
        }
      }
      return params
    }
  }

  /// `count` values from ``normal(scale:)``, then unused draws up to `padding`,
  /// each in a span of its own: a leaf always consumes as many choices as its
  /// largest shape, so shrinking an extent leaves every later choice in place.
  static func drawValues(_ count: Int, paddedTo padding: Int, scale: Double, _ source: inout ChoiceSource) -> [Double] {
    let normal = Generator<Double>.normal(scale: scale)
    let values = source.span { source in (0..<count).map { _ in normal.draw(&source) } }
    if padding > count { source.span { source in for _ in count..<padding { _ = normal.draw(&source) } } }
    return values
  }

  /// One gradient shaped like `params`, values from ``normal(scale:)``.
  ///
  /// - Parameters:
  ///   - params: The parameters the gradient is for.
  ///   - scale: The standard deviation; default 1.
  /// - Complexity: O(*n*) per draw.
  public static func gradient<P: Differentiable>(for params: P, scale: Double = 1) -> Generator
  where Value == P.TangentVector {
    gradient(for: params, scale: scale, paddedTo: nil)
  }

  static func gradient<P: Differentiable>(for params: P, scale: Double, paddedTo padding: [Int]?) -> Generator
  where Value == P.TangentVector {
    Generator { source in
      var gradient = params.zeroTangentVector
      for leaf in 0..<gradient.leafCount {
        let count = gradient.leafShape(at: leaf).reduce(1, *)
        let values = drawValues(count, paddedTo: padding?[leaf] ?? count, scale: scale, &source)
        gradient.withMutableLeaf(at: leaf) { buffer in
          for i in 0..<min(buffer.count, values.count) { buffer[i] = .init(values[i]) }
        }
      }
      return gradient
    }
  }

  /// Starting parameters and a gradient sequence: the input of most
  /// properties of an optimiser. Shrinks towards fewer steps first, then
  /// smaller leaves, then simpler values.
  ///
  /// - Parameters:
  ///   - parameters: The leaf layout.
  ///   - steps: The allowed numbers of steps; default `1...4`.
  ///   - gradientScale: The gradients' standard deviation; default 1.
  /// - Complexity: O(*n* × steps) per draw.
  public static func optimiserCase<P: Differentiable>(
    parameters: ParameterGenerator<P>, steps: ClosedRange<Int> = 1...4, gradientScale: Double = 1
  ) -> Generator where Value == OptimiserCase<P> {
    let padding = parameters.leafShapes.map { $0.reduce(1, *) }
    return Generator<P>.parameters(parameters).flatMap { params in
      Generator<P.TangentVector>.gradient(for: params, scale: gradientScale, paddedTo: padding).array(count: steps).map {
        OptimiserCase(parameters: params, gradients: $0)
      }
    }
  }

  /// A hyperparameter inside its declared range: ``double(in:scale:)`` with a
  /// logarithmic spread when the range is positive and spans more than a
  /// factor of 10 (learning rates, ε), else linear (β, momentum).
  ///
  /// - Parameter range: The range the rule accepts.
  /// - Complexity: O(1).
  public static func hyperparameter(in range: ClosedRange<Double>) -> Generator where Value == Double {
    let logarithmic = range.lowerBound > 0 && range.upperBound > 10 * range.lowerBound
    return double(in: range, scale: logarithmic ? .logarithmic : .linear)
  }

  /// Step counts in `range` (default `0...10_000`), shrinking towards the
  /// smallest.
  ///
  /// - Parameter range: The allowed steps.
  /// - Complexity: O(1).
  public static func step(in range: ClosedRange<Int> = 0...10_000) -> Generator where Value == Int {
    int(in: range)
  }

  /// The value drawn from `source`, inside another generator.
  func draw(_ source: inout ChoiceSource) -> Value {
    // The generators used inside this file never filter.
    (try? run(&source))!
  }
}
