#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("CheckpointFile needs the C library of Darwin, Glibc or Musl")
#endif

/// Crash-safe file writing and bounded file reading for checkpoints, with the C
/// library only (no Foundation).
///
/// Writing (``writeAtomically(_:to:)``, ``Checkpoint/write(toFile:)``):
/// 1. A symbolic link is followed: the file it points to is replaced, the link
///    stays.
/// 2. Temporary files that killed writers left next to that file are removed:
///    only names of this writer's pattern for that file, and only when their
///    process no longer runs or they are older than ``staleAge`` seconds.
/// 3. The bytes go to a fresh temporary file in the same directory (so the
///    rename stays on one file system), named `.<name>.<crc>.<pid>.<random>.tmp`
///    with `<name>` shortened so the whole name fits the 255-byte limit, and
///    created with the replaced file's permission bits (or 0666 less the umask
///    for a new file). A checkpoint is streamed: header, then each buffer
///    straight from its storage, through a 256 KiB buffer.
/// 4. The file is flushed (`fsync` on Linux, `fcntl(F_FULLFSYNC)` on Darwin,
///    whose `fsync` leaves the data in the drive's volatile cache), renamed
///    over the target (atomic in POSIX), and the directory flushed so the
///    rename itself is durable.
///
/// If the process dies at any point, the target holds the previous checkpoint
/// or the new one; at worst a temporary file is left, which the next write
/// removes.
///
/// Reading (``contents(ofFile:)``, ``Checkpoint/init(contentsOfFile:)``)
/// refuses anything but a regular file (a FIFO or a device would never end),
/// checks a checkpoint's header before reading its payload, and allocates only
/// what the file's size allows.
///
/// - Complexity: O(*n*) plus the cost of the `fsync` calls.
/// - References: POSIX.1-2017, `rename(2)` ("shall be atomic"); Apple,
///   `fsync(2)` and `fcntl(2)` manual pages (`F_FULLFSYNC`); Pillai et al.,
///   *All File Systems Are Not Created Equal*, OSDI 2014 (why the file and the
///   directory are flushed).
public enum CheckpointFile: Sendable {
  /// Files larger than this are refused on reading (1 TiB): a size field read
  /// from a damaged file system must not make us allocate without bound.
  public static let maximumSize = 1 << 40

  /// A temporary file of a dead writer is removed by the next write to the same
  /// file; one whose writer still seems to run is removed once it is this old
  /// (one day), since a process id may have been reused.
  public static let staleAge = 86_400

  /// The longest file name most file systems accept (`NAME_MAX`).
  static let nameLimit = 255

