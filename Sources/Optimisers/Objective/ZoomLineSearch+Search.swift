extension ZoomLineSearch {
  /// Runs the search from the trial step `start`, given the objective at x
  /// (`origin`), following `optax`'s `zoom_linesearch` trial by trial.
  @inlinable
  func search<S: ParameterScalar>(
    from start: Double, origin: LineSample<S>,
    evaluate: (Double) throws(ObjectiveError) -> LineSample<S>
  ) throws(ObjectiveError) -> LineSearchResult<S> {
    var count = 0
    var step = 0.0
    var current = origin
    var decrease = Double.infinity
    var intervalFound = false, done = false, failed = false
    var low = 0.0, high = 0.0, cubicReference = 0.0
    var lowSample = origin, highSample = origin
    var cubicReferenceValue = origin.value
    var safeStep = 0.0
    var safe = origin
    while !(done || failed) {
      if !intervalFound {
        // Algorithm 3.5: search an interval containing an acceptable step.
        var next = count == 0 ? start : increaseFactor * step
        var maximumReached = false
        if let maximumStepSize {
          maximumReached = next >= maximumStepSize
          next = Swift.min(next, maximumStepSize)
        }
        let sample = try evaluate(next)
        let newDecrease = decreaseError(step: next, at: sample, origin: origin)
        let error = NaNPropagating.max(newDecrease, curvatureError(at: sample, origin: origin))
        if newDecrease <= tolerance {
          safeStep = next
          safe = sample
        }
        let setHigh = newDecrease > 0 || (sample.value >= current.value && count > 0)
        let setLow = sample.slope >= 0 && !setHigh
        if setLow {
          (low, lowSample, high, highSample) = (next, sample, step, current)
        } else {
          (low, lowSample, high, highSample) = (step, current, next, sample)
        }
        cubicReference = low
        cubicReferenceValue = lowSample.value
        intervalFound = setHigh || setLow || error <= tolerance
        done = error <= tolerance || (maximumReached && !intervalFound)
        failed = count + 1 >= maximumSteps && !done
        step = next
        current = sample
        decrease = newDecrease
      } else {
        // Algorithm 3.6: zoom into [low, high].
        let delta = abs(high - low)
        let left = Swift.min(high, low), right = Swift.max(high, low)
        let tooSmall = delta <= stepPrecision
        let cubic = Self.cubicMinimiser(
          low, lowSample.value, lowSample.slope, high, highSample.value, cubicReference, cubicReferenceValue)
        let useCubic = cubic > left + 0.2 * delta && cubic < right - 0.2 * delta
        let quadratic = Self.quadraticMinimiser(low, lowSample.value, lowSample.slope, high, highSample.value)
        let useQuadratic = !useCubic && quadratic > left + 0.1 * delta && quadratic < right - 0.1 * delta
        let middle = useCubic ? cubic : useQuadratic ? quadratic : (low + high) / 2.0
        let sample = try evaluate(middle)
        let newDecrease = decreaseError(step: middle, at: sample, origin: origin)
        let error = NaNPropagating.max(newDecrease, curvatureError(at: sample, origin: origin))
        if newDecrease <= tolerance && sample.value < safe.value {
          safeStep = middle
          safe = sample
        }
        done = error <= tolerance
        let setHighToMiddle = newDecrease > 0 || sample.value >= lowSample.value
        let setHighToLow = sample.slope * (high - low) >= 0 && !setHighToMiddle
        let oldLow = low, oldLowSample = lowSample, oldHigh = high, oldHighSample = highSample
        if setHighToMiddle { (high, highSample) = (middle, sample) }
        if setHighToLow { (high, highSample) = (oldLow, oldLowSample) }
        if !setHighToMiddle { (low, lowSample) = (middle, sample) }
        if setHighToMiddle || setHighToLow {
          (cubicReference, cubicReferenceValue) = (oldHigh, oldHighSample.value)
        } else {
          (cubicReference, cubicReferenceValue) = (oldLow, oldLowSample.value)
        }
        failed = (count + 1 >= maximumSteps || (tooSmall && safeStep > 0)) && !done
        step = middle
        current = sample
        decrease = newDecrease
      }
      count += 1
      if failed && (safeStep > 0 || decrease.isInfinite) {
        // optax's `_try_safe_step`: fall back on the best decreasing step.
        step = safeStep
        current = safe
      }
    }
    return LineSearchResult(step: step, sample: current, evaluations: count, converged: done)
  }

  /// The critical point of the cubic through (a, f_a), (b, f_b), (c, f_c) with
  /// slope f′_a at a (optax's `_cubicmin`, after SciPy); NaN when there is none.
  ///
  /// Rounded as XLA's CPU code for `_cubicmin` rounds (read from its
  /// optimised kernels): `f_b − f_a − f′_a·d_b` and the radical B² − 3A·f′_a
  /// are fused multiply-adds, the 2 × 2 product is an fma chain from the
  /// rounded first product, and the division by the denominator is a
  /// multiplication by its rounded reciprocal.
  @inlinable
  static func cubicMinimiser(
    _ a: Double, _ fa: Double, _ fpa: Double, _ b: Double, _ fb: Double, _ c: Double, _ fc: Double
  ) -> Double {
    let slope = fpa
    let db = b - a, dc = c - a
    let reciprocal = 1 / ((db * dc) * (db * dc) * (db - dc))
    let v0 = (fb - fa).addingProduct(-slope, db), v1 = (fc - fa).addingProduct(-slope, dc)
    let a3 = ((dc * dc) * v0).addingProduct(-(db * db), v1) * reciprocal
    let b2 = (-(dc * dc * dc) * v0).addingProduct(db * db * db, v1) * reciprocal
    let radical = (-(3.0 * a3 * slope)).addingProduct(b2, b2)
    return a + (-b2 + radical.squareRoot()) / (3.0 * a3)
  }

  /// The critical point of the quadratic through (a, f_a), (b, f_b) with
  /// slope f′_a at a (optax's `_quadmin`); `f_b − f_a − f′_a·d_b` is one fused
  /// multiply-add, as XLA computes it.
  @inlinable
  static func quadraticMinimiser(_ a: Double, _ fa: Double, _ fpa: Double, _ b: Double, _ fb: Double) -> Double {
    let db = b - a
    let curvature = (fb - fa).addingProduct(-fpa, db) / (db * db)
    return a - fpa / (2.0 * curvature)
  }
}
