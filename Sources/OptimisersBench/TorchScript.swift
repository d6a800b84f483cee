import Foundation

/// Runs `Benchmarks/<script>` with `python` and returns the median seconds per
/// step it prints (the JSON key `seconds_per_step_median`), or `nil` after
/// saying why: the Python companion of `--muon` and `--only soap`.
func torchSecondsPerStep(python: String, script: String, arguments: [String]) -> Double? {
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
  guard process.terminationStatus == 0,
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
    let seconds = object["seconds_per_step_median"] as? Double
  else {
    print("torch: \(script) failed (status \(process.terminationStatus))")
    return nil
  }
  return seconds
}
