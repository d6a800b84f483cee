/// Consolidation and re-sharding of a ``Sharded`` rule's state through its
/// encoded form (``StateTree``), for any rule: the per-piece arrays of a shard's
/// state (one element per piece: a moment buffer's tensors, Adafactor's
/// per-leaf statistics) are found by encoding the rule's initial state for a
/// group of one piece and of two, and are merged into (or cut from) per-leaf
/// arrays in leaf order; every other value (step counts) is the same on every
/// rank and taken once.
///
/// - Complexity: O(size of the state).
enum ShardTrees {
  /// What a consolidation or split found wrong.
  struct Mismatch: Error {
    let message: String
  }

  /// The full state's tree from every rank's shard tree (rank order).
  static func merge(
    _ shards: [StateTree], probes: (StateTree, StateTree), layout: ShardLayout, leafShapes: [[Int]], path: String = ""
  ) throws(Mismatch) -> StateTree {
    if let one = unpacked(probes.0), let two = unpacked(probes.1) {
      let parts = shards.map { unpacked($0) ?? $0 }
      return packed(try merge(parts, probes: (one, two), layout: layout, leafShapes: leafShapes, path: path), like: probes.0)
    }
    let first = shards[0]
    switch (probes.0, probes.1, first) {
    case (.array(let one), .array(let two), .array) where one.count == 1 && two.count == 2:
      var owners = [[(rank: Int, position: Int)]](repeating: [], count: leafShapes.count)
      for (rank, pieces) in layout.pieces.enumerated() {
        guard case .array(let items) = shards[rank], items.count == pieces.count else {
          throw Mismatch(message: "rank \(rank)'s state at '\(path)' does not hold one entry per piece")
        }
        for (position, piece) in pieces.enumerated() { owners[piece.leaf].append((rank, position)) }
      }
      var leaves: [StateTree] = []
      for (leaf, parts) in owners.enumerated() {
        let items = parts.map { part -> StateTree in
          guard case .array(let items) = shards[part.rank] else { return .null }
          return items[part.position]
        }
        if items.count == 1, layout.pieces[parts[0].rank][parts[0].position].hi == leafShapes[leaf].reduce(1, *) {
          leaves.append(items[0])
        } else {
          leaves.append(try joined(items, shape: leafShapes[leaf], path: path))
        }
      }
      return .array(leaves)
    case (.object(let one), .object(let two), .object(let members)):
      var merged: [StateTree.Member] = []
      for member in members {
        let key = member.key
        let parts = shards.map { $0[key] ?? .null }
        let probe = (one.first { $0.key == key }?.value ?? .null, two.first { $0.key == key }?.value ?? .null)
        merged.append(StateTree.Member(key: key, value: try merge(parts, probes: probe, layout: layout, leafShapes: leafShapes, path: path + "." + key)))
      }
      return .object(merged)
    case (.array(let one), .array(let two), .array(let items)) where one.count == two.count && one.count == items.count:
      var merged: [StateTree] = []
      for index in items.indices {
        let parts = try shards.map { shard throws(Mismatch) -> StateTree in
          guard case .array(let items) = shard, items.count > index else {
            throw Mismatch(message: "the ranks' states differ in shape at '\(path)'")
          }
          return items[index]
        }
        merged.append(try merge(parts, probes: (one[index], two[index]), layout: layout, leafShapes: leafShapes, path: path + "[\(index)]"))
      }
      return .array(merged)
    default:
      for (rank, shard) in shards.enumerated() where shard != first {
        throw Mismatch(message: "ranks 0 and \(rank) disagree at '\(path)' (\(first) and \(shard))")
      }
      return first
    }
  }

  /// A packed array of scalars (per-leaf scalars such as NovoGrad's second
  /// moments) as an array of scalar trees, so that it merges and splits as
  /// any other array; `nil` for every other tree.
  static func unpacked(_ tree: StateTree) -> StateTree? {
    switch tree {
    case .floats(let xs): return .array(xs.map { .float($0) })
    case .doubles(let xs): return .array(xs.map { .double($0) })
    default: return nil
    }
  }

