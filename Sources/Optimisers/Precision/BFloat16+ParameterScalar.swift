/// The SIMD storage of ``BFloat16`` vectors: the bits, in a vector of
/// `UInt16` of the same width.
public struct BFloat16Vector<Bits: SIMD & Sendable>: SIMDStorage, Sendable where Bits.Scalar == UInt16 {
  public typealias Scalar = BFloat16
  /// The lanes' bit patterns.
  public var bits: Bits

  @inlinable public init() { bits = Bits() }
  @inlinable public var scalarCount: Int { bits.scalarCount }

  @inlinable
  public subscript(index: Int) -> BFloat16 {
    get { BFloat16(bitPattern: bits[index]) }
    set { bits[index] = newValue.bitPattern }
  }
}

extension BFloat16: SIMDScalar {
  public typealias SIMDMaskScalar = Int16
  public typealias SIMD2Storage = BFloat16Vector<SIMD2<UInt16>>
  public typealias SIMD4Storage = BFloat16Vector<SIMD4<UInt16>>
  public typealias SIMD8Storage = BFloat16Vector<SIMD8<UInt16>>
  public typealias SIMD16Storage = BFloat16Vector<SIMD16<UInt16>>
  public typealias SIMD32Storage = BFloat16Vector<SIMD32<UInt16>>
  public typealias SIMD64Storage = BFloat16Vector<SIMD64<UInt16>>
}

extension BFloat16: ParameterScalar {
  /// √x in `Float`, rounded once (correctly rounded).
  @inlinable public static func squareRoot(of x: BFloat16) -> BFloat16 { BFloat16(Float.squareRoot(of: x.floatValue)) }
  /// eˣ in `Float`, rounded.
  @inlinable public static func exp(_ x: BFloat16) -> BFloat16 { BFloat16(Float.exp(x.floatValue)) }
  /// ln x in `Float`, rounded.
  @inlinable public static func log(_ x: BFloat16) -> BFloat16 { BFloat16(Float.log(x.floatValue)) }
  /// tanh x in `Float`, rounded.
  @inlinable public static func tanh(_ x: BFloat16) -> BFloat16 { BFloat16(Float.tanh(x.floatValue)) }
  /// erf x in `Float`, rounded.
  @inlinable public static func erf(_ x: BFloat16) -> BFloat16 { BFloat16(Float.erf(x.floatValue)) }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
/// `Float16` (IEEE binary16: 5 exponent bits, 10 significand bits, largest
/// finite 65,504): its functions computed in `Float` and rounded once.
extension Float16: ParameterScalar {
  /// √x in `Float`, rounded once (correctly rounded).
  @inlinable public static func squareRoot(of x: Float16) -> Float16 { Float16(Float.squareRoot(of: Float(x))) }
  /// eˣ in `Float`, rounded.
  @inlinable public static func exp(_ x: Float16) -> Float16 { Float16(Float.exp(Float(x))) }
  /// ln x in `Float`, rounded.
  @inlinable public static func log(_ x: Float16) -> Float16 { Float16(Float.log(Float(x))) }
  /// tanh x in `Float`, rounded.
  @inlinable public static func tanh(_ x: Float16) -> Float16 { Float16(Float.tanh(Float(x))) }
  /// erf x in `Float`, rounded.
  @inlinable public static func erf(_ x: Float16) -> Float16 { Float16(Float.erf(Float(x))) }
}
#endif
