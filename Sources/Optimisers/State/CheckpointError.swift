/// Why a checkpoint could not be written, read or restored.
///
/// Every case names what differs — the leaf and both shapes, the rule, the
/// hyperparameter and both values, the format version — with *expected* taken
/// from the optimiser and parameters you restore into and *found* from the
/// checkpoint. Restoring either returns a complete state or throws one of these:
/// it never traps and never leaves a half-loaded state behind.
///
/// - Complexity: ``description`` is O(1) (O(*k*) in the shapes it prints).
/// - References: Swift Evolution SE-0413, *Typed throws*, 2023.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The bytes are not a checkpoint (wrong magic number, too short).
  case notACheckpoint(String)
  /// The bytes are a checkpoint but damaged: checksum mismatch, truncation or a
  /// malformed value.
  case corrupt(String)
  /// The checkpoint was written by a format version this library cannot read.
  case unsupportedFormatVersion(found: Int, readable: ClosedRange<Int>)
  /// The checkpoint was written by another rule or wrapper (at `path` in the
  /// structure, such as `Chain/members.1`).
  case ruleMismatch(path: String, expected: String, found: String)
  /// A hyperparameter differs between the optimiser and the checkpoint.
  case hyperparameterMismatch(path: String, name: String, expected: Double, found: Double)
  /// The optimiser and the checkpoint have different hyperparameters or
  /// components (one has a name the other lacks).
  case structureMismatch(path: String, message: String)
  /// The parameters have another number of leaves than the checkpoint.
  case leafCountMismatch(expected: Int, found: Int)
  /// Leaf `index` has another name in the parameters than in the checkpoint.
  case leafNameMismatch(index: Int, expected: String, found: String)
  /// A leaf has another shape in the parameters than in the checkpoint.
  case shapeMismatch(leaf: String, expected: [Int], found: [Int])
  /// The parameters' scalar type differs from the checkpoint's.
  case scalarTypeMismatch(expected: String, found: String)
  /// The checkpoint holds no parameter values to restore.
  case noParameters
  /// The state in the checkpoint is not a valid state of the optimiser.
  case undecodableState(String)
  /// The decoded state does not fit the optimiser and parameters.
  case invalidState(OptimiserError)
  /// The optimiser's state could not be encoded.
  case unencodableState(String)
  /// A file operation failed: the operation, the path and the C `errno`.
  case io(operation: String, path: String, errno: Int32)

  /// A sentence naming what differs.
  ///
  /// - Complexity: O(1).
  public var description: String {
    switch self {
    case .notACheckpoint(let message):
      return "not an optimiser checkpoint: \(message)"
    case .corrupt(let message):
      return "the checkpoint is corrupt: \(message)"
    case let .unsupportedFormatVersion(found, readable):
      return "the checkpoint was written in format version \(found); this library reads format versions \(readable.lowerBound) to \(readable.upperBound)"
    case let .ruleMismatch(path, expected, found):
      return "the checkpoint was written by \(found) at \(path), not by \(expected)"
    case let .hyperparameterMismatch(path, name, expected, found):
      return "hyperparameter '\(name)' of \(path) is \(expected), but the checkpoint has \(found)"
    case let .structureMismatch(path, message):
      return "the optimiser differs from the checkpoint at \(path): \(message)"
    case let .leafCountMismatch(expected, found):
      return "the parameters have \(expected) leaves, but the checkpoint has \(found)"
    case let .leafNameMismatch(index, expected, found):
      return "parameter leaf \(index) is '\(expected)', but in the checkpoint it is '\(found)'"
    case let .shapeMismatch(leaf, expected, found):
      return "parameter leaf '\(leaf)' has shape \(expected), but the checkpoint has shape \(found)"
    case let .scalarTypeMismatch(expected, found):
      return "the parameters hold \(expected), but the checkpoint holds \(found)"
    case .noParameters:
      return "the checkpoint holds no parameter values"
    case .undecodableState(let message):
      return "the checkpoint's state cannot be decoded: \(message)"
    case .invalidState(let error):
      return "the checkpoint's state does not fit: \(error.description)"
    case .unencodableState(let message):
      return "the optimiser state cannot be encoded: \(message)"
    case let .io(operation, path, code):
      return "\(operation) '\(path)' failed with errno \(code)"
    }
  }
}