  /// An array of scalar trees packed again as `probe` was.
  static func packed(_ tree: StateTree, like probe: StateTree) -> StateTree {
    guard case .array(let items) = tree else { return tree }
    switch probe {
    case .floats: return .floats(items.compactMap { if case .float(let x) = $0 { x } else { nil } })
    case .doubles: return .doubles(items.compactMap { if case .double(let x) = $0 { x } else { nil } })
    default: return tree
    }
  }

  /// A rank's shard tree cut from the full state's tree.
  static func split(
    _ full: StateTree, probes: (StateTree, StateTree), pieces: [ShardLayout.Piece], leafShapes: [[Int]], path: String = ""
  ) throws(Mismatch) -> StateTree {
    if let one = unpacked(probes.0), let two = unpacked(probes.1), let items = unpacked(full) {
      return packed(try split(items, probes: (one, two), pieces: pieces, leafShapes: leafShapes, path: path), like: probes.0)
    }
    switch (probes.0, probes.1, full) {
    case (.array(let one), .array(let two), .array(let leaves)) where one.count == 1 && two.count == 2:
      guard leaves.count == leafShapes.count else {
        throw Mismatch(message: "the state at '\(path)' has \(leaves.count) entries for \(leafShapes.count) leaves")
      }
      return .array(try pieces.map { piece throws(Mismatch) -> StateTree in
        let whole = leafShapes[piece.leaf].reduce(1, *)
        return piece.lo == 0 && piece.hi == whole ? leaves[piece.leaf] : try sliced(leaves[piece.leaf], piece, path: path)
      })
    case (.object(let one), .object(let two), .object(let members)):
      return .object(try members.map { member throws(Mismatch) -> StateTree.Member in
        let probe = (one.first { $0.key == member.key }?.value ?? .null, two.first { $0.key == member.key }?.value ?? .null)
        return StateTree.Member(
          key: member.key,
          value: try split(member.value, probes: probe, pieces: pieces, leafShapes: leafShapes, path: path + "." + member.key))
      })
    case (.array(let one), .array(let two), .array(let items)) where one.count == two.count && one.count == items.count:
      return .array(try items.indices.map { index throws(Mismatch) -> StateTree in
        try split(items[index], probes: (one[index], two[index]), pieces: pieces, leafShapes: leafShapes, path: path + "[\(index)]")
      })
    default:
      return full
    }
  }

  /// One tensor of `shape` from consecutive element ranges of it.
  static func joined(_ parts: [StateTree], shape: [Int], path: String) throws(Mismatch) -> StateTree {
    var floats: [Float] = [], doubles: [Double] = [], isDouble = false
    for part in parts {
      switch part["scalars"] {
      case .floats(let values)?: floats += values
      case .doubles(let values)?: doubles += values; isDouble = true
      case .array(let values)? where values.isEmpty: break
      default: throw Mismatch(message: "the state at '\(path)' cuts a leaf, but its entries are not tensors")
      }
    }
    return tensor(shape: shape, isDouble ? .doubles(doubles) : .floats(floats))
  }

  /// Elements `piece.lo..<piece.hi` of a tensor's tree, as a vector.
  static func sliced(_ leaf: StateTree, _ piece: ShardLayout.Piece, path: String) throws(Mismatch) -> StateTree {
    let range = piece.lo..<piece.hi
    switch leaf["scalars"] {
    case .floats(let values)? where values.count >= piece.hi: return tensor(shape: [range.count], .floats(Array(values[range])))
    case .doubles(let values)? where values.count >= piece.hi: return tensor(shape: [range.count], .doubles(Array(values[range])))
    default: throw Mismatch(message: "the state at '\(path)' for leaf \(piece.leaf) is not a tensor of its size")
    }
  }

  /// The tree a ``Tensor`` of `shape` with these scalars encodes to.
  static func tensor(shape: [Int], _ scalars: StateTree) -> StateTree {
    switch scalars {
    case .doubles(let values): return (try? StateTree(encoding: Tensor<Double>(shape: shape, scalars: values))) ?? .null
    case .floats(let values): return (try? StateTree(encoding: Tensor<Float>(shape: shape, scalars: values))) ?? .null
    default: return (try? StateTree(encoding: Tensor<Float>(shape: shape, scalars: []))) ?? .null
    }
  }
}
