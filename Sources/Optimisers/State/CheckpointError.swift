#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
  /// A file operation failed: the operation, the checkpoint's path as you gave
  /// it, and the C `errno` (the description adds the system's message).
  case io(operation: String, path: String, errno: Int32)
  /// The path names something that is not a regular file (a directory, a
  /// character device, a FIFO, a socket), which is not read.
  case notARegularFile(path: String, kind: String)
  /// A ``LeafSelector`` (of a ``Partition``, a ``Masked`` transform, a masked
  /// weight decay) selects other leaves than when the checkpoint was written:
  /// both as the bracketed lists of leaf names.
  case selectionMismatch(path: String, expected: String, found: String)
  /// A restored buffer or parameter holds a value the optimiser cannot continue
  /// from: NaN or ±∞ (unless accepted with ``Checkpoint/NonFiniteValues/accept``),
  /// or a negative value in a buffer that is a sum or average of squares.
  case poisonedValue(buffer: String, leaf: String, index: Int, value: Double, requirement: String)

  /// A sentence saying what happened and what to do about it.
  ///
  /// - Complexity: O(1).
  public var description: String {
    switch self {
    case .notACheckpoint(let message):
      return "not an optimiser checkpoint: \(message); pass the path of a file written by Checkpoint.write(toFile:)"
    case .corrupt(let message):
      return "the checkpoint is damaged: \(message); load an earlier checkpoint"
    case let .unsupportedFormatVersion(found, readable):
      if found > readable.upperBound {
        return "the checkpoint was written in format version \(found) by a newer version of this library, "
          + "which reads format versions \(readable.lowerBound) to \(readable.upperBound); update the library to load it"
      }
      return "the checkpoint says format version \(found), which no version of this library wrote "
        + "(it reads format versions \(readable.lowerBound) to \(readable.upperBound)); the file is damaged or not a checkpoint"
    case let .ruleMismatch(path, expected, found):
      return "the checkpoint was written by \(found) at \(path), but the optimiser has \(expected) there; "
        + "restore with the optimiser that wrote it"
    case let .hyperparameterMismatch(path, name, expected, found):
      return "hyperparameter '\(name)' of \(path) is \(expected), but the checkpoint has \(found); restore with the "
        + "checkpoint's value, or pass hyperparameters: .useOptimiser to continue with the new one"
    case let .structureMismatch(path, message):
      return "the optimiser differs from the checkpoint at \(path): \(message); restore with the optimiser that wrote it"
    case let .leafCountMismatch(expected, found):
      return "the parameters have \(expected) leaves, but the checkpoint has \(found); restore into the model it was saved from"
    case let .leafNameMismatch(index, expected, found):
      return "parameter leaf \(index) is '\(expected)', but in the checkpoint it is '\(found)'; "
        + "restore into the model it was saved from"
    case let .shapeMismatch(leaf, expected, found):
      return "parameter leaf '\(leaf)' has shape \(expected), but the checkpoint has shape \(found); "
        + "restore into the model it was saved from"
    case let .scalarTypeMismatch(expected, found):
      return "the parameters hold \(expected), but the checkpoint holds \(found); restore into a model of \(found)"
    case .noParameters:
      return "the checkpoint holds no parameter values; write it with includingParameters: true to save them"
    case .undecodableState(let message):
      return "the checkpoint's state cannot be decoded as this optimiser's state: \(message)"
    case .invalidState(let error):
      return "the checkpoint's state cannot be used: \(error.description)"
    case .unencodableState(let message):
      return "the optimiser state cannot be encoded: \(message)"
    case let .io(operation, path, code):
      return "\(operation) '\(path)' failed: \(CheckpointError.systemMessage(code)) (errno \(code))"
    case let .notARegularFile(path, kind):
      return "'\(path)' is \(kind), not a regular file; pass the path of a checkpoint file"
    case let .selectionMismatch(path, expected, found):
      return "the leaf selection at \(path) selects \(expected), but the checkpoint was written selecting \(found); "
        + "restore with the selection it was written with, or start a new state for the new selection"
    case let .poisonedValue(buffer, leaf, index, value, requirement):
      return "'\(buffer)' of leaf '\(leaf)' holds \(value) at index \(index), but must be \(requirement); "
        + "load an earlier checkpoint, or pass nonFiniteValues: .accept to load non-finite values on purpose"
    }
  }

  /// The C library's message for `code` (`strerror`).
  static func systemMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "unknown error" }
    return String(cString: text)
  }
}
