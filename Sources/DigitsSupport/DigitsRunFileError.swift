import Optimisers

/// Why a saved digits run could not be resumed.
public enum DigitsRunFileError: Error, CustomStringConvertible {
  /// The bytes do not start with the run file's magic number.
  case notARunFile
  /// The framing is damaged; the message says where.
  case corrupt(String)
  /// The embedded checkpoint failed to load or does not fit the run.
  case checkpoint(CheckpointError)

  /// What is wrong.
  public var description: String {
    switch self {
    case .notARunFile: return "not a digits run file (bad magic number)"
    case .corrupt(let message): return "damaged digits run file: \(message)"
    case .checkpoint(let error): return "the run's checkpoint does not load: \(error)"
    }
  }
}
