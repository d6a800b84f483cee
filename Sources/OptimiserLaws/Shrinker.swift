import Optimisers

/// Draws random cases and shrinks failing ones: fewer steps first, then smaller
/// extents (towards 1), then simpler values (towards 0, ±1, ±½, ±2, integers,
/// one decimal).
struct Shrinker<Scalar: ParameterScalar> {
  /// Values ordered from simplest; a value is replaced only by a simpler one.
  static var simpleValues: [Double] { [0, 1, -1, 0.5, -0.5, 2, -2] }

  /// How simple `x` is (lower is simpler).
  static func rank(_ x: Double) -> Int {
    if let index = simpleValues.firstIndex(of: x) { return index }
    if x.isFinite, x == x.rounded(), abs(x) < 1e6 { return 10 }
    if x.isFinite, (x * 10).rounded() / 10 == x { return 11 }
    return 12
  }

  /// The value as the rule's scalar type sees it.
  static func representable(_ x: Double) -> Double { Double(Scalar(x)) }

  /// Simpler replacements for `x`, simplest first.
  static func candidates(for x: Double) -> [Double] {
    let current = rank(x)
    var result: [Double] = []
    for candidate in simpleValues + [x.rounded(), representable((x * 10).rounded() / 10)]
    where rank(candidate) < current && !result.contains(candidate) {
      result.append(candidate)
    }
    return result
  }

  // MARK: Drawing

  static func draw(template: [[Int]], maximumSteps: Int, gradientScale: Double, using random: inout SplitMix64) -> Counterexample {
    let shapes = template.map { shape in
      shape.map { extent -> Int in
        guard extent > 0 else { return extent }
        if random.next() % 16 == 0 { return 0 }
        return Int.random(in: 1...extent, using: &random)
      }
    }
    let steps = Int.random(in: 1...maximumSteps, using: &random)
    func value(_ scale: Double) -> Double {
      let kind = random.next() % 16
      let normal = random.nextStandardNormal()
      switch kind {
      case 0, 1: return 0
      case 2: return representable(normal * scale * 100)
      case 3: return representable(normal * scale * 1e-3)
      default: return representable(normal * scale)
      }
    }
    let parameters = shapes.map { shape in (0..<Counterexample.elementCount(shape)).map { _ in value(1) } }
    let gradients = (0..<steps).map { _ in
      shapes.map { shape in (0..<Counterexample.elementCount(shape)).map { _ in value(gradientScale) } }
    }
    return Counterexample(leafShapes: shapes, parameters: parameters, gradients: gradients)
  }

  // MARK: Shrinking

  /// The row-major values of the leading sub-block of `shape` with extents `smaller`.
  static func subBlock(_ values: [Double], shape: [Int], to smaller: [Int]) -> [Double] {
    let count = Counterexample.elementCount(smaller)
    guard count > 0 else { return [] }
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
    var result: [Double] = []
    result.reserveCapacity(count)
    var index = [Int](repeating: 0, count: smaller.count)
    for _ in 0..<count {
      var offset = 0
      for axis in index.indices { offset += index[axis] * strides[axis] }
      result.append(values[offset])
      var axis = smaller.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < smaller[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  static func resized(_ sample: Counterexample, leaf: Int, axis: Int, to extent: Int) -> Counterexample {
    var result = sample
    let old = sample.leafShapes[leaf]
    var new = old
    new[axis] = extent
    result.leafShapes[leaf] = new
    result.parameters[leaf] = subBlock(sample.parameters[leaf], shape: old, to: new)
    for step in result.gradients.indices {
      result.gradients[step][leaf] = subBlock(sample.gradients[step][leaf], shape: old, to: new)
    }
    return result
  }

  /// The smallest, simplest case that still fails, its message, and how many
  /// shrinking steps were accepted.
  static func shrink(
    _ sample: Counterexample, message: String, budget: Int, fails: (Counterexample) -> String?
  ) -> (Counterexample, String, Int) {
    var best = sample
    var bestMessage = message
    var attempts = 0
    var accepted = 0
    func attempt(_ candidate: Counterexample) -> Bool {
      guard attempts < budget else { return false }
      attempts += 1
      guard let failure = fails(candidate) else { return false }
      best = candidate
      bestMessage = failure
      accepted += 1
      return true
    }

    var improved = true
    while improved && attempts < budget {
      improved = false
      // Fewer steps.
      var step = 0
      while best.steps > 1 && step < best.steps {
        var candidate = best
        candidate.gradients.remove(at: step)
        if attempt(candidate) { improved = true } else { step += 1 }
      }
      // Smaller extents, towards 1.
      for leaf in best.leafShapes.indices {
        for axis in best.leafShapes[leaf].indices {
          var done = false
          while !done {
            let extent = best.leafShapes[leaf][axis]
            done = true
            for target in [1, extent / 2, extent - 1] where target >= 1 && target < extent {
              if attempt(resized(best, leaf: leaf, axis: axis, to: target)) {
                improved = true
                done = false
                break
              }
            }
          }
        }
      }
      // Simpler values.
      for leaf in best.parameters.indices {
        for i in best.parameters[leaf].indices {
          for value in candidates(for: best.parameters[leaf][i]) {
            var candidate = best
            candidate.parameters[leaf][i] = value
            if attempt(candidate) {
              improved = true
              break
            }
          }
        }
      }
      for step in best.gradients.indices {
        for leaf in best.gradients[step].indices {
          for i in best.gradients[step][leaf].indices {
            for value in candidates(for: best.gradients[step][leaf][i]) {
              var candidate = best
              candidate.gradients[step][leaf][i] = value
              if attempt(candidate) {
                improved = true
                break
              }
            }
          }
        }
      }
    }
    return (best, bestMessage, accepted)
  }
}
