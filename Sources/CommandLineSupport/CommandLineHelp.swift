#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `--help` for the package's executables.
public enum CommandLineHelp {
  /// Prints `usage` and exits with status 0 if `arguments` (the program's
  /// arguments, without its name) contain `-h` or `--help`.
  ///
  /// - Parameters:
  ///   - usage: The usage text, ending with a newline.
  ///   - arguments: The arguments to look at; by default the program's own.
  public static func handle(
    usage: String, arguments: ArraySlice<String> = CommandLine.arguments.dropFirst()
  ) {
    if arguments.contains("-h") || arguments.contains("--help") {
      print(usage, terminator: "")
      exit(0)
    }
  }

  /// For a program that takes no arguments: handles `--help` as
  /// ``handle(usage:arguments:)`` does, and fails on any other argument.
  ///
  /// - Parameters:
  ///   - program: The executable's name, for the error message.
  ///   - usage: The usage text, ending with a newline.
  public static func handleNoArguments(program: String, usage: String) {
    let arguments = CommandLine.arguments.dropFirst()
    handle(usage: usage, arguments: arguments)
    if let first = arguments.first { fail(program: program, "unknown argument '\(first)'", usage: usage) }
  }

  /// Prints `message` and `usage` to standard error and exits with status 2:
  /// the answer to an argument the program does not understand.
  ///
  /// - Parameters:
  ///   - program: The executable's name, printed before `message`.
  ///   - message: What was wrong.
  ///   - usage: The usage text.
  public static func fail(program: String, _ message: String, usage: String) -> Never {
    ProgressLine.emit("\(program): \(message)\n\n\(usage)")
    exit(2)
  }
}
