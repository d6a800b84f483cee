/// A versioned, self-describing snapshot of an optimiser's state (and,
/// optionally, of the parameters): what to save after every epoch of a run that
/// takes days.
///
/// A checkpoint records the format version, the optimiser's structure and
/// hyperparameters (``OptimiserDescription``), the step count, the names and
/// shapes of the parameter leaves, the state as a ``StateTree`` (its buffers
/// packed) and, if asked, the parameter values. It is `Codable`, so
/// `JSONEncoder` writes a readable file, and it has a compact binary encoding
/// with a CRC-32 (``encoded()``, ``init(decoding:)``) written to disk atomically
/// (``write(toFile:)``).
///
/// ```swift
/// let optimiser = Adam<Model>(learningRate: 1e-3)
/// // save
/// let checkpoint = try optimiser.checkpoint(state, for: model, includingParameters: true)
/// try checkpoint.write(toFile: "run/optimiser.ckpt")          // temp file, fsync, rename
/// // resume, possibly in another process
/// let loaded = try Checkpoint(contentsOfFile: "run/optimiser.ckpt")
/// try loaded.restoreParameters(into: &model)
/// var state = try optimiser.restore(from: loaded, for: model)
/// ```
///
/// ## Validation
/// ``StatefulOptimiser/restore(from:for:hyperparameters:nonFiniteValues:)`` checks, in order, the
/// format version, the rule structure and names, every hyperparameter's value
/// (unless you pass ``HyperparameterPolicy/useOptimiser``), every leaf
/// selection (of a ``Partition`` or a ``Masked`` transform, by the leaves it
/// selects), the leaf count, each leaf's name and shape, that every step count
/// and counter is in 0…2⁵³ (so the next `step += 1` cannot trap), that no
/// buffer or saved parameter holds NaN or ±∞ (unless you pass
/// ``NonFiniteValues/accept``) and no sum of squares is negative, that the
/// state decodes as the optimiser's `State`, and the optimiser's own
/// ``StatefulOptimiser/validate(_:for:)`` (for a ``Scheduled`` rule: every scheduled
/// value in range at the saved step). The first difference
/// throws a ``CheckpointError`` that names it; nothing is half-loaded, because the
/// state is returned only when every check passed.
///
/// ## Format versions
/// - Version 0: a rule's `State` encoded on its own (what `JSONEncoder().encode(state)`
///   wrote before checkpoints existed). It still loads: only the rule tag, the
///   leaf shapes inside the buffers and the rule's own validation are checked.
/// - Version 1: everything above.
/// - Version 2 (current): as version 1, and every ``LeafSelector`` (of a
///   ``Partition``, a ``Masked`` transform) is recorded as the names of the
///   leaves it selects, so restoring under another selection throws
///   ``CheckpointError/selectionMismatch(path:expected:found:)``. Version 1
///   checkpoints load; their selections are compared through the leaf lists
///   and masks their states carry.
///   In JSON, ∞, NaN and −0 are strings and a `Float` is written as the
///   `Double` of the same value, so every value round-trips bit for bit
///   (`"Infinity"`, `"-0"`, `"NaN"`, `"NaN:0x…"` with the bit pattern).
/// A later version throws ``CheckpointError/unsupportedFormatVersion(found:readable:)``
/// (or a `DecodingError` with the same message when read through `Codable`).
///
/// - Complexity: Creating, encoding and restoring are O(*n*) in the scalars.
/// - References: PyTorch, `torch.save(optimizer.state_dict())`; Orbax
///   checkpointing for JAX (atomic, versioned checkpoints), 2023.
public struct Checkpoint: Codable, Sendable, Hashable {
  /// The format version this library writes.
  public static let currentFormatVersion = 2
  /// The format versions this library reads.
  public static let readableFormatVersions = 0...currentFormatVersion

  /// The format version the checkpoint was written in.
  public var formatVersion: Int
  /// The optimiser's structure and hyperparameters; `nil` in format version 0.
  public var optimiser: OptimiserDescription?
  /// The step count found in the state (the outermost `step`), if any.
  public var step: Int?
  /// The parameter leaves' names and shapes; `nil` in format version 0.
  public var leaves: [Leaf]?
  /// The parameters' scalar type (`Float` or `Double`); `nil` in format version 0.
  public var scalarType: String?
  /// The optimiser's state.
  public var state: StateTree
  /// The parameter values, one packed array per leaf, when they were included.
  public var parameters: [StateTree]?

  /// The name and shape of one parameter leaf.
  ///
  /// - Complexity: O(1).
  public struct Leaf: Codable, Sendable, Hashable {
    /// The leaf's dotted name (`layer1.weight`).
    public var name: String
    /// The leaf's shape.
    public var shape: [Int]

    /// Creates a leaf record.
    ///
    /// - Parameters:
    ///   - name: The leaf's name.
    ///   - shape: The leaf's shape.
    /// - Complexity: O(1).
    public init(name: String, shape: [Int]) {
      self.name = name
      self.shape = shape
    }
  }

