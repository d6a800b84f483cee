import Optimisers

/// The file `swift run digits` saves after every epoch: the learning-curve
/// history followed by a ``Checkpoint`` of the optimiser with the parameters.
///
/// Layout (integers little-endian):
///
///     8 bytes   magic "DIGITRUN"
///     4 bytes   E, the number of epochs
///     16·E      per epoch: training loss, test accuracy (IEEE 754 binary64 bits)
///     4 bytes   CRC-32 of everything above
///     …         the checkpoint's own binary encoding (with its own CRC-32)
///
/// Write it with `CheckpointFile.writeAtomically(_:to:)`, so a crash leaves the
/// previous epoch's file or this one, never a mixture.
public enum DigitsRunFile {
  static let magic = Array("DIGITRUN".utf8)

  /// The bytes of a run file.
  public static func encode(history: [EpochRecord], checkpoint: Checkpoint) -> [UInt8] {
    var bytes = magic
    append(UInt32(history.count), to: &bytes)
    for record in history {
      append(record.trainingLoss.bitPattern, to: &bytes)
      append(record.testAccuracy.bitPattern, to: &bytes)
    }
    append(CRC32.checksum(bytes), to: &bytes)
    return bytes + checkpoint.encoded()
  }

  /// The history and checkpoint in a run file's bytes.
  ///
  /// - Throws: ``DigitsRunFileError`` when the magic, length or CRC is wrong or
  ///   the checkpoint does not decode.
  public static func decode(_ bytes: [UInt8]) throws(DigitsRunFileError) -> ([EpochRecord], Checkpoint) {
    guard bytes.count >= magic.count + 4, Array(bytes[..<magic.count]) == magic else { throw .notARunFile }
    let epochs = Int(read(UInt32.self, bytes, at: magic.count))
    let headerEnd = magic.count + 4 + 16 * epochs
    guard bytes.count >= headerEnd + 4 else {
      throw .corrupt("\(bytes.count) bytes cannot hold the \(epochs) epochs the header announces")
    }
    let stored = read(UInt32.self, bytes, at: headerEnd)
    let computed = CRC32.checksum(bytes[..<headerEnd])
    guard stored == computed else { throw .corrupt("the history's CRC-32 is \(stored), computed \(computed)") }
    let history = (0..<epochs).map { e in
      EpochRecord(trainingLoss: Double(bitPattern: read(UInt64.self, bytes, at: magic.count + 4 + 16 * e)),
                  testAccuracy: Double(bitPattern: read(UInt64.self, bytes, at: magic.count + 12 + 16 * e)))
    }
    do {
      return (history, try Checkpoint(decoding: Array(bytes[(headerEnd + 4)...])))
    } catch { throw .checkpoint(error) }
  }

  static func append<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  static func read<I: FixedWidthInteger>(_: I.Type, _ bytes: [UInt8], at offset: Int) -> I {
    var value: I = 0
    for i in 0..<(I.bitWidth / 8) { value |= I(bytes[offset + i]) << (8 * i) }
    return value
  }
}
