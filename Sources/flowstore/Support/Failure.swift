/// Every way a `flowstore` command fails, rendered to one line in one place
/// (`Flowstore.main`), with the exit code that goes with it.
enum Failure: Error, CustomStringConvertible {
  /// Bad input from the user (arguments, files): exit 1.
  case badInput(String)
  /// A query that does not parse, bind or type-check: exit 2.
  case query(String)
  /// The data directory is damaged: exit 3.
  case corrupt(String)

  var message: String {
    switch self {
    case .badInput(let m), .query(let m), .corrupt(let m): m
    }
  }

  /// The message alone: argument-parser renders errors thrown by `validate()` this way.
  var description: String { message }

  var exitCode: Int32 {
    switch self {
    case .badInput: 1
    case .query: 2
    case .corrupt: 3
    }
  }
}
