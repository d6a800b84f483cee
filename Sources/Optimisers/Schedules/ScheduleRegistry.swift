/// The schedule kinds an ``AnySchedule`` can be decoded as: a table from the
/// `"kind"` tag in the data to the concrete `Codable` type.
///
/// ``standard`` lists every schedule in this package under its type name with
/// a lower-case first letter (`"cosineDecay"`, `"linearSchedule"`, `"oneCycle"`,
/// …; ``SWALR`` is `"swalr"`), and the combinators over ``AnySchedule`` parts (`"joined"`, `"chained"`,
/// `"followed"`, `"warmup"`, `"product"`, `"sum"`, `"scaled"`, `"shifted"`,
/// `"looped"`, `"clamped"`). Add your own schedule types to a copy and hand it to
/// the decoder through `userInfo`; it is a value, so no global state changes:
///
/// ```swift
/// let registry = ScheduleRegistry.standard.registering(Halving.self, as: "halving")
/// let decoder = JSONDecoder()
/// decoder.userInfo[ScheduleRegistry.userInfoKey] = registry
/// let schedule = try decoder.decode(AnySchedule.self, from: data)
/// ```
///
/// A decoder without the key uses ``standard``. A registered type must encode
/// as a keyed container without a `"kind"` key of its own (synthesised
/// `Codable` does, unless it has a property called `kind`).
///
/// - Complexity: Registration and look-up are O(1) expected.
public struct ScheduleRegistry: Sendable {
  /// Decodes one concrete schedule from the decoder of its keyed container.
  typealias Decode = @Sendable (any Decoder) throws -> any Schedule

  /// The decoders by kind.
  private var decoders: [String: Decode] = [:]
  /// The kinds by type, for encoding.
  private var kindsByType: [ObjectIdentifier: String] = [:]

  /// The `userInfo` key under which a decoder carries the registry that
  /// ``AnySchedule`` decodes with.
  public static let userInfoKey = CodingUserInfoKey(rawValue: "Optimisers.ScheduleRegistry")!

  /// An empty registry: no kind decodes. Start from ``standard`` to keep the
  /// package's schedules.
  ///
  /// - Complexity: O(1).
  public init() {}

  /// Every schedule of this package, and the combinators over ``AnySchedule``.
  public static let standard: ScheduleRegistry = {
    var registry = ScheduleRegistry()
    registry.register(Constant.self, as: "constant")
    registry.register(CosineAnnealing.self, as: "cosineAnnealing")
    registry.register(CosineAnnealingWarmRestarts.self, as: "cosineAnnealingWarmRestarts")
    registry.register(CosineDecay.self, as: "cosineDecay")
    registry.register(Cyclic.self, as: "cyclic")
    registry.register(ExponentialDecay.self, as: "exponentialDecay")
    registry.register(Interpolated.self, as: "interpolated")
    registry.register(InverseDecay.self, as: "inverseDecay")
    registry.register(LinearSchedule.self, as: "linearSchedule")
    registry.register(OneCycle.self, as: "oneCycle")
    registry.register(PiecewiseConstant.self, as: "piecewiseConstant")
    registry.register(PolynomialDecay.self, as: "polynomialDecay")
    registry.register(ReduceOnPlateau.self, as: "reduceOnPlateau")
    registry.register(StepDecay.self, as: "stepDecay")
    registry.register(SWALR.self, as: "swalr")
    registry.register(WarmupCosine.self, as: "warmupCosine")
    registry.register(Joined<AnySchedule>.self, as: "joined")
    registry.register(Chained<AnySchedule>.self, as: "chained")
    registry.register(Followed<AnySchedule, AnySchedule>.self, as: "followed")
    registry.register(Warmup<AnySchedule>.self, as: "warmup")
    registry.register(Product<AnySchedule, AnySchedule>.self, as: "product")
    registry.register(Sum<AnySchedule, AnySchedule>.self, as: "sum")
    registry.register(Scaled<AnySchedule>.self, as: "scaled")
    registry.register(Shifted<AnySchedule>.self, as: "shifted")
    registry.register(Looped<AnySchedule>.self, as: "looped")
    registry.register(Clamped<AnySchedule>.self, as: "clamped")
    return registry
  }()

  /// Adds `type` under `kind`.
  ///
  /// - Parameters:
  ///   - type: A schedule type whose `Codable` form is a keyed container.
  ///   - kind: The tag that names it in the data; not already registered.
  /// - Precondition: Neither `kind` nor `type` is registered yet.
  /// - Complexity: O(1) expected.
  public mutating func register<S: Schedule>(_ type: S.Type, as kind: String) {
    precondition(decoders[kind] == nil, "ScheduleRegistry: the kind \"\(kind)\" is already registered")
    precondition(kindsByType[ObjectIdentifier(type)] == nil,
                 "ScheduleRegistry: \(type) is already registered as \"\(kindsByType[ObjectIdentifier(type)] ?? "")\"")
    decoders[kind] = { decoder in try S(from: decoder) }
    kindsByType[ObjectIdentifier(type)] = kind
  }

  /// A copy with `type` added under `kind`.
  ///
  /// - Parameters:
  ///   - type: A schedule type whose `Codable` form is a keyed container.
  ///   - kind: The tag that names it in the data.
  /// - Returns: The registry with the new kind.
  /// - Precondition: Neither `kind` nor `type` is registered yet.
  /// - Complexity: O(number of kinds) for the copy.
  public func registering<S: Schedule>(_ type: S.Type, as kind: String) -> ScheduleRegistry {
    var copy = self
    copy.register(type, as: kind)
    return copy
  }

  /// The kind `type` is registered under, if any.
  ///
  /// - Parameter type: A schedule type.
  /// - Complexity: O(1) expected.
  public func kind<S: Schedule>(of type: S.Type) -> String? { kindsByType[ObjectIdentifier(type)] }

  /// Every registered kind, sorted.
  ///
  /// - Complexity: O(*n* log *n*).
  public var kinds: [String] { decoders.keys.sorted() }

  /// The decoder for `kind`, if registered.
  func decoder(for kind: String) -> Decode? { decoders[kind] }
}
