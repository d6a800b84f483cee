import Foundation
import Testing

/// `swift run digits` end to end: an interrupted and resumed run saves the same
/// bytes as an uninterrupted one on another thread count; bad data is named.
@Suite struct DigitsExecutableTests {
  /// The `digits` product, built next to the test bundle.
  static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("digits")

  /// Runs the example and returns its exit status, standard output and error.
  func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self))
  }

  @Test func anInterruptedRunResumesToTheSameBytes() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the digits product: \(Self.executable.path)")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let common = ["--rules", "adam,lion", "--epochs", "2", "--hidden", "12", "--batch-size", "64", "--dropout", "0.1", "--no-plot"]
    let interrupted = directory.appendingPathComponent("interrupted").path
    let straight = directory.appendingPathComponent("straight").path

    let first = try run(common + ["--checkpoints", interrupted, "--stop-after", "1", "--threads", "1"])
    #expect(first.status == 0, "\(first.error)")
    let second = try run(common + ["--checkpoints", interrupted, "--resume", "--threads", "1"])
    #expect(second.status == 0, "\(second.error)")
    #expect(second.output.contains("resumed from"), "\(second.output)")
    let whole = try run(common + ["--checkpoints", straight, "--threads", "3"])
    #expect(whole.status == 0, "\(whole.error)")
    for rule in ["adam", "lion"] {
      let a = try Data(contentsOf: URL(fileURLWithPath: "\(interrupted)/\(rule).run"))
      let b = try Data(contentsOf: URL(fileURLWithPath: "\(straight)/\(rule).run"))
      #expect(a.count > 1_000 && a == b, "\(rule): the resumed run's file differs from the uninterrupted run's")
    }
    // The resumed run prints the same final loss and accuracy as the
    // uninterrupted one (the lines differ only in the time taken).
    let lastLine = { (text: String) in
      text.split(separator: "\n").last(where: { $0.contains("epoch   2") })?.split(separator: "(").first
    }
    #expect(lastLine(second.output) != nil && lastLine(second.output) == lastLine(whole.output))
  }

  @Test func badDataIsNamedWithItsLineAndColumn() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bad.csv").path
    let header = (0..<65).map { "c\($0)" }.joined(separator: ",")
    let row = [String](repeating: "1", count: 64).joined(separator: ",") + ",7"
    try (header + "\n" + row + "\n" + row.replacingOccurrences(of: ",7", with: ",seven") + "\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let result = try run(["--data", path, "--no-plot", "--checkpoints", directory.path])
    #expect(result.status == 1)
    #expect(result.error.contains("line 3, column 129"), "\(result.error)")
    let help = try run(["--help"])
    #expect(help.status == 0 && help.output.contains("--resume"))
    let unknown = try run(["--rules", "sgd"])
    #expect(unknown.status == 2 && unknown.error.contains("unknown rule 'sgd'"))
  }
}
