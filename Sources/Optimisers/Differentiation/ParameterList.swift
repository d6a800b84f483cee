/// The parameter fields of a ``Parameterised`` model, listed once as key paths.
///
/// ```swift
/// static let parameters = ParameterList<Affine>(\.weight, \.bias)
/// ```
///
/// Each key path may lead to a ``Tensor``, a scalar, or a nested `Parameterised`
/// struct; nested leaves are flattened depth first. The list also indexes every
/// listed and nested key path, so ``Tangent`` can be read and written by field:
/// `gradient[\.weight]`, `gradient[\.first]`, `gradient[\.first.bias]`.
///
/// - Complexity: Built once per model type in O(leaves); look-ups are O(1).
/// - References: Swift Evolution SE-0393, *Value and Type Parameter Packs*, 2023.
public struct ParameterList<Root: ParameterContainer>: @unchecked Sendable {
  // Immutable after construction; key paths are immutable objects.

  /// Every leaf, flattened depth first.
  public let leaves: [ParameterLeaf<Root>]

  /// The leaf range of every listed field and every nested field, by key path.
  @usableFromInline let ranges: [AnyKeyPath: Range<Int>]

  /// The byte offset of every leaf in `Root` when every leaf is a tensor stored
  /// inline (`MemoryLayout<Root>.offset(of:)`), else `nil`. Lets the leaf walk
  /// reach all leaves without key-path projections.
  @usableFromInline let tensorOffsets: [Int]?

  /// Lists the parameter fields of `Root`.
  ///
  /// - Parameter fields: Key paths to tensor, scalar or nested `Parameterised`
  ///   fields, in the order their leaves are to be walked.
  /// - Precondition: Every field's scalar type is `Root.Scalar`, and no field is
  ///   listed twice; otherwise the first use stops with a message naming the field.
  /// - Complexity: O(leaves).
  public init<each Field: ParameterField>(_ fields: repeat WritableKeyPath<Root, each Field>) {
    var leaves: [ParameterLeaf<Root>] = []
    var ranges: [AnyKeyPath: Range<Int>] = [:]
    for path in repeat each fields {
      let name = ParameterList.fieldName(path)
      let start = leaves.count
      let added = ParameterList.leafPaths(of: path, name: name)
      leaves.append(contentsOf: added)
      precondition(ranges[path] == nil, "\(Root.self).parameters lists \(name) twice")
      ranges[path] = start..<leaves.count
    }
    // A leaf reached twice (`\.inner` and `\.inner.weight` both listed) would be
    // updated twice per step.
    var seen = Set<AnyKeyPath>()
    for leaf in leaves {
      precondition(seen.insert(leaf.anyKeyPath).inserted, "\(Root.self).parameters reaches \(leaf.name) twice")
    }
    // Index nested paths too (e.g. \.first.bias) so tangents can be addressed by them.
    for (offset, leaf) in leaves.enumerated() where ranges[leaf.anyKeyPath] == nil {
      ranges[leaf.anyKeyPath] = offset..<(offset + 1)
    }
    var offsets: [Int]? = []
    for leaf in leaves {
      guard case .tensor(let path) = leaf.path, let offset = MemoryLayout<Root>.offset(of: path) else {
        offsets = nil
        break
      }
      offsets?.append(offset)
    }
    self.leaves = leaves
    self.ranges = ranges
    self.tensorOffsets = offsets
  }

  @inlinable
  static func leafPaths<Field: ParameterField>(
    of path: WritableKeyPath<Root, Field>, name: String
  ) -> [ParameterLeaf<Root>] {
    Field.leafPaths(through: path, name: name)
  }

  /// The range of leaves that `path` covers, if it is a listed or nested field.
  ///
  /// - Parameter path: A key path from the model.
  /// - Complexity: O(1).
  @inlinable public func leafRange(of path: AnyKeyPath) -> Range<Int>? {
    ranges[path]
  }

  /// The dotted names of all leaves.
  ///
  /// - Complexity: O(leaves).
  public var leafNames: [String] { leaves.map(\.name) }

  /// A readable name for a key path: `\Affine.weight` becomes `weight`.
  static func fieldName(_ path: AnyKeyPath) -> String {
    var text = "\(path)"
    if text.hasPrefix("\\") { text.removeFirst() }
    if let dot = text.firstIndex(of: ".") { text = String(text[text.index(after: dot)...]) }
    return text
  }
}
