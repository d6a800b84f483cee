import Foundation
import Optimisers

/// `checkpoint-stress hostile DIR [MB]`: writes binary checkpoints of about MB
/// megabytes (default 64) made to be expensive to decode — valid header and
/// CRC, payloads of tiny values — and reads each with
/// `Checkpoint(contentsOfFile:)` in a child process (`read` mode), printing
/// the outcome. Peak memory is measured from outside, per child:
/// `/usr/bin/time -v checkpoint-stress read FILE` ("Maximum resident set
/// size") against the file's size.
enum HostileInputs {
  static func frame(_ payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0x89, 0x4F, 0x50, 0x54, 0x43, 0x4B, 0x50, 0x54]
    withUnsafeBytes(of: UInt32(Checkpoint.currentFormatVersion).littleEndian) { bytes += $0 }
    withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes += $0 }
    bytes += payload
    var crc = CRC32()
    crc.update(bytes)
    withUnsafeBytes(of: crc.value.littleEndian) { bytes += $0 }
    return bytes
  }

  static func count(_ n: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(n).littleEndian) { Array($0) } }

  /// Payload shapes: one array of `n` nulls; of `n` empty strings; of `n`
  /// empty arrays; of integers; an object of `n` empty-keyed nulls; nested
  /// arrays of one element.
  static func payloads(bytes: Int) -> [(String, [UInt8])] {
    let n = bytes
    var result: [(String, [UInt8])] = []
    result.append(("nulls", [8] + count(n) + [UInt8](repeating: 0, count: n)))
    result.append(("emptyStrings", [8] + count(n / 9) + ([7] + count(0)).repeated(n / 9)))
    result.append(("emptyArrays", [8] + count(n / 9) + ([8] + count(0)).repeated(n / 9)))
    result.append(("integers", [8] + count(n / 9) + ([3] + count(1)).repeated(n / 9)))
    result.append(("emptyKeyNulls", [9] + count(n / 9) + (count(0) + [0]).repeated(n / 9)))
    result.append(("singleFloats", [8] + count(n / 13) + ([10] + count(1) + [0, 0, 128, 63]).repeated(n / 13)))
    return result
  }

  static func run(directory: String, megabytes: Int, executable: String) throws {
    for (name, payload) in payloads(bytes: megabytes << 20) {
      let path = directory + "/hostile-\(name).ckpt"
      let bytes = frame(payload)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = ["read", path]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      process.waitUntilExit()
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      print("hostile \(name): \(bytes.count) bytes; \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
      unlink(path)
    }
  }

  /// `checkpoint-stress read PATH`: reads a checkpoint and prints the outcome
  /// and the file's size.
  static func read(_ path: String) {
    let outcome: String
    do {
      let checkpoint = try Checkpoint(contentsOfFile: path)
      outcome = "loaded (format version \(checkpoint.formatVersion))"
    } catch {
      outcome = "refused: \(error.description.prefix(120))"
    }
    var info = stat()
    stat(path, &info)
    print("\(outcome); file \(info.st_size) bytes")
  }
}

extension Array {
  func repeated(_ times: Int) -> [Element] {
    var result: [Element] = []
    result.reserveCapacity(count * times)
    for _ in 0..<times { result += self }
    return result
  }
}
