import Foundation

/// Runs `Benchmarks/<script>` with `python` and returns the JSON object it
/// prints, or `nil` after saying why: the torch companions of the release
/// benchmarks (`optimisers-bench --only muon/soap`, `lbfgs-bench`).
public func runBenchmarkScript(python: String, script: String, arguments: [String]) -> [String: Any]? {
  let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Benchmarks/\(script)")
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = [path.path] + arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  do { try process.run() } catch {
    print("torch: cannot run \(python): \(error)")
    return nil
  }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else {
    print("torch: \(script) failed (status \(process.terminationStatus))")
    return nil
  }
  return object
}
