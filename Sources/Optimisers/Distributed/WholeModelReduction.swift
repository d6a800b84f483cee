/// A transform or rule whose step reads the whole model at once — a global
/// norm, a test over every gradient element — so that it cannot run on one
/// rank's share inside ``Sharded``: there it would see that share only.
///
/// ``ClipGlobalNorm`` and ``SkipNonFinite`` conform. A user's transform that
/// reduces over every leaf should conform too, so that ``Sharded`` refuses it
/// with a message saying where it belongs (outside, on the full gradient).
public protocol WholeModelReduction {}

extension ClipGlobalNorm: WholeModelReduction {}
extension SkipNonFinite: WholeModelReduction {}

/// The type name of the first value inside `rule` (itself included) that is a
/// ``WholeModelReduction``, or `nil`: a walk over the stored properties, so it
/// finds one nested in a `Chain`, a `Scheduled` or any other wrapper.
@usableFromInline
func wholeModelReduction(in rule: Any, depth: Int = 0) -> String? {
  if rule is any WholeModelReduction { return String(describing: type(of: rule)) }
  guard depth < 16 else { return nil }
  for child in Mirror(reflecting: rule).children {
    if let found = wholeModelReduction(in: child.value, depth: depth + 1) { return found }
  }
  return nil
}
