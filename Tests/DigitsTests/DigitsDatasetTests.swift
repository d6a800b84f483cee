import DigitsSupport
import Optimisers
import Testing

/// The loader against the shipped file and against bad inputs, each of which
/// must name its line and column.
@Suite struct DigitsDatasetTests {
  static let header = (0..<64).map { "p\($0)" }.joined(separator: ",") + ",digit\n"
  static func row(_ pixels: [String], _ label: String) -> String { (pixels + [label]).joined(separator: ",") + "\n" }
  static let zeros = [String](repeating: "0", count: 64)

  func parse(_ text: String) throws(DigitsDataError) -> DigitsDataset {
    try DigitsDataset(parsing: Array(text.utf8))
  }

  func expectMalformed(_ text: String, line: Int, column: Int, mentioning words: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      _ = try parse(text)
      Issue.record("parsed bad input", sourceLocation: sourceLocation)
    } catch {
      guard case let .malformed(foundLine, foundColumn, message) = error else {
        Issue.record("wrong error \(error)", sourceLocation: sourceLocation)
        return
      }
      #expect(foundLine == line && foundColumn == column, "\(error)", sourceLocation: sourceLocation)
      #expect(message.contains(words), "\(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func theShippedFileHoldsTheUCIDigits() throws {
    let data = try DigitsDataset(contentsOfFile: DigitsDataset.bundledPath)
    #expect(data.count == 1_797)
    #expect(data.images.shape == [1_797, 64])
    // Class sizes of the UCI test set (scikit-learn's `load_digits`).
    var counts = [Int](repeating: 0, count: 10)
    for label in data.labels { counts[label] += 1 }
    #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    // The first image is a 0 whose top row is 0 0 5 13 9 1 0 0.
    #expect(data.labels[0] == 0)
    #expect((0..<8).map { data.images[0, $0] * 16 } == [0, 0, 5, 13, 9, 1, 0, 0])
    #expect(data.images.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  @Test func theSplitIsSeededAndDisjoint() throws {
    let data = try DigitsDataset(contentsOfFile: DigitsDataset.bundledPath)
    let (training, test) = data.split(seed: 5)
    #expect(training.count == 1_437 && test.count == 360)
    let again = data.split(seed: 5), other = data.split(seed: 6)
    #expect(again.test.images.bitPatternsEqual(test.images) && again.test.labels == test.labels)
    #expect(!other.test.images.bitPatternsEqual(test.images))
    // Every image lands on exactly one side: the pixel sums match the whole set's.
    #expect(abs(training.images.sum() + test.images.sum() - data.images.sum()) < 1e-9)
    #expect(training.labels.count + test.labels.count == data.count)
  }

  @Test func acceptsCRLFAndAMissingFinalNewline() throws {
    var text = Self.header + Self.row(Self.zeros, "3")
    text += Self.row([String](repeating: "16", count: 64), "9").replacingNewline(with: "\r\n")
    text += Self.row(Self.zeros, "1").dropLast()
    let data = try parse(text)
    #expect(data.labels == [3, 9, 1])
    #expect(data.images[1, 63] == 1)
  }

  @Test func badInputsNameTheirLineAndColumn() {
    expectMalformed("", line: 1, column: 1, mentioning: "empty")
    expectMalformed("a,b,c\n", line: 1, column: 1, mentioning: "3 columns")
    expectMalformed(Self.header, line: 2, column: 1, mentioning: "no rows")
    var pixels = Self.zeros
    pixels[2] = "17"
    // Fields "0," take two bytes each: field 3 starts at column 5.
    expectMalformed(Self.header + Self.row(Self.zeros, "1") + Self.row(pixels, "1"), line: 3, column: 5, mentioning: "0–16")
    pixels = Self.zeros
    pixels[1] = "x"
    expectMalformed(Self.header + Self.row(pixels, "1"), line: 2, column: 3, mentioning: "\"x\"")
    pixels[1] = "4x"
    expectMalformed(Self.header + Self.row(pixels, "1"), line: 2, column: 4, mentioning: "\"4x\"")
    pixels[1] = ""
    expectMalformed(Self.header + Self.row(pixels, "1"), line: 2, column: 3, mentioning: "empty field")
    pixels[1] = "-1"
    expectMalformed(Self.header + Self.row(pixels, "1"), line: 2, column: 3, mentioning: "\"-1\"")
    expectMalformed(Self.header + Self.row(Self.zeros, "10"), line: 2, column: 129, mentioning: "digits 0–9")
    expectMalformed(Self.header + Self.row(Array(Self.zeros.dropLast()), "1"), line: 2, column: 128, mentioning: "64 fields")
    expectMalformed(Self.header + Self.row(Self.zeros + ["0"], "1"), line: 2, column: 131, mentioning: "more than 65")
    expectMalformed(Self.header + Self.row(Self.zeros, "1") + "\n" + Self.row(Self.zeros, "2"), line: 3, column: 1,
                    mentioning: "empty line")
  }

  @Test func aMissingFileIsNamed() {
    #expect(throws: DigitsDataError.self) { try DigitsDataset(contentsOfFile: "no/such/digits.csv") }
    do {
      _ = try DigitsDataset(contentsOfFile: "no/such/digits.csv")
    } catch {
      #expect("\(error)".contains("no/such/digits.csv"))
    }
  }
}

extension String {
  func replacingNewline(with terminator: String) -> String {
    hasSuffix("\n") ? String(dropLast()) + terminator : self
  }
}
