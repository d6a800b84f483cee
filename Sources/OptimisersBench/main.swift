// optimisers-bench: how close an optimiser step runs to the memory bus.
//
//   swift run -c release optimisers-bench [--quick] [--huge] [--json] [--help]
//
// For each rule, scalar type, size and thread count it times one step (median
// and min–max over several runs after a warm-up) and, interleaved with it in the
// same run, a "roofline" kernel: a plain loop over raw buffers that reads and
// writes the same bytes as the rule with trivial arithmetic, on the same number
// of threads. The ratio rule / roofline is the number to watch: 1.0 means the
// step runs at the machine's memory speed. Runs of the two alternate, so noise
// from other processes hits both alike.
//
// Adding a rule is one line in `rules(for:)`.

import COptimisers
import CommandLineSupport
import Dispatch
import Optimisers

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Options

struct Options {
  var quick = false
  var huge = false
  var json = false
  var filter: String? = nil
  var sweep = false
  var profile: String? = nil
  var checksum = false
  var muon = false
  var python: String? = nil

  init(_ arguments: [String]) {
    var rest = arguments.dropFirst()
    while let argument = rest.popFirst() {
      switch argument {
      case "--quick": quick = true
      case "--huge": huge = true
      case "--json": json = true
      case "--only": filter = rest.popFirst()
      case "--sweep": sweep = true
      case "--profile": profile = rest.popFirst()
      case "--checksum": checksum = true
      case "--muon": muon = true
      case "--torch": python = rest.popFirst()
      case "--help", "-h":
        print("""
          usage: optimisers-bench [--quick] [--huge] [--json] [--only NAME]
                                  [--sweep | --checksum | --profile W[:N[:T[:pure]]]]

          Times optimiser steps against a roofline kernel measured in the same run.
          Which measurement is running shows on standard error when it is a terminal.
            --quick      fewer and shorter runs (noisier)
            --huge       also run 1e8 parameters (needs several GB of memory)
            --json       print the results as JSON instead of tables
            --only NAME  only rules whose name contains NAME ("targets": only the
                         targets table, which otherwise comes first)
                         ("precision": only the lower-precision targets)
                         ("soap": instead, SOAP steps on 256² and 1024² float32
                         leaves, 1 and 2 threads; with --torch PYTHON also
                         pytorch-optimizer's SOAP, Benchmarks/torch_soap_bench.py)
            --sweep      instead, time Adam and SGD (float32) on 1 and 2 threads over
                         sizes and block sizes, to choose Parallelism's defaults
            --muon       instead, time a Muon step on 1024 x 1024, 4096 x 1024 and
                         1024 x 4096 float32 leaves on 1 and 2 threads, and the
                         float32 matrix products; with --torch PYTHON also
                         torch.optim.Muon and torch.mm
                         (Benchmarks/torch_muon_bench.py) and the ratios
            --checksum   instead, print a hash of the bits after 20 steps of every
                         rule (float32 and float64, 1 and 2 threads), to compare
                         builds (for example with and without -target-cpu)
            --profile W[:N[:T[:pure]]]  instead, run N (50) untimed Adam float32
                         steps on T threads (1), in place or pure, on W (leaves:
                         the 1000-leaf model; leaf: one 1e6 leaf; scalar: a
                         Double; pair: a 2-element Tensor<Double>),
                         for valgrind (callgrind; memcheck's heap summary minus
                         that of a run with other N counts allocations per step)
          Rows: SGD, Momentum, Adam, AdamW, Lion, Chain(ClipValue, WeightDecay, Adam)
          (every rule listed in rules(for:)) in float32
          and float64, for 1e3, 1e5, 1e6, 1e7 (1e8) parameters in one leaf and the
          1000 leaves x 1000 scalars model, on 1 and 2 threads; pure vs in-place;
          the scalar Double Adam step.
          """)
        exit(0)
      default:
        print("unknown option \(argument); try --help")
        exit(2)
      }
    }
  }
}

let options = Options(CommandLine.arguments)
let clock = ContinuousClock()
/// Which measurement is running, on standard error when it is a terminal
/// (cleared before every line of results).
nonisolated(unsafe) var progress = ProgressLine(label: "optimisers-bench")

// MARK: - Timing

/// Nanoseconds as a Double.
func nanoseconds(_ duration: Duration) -> Double {
  let (seconds, attoseconds) = duration.components
  return Double(seconds) * 1e9 + Double(attoseconds) * 1e-9
}

