import Optimisers

/// Fuzzes checkpoint decoding for an optimiser: mutates a valid checkpoint
/// thousands of times (truncation, flipped bits, huge counts, spliced bytes,
/// values of the wrong type, NaN where a count belongs, impossible shapes) and
/// feeds each result through `Checkpoint/init(decoding:)` and
/// `Optimiser/restore(from:for:hyperparameters:nonFiniteValues:)`.
///
/// Every case must either throw a `CheckpointError` or load a state that
/// validates — and then survive one update. A crash stops the process (that is
/// the bug the fuzzer exists to find); the report counts the rest.
///
/// ```swift
/// let report = DecodingFuzzer.fuzz(Adam<Model>(), state: state, parameters: model, cases: 10_000)
/// print(report)    // 10000 cases: 9731 rejected, 269 loaded, 0 problems …
/// ```
///
/// Half of the byte mutations recompute the checksum and length, so they reach
/// the payload parser instead of stopping at the CRC.
///
/// - Complexity: O(`cases` × checkpoint size).
/// - References: Miller, Fredriksen and So, *An Empirical Study of the
///   Reliability of UNIX Utilities*, CACM 1990; Zalewski, *american fuzzy lop*
///   (bit flips, interesting values, splicing), 2014.
public enum DecodingFuzzer: Sendable {
  /// Runs `cases` mutations of the checkpoint of `state` for `parameters`.
  ///
  /// - Parameters:
  ///   - optimiser: The optimiser that restores each mutated checkpoint.
  ///   - state: A valid state for `parameters`.
  ///   - parameters: The parameters; saved in the checkpoint too.
  ///   - cases: The number of mutated inputs; default 1000.
  ///   - seed: The `SplitMix64` seed; default 1.
  /// - Returns: Counts per mutation kind.
  /// - Complexity: O(`cases` × checkpoint size).
  public static func fuzz<O: Optimiser>(
    _ optimiser: O, state: O.State, parameters: O.Params, cases: Int = 1000, seed: UInt64 = 1
  ) -> DecodingFuzzReport {
    var report = DecodingFuzzReport()
    guard let checkpoint = try? optimiser.checkpoint(state, for: parameters, includingParameters: true),
      case .object = (try? StateTree(encoding: checkpoint)) ?? .null
    else {
      report.problems.append("the valid state could not be checkpointed")
      return report
    }
    let bytes = checkpoint.encoded()
    let tree = (try? StateTree(encoding: checkpoint)) ?? .null
    var random = SplitMix64(seed: seed)
    for index in 0..<cases {
      switch index % 6 {
      case 0: record("truncate", try: truncate(bytes, &random), optimiser, parameters, &report)
      case 1: record("flipBits", try: flipBits(bytes, &random), optimiser, parameters, &report)
      case 2: record("hugeCount", try: hugeCount(bytes, &random), optimiser, parameters, &report)
      case 3: record("splice", try: splice(bytes, &random), optimiser, parameters, &report)
      default:
        let (kind, mutated) = mutate(tree, &random)
        recordTree(kind, mutated, optimiser, parameters, &report)
      }
    }
    return report
  }

  // MARK: Feeding one input through

  static func record<O: Optimiser>(
    _ kind: String, try bytes: [UInt8], _ optimiser: O, _ parameters: O.Params, _ report: inout DecodingFuzzReport
  ) {
    report.byMutation[kind, default: .init()].cases += 1
    do {
      let checkpoint = try Checkpoint(decoding: bytes)
      var state = try optimiser.restore(from: checkpoint, for: parameters)
      var params = parameters
      try checkpoint.restoreParameters(into: &params)
      // A loaded state holds no NaN or ∞ (restore refuses them by default).
      if let tree = try? StateTree(encoding: state), tree.containsNonFinite {
        report.problems.append("\(kind): a state with a non-finite value loaded")
      }
      // A loaded state must be usable: one update, shapes unchanged.
      optimiser.update(&state, &params, params.zeroTangentVector)
      if (0..<params.parameterLeafCount).map({ params.parameterLeafShape(at: $0) })
        != (0..<parameters.parameterLeafCount).map({ parameters.parameterLeafShape(at: $0) })
      {
        report.problems.append("\(kind): an update after loading changed the leaf shapes")
      }
      report.byMutation[kind, default: .init()].loaded += 1
    } catch {
      report.byMutation[kind, default: .init()].rejected += 1
    }
  }

  /// Decodes a mutated checkpoint tree (the decoder the binary path uses after
  /// the checksum), then, if it decodes, goes through the binary encoding.
  static func recordTree<O: Optimiser>(
    _ kind: String, _ tree: StateTree, _ optimiser: O, _ parameters: O.Params, _ report: inout DecodingFuzzReport
  ) {
    guard let checkpoint = try? tree.decode(Checkpoint.self) else {
      report.byMutation[kind, default: .init()].cases += 1
      report.byMutation[kind, default: .init()].rejected += 1
      return
    }
    record(kind, try: checkpoint.encoded(), optimiser, parameters, &report)
  }

  // MARK: Byte mutations