  /// Whether restoring requires the optimiser's hyperparameters to equal the
  /// checkpoint's.
  ///
  /// - Complexity: O(1).
  public enum HyperparameterPolicy: Sendable, Hashable {
    /// Every hyperparameter must equal the recorded value (the default): a
    /// resumed run continues exactly.
    case mustMatch
    /// The optimiser's values win (to resume with a new learning rate, say);
    /// the structure and the names must still match.
    case useOptimiser
  }

  /// Creates a checkpoint from its parts; most code calls
  /// ``StatefulOptimiser/checkpoint(_:for:includingParameters:)`` instead.
  ///
  /// - Parameters:
  ///   - formatVersion: The format version; default the current one.
  ///   - optimiser: The optimiser's description.
  ///   - step: The step count.
  ///   - leaves: The parameter leaves.
  ///   - scalarType: The parameters' scalar type name.
  ///   - state: The encoded state.
  ///   - parameters: The parameter values, one array per leaf.
  /// - Complexity: O(1).
  public init(
    formatVersion: Int = Checkpoint.currentFormatVersion, optimiser: OptimiserDescription?, step: Int?,
    leaves: [Leaf]?, scalarType: String?, state: StateTree, parameters: [StateTree]? = nil
  ) {
    self.formatVersion = formatVersion
    self.optimiser = optimiser
    self.step = step
    self.leaves = leaves
    self.scalarType = scalarType
    self.state = state
    self.parameters = parameters
  }

  enum CodingKeys: String, CodingKey {
    case formatVersion, optimiser, step, leaves, scalarType, state, parameters
  }

