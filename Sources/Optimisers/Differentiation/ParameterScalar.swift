import COptimisers

/// A floating-point type that parameters, gradients and optimiser state are made of.
///
/// `Float` and `Double` conform. The protocol adds to `BinaryFloatingPoint` the few
/// elementwise functions the update rules and pullbacks need, implemented so that
/// loops calling them vectorise: ``squareRoot(of:)`` lowers to the hardware square
/// root with no `errno` branch, which `Float.squareRoot()` does not on Linux.
///
/// ## Mathematical properties
/// ``squareRoot(of:)`` is correctly rounded (IEEE 754 `sqrt`), so results are
/// bitwise reproducible across platforms. ``exp(_:)``, ``log(_:)``, ``tanh(_:)`` and
/// ``erf(_:)`` come from the C library and may differ in the last place between platforms.
///
/// - Complexity: Every requirement is O(1).
/// - References: IEEE 754-2019, *Standard for Floating-Point Arithmetic*, 2019.
public protocol ParameterScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable
where RawSignificand: FixedWidthInteger {
  /// The correctly rounded square root of `x`, √x, without touching `errno`.
  ///
  /// Use this in place of `x.squareRoot()` inside update loops: it lets the
  /// compiler vectorise the loop.
  ///
  /// - Parameter x: The radicand; a negative value gives NaN.
  /// - Complexity: O(1).
  static func squareRoot(of x: Self) -> Self

  /// The natural exponential eˣ.
  ///
  /// Used by pullbacks of `sigmoid`, `softmax` and by the cross-entropy loss.
  ///
  /// - Parameter x: The exponent.
  /// - Complexity: O(1).
  static func exp(_ x: Self) -> Self

  /// The natural logarithm ln x.
  ///
  /// Used by the log-softmax cross-entropy loss.
  ///
  /// - Parameter x: A positive argument; zero gives −∞ and a negative value NaN.
  /// - Complexity: O(1).
  static func log(_ x: Self) -> Self

  /// The hyperbolic tangent tanh x.
  ///
  /// Used by the `tanh` activation and its pullback, 1 − tanh²x.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  static func tanh(_ x: Self) -> Self

  /// The error function erf x = (2/√π) ∫₀ˣ e^(−t²) dt.
  ///
  /// Used by the exact (erf) form of the GELU activation, x Φ(x) with
  /// Φ(x) = ½(1 + erf(x/√2)).
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  static func erf(_ x: Self) -> Self
}

extension Float: ParameterScalar {
  /// The correctly rounded square root of `x`, computed without an `errno` branch.
  ///
  /// - Parameter x: The radicand.
  /// - Complexity: O(1).
  @inlinable public static func squareRoot(of x: Float) -> Float { optimisers_sqrtf(x) }
  /// The natural exponential eˣ, from the C library.
  ///
  /// - Parameter x: The exponent.
  /// - Complexity: O(1).
  @inlinable public static func exp(_ x: Float) -> Float { optimisers_expf(x) }
  /// The natural logarithm ln x, from the C library.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  @inlinable public static func log(_ x: Float) -> Float { optimisers_logf(x) }
  /// The hyperbolic tangent tanh x, from the C library.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  @inlinable public static func tanh(_ x: Float) -> Float { optimisers_tanhf(x) }
  /// The error function erf x, from the C library.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  @inlinable public static func erf(_ x: Float) -> Float { optimisers_erff(x) }
}

extension Double: ParameterScalar {
  /// The correctly rounded square root of `x`, computed without an `errno` branch.
  ///
  /// - Parameter x: The radicand.
  /// - Complexity: O(1).
  @inlinable public static func squareRoot(of x: Double) -> Double { optimisers_sqrt(x) }
  /// The natural exponential eˣ, from the C library.
  ///
  /// - Parameter x: The exponent.
  /// - Complexity: O(1).
  @inlinable public static func exp(_ x: Double) -> Double { optimisers_exp(x) }
  /// The natural logarithm ln x, from the C library.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  @inlinable public static func log(_ x: Double) -> Double { optimisers_log(x) }
  /// The hyperbolic tangent tanh x, from the C library.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  @inlinable public static func tanh(_ x: Double) -> Double { optimisers_tanh(x) }
  /// The error function erf x, from the C library.
  ///
  /// - Parameter x: The argument.
  /// - Complexity: O(1).
  @inlinable public static func erf(_ x: Double) -> Double { optimisers_erf(x) }
}

/// Raises `base` to `exponent` in double precision, as the references do for
/// bias corrections such as β₁ᵗ.
///
/// - Complexity: O(1).
@inlinable
public func power(_ base: Double, _ exponent: Double) -> Double {
  optimisers_pow(base, exponent)
}
