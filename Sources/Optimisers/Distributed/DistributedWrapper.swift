/// A wrapper that changes where a rule runs, not what it computes:
/// ``DataParallel`` and ``Sharded``. Checkpoints describe the wrapped rule in
/// its place, so a checkpoint written on N ranks names the same optimiser as
/// one written by a single process and loads into either.
public protocol DistributedWrapper {
  /// The rule a checkpoint records in this wrapper's place.
  var describedRule: Any { get }
}