  /// Recomputes the length field and the CRC so the payload parser sees `bytes`.
  static func reframe(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= 24 else { return bytes }
    var result = Array(bytes.dropLast(4))
    let length = UInt64(result.count - 20)
    for i in 0..<8 { result[12 + i] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(i))) }
    let crc = CRC32.checksum(result)
    for i in 0..<4 { result.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))) }
    return result
  }

  static func truncate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    let keep = Int.random(in: 0..<bytes.count, using: &random)
    return Array(bytes[..<keep])
  }

  static func flipBits(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var result = bytes
    for _ in 0..<Int.random(in: 1...4, using: &random) {
      let position = Int.random(in: 0..<result.count, using: &random)
      result[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
    }
    return random.next() % 2 == 0 ? reframe(result) : result
  }

  static let interesting: [UInt64] = [
    .max, 1 << 62, 1 << 53, 1 << 32, 1 << 31, UInt64(Int32.max), UInt64(bitPattern: -1 << 63),
    Double.nan.bitPattern, Double.infinity.bitPattern, 0,
  ]

  static func hugeCount(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var result = bytes
    guard result.count > 32 else { return result }
    let position = Int.random(in: 20..<(result.count - 12), using: &random)
    let value = interesting[Int.random(in: 0..<interesting.count, using: &random)]
    for i in 0..<8 { result[position + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    return reframe(result)
  }

  static func splice(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var result = bytes
    guard result.count > 30 else { return result }
    let start = Int.random(in: 20..<(result.count - 5), using: &random)
    let length = Int.random(in: 1...min(16, result.count - 4 - start), using: &random)
    if random.next() % 2 == 0 {
      result.removeSubrange(start..<(start + length))
    } else {
      result.insert(contentsOf: result[start..<(start + length)], at: start)
    }
    return reframe(result)
  }

  // MARK: Tree mutations

  static let evil: [(String, StateTree)] = [
    ("wrongType.null", .null), ("wrongType.bool", .bool(true)), ("wrongType.string", .string("12")),
    ("wrongType.object", .object([])), ("wrongType.array", .array([])),
    ("hugeInteger", .integer(.max)), ("negativeInteger", .integer(-1)), ("largeInteger", .integer(1 << 40)),
    ("hugeUnsigned", .unsigned(.max)),
    ("nanNumber", .double(.nan)), ("infiniteNumber", .double(.infinity)), ("fraction", .double(2.5)),
    ("nanBuffer", .doubles([.nan, .infinity])), ("floatBuffer", .floats([1, 2, 3])),
    ("hugeShape", .array([.integer(Int64(Int32.max)), .integer(Int64(Int32.max))])),
    ("largeShape", .array([.integer(1 << 30)])), ("negativeShape", .array([.integer(-4)])),
  ]

  /// A path to every node, as indices into objects' members and arrays.
  static func paths(_ tree: StateTree, prefix: [Int] = [], into result: inout [[Int]]) {
    result.append(prefix)
    switch tree {
    case .object(let members):
      for (i, member) in members.enumerated() { paths(member.value, prefix: prefix + [i], into: &result) }
    case .array(let items):
      for (i, item) in items.enumerated() { paths(item, prefix: prefix + [i], into: &result) }
    default:
      break
    }
  }

  static func replacing(_ tree: StateTree, at path: ArraySlice<Int>, with change: (StateTree) -> StateTree?) -> StateTree? {
    guard let first = path.first else { return change(tree) }
    switch tree {
    case .object(var members):
      if path.count == 1 && change(members[first].value) == nil {
        members.remove(at: first)
        return .object(members)
      }
      guard let inner = replacing(members[first].value, at: path.dropFirst(), with: change) else { return nil }
      members[first].value = inner
      return .object(members)
    case .array(var items):
      if path.count == 1 && change(items[first]) == nil {
        items.remove(at: first)
        return .array(items)
      }
      guard let inner = replacing(items[first], at: path.dropFirst(), with: change) else { return nil }
      items[first] = inner
      return .array(items)
    default:
      return change(tree)
    }
  }

  static func mutate(_ tree: StateTree, _ random: inout SplitMix64) -> (String, StateTree) {
    var all: [[Int]] = []
    paths(tree, into: &all)
    guard all.count > 1 else { return ("unchanged", tree) }
    let path = all[Int.random(in: 1..<all.count, using: &random)]
    let choice = Int.random(in: 0..<(evil.count + 4), using: &random)
    if choice < evil.count {
      let (kind, value) = evil[choice]
      return (kind, replacing(tree, at: path[...], with: { _ in value }) ?? tree)
    }
    switch choice - evil.count {
    case 0:
      return ("deleteMember", replacing(tree, at: path[...], with: { _ in nil }) ?? tree)
    case 1:
      return ("nudgeValue", replacing(tree, at: path[...], with: { node in
        switch node {
        case .integer(let x): return .integer(x &+ 1)
        case .double(let x): return .double(x.nextUp)
        case .doubles(let xs): return .doubles(xs.map { $0 * 2 })
        case .floats(let xs): return .floats(xs.map { $0 * 2 })
        case .string(let s): return .string(s + "x")
        default: return node
        }
      }) ?? tree)
    case 2:
      // A poisoned value inside a buffer: restore must refuse it.
      let poison = [Double.nan, .infinity, -.infinity, -1][Int.random(in: 0..<4, using: &random)]
      let slot = Int(random.next() % 1024)
      return ("poisonValue", replacing(tree, at: path[...], with: { node in
        switch node {
        case .doubles(var xs):
          xs[slot % xs.count] = poison
          return .doubles(xs)
        case .floats(var xs):
          xs[slot % xs.count] = Float(poison)
          return .floats(xs)
        case .double: return .double(poison)
        default: return node
        }
      }) ?? tree)
    default:
      return ("dropElement", replacing(tree, at: path[...], with: { node in
        switch node {
        case .doubles(let xs) where xs.count > 1: return .doubles(Array(xs.dropLast()))
        case .floats(let xs) where xs.count > 1: return .floats(Array(xs.dropLast()))
        case .array(let xs) where !xs.isEmpty: return .array(Array(xs.dropLast()))
        default: return .array([])
        }
      }) ?? tree)
    }
  }
}
