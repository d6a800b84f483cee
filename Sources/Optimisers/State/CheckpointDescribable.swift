/// A rule, wrapper or schedule that describes its own structure and
/// hyperparameters for a ``Checkpoint``.
///
/// You rarely need this: without a conformance, ``OptimiserDescription/init(describing:)``
/// builds the description by reflection (`Mirror`), recording every stored
/// number (`Double`, `Float`, integers, `Bool`) as a hyperparameter and every
/// stored struct — a nested rule, a transform, a schedule — as a component.
/// Conform when a type stores something reflection would misread (a cache, a
/// closure's result) or when you want shorter names.
///
/// ```swift
/// extension MyRule: CheckpointDescribable {
///   var checkpointDescription: OptimiserDescription {
///     OptimiserDescription(name: "MyRule", hyperparameters: [.init(name: "learningRate", value: learningRate)])
///   }
/// }
/// ```
///
/// - Complexity: Implementations should be O(size of the structure).
/// - References: Optimisers.jl, `Base.show` of a rule tree, 2021 (a rule tree
///   that prints its hyperparameters).
public protocol CheckpointDescribable {
  /// The structure and hyperparameters recorded in, and checked against, a
  /// checkpoint.
  ///
  /// - Complexity: O(size of the structure).
  var checkpointDescription: OptimiserDescription { get }
}
