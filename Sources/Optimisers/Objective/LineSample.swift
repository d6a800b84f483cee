/// The objective at one trial point x + t·d of a line search: the value, the
/// flat gradient, the slope g·d and max |gᵢ|.
///
/// - Complexity: O(1) to copy (the gradient is copy-on-write).
@usableFromInline
struct LineSample<Scalar: ParameterScalar> {
  /// f(x + t·d).
  @usableFromInline var value: Double
  /// ∇f(x + t·d), flat.
  @usableFromInline var gradient: [Scalar]
  /// ∇f(x + t·d)·d, the derivative of t ↦ f(x + t·d).
  @usableFromInline var slope: Double
  /// max |∇f(x + t·d)ᵢ|.
  @usableFromInline var gradientMax: Double

  @inlinable init(value: Double, gradient: [Scalar], slope: Double, gradientMax: Double) {
    self.value = value
    self.gradient = gradient
    self.slope = slope
    self.gradientMax = gradientMax
  }
}