  /// Decodes a checkpoint of any readable format version.
  ///
  /// A value without a `formatVersion` is read as format version 0: the whole
  /// value is the state.
  ///
  /// - Throws: `DecodingError` when the value is malformed or its format version
  ///   is not readable (the message names the version).
  /// - Complexity: O(*n*).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    guard container.contains(.formatVersion) else {
      self.init(formatVersion: 0, optimiser: nil, step: nil, leaves: nil, scalarType: nil,
                state: try StateTree(from: decoder))
      step = state.firstStep
      return
    }
    let version = try container.decode(Int.self, forKey: .formatVersion)
    guard Checkpoint.readableFormatVersions.contains(version) else {
      throw DecodingError.dataCorruptedError(
        forKey: .formatVersion, in: container,
        debugDescription: CheckpointError.unsupportedFormatVersion(
          found: version, readable: Checkpoint.readableFormatVersions).description)
    }
    self.init(
      formatVersion: version,
      optimiser: try container.decodeIfPresent(OptimiserDescription.self, forKey: .optimiser),
      step: try container.decodeIfPresent(Int.self, forKey: .step),
      leaves: try container.decodeIfPresent([Leaf].self, forKey: .leaves),
      scalarType: try container.decodeIfPresent(String.self, forKey: .scalarType),
      state: try container.decode(StateTree.self, forKey: .state),
      parameters: try container.decodeIfPresent([StateTree].self, forKey: .parameters))
  }

  /// Encodes every field (absent optional fields are left out).
  ///
  /// - Complexity: O(*n*).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(formatVersion, forKey: .formatVersion)
    try container.encodeIfPresent(optimiser, forKey: .optimiser)
    try container.encodeIfPresent(step, forKey: .step)
    try container.encodeIfPresent(leaves, forKey: .leaves)
    try container.encodeIfPresent(scalarType, forKey: .scalarType)
    try container.encode(state, forKey: .state)
    try container.encodeIfPresent(parameters, forKey: .parameters)
  }

  // MARK: Binary encoding

  /// The compact binary encoding: a header, the checkpoint with raw IEEE
  /// buffers, and a CRC-32 (see ``CheckpointError`` for what reading checks).
  ///
  /// - Complexity: O(*n*).
  public func encoded() -> [UInt8] {
    // Encoding a checkpoint's own fields cannot fail: they are plain values.
    let tree = (try? StateTree(encoding: self)) ?? .null
    return CheckpointBinaryFormat.encode(tree, version: formatVersion)
  }

  /// Decodes the binary encoding, checking the magic number, the length, the
  /// checksum, the format version and every count before allocating.
  ///
  /// - Parameter bytes: What ``encoded()`` returned.
  /// - Throws: ``CheckpointError/notACheckpoint(_:)``, ``CheckpointError/corrupt(_:)``
  ///   or ``CheckpointError/unsupportedFormatVersion(found:readable:)``.
  /// - Complexity: O(*n*).
  public init(decoding bytes: [UInt8]) throws(CheckpointError) {
    let version = try CheckpointBinaryFormat.validatedVersion(bytes)
    let tree = try CheckpointBinaryFormat.payload(bytes)
    do {
      self = try tree.decode(Checkpoint.self)
    } catch {
      throw .corrupt("\(error)")
    }
    guard formatVersion == version else {
      throw .corrupt("the header says format version \(version), the payload \(formatVersion)")
    }
  }

  // MARK: Files

  /// Writes the binary encoding to `path` atomically: streamed to a temporary
  /// file in the same directory, flushed with `fsync`, then renamed over `path`,
  /// and the directory flushed. A crash at any moment leaves either the previous
  /// file or the new one, never a mixture. A symbolic link is followed (its
  /// target is replaced), the replaced file's permissions are kept, and
  /// temporary files left by killed writers of `path` are removed (see
  /// ``CheckpointFile``).
  ///
  /// - Parameter path: The checkpoint file.
  /// - Throws: ``CheckpointError/io(operation:path:errno:)`` naming `path` and
  ///   the system's message.
  /// - Complexity: O(*n*) time plus the cost of two `fsync` calls; memory
  ///   beyond the checkpoint is a 256 KiB buffer.
  public func write(toFile path: String) throws(CheckpointError) {
    // Encoding a checkpoint's own fields cannot fail: they are plain values.
    // The tree shares the checkpoint's buffers; they are streamed to the file.
    let tree = (try? StateTree(encoding: self)) ?? .null
    try CheckpointFile.writeAtomically(to: path) { sink in
      CheckpointBinaryFormat.write(tree, version: formatVersion, to: &sink)
    }
  }

  /// Reads and decodes a checkpoint file written by ``write(toFile:)``.
  ///
  /// Anything but a regular file is refused; the header is checked (magic
  /// number, format version, payload length against the file's size) before
  /// the payload is read, and decoding allocates at most
  /// 8 bytes per payload byte and 1 MiB.
  ///
  /// - Parameter path: The checkpoint file.
  /// - Throws: ``CheckpointError``: an I/O error,
  ///   ``CheckpointError/notARegularFile(path:kind:)``, or what
  ///   ``init(decoding:)`` throws.
  /// - Complexity: O(*n*).
  public init(contentsOfFile path: String) throws(CheckpointError) {
    try self.init(decoding: CheckpointFile.checkpointBytes(ofFile: path))
  }

  // MARK: Parameters

  /// Writes the saved parameter values into `params`, after checking the leaf
  /// count, names, shapes, scalar type and (by default) that every value is
  /// finite; `params` is untouched if anything differs.
  ///
  /// - Parameters:
  ///   - params: Parameters with the checkpoint's leaf shapes.
  ///   - nonFiniteValues: Whether NaN and ±∞ are refused (the default) or
  ///     loaded on purpose.
  /// - Throws: ``CheckpointError/noParameters``,
  ///   ``CheckpointError/poisonedValue(buffer:leaf:index:value:requirement:)``
  ///   or the error naming what differs.
  /// - Complexity: O(*n*).
  public func restoreParameters<P: Differentiable>(
    into params: inout P, nonFiniteValues: NonFiniteValues = .reject
  ) throws(CheckpointError) {
    guard let values = parameters else { throw .noParameters }
    if nonFiniteValues == .reject { try PoisonedValues.checkParameters(of: self, names: params) }
    try checkLeaves(of: params)
    guard values.count == params.parameterLeafCount else {
      throw .corrupt("\(values.count) parameter arrays for \(params.parameterLeafCount) leaves")
    }
    var restored = params
    for (index, tree) in values.enumerated() {
      let name = params.parameterLeafName(at: index)
      let scalars: [P.TangentVector.Scalar]
      do {
        scalars = try tree.decode([P.TangentVector.Scalar].self)
      } catch {
        throw .corrupt("parameter leaf '\(name)': \(error)")
      }
      let ok = restored.withMutableParameterLeaf(at: index) { leaf -> Bool in
        guard leaf.count == scalars.count else { return false }
        for i in 0..<leaf.count { leaf[i] = scalars[i] }
        return true
      }
      guard ok else {
        throw .corrupt("parameter leaf '\(name)' has \(scalars.count) values for shape \(params.parameterLeafShape(at: index))")
      }
    }
    params = restored
  }

  /// Throws unless the recorded leaves (when present) have `params`' names and
  /// shapes and the recorded scalar type is theirs.
  ///
  /// - Parameter params: The parameters to compare with.
  /// - Throws: ``CheckpointError/leafCountMismatch(expected:found:)``,
  ///   ``CheckpointError/leafNameMismatch(index:expected:found:)``,
  ///   ``CheckpointError/shapeMismatch(leaf:expected:found:)`` or
  ///   ``CheckpointError/scalarTypeMismatch(expected:found:)``.
  /// - Complexity: O(leaves).
  public func checkLeaves<P: Differentiable>(of params: P) throws(CheckpointError) {
    if let recorded = scalarType {
      let expected = "\(P.TangentVector.Scalar.self)"
      guard recorded == expected else { throw .scalarTypeMismatch(expected: expected, found: recorded) }
    }
    guard let leaves else { return }
    let count = params.parameterLeafCount
    guard leaves.count == count else { throw .leafCountMismatch(expected: count, found: leaves.count) }
    for index in 0..<count {
      let name = params.parameterLeafName(at: index)
      guard leaves[index].name == name else {
        throw .leafNameMismatch(index: index, expected: name, found: leaves[index].name)
      }
      let shape = params.parameterLeafShape(at: index)
      guard leaves[index].shape == shape else {
        throw .shapeMismatch(leaf: name, expected: shape, found: leaves[index].shape)
      }
    }
  }
}
