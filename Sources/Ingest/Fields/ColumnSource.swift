/// A run of column values that can write itself into uninitialized memory.
///
/// `write` must initialize every value: sources that store by assignment (the record readers)
/// are only used for trivial types (integers, ``Storage/IPAddress``); ``Constant`` and
/// ``Copied`` initialize, so they also serve `String` columns.
protocol ColumnSource {
  associatedtype Value
  /// How many values `write` writes.
  var count: Int { get }
  /// Writes `count` values starting at `dst`.
  func write(_ dst: UnsafeMutablePointer<Value>)
}

/// Adapts a ``ColumnSource`` to `Array.append(contentsOf:)`.
///
/// The array reserves room for `underestimatedCount` elements and hands the sequence its
/// uninitialized tail through `_copyContents(initializing:)`, so the values are written in
/// place: no placeholder fill first, no scratch buffer and no copy. Only
/// ``Swift/Array/append(from:)`` uses it, which guarantees that the tail is large enough.
struct InPlace<Source: ColumnSource>: Sequence {
  let source: Source

  var underestimatedCount: Int { source.count }

  func makeIterator() -> EmptyCollection<Source.Value>.Iterator { .init() }

  @inline(__always)
  func _copyContents(
    initializing buffer: UnsafeMutableBufferPointer<Source.Value>
  ) -> (EmptyCollection<Source.Value>.Iterator, Int) {
    let n = source.count
    guard n > 0 else { return (.init(), 0) }
    precondition(buffer.count >= n, "column run larger than the space reserved for it")
    source.write(buffer.baseAddress!)
    return (.init(), n)
  }
}

/// `count` copies of one value.
struct Constant<Value>: ColumnSource {
  let value: Value
  let count: Int

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<Value>) {
    for i in 0..<count { (dst + i).initialize(to: value) }
  }
}

/// Values already in memory.
struct Copied<Value>: ColumnSource {
  let from: UnsafePointer<Value>
  let count: Int

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<Value>) {
    dst.initialize(from: from, count: count)
  }
}

extension Array {
  /// Appends the values of `source`, written straight into the array's storage.
  @inline(__always)
  mutating func append<S: ColumnSource>(from source: S) where S.Value == Element {
    append(contentsOf: InPlace(source: source))
  }
}