/// Median, min and max of samples (ns per step).
struct Summary: Sendable {
  var median: Double
  var min: Double
  var max: Double

  init(_ samples: [Double]) {
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    min = sorted.first ?? .nan
    max = sorted.last ?? .nan
  }
}

/// Times `steps` calls of each closure per run, alternating between them, after a
/// warm-up; returns ns per step for each.
func timeInterleaved(_ bodies: [(Int) -> Void], targetNanoseconds: Double, runs: Int) -> [Summary] {
  timeInterleavedSamples(bodies, targetNanoseconds: targetNanoseconds, runs: runs).map(Summary.init)
}

/// The per-run samples (ns per step) behind ``timeInterleaved``.
func timeInterleavedSamples(_ bodies: [(Int) -> Void], targetNanoseconds: Double, runs: Int) -> [[Double]] {
  // Warm up and size the runs so that each lasts about targetNanoseconds.
  var perStep: [Double] = []
  for body in bodies {
    body(1)
    let start = clock.now
    body(1)
    perStep.append(max(1, nanoseconds(clock.now - start)))
  }
  let steps = perStep.map { max(1, Int(targetNanoseconds / $0)) }
  for (index, body) in bodies.enumerated() { body(min(steps[index], 3)) }
  var samples = Array(repeating: [Double](), count: bodies.count)
  for _ in 0..<runs {
    for (index, body) in bodies.enumerated() {
      let start = clock.now
      body(steps[index])
      samples[index].append(nanoseconds(clock.now - start) / Double(steps[index]))
    }
  }
  return samples
}

let runs = options.quick ? 5 : 11
let target: Double = options.quick ? 4e6 : 20e6

// MARK: - Workloads

/// Fills a buffer with a deterministic, harmless pattern.
func fill<S: ParameterScalar>(_ tensor: inout Tensor<S>, seed: Int, scale: S) {
  tensor.withUnsafeMutableBufferPointer { buffer in
    for i in 0..<buffer.count { buffer[i] = scale * S((i &* 7 &+ seed) % 1000 + 1) / 1000 }
  }
}

func vector<S: ParameterScalar>(_: S.Type, count: Int, seed: Int, scale: S) -> Tensor<S> {
  var t = Tensor<S>.zeros([count])
  fill(&t, seed: seed, scale: scale)
  return t
}

// MARK: - Rules

/// A rule to benchmark, erased over its type; `buffers` is the number of state
/// buffers it reads and writes (its roofline).
struct Rule<P: Differentiable> {
  let name: String
  let buffers: Int
  /// Runs `steps` in-place steps.
  let makeStepper: (P, P.TangentVector) -> (inPlace: (Int) -> Void, pure: (Int) -> Void, check: () -> P)

  init<O: Optimiser>(_ name: String, buffers: Int, _ optimiser: O) where O.Params == P {
    self.name = name
    self.buffers = buffers
    makeStepper = { params, gradient in
      let box = StepperBox<P, O.State>(params, optimiser.initialState(for: params))
      let inPlace: (Int) -> Void = { steps in
        var state = box.state.take()!
        var params = box.params.take()!
        for _ in 0..<steps { optimiser.update(&state, &params, gradient) }
        box.state = state
        box.params = params
      }
      // The documented idiom: `(state, params) = optimiser.update(consume state, consume params, gradient)`.
      let pure: (Int) -> Void = { steps in
        var state = box.state.take()!
        var params = box.params.take()!
        for _ in 0..<steps {
          (state, params) = optimiser.update(consume state, consume params, gradient)
        }
        box.state = state
        box.params = params
      }
      return (inPlace, pure, { box.params! })
    }
  }
}

/// Owns the parameters and state between timed runs.
final class StepperBox<P, State> {
  var params: P?
  var state: State?
  init(_ params: P, _ state: State) { self.params = params; self.state = state }
}

/// The rules to measure. Adding a rule is one line.
func rules<P: Differentiable>(for _: P.Type) -> [Rule<P>] {
  [
    Rule("SGD", buffers: 0, SGD<P>(learningRate: 1e-3)),
    Rule("Momentum", buffers: 1, Momentum<P>(learningRate: 1e-3, momentum: 0.9)),
    Rule("Adam", buffers: 2, Adam<P>(learningRate: 1e-3)),
    Rule("AdamW", buffers: 2, AdamW<P>(learningRate: 1e-3, weightDecay: 0.01)),
    Rule("Lion", buffers: 1, Lion<P>(learningRate: 1e-4, weightDecay: 0.01)),
    Rule("Chain", buffers: 2, chainedAdam(P.self)),
  ]
}

