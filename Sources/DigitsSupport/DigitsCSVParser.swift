/// A byte-level reader of comma-separated lines of non-negative integers that
/// tracks the line and column of every field for error messages.
struct DigitsCSVParser {
  /// One integer field and the column (from 1) where it starts.
  struct Field {
    var value: Int
    var column: Int
  }

  let bytes: [UInt8]
  var position = 0
  /// The number of the line last read (from 1); 0 before the first.
  private(set) var line = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The next line without its terminator, or `nil` at the end of the input.
  mutating func nextLine() -> ArraySlice<UInt8>? {
    guard position < bytes.count else { return nil }
    let start = position
    while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
    var end = position
    if position < bytes.count { position += 1 }
    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    line += 1
    return bytes[start..<end]
  }

  /// Reads the header and checks that it names `columns` fields.
  mutating func readHeader(columns: Int) throws(DigitsDataError) {
    guard let header = nextLine() else {
      throw .malformed(line: 1, column: 1, message: "the file is empty; expected a header of \(columns) column names")
    }
    let names = header.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    guard names.count == columns else {
      throw .malformed(line: line, column: 1, message: "the header names \(names.count) columns; expected \(columns)")
    }
  }

  /// Reads the next non-empty line as exactly `columns` integers, or returns
  /// `nil` at the end of the input (blank lines at the very end are allowed).
  mutating func readRow(columns: Int) throws(DigitsDataError) -> [Field]? {
    guard let text = nextLine() else { return nil }
    if text.isEmpty {
      // Only trailing blank lines may be empty.
      let blankLine = line
      while let next = nextLine() {
        if !next.isEmpty { throw .malformed(line: blankLine, column: 1, message: "an empty line between rows") }
      }
      return nil
    }
    var fields: [Field] = []
    fields.reserveCapacity(columns)
    var index = text.startIndex
    while true {
      let column = index - text.startIndex + 1
      var end = index
      while end < text.endIndex && text[end] != UInt8(ascii: ",") { end += 1 }
      let field = text[index..<end]
      guard fields.count < columns else {
        throw .malformed(line: line, column: column, message: "more than \(columns) fields")
      }
      fields.append(Field(value: try integer(field, column: column), column: column))
      if end == text.endIndex { break }
      index = end + 1
    }
    guard fields.count == columns else {
      throw .malformed(line: line, column: text.count + 1,
                       message: "\(fields.count) fields; expected \(columns) (64 pixels and a label)")
    }
    return fields
  }

  /// A field's value: one to three decimal digits, nothing else.
  private func integer(_ field: ArraySlice<UInt8>, column: Int) throws(DigitsDataError) -> Int {
    guard !field.isEmpty else { throw .malformed(line: line, column: column, message: "an empty field") }
    var value = 0
    for (offset, byte) in field.enumerated() {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), offset < 3 else {
        let shown = String(decoding: field.prefix(12), as: UTF8.self)
        throw .malformed(line: line, column: column + (offset < 3 ? offset : 0),
                         message: "expected an integer 0–16, found \"\(shown)\"")
      }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }
}
