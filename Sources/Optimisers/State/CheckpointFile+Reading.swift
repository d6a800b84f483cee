#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CheckpointFile {
  /// The contents of the regular file at `path`.
  ///
  /// The file is opened without blocking (a FIFO would otherwise wait for a
  /// writer), refused unless it is a regular file, and read into one buffer of
  /// its size; a file that grows or shrinks while it is read is an error.
  ///
  /// - Parameter path: The file to read.
  /// - Throws: ``CheckpointError/io(operation:path:errno:)``,
  ///   ``CheckpointError/notARegularFile(path:kind:)``, or
  ///   ``CheckpointError/corrupt(_:)`` for a file larger than ``maximumSize``.
  /// - Complexity: O(*n*).
  public static func contents(ofFile path: String) throws(CheckpointError) -> [UInt8] {
    let (fd, size) = try openRegularFile(path)
    defer { _ = close(fd) }
    return try readExactly(fd, size: size, path: path, skipping: 0)
  }

  /// The bytes of the checkpoint file at `path`, after checking its header
  /// (magic number, format version, payload length against the file's size)
  /// from the first bytes alone, so a file that is not a checkpoint costs a
  /// few bytes, not its size.
  static func checkpointBytes(ofFile path: String) throws(CheckpointError) -> [UInt8] {
    let (fd, size) = try openRegularFile(path)
    defer { _ = close(fd) }
    let headerSize = CheckpointBinaryFormat.headerSize
    let header = try readExactly(fd, size: min(size, headerSize), path: path, skipping: 0)
    _ = try header.withUnsafeBytes { raw in
      Result { () throws(CheckpointError) in try CheckpointBinaryFormat.header(raw, totalSize: size) }
    }.get()
    var bytes = header
    bytes.append(contentsOf: try readExactly(fd, size: size - header.count, path: path, skipping: header.count))
    return bytes
  }

  /// Opens `path` for reading and returns the descriptor and the size, or
  /// throws unless it is a regular file of at most ``maximumSize`` bytes.
  static func openRegularFile(_ path: String) throws(CheckpointError) -> (Int32, Int) {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else { throw .io(operation: "opening", path: path, errno: errno) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      _ = close(fd)
      throw .io(operation: "examining", path: path, errno: code)
    }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG else {
      _ = close(fd)
      let kind: String
      switch type {
      case S_IFDIR: kind = "a directory"
      case S_IFCHR: kind = "a character device"
      case S_IFBLK: kind = "a block device"
      case S_IFIFO: kind = "a FIFO (named pipe)"
      case S_IFSOCK: kind = "a socket"
      default: kind = "a special file"
      }
      throw .notARegularFile(path: path, kind: kind)
    }
    let size = Int(info.st_size)
    guard size <= maximumSize else {
      _ = close(fd)
      throw .corrupt("'\(path)' is larger than \(maximumSize) bytes")
    }
    return (fd, size)
  }

  /// Exactly `size` bytes from `fd`, or an error if the file ends early or
  /// goes on (it changed while being read).
  static func readExactly(_ fd: Int32, size: Int, path: String, skipping offset: Int) throws(CheckpointError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    var filled = 0
    var failure: Int32? = nil
    bytes.withUnsafeMutableBytes { buffer in
      while filled < size {
        let count = read(fd, buffer.baseAddress! + filled, min(size - filled, 1 << 24))
        if count < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if count == 0 { return }
        filled += count
      }
    }
    if let failure { throw .io(operation: "reading", path: path, errno: failure) }
    guard filled == size else {
      throw .corrupt("'\(path)' ended after \(offset + filled) bytes while being read; it was \(offset + size) bytes when opened")
    }
    return bytes
  }
}