// MARK: - Roofline

/// Raw buffers for the roofline kernel: p, g and up to two state buffers.
final class RooflineBuffers<S: ParameterScalar>: @unchecked Sendable {
  let count: Int
  let p, g, a, b: UnsafeMutablePointer<S>

  init(count: Int) {
    self.count = count
    func make(_ seed: Int) -> UnsafeMutablePointer<S> {
      let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<S>.stride, alignment: 64)
      let typed = raw.bindMemory(to: S.self, capacity: max(1, count))
      for i in 0..<count { typed[i] = S((i &* 7 &+ seed) % 1000 + 1) / 1000 }
      return typed
    }
    p = make(1); g = make(2); a = make(3); b = make(4)
  }

  deinit {
    for pointer in [p, g, a, b] { UnsafeMutableRawPointer(pointer).deallocate() }
  }

  /// One pass over `lo..<hi` touching the same buffers as a rule with `buffers`
  /// state buffers: reads p, g and the state, writes p and the state.
  @inline(never)
  func pass(buffers: Int, _ lo: Int, _ hi: Int) {
    let c: S = 1e-6
    switch buffers {
    case 0:
      for i in lo..<hi { p[i] -= c * g[i] }
    case 1:
      for i in lo..<hi {
        let v = a[i] * c + g[i]
        a[i] = v
        p[i] -= c * v
      }
    default:
      for i in lo..<hi {
        let m = a[i] + c * g[i]
        let v = b[i] + c * g[i]
        a[i] = m
        b[i] = v
        p[i] -= c * (m + v)
      }
    }
  }

  /// The kernel over all scalars, split evenly over `threads` threads.
  func run(buffers: Int, threads: Int) {
    if threads <= 1 {
      pass(buffers: buffers, 0, count)
      return
    }
    let chunk = (count + threads - 1) / threads
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      let lo = t * chunk
      let hi = min(count, lo + chunk)
      if lo < hi { pass(buffers: buffers, lo, hi) }
    }
  }
}

// MARK: - Results

struct Row: Sendable {
  var rule: String
  var scalar: String
  var size: String
  var parameters: Int
  var leaves: Int
  var threads: Int
  var form: String
  var step: Summary
  var roofline: Summary?
  var bytesPerStep: Double

  var ratio: Double? { roofline.map { step.median / $0.median } }
  var gigabytesPerSecond: Double { bytesPerStep / step.median }
  var parametersPerSecond: Double { Double(parameters) / step.median * 1e9 }
}

nonisolated(unsafe) var results: [Row] = []

func sizeLabel(_ n: Int) -> String {
  var exponent = 0
  var value = n
  while value >= 10 && value % 10 == 0 { value /= 10; exponent += 1 }
  return value == 1 ? "1e\(exponent)" : "\(n)"
}

func emit(_ row: Row) {
  results.append(row)
  if !options.json {
    progress.finish()
    func f(_ x: Double, _ digits: Int = 0) -> String {
      let scale = pow(10, Double(digits))
      let rounded = (x * scale).rounded() / scale
      return digits == 0 ? String(Int(rounded)) : String(rounded)
    }
    let ratio = row.ratio.map { f($0, 2) } ?? "-"
    let roof = row.roofline.map { f($0.median) } ?? "-"
    let columns = [
      row.rule.padding(toLength: 10), row.scalar.padding(toLength: 7), row.size.padding(toLength: 10),
      "\(row.threads)".padding(toLength: 3), row.form.padding(toLength: 8),
      f(row.step.median).leftPadding(toLength: 12),
      "\(f(row.step.min))–\(f(row.step.max))".leftPadding(toLength: 24),
      f(row.parametersPerSecond / 1e6).leftPadding(toLength: 10),
      f(row.gigabytesPerSecond, 1).leftPadding(toLength: 7),
      roof.leftPadding(toLength: 12), ratio.leftPadding(toLength: 6),
    ]
    print(columns.joined(separator: " "))
  }
}

extension String {
  func padding(toLength length: Int) -> String {
    count >= length ? self : self + String(repeating: " ", count: length - count)
  }
  func leftPadding(toLength length: Int) -> String {
    count >= length ? self : String(repeating: " ", count: length - count) + self
  }
}

