/// Evaluates a function that returns its value and a hand-written pullback, and
/// returns both.
///
/// A *pullback* maps a cotangent of the output back to a cotangent (gradient) of
/// the input. Write functions in the pullback style with the primitives in
/// ``Pullbacks``:
///
/// ```swift
/// func squaredErrorLoss(_ m: Affine, _ x: Tensor<Double>, _ y: Tensor<Double>)
///   -> (value: Double, pullback: (Double) -> Tangent<Affine>) {
///   let (wx, matvecBack) = Pullbacks.matvec(m.weight, x)
///   let (prediction, addBack) = Pullbacks.add(wx, m.bias)
///   let (residual, _) = Pullbacks.subtract(prediction, y)
///   let (loss, sumSquaresBack) = Pullbacks.sumOfSquares(residual)
///   return (loss, { seed in
///     let (dPrediction, dBias) = addBack(sumSquaresBack(seed))
///     var gradient = m.zeroTangentVector
///     gradient[\.weight] = matvecBack(dPrediction).0
///     gradient[\.bias] = dBias
///     return gradient
///   })
/// }
/// ```
///
/// - Parameters:
///   - point: The input.
///   - function: Returns the value at its argument and the pullback there.
/// - Returns: The value and the pullback at `point`.
/// - Complexity: The cost of `function`.
/// - References: Griewank and Walther, *Evaluating Derivatives*, 2008 (reverse
///   mode); Bradbury et al., JAX's `vjp`, 2018.
@inlinable
public func valueWithPullback<Input, Output, Cotangent>(
  at point: Input,
  of function: (Input) -> (value: Output, pullback: (Output) -> Cotangent)
) -> (value: Output, pullback: (Output) -> Cotangent) {
  function(point)
}

/// Evaluates a scalar-valued function with a hand-written pullback and returns
/// its value and gradient: the pullback applied to 1.
///
/// ```swift
/// let (loss, gradient) = valueWithGradient(at: model) { squaredErrorLoss($0, x, y) }
/// ```
///
/// - Parameters:
///   - point: The parameters.
///   - function: Returns the loss at its argument and the pullback there.
/// - Returns: The loss and ∇f(point).
/// - Complexity: The cost of `function` and one pullback.
/// - References: Griewank and Walther, *Evaluating Derivatives*, 2008.
@inlinable
public func valueWithGradient<Input: Differentiable>(
  at point: Input,
  of function: (Input) -> (value: Input.TangentVector.Scalar, pullback: (Input.TangentVector.Scalar) -> Input.TangentVector)
) -> (value: Input.TangentVector.Scalar, gradient: Input.TangentVector) {
  let (value, pullback) = function(point)
  return (value, pullback(1))
}

/// The gradient of a scalar-valued function with a hand-written pullback.
///
/// - Parameters:
///   - point: The parameters.
///   - function: Returns the loss at its argument and the pullback there.
/// - Returns: ∇f(point).
/// - Complexity: The cost of `function` and one pullback.
/// - References: Griewank and Walther, *Evaluating Derivatives*, 2008.
@inlinable
public func gradient<Input: Differentiable>(
  at point: Input,
  of function: (Input) -> (value: Input.TangentVector.Scalar, pullback: (Input.TangentVector.Scalar) -> Input.TangentVector)
) -> Input.TangentVector {
  valueWithGradient(at: point, of: function).gradient
}
