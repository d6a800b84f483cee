/// The checks that keep a poisoned checkpoint from loading silently: NaN or ±∞
/// in a state buffer or a saved parameter, and a negative value in a buffer
/// that holds a sum or average of squares (which a square root or a division
/// would turn into NaN at the next step).
///
/// The state is inspected as the tree the checkpoint holds, so the checks work
/// for any rule: every floating-point value is visited, named by its dotted
/// path in the state (`base.secondMoment`) and, when the buffer holds one
/// tensor per parameter leaf, by the leaf's name.
///
/// - Complexity: O(*n*) in the checkpoint's values, reading only.
enum PoisonedValues {
  /// The state buffers whose values are sums, averages or maxima of squares or
  /// magnitudes, or step sizes, and so can never be negative.
  static let nonNegativeBuffers: Set<String> = [
    "secondMoment", "maximumSecondMoment", "sumOfSquares", "meanSquare", "meanSquareDelta",
    "meanSquareGradient", "infinityNorm", "belief", "stepSize", "rows", "columns", "full",
  ]

  /// Throws at the first non-finite value (unless accepted) or negative value
  /// in a non-negative buffer of the checkpoint's state.
  static func checkState<P: Differentiable>(
    of checkpoint: Checkpoint, names params: P, acceptingNonFinite: Bool
  ) throws(CheckpointError) {
    var walker = Walker(leafNames: (0..<params.parameterLeafCount).map { params.parameterLeafName(at: $0) },
                        acceptingNonFinite: acceptingNonFinite)
    try walker.visit(checkpoint.state, path: [], leaf: nil)
  }

  /// Throws at the first non-finite saved parameter value.
  static func checkParameters<P: Differentiable>(of checkpoint: Checkpoint, names params: P) throws(CheckpointError) {
    guard let values = checkpoint.parameters else { return }
    for (index, tree) in values.enumerated() {
      let name = index < params.parameterLeafCount ? params.parameterLeafName(at: index) : "#\(index)"
      var walker = Walker(leafNames: [], acceptingNonFinite: false)
      walker.fixedLeaf = name
      try walker.visit(tree, path: ["parameters"], leaf: nil)
    }
  }

  struct Walker {
    let leafNames: [String]
    let acceptingNonFinite: Bool
    var fixedLeaf: String?

    init(leafNames: [String], acceptingNonFinite: Bool) {
      self.leafNames = leafNames
      self.acceptingNonFinite = acceptingNonFinite
    }

    /// Visits `tree` at `path` (keys, without array indices and `scalars`);
    /// `leaf` is the tensor index within the current buffer, if known.
    mutating func visit(_ tree: StateTree, path: [String], leaf: (index: Int, of: Int)?) throws(CheckpointError) {
      switch tree {
      case .float(let x): try check(Double(x), isNaN: x.isNaN, at: 0, path, leaf)
      case .double(let x): try check(x, isNaN: x.isNaN, at: 0, path, leaf)
      case .floats(let xs):
        for (i, x) in xs.enumerated() where !x.isFinite || x < 0 { try check(Double(x), isNaN: x.isNaN, at: i, path, leaf) }
      case .doubles(let xs):
        for (i, x) in xs.enumerated() where !x.isFinite || x < 0 { try check(x, isNaN: x.isNaN, at: i, path, leaf) }
      case .array(let items):
        // A buffer read from JSON may mix numbers with the strings of ∞ and NaN.
        for (i, item) in items.enumerated() {
          switch item {
          case .string(let text):
            if let x = ExactScalarText.double(from: text) { try check(x, isNaN: x.isNaN, at: i, path, leaf) }
          case .float, .double, .integer, .unsigned:
            try visitScalarElement(item, at: i, path, leaf)
          default:
            try visit(item, path: path, leaf: (i, items.count))
          }
        }
      case .object(let members):
        for member in members {
          let next = member.key == "scalars" || member.key == "shape" ? path : path + [member.key]
          guard member.key != "shape", member.key != "rule" else { continue }
          try visit(member.value, path: next, leaf: leaf)
        }
      case .null, .bool, .integer, .unsigned, .string:
        break
      }
    }

    mutating func visitScalarElement(
      _ item: StateTree, at index: Int, _ path: [String], _ leaf: (index: Int, of: Int)?
    ) throws(CheckpointError) {
      switch item {
      case .float(let x): try check(Double(x), isNaN: x.isNaN, at: index, path, leaf)
      case .double(let x): try check(x, isNaN: x.isNaN, at: index, path, leaf)
      default: break
      }
    }

    func check(
      _ x: Double, isNaN: Bool, at index: Int, _ path: [String], _ leaf: (index: Int, of: Int)?
    ) throws(CheckpointError) {
      let buffer = path.isEmpty ? "state" : path.joined(separator: ".")
      if !x.isFinite {
        guard !acceptingNonFinite else { return }
        throw .poisonedValue(buffer: buffer, leaf: leafName(leaf), index: index, value: x, requirement: "finite")
      }
      if x < 0, let last = path.last, PoisonedValues.nonNegativeBuffers.contains(last) {
        throw .poisonedValue(buffer: buffer, leaf: leafName(leaf), index: index, value: x, requirement: "≥ 0")
      }
    }

    func leafName(_ leaf: (index: Int, of: Int)?) -> String {
      if let fixedLeaf { return fixedLeaf }
      guard let leaf else { return leafNames.count == 1 ? leafNames[0] : "(whole buffer)" }
      if leaf.of == leafNames.count { return leafNames[leaf.index] }
      return "#\(leaf.index) of the buffer"
    }
  }
}