func header(_ title: String) {
  guard !options.json else { return }
  progress.finish()
  print("\n## \(title)\n")
  print([
    "rule".padding(toLength: 10), "scalar".padding(toLength: 7), "size".padding(toLength: 10), "thr",
    "form".padding(toLength: 8), "ns/step".leftPadding(toLength: 12), "min–max".leftPadding(toLength: 24),
    "Mparam/s".leftPadding(toLength: 10), "GB/s".leftPadding(toLength: 7), "roofline ns".leftPadding(toLength: 12),
    "ratio".leftPadding(toLength: 6),
  ].joined(separator: " "))
}

// MARK: - Measuring

func withThreads<R>(_ threads: Int, _ body: () -> R) -> R {
  Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) { body() }
}

/// Measures every rule on `params` with `gradient`, in place (and pure for the
/// rules in `pureFor`), against the roofline, on each thread count.
func measure<P: Differentiable>(
  _ params: P, _ gradient: P.TangentVector, size: String, parameters: Int, leaves: Int,
  threadCounts: [Int], pureFor: Set<String>
) where P.TangentVector.Scalar: ParameterScalar {
  typealias S = P.TangentVector.Scalar
  let scalarName = S.self == Float.self ? "float32" : "float64"
  var roofline: RooflineBuffers<S>? = RooflineBuffers<S>(count: parameters)
  for rule in rules(for: P.self) where options.filter.map({ rule.name.contains($0) }) ?? true {
    let bytes = Double((2 + 2 * rule.buffers + 1) * parameters * MemoryLayout<S>.stride)
    for threads in threadCounts {
      let stepper = rule.makeStepper(params, gradient)
      let roof = roofline!
      var bodies: [(Int) -> Void] = [
        { steps in withThreads(threads) { stepper.inPlace(steps) } },
        { steps in for _ in 0..<steps { roof.run(buffers: rule.buffers, threads: threads) } },
      ]
      let pure = pureFor.contains(rule.name)
      if pure { bodies.append({ steps in withThreads(threads) { stepper.pure(steps) } }) }
      progress.advance(detail: "\(rule.name) \(scalarName) \(size), \(threads) thr")
      let summaries = timeInterleaved(bodies, targetNanoseconds: target, runs: runs)
      emit(Row(rule: rule.name, scalar: scalarName, size: size, parameters: parameters, leaves: leaves,
               threads: threads, form: "in-place", step: summaries[0], roofline: summaries[1], bytesPerStep: bytes))
      if pure {
        emit(Row(rule: rule.name, scalar: scalarName, size: size, parameters: parameters, leaves: leaves,
                 threads: threads, form: "pure", step: summaries[2], roofline: summaries[1], bytesPerStep: bytes))
      }
    }
  }
  roofline = nil
}

func runSizes<S: ParameterScalar>(_: S.Type) {
  var sizes = [1_000, 100_000, 1_000_000, 10_000_000]
  if options.huge { sizes.append(100_000_000) }
  let name = S.self == Float.self ? "float32" : "float64"
  header("\(name), one leaf")
  for n in sizes {
    let params = vector(S.self, count: n, seed: 1, scale: 1)
    let gradient = vector(S.self, count: n, seed: 2, scale: 1)
    measure(params, gradient, size: sizeLabel(n), parameters: n, leaves: 1,
            threadCounts: [1, 2], pureFor: ["Adam"])
  }
  header("\(name), 1000 leaves × 1000 scalars (nested struct, key paths of depth 3)")
  let model = Model1000<S>(count: 1000, seed: 1)
  let gradient = Model1000<S>(count: 1000, seed: 5)
  let tangent = Tangent<Model1000<S>>(leaves: (0..<1000).map { index in
    gradient.withParameterLeaf(at: index) { Tensor(shape: [1000], scalars: Array($0)) }
  })
  measure(model, tangent, size: "1000×1000", parameters: 1_000_000, leaves: 1000,
          threadCounts: [1, 2], pureFor: ["Adam"])
}

