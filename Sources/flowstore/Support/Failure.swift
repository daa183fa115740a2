import Query
import Storage

/// Every way a `flowstore` command fails, rendered in one place (``text``) with the exit code
/// that goes with it (``exitCode``). The rule, documented in the README:
///
/// | exit | failure |
/// |---|---|
/// | 0 | success |
/// | 1 | bad input (arguments, files, addresses) or a system failure (disk full, permissions) |
/// | 2 | a FlowQL statement that does not parse, bind, type-check or run |
/// | 3 | a damaged data directory (`verify`) |
/// | 64 | a command line argument-parser rejects (usage errors) |
enum Failure: Error, CustomStringConvertible {
  /// Bad input from the user (arguments, files): exit 1.
  case badInput(String)
  /// A storage or system failure: exit 1.
  case storage(StorageError)
  /// A statement that does not parse, bind, type-check or run, with its source: exit 2.
  case query(QueryError, source: String)
  /// The data directory is damaged: exit 3.
  case corrupt(String)

  /// The failure `error` stands for (a ``QueryError`` of the statement `source`); nil for an
  /// error of argument-parser, which renders its own.
  init?(_ error: any Error, source: String = "") {
    switch error {
    case let f as Failure: self = f
    case let e as StorageError: self = .storage(e)
    case let e as QueryError: self = .query(e, source: source)
    default: return nil
    }
  }

  /// The message alone, without "error:" (argument-parser renders errors thrown by `validate()`
  /// this way).
  var message: String {
    switch self {
    case .badInput(let m), .corrupt(let m): m
    case .storage(let e): e.description
    case .query(let e, _): e.message
    }
  }

  /// The text shown to the user: `error: MESSAGE`, or for a statement the message with its
  /// line and column and the source line with a caret under the spot.
  var text: String {
    switch self {
    case .query(let e, let source): e.render(source: source)
    default: "error: " + message
    }
  }

  var description: String { message }

  /// The exit code of the rule above.
  var exitCode: Int32 {
    switch self {
    case .badInput, .storage: 1
    case .query: 2
    case .corrupt: 3
    }
  }
}
