/// Text made safe to place in an SVG document, shared by the figures the
/// executables write (`schedule-plot`'s panels, the digits learning curves).
public enum SVGText {
  /// `text` with `&`, `<`, `>` and `"` replaced by their XML entities, so it
  /// can stand in element content and in a double-quoted attribute.
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  public static func escaped(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }
}
