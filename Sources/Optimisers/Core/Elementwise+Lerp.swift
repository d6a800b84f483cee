extension Elementwise {
  /// a + w(b − a), evaluated as `torch.lerp` does: from `a` when |w| < ½,
  /// otherwise from `b` as b − (b − a)(1 − w), so w = 1 gives `b` exactly.
  @inlinable
  static func lerp<S: ParameterScalar>(_ a: S, _ b: S, _ w: S) -> S {
    abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
  }
}