  /// Writes `bytes` to `path` atomically (temporary file, `fsync`, `rename`,
  /// directory `fsync`), following a symbolic link and keeping the replaced
  /// file's permissions.
  ///
  /// - Parameters:
  ///   - bytes: The file's new contents.
  ///   - path: The file to replace or create.
  /// - Throws: ``CheckpointError/io(operation:path:errno:)`` naming `path` and
  ///   the system's message; the temporary file is removed and `path` is
  ///   untouched.
  /// - Complexity: O(*n*).
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
    try writeAtomically(to: path) { sink in bytes.withUnsafeBytes { sink.write($0) } }
  }

  /// Writes what `produce` writes into the sink to `path` atomically.
  static func writeAtomically(
    to path: String, _ produce: (inout CheckpointFileSink) -> Void
  ) throws(CheckpointError) {
    let target = try resolvingSymbolicLinks(path)
    let directory = directoryName(of: target)
    let name = baseName(of: target)
    removeStaleTemporaries(in: directory, for: name)
    var existing = stat()
    let keepMode: mode_t? = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : nil
    let temporary = (directory == "." && !target.hasPrefix("./") ? "" : directory + "/")
      + temporaryName(for: name, pid: getpid(), random: UInt32.random(in: 0...UInt32.max))
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw .io(operation: "creating", path: path, errno: errno) }
    var failure: Int32? = nil
    var operation = "writing"
    if let keepMode, fchmod(fd, keepMode) != 0 { failure = errno; operation = "setting the permissions of" }
    if failure == nil {
      var sink = CheckpointFileSink(fd: fd)
      produce(&sink)
      sink.flush()
      failure = sink.failure
    }
    if failure == nil, flush(fd) != 0 { failure = errno; operation = "flushing" }
    if close(fd) != 0, failure == nil { failure = errno; operation = "closing" }
    if failure == nil, rename(temporary, target) != 0 { failure = errno; operation = "renaming onto" }
    if let failure {
      unlink(temporary)
      throw .io(operation: operation, path: path, errno: failure)
    }
    let directoryFD = open(directory, O_RDONLY | O_CLOEXEC)
    if directoryFD >= 0 {
      // Best effort: some file systems refuse to flush a directory.
      _ = flush(directoryFD)
      _ = close(directoryFD)
    }
  }

  /// `path` with every symbolic link in its last component followed (up to 40,
  /// as the kernel allows), so that writing replaces the link's target.
  static func resolvingSymbolicLinks(_ path: String) throws(CheckpointError) -> String {
    var current = path
    for _ in 0..<40 {
      var info = stat()
      guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
      var buffer = [CChar](repeating: 0, count: 4097)
      let count = readlink(current, &buffer, 4096)
      guard count >= 0 else { throw .io(operation: "following the symbolic link", path: path, errno: errno) }
      let destination = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current = destination.hasPrefix("/") ? destination : directoryName(of: current) + "/" + destination
    }
    throw .io(operation: "following the symbolic link", path: path, errno: ELOOP)
  }

  /// `.<name>.<crc>.<pid>.<random>.tmp`, with `<name>` cut (at a character
  /// boundary) so the whole fits ``nameLimit``; `<crc>` is the CRC-32 of the
  /// full name, so a cut name still identifies its file.
  static func temporaryName(for name: String, pid: Int32, random: UInt32) -> String {
    let suffix = ".\(hex(pid == 0 ? 0 : UInt32(truncatingIfNeeded: pid))).\(hex(random)).tmp"
    return temporaryPrefix(for: name, reserving: suffix.utf8.count) + suffix
  }

  /// The part of a temporary name that depends on the file only.
  static func temporaryPrefix(for name: String, reserving suffixBytes: Int = 22) -> String {
    let checksum = "." + hex(CRC32.checksum(Array(name.utf8)))
    let room = nameLimit - 1 - checksum.utf8.count - suffixBytes
    var kept = ""
    var used = 0
    for character in name {
      let size = character.utf8.count
      if used + size > room { break }
      kept.append(character)
      used += size
    }
    return "." + kept + checksum
  }

  /// Removes the temporary files of dead or long-gone writers of `name`.
  static func removeStaleTemporaries(in directory: String, for name: String) {
    guard let stream = opendir(directory) else { return }
    defer { closedir(stream) }
    let prefix = temporaryPrefix(for: name) + "."
    let now = time(nil)
    while let entry = readdir(stream) {
      let entryName = withUnsafePointer(to: &entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      guard entryName.hasPrefix(prefix), entryName.hasSuffix(".tmp") else { continue }
      let middle = entryName.dropFirst(prefix.count).dropLast(4).split(separator: ".")
      guard middle.count == 2, middle.allSatisfy({ $0.count == 8 }), let pid = UInt32(middle[0], radix: 16),
        UInt32(middle[1], radix: 16) != nil
      else { continue }
      let full = directory + "/" + entryName
      var info = stat()
      guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
      let dead = pid != 0 && kill(pid_t(bitPattern: pid), 0) != 0 && errno == ESRCH
      let old = now - info.st_mtim.tv_sec > staleAge
      if dead || old { unlink(full) }
    }
  }

  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  /// Flushes `fd` to stable storage; 0 on success, else -1 with `errno` set.
  ///
  /// On Darwin `fsync` only hands the data to the drive, so this asks for
  /// `F_FULLFSYNC` and falls back to `fsync` on file systems that refuse it
  /// (network and some external volumes).
  static func flush(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    if fcntl(fd, F_FULLFSYNC) != -1 { return 0 }
    #endif
    return fsync(fd)
  }

  /// The directory part of `path` (`.` for a bare file name).
  static func directoryName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The last component of `path`.
  static func baseName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }
}
