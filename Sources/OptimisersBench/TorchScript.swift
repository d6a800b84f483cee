import CommandLineSupport

/// The median seconds per step that `Benchmarks/<script>` prints (the JSON key
/// `seconds_per_step_median`), or `nil` after saying why: the Python companion
/// of `--muon` and `--only soap`.
func torchSecondsPerStep(python: String, script: String, arguments: [String]) -> Double? {
  guard let object = runBenchmarkScript(python: python, script: script, arguments: arguments) else { return nil }
  guard let seconds = object["seconds_per_step_median"] as? Double else {
    print("torch: \(script) printed no seconds_per_step_median")
    return nil
  }
  return seconds
}
