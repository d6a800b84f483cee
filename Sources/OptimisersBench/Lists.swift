import Optimisers

/// Each model type's parameter list, built once (a generic type cannot have
/// a stored static property of its own).
enum Lists {
  nonisolated(unsafe) static var cache: [ObjectIdentifier: Any] = [:]
  static func lookup<T>(_: T.Type, _ make: () -> ParameterList<T>) -> ParameterList<T> {
    if let list = cache[ObjectIdentifier(T.self)] { return list as! ParameterList<T> }
    let list = make()
    cache[ObjectIdentifier(T.self)] = list
    return list
  }
}
