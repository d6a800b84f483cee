/// One element of an 8-bit rule's update, computed in `Float`: the parameter
/// *p*, the (mapped) gradient *g*, the first moment *m* and, when
/// ``keepsSecondMoment``, the second moment *v*, already decoded.
///
/// ``Quantised`` calls it inside its fused pass; a conforming type holds the
/// step's coefficients, computed once per step by the base rule's
/// ``QuantisableRule/quantisedKernel(step:)``.
public protocol QuantisedKernel: Sendable {
  /// Whether the rule keeps a second moment (stored with the unsigned map).
  static var keepsSecondMoment: Bool { get }
  /// Updates one element in place.
  func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float)
}

/// A rule whose state can be kept in 8 bits by ``Quantised``: it gives its
/// per-element update in `Float`.
///
/// Conforming: ``Adam``, ``AdamW``, ``Lion`` and ``Momentum``.
public protocol QuantisableRule: Optimiser, HyperparameterDeclaring {
  /// The per-element update.
  associatedtype Kernel: QuantisedKernel
  /// The update of step `t` (counted from 1), its coefficients computed.
  func quantisedKernel(step t: Int) -> Kernel
}