/// The scalar Adam step: the cost that is not memory traffic. The state restarts
/// every 1,000 steps, as in a Rosenbrock-sized run: past a few thousand steps
/// 0.9ᵗ underflows and `pow` takes a slower path.
func runScalar() {
  header("Rosenbrock-sized: scalar Double Adam step (roofline column: the step's two libm pow calls alone)")
  // Adam computes β₁ᵗ and β₂ᵗ with libm's pow, as PyTorch does; time those alone.
  var sink = 0.0
  let pows: (Int) -> Void = { steps in
    var t = 0.0
    for _ in 0..<steps {
      t = t == 1000 ? 1 : t + 1
      sink += optimisers_pow(0.9, t) + optimisers_pow(0.999, t)
    }
  }
  // The same arithmetic written out by hand (no walk, no validation), for scale.
  do {
    var m = 0.0, v = 0.0, x = 1.0, t = 0
    let g = 0.5, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0.0
    let byHand: (Int) -> Void = { steps in
      for _ in 0..<steps {
        if t == 1000 { (m, v, t) = (0, 0, 0) }
        let rate = lr / (1 + decay * Double(t))
        t += 1
        let c1 = 1 - optimisers_pow(beta1, Double(t)), c2 = 1 - optimisers_pow(beta2, Double(t))
        let stepSize = rate / c1, c2Root = c2.squareRoot()
        m = m + (1 - beta1) * (g - m)
        v = beta2 * v + (1 - beta2) * g * g
        x -= stepSize * m / (Double.squareRoot(of: v) / c2Root + eps)
      }
    }
    let summaries = timeInterleaved([byHand, pows], targetNanoseconds: target, runs: runs)
    emit(Row(rule: "by hand", scalar: "Double", size: "scalar", parameters: 1, leaves: 1, threads: 1,
             form: "in-place", step: summaries[0], roofline: summaries[1], bytesPerStep: 56))
    if x == 42 { print(x) }
  }
  do {
    let optimiser = Adam<Double>(learningRate: 1e-3)
    let initial = optimiser.initialState(for: 1.0)
    var state = initial
    var x = 1.0
    let inPlace: (Int) -> Void = { steps in
      for _ in 0..<steps {
        if state.step == 1000 { state = initial }
        optimiser.update(&state, &x, 0.5)
      }
    }
    let summaries = timeInterleaved([inPlace, pows], targetNanoseconds: target, runs: runs)
    emit(Row(rule: "Adam", scalar: "Double", size: "scalar", parameters: 1, leaves: 1, threads: 1,
             form: "in-place", step: summaries[0], roofline: summaries[1], bytesPerStep: 56))
  }
  do {
    let optimiser = Adam<Tensor<Double>>(learningRate: 1e-3)
    let x = Tensor<Double>([1, 2])
    let initial = optimiser.initialState(for: x)
    let box = StepperBox(x, initial)
    let g = Tensor<Double>([0.5, -0.25])
    let inPlace: (Int) -> Void = { steps in
      var state = box.state.take()!
      var x = box.params.take()!
      for _ in 0..<steps {
        if state.step == 1000 { state = initial }
        optimiser.update(&state, &x, g)
      }
      (box.state, box.params) = (state, x)
    }
    let pure: (Int) -> Void = { steps in
      var state = box.state.take()!
      var x = box.params.take()!
      for _ in 0..<steps {
        if state.step == 1000 { state = initial }
        (state, x) = optimiser.update(consume state, consume x, g)
      }
      (box.state, box.params) = (state, x)
    }
    let summaries = timeInterleaved([inPlace, pure, pows], targetNanoseconds: target, runs: runs)
    emit(Row(rule: "Adam", scalar: "float64", size: "2", parameters: 2, leaves: 1, threads: 1,
             form: "in-place", step: summaries[0], roofline: summaries[2], bytesPerStep: 112))
    emit(Row(rule: "Adam", scalar: "float64", size: "2", parameters: 2, leaves: 1, threads: 1,
             form: "pure", step: summaries[1], roofline: summaries[2], bytesPerStep: 112))
  }
  if sink == 42 { print(sink) }
}

// MARK: - Sweep

