import ArgumentParser
import CFlowSys
import Query

/// Options shared by `query` and `repl`: how the engine may use the machine.
struct EngineOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The most memory a query's group table may take (e.g. 512M, 4G); default: half the RAM.",
      discussion: """
        A query whose groups outgrow it stops with an error that names the limit, instead of \
        being killed when the machine runs out of memory.
        """,
      valueName: "size"))
  var memoryLimit: String?

  func validate() throws {
    if let m = memoryLimit, Self.bytes(m) == nil {
      throw ValidationError("--memory-limit \(m): expected a size such as 512M, 4G or 1000000")
    }
  }

  /// The engine over `provider` with these options; tunes the allocator for queries.
  func engine(_ provider: any TableProvider) -> QueryEngine {
    cflowsys_keep_freed_memory(1 << 30)
    var options = ExecutionOptions()
    if let m = memoryLimit { options.memoryLimit = Self.bytes(m) }
    return QueryEngine(provider: provider, options: options)
  }

  /// `512M`, `4G`, `64K` or a plain number of bytes.
  static func bytes(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var t = text.uppercased()
    if t.hasSuffix("B") || t.hasSuffix("I") { t.removeLast() }
    if t.hasSuffix("I") { t.removeLast() }
    var scale = 1
    if let u = t.last, let s = units[u] {
      scale = s
      t.removeLast()
    }
    guard let n = Double(t), n > 0 else { return nil }
    return Int(n * Double(scale))
  }
}
