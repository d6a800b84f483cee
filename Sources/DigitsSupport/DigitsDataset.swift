import Optimisers

/// The UCI handwritten digits: 8 × 8 images of 17 grey levels with their labels
/// 0–9, parsed from the CSV file shipped in `Data/digits.csv`.
///
/// The file has a header line of 65 names, then one line per image: 64 pixel
/// counts 0–16 in row-major order and the digit, separated by commas. Pixels
/// are scaled to [0, 1] (divided by 16) on loading.
///
/// Data: E. Alpaydin and C. Kaynak, *Optical Recognition of Handwritten Digits*,
/// UCI Machine Learning Repository, 1998, CC BY 4.0 (the copy scikit-learn
/// ships; see `Data/README.md`).
///
/// - Complexity: Parsing is O(bytes).
public struct DigitsDataset: Sendable {
  /// Pixels per image (8 × 8).
  public static let pixelCount = 64
  /// The number of classes (the digits 0–9).
  public static let classCount = 10
  /// The largest pixel value in the file.
  public static let maximumPixel = 16

  /// The images, one `[pixelCount]` row each, scaled to [0, 1].
  public var images: Tensor<Double>
  /// The digit shown by each image.
  public var labels: [Int]

  /// The number of images.
  public var count: Int { labels.count }

  /// Creates a data set from its parts.
  ///
  /// - Precondition: `images` is `[labels.count, 64]` and every label is 0–9.
  public init(images: Tensor<Double>, labels: [Int]) {
    precondition(images.shape == [labels.count, Self.pixelCount],
                 "DigitsDataset: images \(images.shape) do not match \(labels.count) labels")
    precondition(labels.allSatisfy { (0..<Self.classCount).contains($0) }, "DigitsDataset: labels must be 0–9")
    self.images = images
    self.labels = labels
  }

  /// Parses the CSV text of a digits file.
  ///
  /// - Parameter bytes: The file's bytes (UTF-8; `\n` or `\r\n` line ends; a
  ///   missing final newline is allowed).
  /// - Throws: ``DigitsDataError/malformed(line:column:message:)`` at the first
  ///   header or row that is wrong: a missing or extra field, a field that is not
  ///   an integer, a pixel outside 0–16, a label outside 0–9, or no rows at all.
  /// - Complexity: O(bytes).
  public init(parsing bytes: [UInt8]) throws(DigitsDataError) {
    var parser = DigitsCSVParser(bytes)
    let columns = Self.pixelCount + 1
    try parser.readHeader(columns: columns)
    var pixels: [Double] = []
    var labels: [Int] = []
    while let row = try parser.readRow(columns: columns) {
      for (index, field) in row.enumerated() {
        if index < Self.pixelCount {
          guard field.value <= Self.maximumPixel else {
            throw .malformed(line: parser.line, column: field.column,
                             message: "pixel \(index + 1) is \(field.value); pixels are 0–\(Self.maximumPixel)")
          }
          pixels.append(Double(field.value) / Double(Self.maximumPixel))
        } else {
          guard field.value < Self.classCount else {
            throw .malformed(line: parser.line, column: field.column,
                             message: "the label is \(field.value); labels are the digits 0–9")
          }
          labels.append(field.value)
        }
      }
    }
    guard !labels.isEmpty else {
      throw .malformed(line: parser.line + 1, column: 1, message: "the file has a header but no rows")
    }
    self.init(images: Tensor(shape: [labels.count, Self.pixelCount], scalars: pixels), labels: labels)
  }

  /// Reads and parses a digits file.
  ///
  /// - Parameter path: The file's path.
  /// - Throws: ``DigitsDataError/unreadable(path:reason:)`` when the file cannot
  ///   be read, and the errors of ``init(parsing:)``.
  /// - Complexity: O(bytes).
  public init(contentsOfFile path: String) throws(DigitsDataError) {
    let bytes: [UInt8]
    do { bytes = try CheckpointFile.contents(ofFile: path) } catch {
      throw .unreadable(path: path, reason: "\(error)")
    }
    try self.init(parsing: bytes)
  }

  /// The path of the copy in this package, `Data/digits.csv`, found from this
  /// source file's location, so `swift run digits` finds it from any working
  /// directory of a checkout.
  public static var bundledPath: String {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // DigitsDataset.swift, DigitsSupport, Sources
    return (parts + ["Data", "digits.csv"]).joined(separator: "/")
  }

  /// The images at `indices`, in that order.
  ///
  /// - Complexity: O(`indices.count`).
  public func subset(_ indices: [Int]) -> DigitsDataset {
    DigitsDataset(images: images.rows(at: indices), labels: indices.map { labels[$0] })
  }

  /// A seeded split into a training set and a held-out test set.
  ///
  /// - Parameters:
  ///   - testCount: How many images to hold out; default 360 (20 % of 1,797).
  ///   - seed: The shuffle's seed.
  /// - Returns: The two disjoint subsets; together they hold every image once.
  /// - Complexity: O(``count``).
  public func split(testCount: Int = 360, seed: UInt64) -> (training: DigitsDataset, test: DigitsDataset) {
    precondition(testCount >= 0 && testCount <= count, "DigitsDataset.split: cannot hold out \(testCount) of \(count)")
    let order = MiniBatches(count: count, batchSize: Swift.max(count, 1), seed: seed).order(epoch: 0)
    return (subset(Array(order[testCount...])), subset(Array(order[..<testCount])))
  }
}