/// Times one and two threads on single leaves of several sizes, with splitting
/// forced, to find where a second thread starts to pay and which block size is
/// best.
func runSweep() {
  print("# Parallelism sweep (float32, one leaf; ns/step medians; speed-up = 1 thread / 2 threads)")
  print("rule      size      block     1 thread    2 threads  speed-up")
  for (name, buffers) in [("SGD", 0), ("Adam", 2)] {
    for n in [8_192, 16_384, 32_768, 65_536, 131_072, 262_144, 1_048_576, 10_000_000] {
      for block in [16_384, 65_536, 262_144] where block < n || block == 16_384 {
        let params = vector(Float.self, count: n, seed: 1, scale: 1)
        let gradient = vector(Float.self, count: n, seed: 2, scale: 1)
        let rule = rules(for: Tensor<Float>.self).first { $0.name == name }!
        _ = buffers
        let stepper = rule.makeStepper(params, gradient)
        let serial = Parallelism.serial
        let two = Parallelism(maximumThreads: 2, minimumParallelScalars: 0, blockScalars: block)
        let summaries = timeInterleaved([
          { steps in Parallelism.$current.withValue(serial) { stepper.inPlace(steps) } },
          { steps in Parallelism.$current.withValue(two) { stepper.inPlace(steps) } },
        ], targetNanoseconds: target / 2, runs: runs)
        let line = [
          name.padding(toLength: 9), "\(n)".padding(toLength: 9), "\(block)".padding(toLength: 9),
          "\(Int(summaries[0].median))".leftPadding(toLength: 11),
          "\(Int(summaries[1].median))".leftPadding(toLength: 12),
          "\((summaries[0].median / summaries[1].median * 100).rounded() / 100)".leftPadding(toLength: 9),
        ]
        print(line.joined(separator: " "))
      }
    }
  }
}

// MARK: - Main

/// FNV-1a over the bit patterns of every scalar.
func bitHash<V: VectorSpace>(_ value: V) -> UInt64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for leaf in 0..<value.leafCount {
    value.withLeaf(at: leaf) { buffer in
      for x in buffer {
        let bits = UInt64(truncatingIfNeeded: x.exponentBitPattern) << 52 ^ UInt64(truncatingIfNeeded: x.significandBitPattern)
          ^ (x.sign == .minus ? 1 << 63 : 0)
        hash = (hash ^ bits) &* 0x100_0000_01b3
      }
    }
  }
  return hash
}

func checksums<S: ParameterScalar>(_: S.Type) {
  let n = 300_001
  for rule in rules(for: Tensor<S>.self) {
    var line = "\(rule.name) \(S.self):"
    for threads in [1, 2] {
      let stepper = rule.makeStepper(vector(S.self, count: n, seed: 1, scale: 1), vector(S.self, count: n, seed: 2, scale: -1))
      withThreads(threads) { stepper.inPlace(20) }
      line += " \(threads) thr \(String(bitHash(stepper.check()), radix: 16))"
    }
    print(line)
  }
}

if options.checksum {
  checksums(Float.self)
  checksums(Double.self)
  exit(0)
}

if let profile = options.profile {
  let parts = profile.split(separator: ":")
  let workload = String(parts[0])
  let steps = parts.count > 1 ? Int(parts[1]) ?? 50 : 50
  let threads = parts.count > 2 ? Int(parts[2]) ?? 1 : 1
  let pure = parts.count > 3 && parts[3] == "pure"
  Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
    if workload == "scalar" {
      let optimiser = Adam<Double>(learningRate: 1e-3)
      let initial = optimiser.initialState(for: 1.0)
      var state = initial
      var x = 1.0
      for _ in 0..<steps {
        if state.step == 1000 { state = initial }
        optimiser.update(&state, &x, 0.5)
      }
      precondition(x.isFinite)
    } else if workload == "pair" {
      let stepper = Rule("Adam", buffers: 2, Adam<Tensor<Double>>()).makeStepper(Tensor([1, 2]), Tensor([0.5, -0.25]))
      pure ? stepper.pure(steps) : stepper.inPlace(steps)
    } else if workload == "leaves" {
      let model = Model1000<Float>(count: 1000, seed: 1)
      let gradient = Tangent<Model1000<Float>>(leaves: (0..<1000).map { index in
        model.withParameterLeaf(at: index) { Tensor(shape: [1000], scalars: Array($0)) }
      })
      let stepper = Rule("Adam", buffers: 2, Adam<Model1000<Float>>()).makeStepper(model, gradient)
      pure ? stepper.pure(steps) : stepper.inPlace(steps)
    } else {
      let stepper = Rule("Adam", buffers: 2, Adam<Tensor<Float>>()).makeStepper(
        vector(Float.self, count: 1_000_000, seed: 1, scale: 1), vector(Float.self, count: 1_000_000, seed: 2, scale: 1))
      pure ? stepper.pure(steps) : stepper.inPlace(steps)
    }
  }
  exit(0)
}

