import Foundation
import Optimisers
import Testing

/// Writing keeps links, permissions and long names working and cleans up after
/// killed writers; reading refuses what is not a checkpoint file before
/// reading it, and hostile payloads before they allocate.
@Suite struct CheckpointFileSafetyTests {
  static func small() throws -> Checkpoint {
    let sgd = SGD<Tensor<Double>>(learningRate: 0.1)
    let params = Tensor<Double>([1, 2, 3])
    return try sgd.checkpoint(sgd.initialState(for: params), for: params, includingParameters: true)
  }

  @Test func aFileNameAtTheLengthLimitIsWritten() throws {
    let directory = try CheckpointFileTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in [String(repeating: "n", count: 255), String(repeating: "é", count: 127)] {
      let path = directory.appendingPathComponent(name).path
      try Self.small().write(toFile: path)
      try Self.small().write(toFile: path)
      #expect(try Checkpoint(contentsOfFile: path) == Self.small())
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 2)
  }

  @Test func writingThroughASymbolicLinkReplacesItsTargetAndKeepsPermissions() throws {
    let directory = try CheckpointFileTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("real.ckpt").path
    let link = directory.appendingPathComponent("latest.ckpt").path
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: target))
    #expect(chmod(target, 0o640) == 0)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.ckpt")
    try Self.small().write(toFile: link)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.ckpt")
    #expect(try Checkpoint(contentsOfFile: target) == Self.small())
    let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
    #expect(mode == 0o640)
    // A dangling link gets its target created.
    let dangling = directory.appendingPathComponent("next.ckpt").path
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "made.ckpt")
    try Self.small().write(toFile: dangling)
    #expect(try Checkpoint(contentsOfFile: directory.appendingPathComponent("made.ckpt").path) == Self.small())
  }

  @Test func staleTemporaryFilesOfDeadWritersAreRemoved() throws {
    let directory = try CheckpointFileTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("run.ckpt").path
    try Self.small().write(toFile: path)
    // Find the pattern by making a writer leave a file: name it as a writer would.
    let crc = String(CRC32.checksum(Array("run.ckpt".utf8)), radix: 16)
    let prefix = ".run.ckpt." + String(repeating: "0", count: 8 - crc.count) + crc + "."
    func hex(_ x: UInt32) -> String { let d = String(x, radix: 16); return String(repeating: "0", count: 8 - d.count) + d }
    let dead = prefix + hex(0x3FFF_FFF0) + "." + hex(7) + ".tmp"       // no such process
    let alive = prefix + hex(UInt32(getpid())) + "." + hex(8) + ".tmp"  // this process, recent
    let unrelated = ".other.ckpt.00000000." + hex(0x3FFF_FFF0) + ".00000001.tmp"
    for name in [dead, alive, unrelated] {
      try Data([0]).write(to: directory.appendingPathComponent(name))
    }
    try Self.small().write(toFile: path)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    #expect(left == ["run.ckpt", alive, unrelated])
  }

  @Test func specialFilesAreRefusedWithoutReadingThem() throws {
    for (path, kind) in [("/dev/null", "a character device"), ("/dev/zero", "a character device"), ("/tmp", "a directory")] {
      #expect(throws: CheckpointError.notARegularFile(path: path, kind: kind)) { try Checkpoint(contentsOfFile: path) }
    }
    let directory = try CheckpointFileTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(throws: CheckpointError.notARegularFile(path: fifo, kind: "a FIFO (named pipe)")) { try Checkpoint(contentsOfFile: fifo) }
  }

  @Test func theHeaderIsCheckedAgainstTheFileSizeFirst() throws {
    let directory = try CheckpointFileTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let big = directory.appendingPathComponent("big").path
    try Data(count: 1 << 20).write(to: URL(fileURLWithPath: big))
    #expect(throws: CheckpointError.notACheckpoint("it does not start with the checkpoint magic number")) {
      try Checkpoint(contentsOfFile: big)
    }
    // A header announcing more than the file holds.
    var bytes = try Self.small().encoded()
    bytes[12] &+= 1
    let short = directory.appendingPathComponent("short").path
    try Data(bytes).write(to: URL(fileURLWithPath: short))
    do { _ = try Checkpoint(contentsOfFile: short) } catch {
      #expect(error.description.contains("announces"), "\(error)")
    }
  }

  /// A payload that is one array of `count` nulls, framed with a valid CRC.
  static func nulls(_ count: Int) -> [UInt8] {
    var payload: [UInt8] = [8]  // array
    withUnsafeBytes(of: UInt64(count).littleEndian) { payload += $0 }
    payload += [UInt8](repeating: 0, count: count)
    var bytes: [UInt8] = [0x89, 0x4F, 0x50, 0x54, 0x43, 0x4B, 0x50, 0x54]
    withUnsafeBytes(of: UInt32(Checkpoint.currentFormatVersion).littleEndian) { bytes += $0 }
    withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes += $0 }
    bytes += payload
    withUnsafeBytes(of: CRC32.checksum(bytes).littleEndian) { bytes += $0 }
    return bytes
  }

  @Test func tinyValuesThatWouldNeedFarMoreMemoryThanTheirBytesAreRefused() {
    // 400 000 one-byte nulls would need ~56 bytes each: far beyond 8 bytes per
    // payload byte and 1 MiB.
    do {
      _ = try Checkpoint(decoding: Self.nulls(400_000))
      Issue.record("a hostile payload decoded")
    } catch {
      #expect(error.description.contains("would allocate more than"), "\(error)")
    }
    // A few thousand are within the allowance (and then not a checkpoint).
    do { _ = try Checkpoint(decoding: Self.nulls(1000)) } catch {
      #expect(!error.description.contains("would allocate"), "\(error)")
    }
  }
}
