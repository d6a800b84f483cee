import Foundation
import Optimisers

/// `checkpoint-stress write-bench N DIR [ROUNDS]`: the time and extra memory of
/// writing an N-parameter Adam checkpoint (state and parameters, Float), next
/// to copying the same bytes, measured in one run.
///
/// Prints, for the best of ROUNDS (default 5):
/// - `write`: `Checkpoint.write(toFile:)` (temporary file, fsync, rename).
/// - `copy+fsync`: read the written file and write it to another, 1 MiB at a
///   time, then fsync it: what `cp` does, plus the same flush.
/// - `cp`: `/bin/cp` of the written file (no fsync), as a process.
/// - the peak resident memory growth while writing (getrusage), against the
///   file's size; the checkpoint value itself is built before the baseline.
enum WriteBenchmark {
  static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
  }

  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  }

  static func copyWithFsync(_ source: String, _ destination: String) {
    let input = open(source, O_RDONLY)
    let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
      if count <= 0 { break }
      _ = buffer.withUnsafeBytes { write(output, $0.baseAddress!, count) }
    }
    fsync(output)
    close(input)
    close(output)
  }

  static func run(size: Int, directory: String, rounds: Int) throws {
    let adam = Adam<Tensor<Float>>(learningRate: 0.001)
    var params = Tensor<Float>(randomNormal: [size], seed: 1)
    var state = adam.initialState(for: params)
    adam.update(&state, &params, Tensor<Float>(randomNormal: [size], seed: 2))
    let checkpoint = try adam.checkpoint(state, for: params, includingParameters: true)
    let path = directory + "/bench.ckpt", copy = directory + "/bench-copy.ckpt"
    let baseline = peakResidentBytes()
    var write = Double.infinity, copied = Double.infinity, cp = Double.infinity
    for _ in 0..<rounds {
      var start = now()
      try checkpoint.write(toFile: path)
      write = min(write, now() - start)
      start = now()
      copyWithFsync(path, copy)
      copied = min(copied, now() - start)
      start = now()
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/cp")
      process.arguments = [path, copy]
      try process.run()
      process.waitUntilExit()
      cp = min(cp, now() - start)
    }
    let peak = peakResidentBytes()
    var info = stat()
    stat(path, &info)
    let bytes = Int(info.st_size)
    print("write-bench: \(size) parameters, Adam<Float> state + parameters, file \(bytes) bytes, best of \(rounds)")
    print("  write      \(String(format: "%.3f", write)) s")
    print("  copy+fsync \(String(format: "%.3f", copied)) s   write / copy+fsync = \(String(format: "%.2f", write / copied))")
    print("  cp         \(String(format: "%.3f", cp)) s   write / cp = \(String(format: "%.2f", write / cp))")
    print("  peak RSS growth while writing: \(peak - baseline) bytes = \(String(format: "%.3f", Double(peak - baseline) / Double(bytes))) × the file")
    unlink(path)
    unlink(copy)
  }
}