if options.sweep {
  runSweep()
  exit(0)
}

if options.muon {
  runMuonBenchmark(python: options.python, quick: options.quick)
  exit(0)
}

if options.filter == "soap" {
  runSOAPBenchmark(python: options.python, quick: options.quick)
  exit(0)
}

if !options.json {
  print("# optimisers-bench")
  print("\(Parallelism.processorCount) processors; \(runs) runs of about \(Int(target / 1e6)) ms each per row, interleaved with the roofline; medians, min–max")
  print("ratio = step median / roofline median (same bytes, trivial arithmetic, same threads)")
}
// MARK: - Targets

/// One target: the ratio of two interleaved measurements, run by run.
struct TargetResult {
  var name: String
  var limit: Double
  var ratios: Summary
  var numerator: Summary
  var denominator: Summary
}

nonisolated(unsafe) var targets: [TargetResult] = []

func compare(_ name: String, limit: Double, _ numerator: @escaping (Int) -> Void, _ denominator: @escaping (Int) -> Void) {
  progress.advance(detail: name)
  let samples = timeInterleavedSamples([numerator, denominator], targetNanoseconds: target, runs: runs)
  let ratios = zip(samples[0], samples[1]).map { $0 / $1 }
  targets.append(TargetResult(
    name: name, limit: limit, ratios: Summary(ratios), numerator: Summary(samples[0]), denominator: Summary(samples[1])))
}

/// The issue's targets, each measured as two interleaved workloads.
func runTargets() {
  let n = 10_000_000
  // Adam float32 1e7 against the roofline, 2 and 1 threads.
  do {
    let stepper = Rule("Adam", buffers: 2, Adam<Tensor<Float>>()).makeStepper(
      vector(Float.self, count: n, seed: 1, scale: 1), vector(Float.self, count: n, seed: 2, scale: 1))
    let roof = RooflineBuffers<Float>(count: n)
    for threads in [2, 1] {
      compare("Adam f32 1e7, \(threads) thread\(threads == 1 ? "" : "s") / roofline", limit: 1.15,
              { steps in withThreads(threads) { stepper.inPlace(steps) } },
              { steps in for _ in 0..<steps { roof.run(buffers: 2, threads: threads) } })
    }
  }
  // 1000 leaves × 1000 against one 1e6 leaf.
  do {
    let model = Model1000<Float>(count: 1000, seed: 1)
    let tangent = Tangent<Model1000<Float>>(leaves: (0..<1000).map { index in
      model.withParameterLeaf(at: index) { Tensor(shape: [1000], scalars: Array($0).map { $0 * 0.5 }) }
    })
    let leaves = Rule("Adam", buffers: 2, Adam<Model1000<Float>>()).makeStepper(model, tangent)
    let single = Rule("Adam", buffers: 2, Adam<Tensor<Float>>()).makeStepper(
      vector(Float.self, count: 1_000_000, seed: 1, scale: 1), vector(Float.self, count: 1_000_000, seed: 2, scale: 1))
    for threads in [1, 2] {
      compare("Adam f32 1000×1000 leaves / one 1e6 leaf, \(threads) thr", limit: 1.3,
              { steps in withThreads(threads) { leaves.inPlace(steps) } },
              { steps in withThreads(threads) { single.inPlace(steps) } })
    }
    compare("Adam f32 1000×1000 leaves, pure / in-place (2 thr)", limit: 1.05,
            { steps in withThreads(2) { leaves.pure(steps) } },
            { steps in withThreads(2) { leaves.inPlace(steps) } })
  }
  // Pure against in place on one large leaf.
  do {
    let stepper = Rule("Adam", buffers: 2, Adam<Tensor<Float>>()).makeStepper(
      vector(Float.self, count: 1_000_000, seed: 1, scale: 1), vector(Float.self, count: 1_000_000, seed: 2, scale: 1))
    compare("Adam f32 1e6, pure / in-place (2 thr)", limit: 1.05,
            { steps in withThreads(2) { stepper.pure(steps) } },
            { steps in withThreads(2) { stepper.inPlace(steps) } })
  }
  for rule in chainTargets() { rule() }
  runPrecisionTargets()

  guard !options.json else { return }
  progress.finish()
  print("\n## Targets (each ratio: run-by-run quotient of two interleaved workloads; median, min–max)\n")
  print("target".padding(toLength: 58) + " " + "ratio".leftPadding(toLength: 6) + " " + "min–max".leftPadding(toLength: 12)
        + " " + "limit".leftPadding(toLength: 6) + "  met   " + "numerator ns".leftPadding(toLength: 13) + " " + "denominator ns".leftPadding(toLength: 15))
  for t in targets {
    func r(_ x: Double) -> String { String((x * 100).rounded() / 100) }
    print(t.name.padding(toLength: 58) + " " + r(t.ratios.median).leftPadding(toLength: 6) + " "
          + "\(r(t.ratios.min))–\(r(t.ratios.max))".leftPadding(toLength: 12) + " " + r(t.limit).leftPadding(toLength: 6)
          + "  " + (t.ratios.median <= t.limit ? "yes " : "NO  ") + "  " + "\(Int(t.numerator.median))".leftPadding(toLength: 13)
          + " " + "\(Int(t.denominator.median))".leftPadding(toLength: 15))
  }
}

