#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("CheckpointFile needs the C library of Darwin, Glibc or Musl")
#endif

/// Crash-safe file writing and bounded file reading for checkpoints, with the C
/// library only (no Foundation).
///
/// ``writeAtomically(_:to:)`` writes to a fresh temporary file in the target's
/// directory (so the rename stays on one file system), loops over partial
/// writes, flushes the file, renames it over the target (atomic in POSIX) and
/// flushes the directory so the rename itself is durable. Flushing is `fsync`
/// on Linux and `fcntl(F_FULLFSYNC)` on Darwin, whose `fsync` leaves the data
/// in the drive's volatile cache. If the process dies
/// at any point, the target holds the previous checkpoint or the new one; at
/// worst a stray `*.tmp-*` file is left next to it.
///
/// - Complexity: O(*n*) plus the cost of the `fsync` calls.
/// - References: POSIX.1-2017, `rename(2)` ("shall be atomic"); Apple,
///   `fsync(2)` and `fcntl(2)` manual pages (`F_FULLFSYNC`); Pillai et al.,
///   *All File Systems Are Not Created Equal*, OSDI 2014 (why the file and the
///   directory are flushed).
public enum CheckpointFile: Sendable {
  /// Files larger than this are refused on reading (1 TiB): a size field read
  /// from a damaged file system must not make us allocate without bound.
  public static let maximumSize = 1 << 40

  /// Writes `bytes` to `path` atomically (temporary file, `fsync`, `rename`,
  /// directory `fsync`).
  ///
  /// - Parameters:
  ///   - bytes: The file's new contents.
  ///   - path: The file to replace or create.
  /// - Throws: ``CheckpointError/io(operation:path:errno:)``; the temporary file
  ///   is removed and `path` is untouched.
  /// - Complexity: O(*n*).
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
    let directory = directoryName(of: path)
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(operation: "creating", path: temporary, errno: errno) }
    var failure: CheckpointError?
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = .io(operation: "writing", path: temporary, errno: errno)
          return
        }
        offset += written
      }
    }
    if failure == nil, flush(fd) != 0 { failure = .io(operation: "flushing", path: temporary, errno: errno) }
    if close(fd) != 0, failure == nil { failure = .io(operation: "closing", path: temporary, errno: errno) }
    if failure == nil, rename(temporary, path) != 0 { failure = .io(operation: "renaming onto", path: path, errno: errno) }
    if let failure {
      unlink(temporary)
      throw failure
    }
    let directoryFD = open(directory, O_RDONLY | O_CLOEXEC)
    if directoryFD >= 0 {
      // Best effort: some file systems refuse to flush a directory.
      _ = flush(directoryFD)
      _ = close(directoryFD)
    }
  }

  /// The contents of the file at `path`.
  ///
  /// - Parameter path: The file to read.
  /// - Throws: ``CheckpointError/io(operation:path:errno:)``, or
  ///   ``CheckpointError/corrupt(_:)`` for a file larger than ``maximumSize``.
  /// - Complexity: O(*n*).
  public static func contents(ofFile path: String) throws(CheckpointError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .io(operation: "opening", path: path, errno: errno) }
    defer { _ = close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .io(operation: "reading", path: path, errno: errno)
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
      guard bytes.count <= maximumSize else { throw .corrupt("'\(path)' is larger than \(maximumSize) bytes") }
    }
    return bytes
  }

  /// Flushes `fd` to stable storage; 0 on success, else -1 with `errno` set.
  ///
  /// On Darwin `fsync` only hands the data to the drive, so this asks for
  /// `F_FULLFSYNC` and falls back to `fsync` on file systems that refuse it
  /// (network and some external volumes).
  static func flush(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    if fcntl(fd, F_FULLFSYNC) != -1 { return 0 }
    #endif
    return fsync(fd)
  }

  /// The directory part of `path` (`.` for a bare file name).
  static func directoryName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }
}
