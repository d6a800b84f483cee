import Foundation

/// Reads the reference fixtures committed under `Tests/Fixtures`.
///
/// The files are found relative to this source file, so the tests need no
/// bundle resources and never run Python.
enum Fixtures {
  /// The `Tests/Fixtures` folder.
  static let folder: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // OptimisersTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures")

  /// Decodes the JSON file `name` in `Tests/Fixtures`.
  static func load<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
    let data = try Data(contentsOf: folder.appendingPathComponent(name))
    return try JSONDecoder().decode(T.self, from: data)
  }
}

/// The relative difference |a − b| / max(|a|, |b|, tiny), 0 when both are 0.
func relativeDifference(_ a: Double, _ b: Double) -> Double {
  if a == b { return 0 }
  let scale = max(abs(a), abs(b), 1e-300)
  return abs(a - b) / scale
}