/// Chain(ClipValue, WeightDecay, Adam): the "Chain" rows.
func chainedAdam<P: Differentiable>(_: P.Type) -> Chain<Chain<ClipValue, WeightDecay>, Adam<P>> {
  Chain(ClipValue(1.0), WeightDecay(1e-4), Adam<P>(learningRate: 1e-3))
}

/// Chain(ClipValue, WeightDecay, Adam) against Adam alone.
func chainTargets() -> [() -> Void] {
  [1_000_000, 10_000_000].map { n in
    {
      let params = vector(Float.self, count: n, seed: 1, scale: 1)
      let gradient = vector(Float.self, count: n, seed: 2, scale: 1)
      let chain = Rule("Chain", buffers: 2, chainedAdam(Tensor<Float>.self)).makeStepper(params, gradient)
      let adam = Rule("Adam", buffers: 2, Adam<Tensor<Float>>(learningRate: 1e-3)).makeStepper(params, gradient)
      let threads = n >= 10_000_000 ? 2 : 1
      compare("Chain(ClipValue, WeightDecay, Adam) / Adam, f32 \(sizeLabel(n)), \(threads) thr", limit: 1.2,
              { steps in withThreads(threads) { chain.inPlace(steps) } },
              { steps in withThreads(threads) { adam.inPlace(steps) } })
    }
  }
}

if options.filter == nil || options.filter == "targets" { runTargets() }
if options.filter == "precision" { runPrecisionTargets() }
if options.filter != "targets" && options.filter != "precision" {
  runScalar()
  runSizes(Float.self)
  runSizes(Double.self)
}

progress.finish()
if options.json {
  func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
  var lines: [String] = []
  for row in results {
    var fields = [
      "\"rule\": \"\(row.rule)\"", "\"scalar\": \"\(row.scalar)\"", "\"size\": \"\(row.size)\"",
      "\"parameters\": \(row.parameters)", "\"leaves\": \(row.leaves)", "\"threads\": \(row.threads)",
      "\"form\": \"\(row.form)\"", "\"nsPerStepMedian\": \(number(row.step.median))",
      "\"nsPerStepMin\": \(number(row.step.min))", "\"nsPerStepMax\": \(number(row.step.max))",
      "\"parametersPerSecond\": \(number(row.parametersPerSecond))",
      "\"effectiveGBPerSecond\": \(number(row.gigabytesPerSecond))",
    ]
    if let roofline = row.roofline, let ratio = row.ratio {
      fields.append("\"rooflineNsMedian\": \(number(roofline.median))")
      fields.append("\"ratioToRoofline\": \(number(ratio))")
    }
    lines.append("  {" + fields.joined(separator: ", ") + "}")
  }
  var targetLines: [String] = []
  for t in targets {
    targetLines.append("  {\"target\": \"\(t.name)\", \"ratioMedian\": \(number(t.ratios.median)), "
      + "\"ratioMin\": \(number(t.ratios.min)), \"ratioMax\": \(number(t.ratios.max)), \"limit\": \(t.limit), "
      + "\"met\": \(t.ratios.median <= t.limit), \"numeratorNsMedian\": \(number(t.numerator.median)), "
      + "\"denominatorNsMedian\": \(number(t.denominator.median))}")
  }
  print("{\"rows\": [\n" + lines.joined(separator: ",\n") + "\n],\n\"targets\": [\n" + targetLines.joined(separator: ",\n") + "\n]}")
}
