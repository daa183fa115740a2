/// Which rows of a batch are still selected: all of them, or the listed indices (ascending).
struct Selection: Sendable {
  var all: Bool
  var indices: [Int32]
  var count: Int

  static func all(_ n: Int) -> Selection { Selection(all: true, indices: [], count: n) }

  /// The selected row indices, materialised.
  func rows() -> [Int32] {
    all ? (0..<Int32(count)).map { $0 } : indices
  }
}
