#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `CheckpointByteSink` that writes to a file descriptor through a 256 KiB
/// buffer; a write of at least half the buffer (a parameter or moment buffer)
/// goes straight from the caller's memory, so writing a checkpoint never holds
/// more than the buffer besides the checkpoint itself.
///
/// The first failing `write(2)` is kept in ``failure`` and every later write is
/// ignored; the caller checks it after ``flush()``.
///
/// - Complexity: O(*n*) in the bytes written, one system call per 256 KiB or
///   per large buffer.
struct CheckpointFileSink: CheckpointByteSink {
  static let capacity = 1 << 18

  let fd: Int32
  var buffer: [UInt8] = []
  /// The `errno` of the first failed write, if any.
  var failure: Int32?

  init(fd: Int32) {
    self.fd = fd
    buffer.reserveCapacity(CheckpointFileSink.capacity)
  }

  mutating func write(_ bytes: UnsafeRawBufferPointer) {
    guard failure == nil else { return }
    if buffer.count + bytes.count <= CheckpointFileSink.capacity {
      buffer.append(contentsOf: bytes)
      return
    }
    flush()
    if bytes.count >= CheckpointFileSink.capacity / 2 {
      writeAll(bytes)
    } else {
      buffer.append(contentsOf: bytes)
    }
  }

  /// Writes out whatever is buffered.
  mutating func flush() {
    guard failure == nil, !buffer.isEmpty else { return }
    let pending = buffer
    pending.withUnsafeBytes { writeAll($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  mutating func writeAll(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count, failure == nil {
      let written = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        failure = errno
        return
      }
      offset += written
    }
  }
}

/// `write(2)`, under a name that the sink's own `write(_:)` does not hide.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}
