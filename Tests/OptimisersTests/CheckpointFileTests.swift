import Foundation
import Optimisers
import Testing

/// Atomic checkpoint files: a writer killed at any moment leaves the previous
/// checkpoint or the new one, never a corrupt file.
@Suite struct CheckpointFileTests {
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("optimisers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The `checkpoint-stress` helper, built next to the test bundle.
  static var writer: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("checkpoint-stress")
  }

  @Test func writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("opt.ckpt").path
    let sgd = SGD<Tensor<Double>>(learningRate: 0.1)
    var params = Tensor<Double>([1, 2, 3])
    var state = sgd.initialState(for: params)
    for step in 1...3 {
      sgd.update(&state, &params, Tensor([1, 1, 1]))
      try sgd.checkpoint(state, for: params, includingParameters: true).write(toFile: path)
      let loaded = try Checkpoint(contentsOfFile: path)
      #expect(loaded.step == step)
      #expect(try sgd.restore(from: loaded, for: params).step == step)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["opt.ckpt"])
  }

  @Test func failedWritesThrowNamingThePathAndCleanUp() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("no/such/dir/opt.ckpt").path
    #expect(throws: CheckpointError.self) { try CheckpointFile.writeAtomically([1, 2, 3], to: missing) }
    do { try CheckpointFile.writeAtomically([1, 2, 3], to: missing) } catch {
      guard case .io(let operation, let path, let code) = error else { Issue.record("\(error)"); return }
      #expect(operation == "creating" && path == missing && code == ENOENT)
      // The user's path and the system's message, not a temporary name and a bare number.
      #expect(error.description == "creating '\(missing)' failed: \(String(cString: strerror(ENOENT))) (errno \(ENOENT))")
    }
    // Renaming onto a directory fails; the temporary file is removed.
    let occupied = directory.appendingPathComponent("taken")
    try FileManager.default.createDirectory(at: occupied.appendingPathComponent("inside"), withIntermediateDirectories: true)
    #expect(throws: CheckpointError.self) { try CheckpointFile.writeAtomically([1, 2, 3], to: occupied.path) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["taken"])
    #expect(throws: CheckpointError.self) { try Checkpoint(contentsOfFile: directory.appendingPathComponent("absent").path) }
  }

  @Test(.timeLimit(.minutes(30))) func killedWritersAlwaysLeaveALoadableCheckpoint() async throws {
    let writer = Self.writer
    #expect(FileManager.default.isExecutableFile(atPath: writer.path), "build the checkpoint-stress product: \(writer.path)")
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("run.ckpt").path
    let size = 20_000
    let adam = Adam<Tensor<Float>>(learningRate: 0.001)
    let shape = [size]

    // A first checkpoint, so there is always a previous one.
    var params = Tensor<Float>.zeros(shape)
    var state = adam.initialState(for: params)
    adam.update(&state, &params, Tensor(repeating: 1, shape: shape))
    try adam.checkpoint(state, for: params, includingParameters: true).write(toFile: path)

    var random = SplitMix64(seed: 0xC1_11)
    var lastStep = 1
    var kills = 0, strayFiles = 0, killedWhileWriting = 0
    // OPTIMISERS_KILL_ROUNDS runs a longer test.
    let rounds = ProcessInfo.processInfo.environment["OPTIMISERS_KILL_ROUNDS"].flatMap(Int.init) ?? 24
    for round in 0..<rounds {
      // Even rounds: encode and write live (kills land anywhere, mostly while
      // encoding). Odd rounds: the writer encodes first and says "ready", then
      // only writes, so the kill lands inside open/write/fsync/rename.
      let prepared = round % 2 == 1
      let process = Process()
      process.executableURL = writer
      process.arguments = [prepared ? "write-prepared" : "write", path, "\(lastStep)", prepared ? "6" : "1000", "\(size)"]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      var text = ""
      if prepared {
        // Wait (bounded) for "ready".
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("ready"), Date() < deadline {
          let chunk = output.fileHandleForReading.availableData
          if chunk.isEmpty { break }
          text += String(decoding: chunk, as: UTF8.self)
        }
        try await Task.sleep(nanoseconds: UInt64.random(in: 0...3_000, using: &random) * 1_000)
      } else {
        try await Task.sleep(nanoseconds: UInt64.random(in: 20...400, using: &random) * 1_000_000)
      }
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let reported = text.split(separator: "\n").filter { $0.hasPrefix("wrote ") }.compactMap { Int($0.dropFirst("wrote ".count)) }.last

      // Whatever remains loads, validates, and is the last or a later step.
      let checkpoint = try Checkpoint(contentsOfFile: path)
      var loadedParams = Tensor<Float>.zeros(shape)
      try checkpoint.restoreParameters(into: &loadedParams)
      let loadedState = try adam.restore(from: checkpoint, for: loadedParams)
      let step = loadedState.step
      #expect(checkpoint.step == step)
      #expect(step >= lastStep, "went back from step \(lastStep) to \(step)")
      // The last reported write is on disk, or the one after it (killed after
      // the rename, before printing).
      if let reported { #expect(step == reported || step == reported + 1, "reported \(reported), found \(step)") }
      // Parameters and state are from the same step: a constant gradient moves
      // every element alike.
      #expect(loadedParams.scalars.allSatisfy { $0 == loadedParams[flat: 0] })
      lastStep = step

      let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "run.ckpt" }
      if !leftovers.isEmpty { killedWhileWriting += 1 }
      strayFiles += leftovers.count
      for name in leftovers { try FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
    }
    #expect(kills > rounds / 2, "the writer finished too quickly to be killed: \(kills) kills")
    #expect(lastStep > 1, "no checkpoint was ever replaced")
    print("kill test: \(kills) kills in \(rounds) rounds, \(killedWhileWriting) inside a write (temporary file left), last step \(lastStep); every remaining checkpoint loaded")
  }
}
