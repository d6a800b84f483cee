/// Where the binary encoding of a checkpoint goes: a byte array
/// (``Checkpoint/encoded()``) or a file, written as it is produced
/// (``Checkpoint/write(toFile:)``), so that writing never holds a second copy
/// of the checkpoint.
///
/// - Complexity: ``write(_:)`` is O(*n*) in the bytes written.
protocol CheckpointByteSink {
  /// Appends `bytes`.
  mutating func write(_ bytes: UnsafeRawBufferPointer)
}

extension CheckpointByteSink {
  /// Appends `value` little-endian.
  mutating func append<I: FixedWidthInteger>(_ value: I) {
    withUnsafeBytes(of: value.littleEndian) { write($0) }
  }
}

/// The sinks of the binary format: into memory, and the checksum that wraps
/// another sink.
enum CheckpointByteSinks {}

extension CheckpointByteSinks {
  /// Collects the bytes in an array.
  struct Bytes: CheckpointByteSink {
    var bytes: [UInt8] = []

    mutating func write(_ buffer: UnsafeRawBufferPointer) { bytes.append(contentsOf: buffer) }
  }

  /// Passes bytes to `base` and adds them to a CRC-32 on the way.
  struct Checksummed<Base: CheckpointByteSink>: CheckpointByteSink {
    var base: Base
    var crc: CRC32

    mutating func write(_ buffer: UnsafeRawBufferPointer) {
      crc.update(bytesOf: buffer)
      base.write(buffer)
    }
  }
}
