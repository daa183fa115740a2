import Storage

/// A validity bitmap under construction: one bit per appended row, 1 = present.
///
/// Columns that stay all-present or all-NULL only count rows; the words are materialised at
/// the first change, so the common cases cost no bit operations per row.
struct ValidityBuilder: Sendable {
  var words: [UInt64] = []
  var count = 0
  var nulls = 0
  /// True once `words` holds the bits (the column has both present and NULL rows).
  var mixed = false

  @inline(__always)
  mutating func append(_ present: Bool) {
    if !mixed {
      if present ? nulls == 0 : nulls == count {
        count += 1
        if !present { nulls += 1 }
        return
      }
      materialise()
    }
    if count & 63 == 0 { words.append(0) }
    if present {
      words[count >> 6] |= 1 << UInt64(count & 63)
    } else {
      nulls += 1
    }
    count += 1
  }

  /// Appends `n` bits of the same value; columns that stay all-present or all-NULL only count,
  /// mixed ones set whole words at a time.
  @inline(__always)
  mutating func append(_ present: Bool, count n: Int) {
    if !mixed {
      if present ? nulls == 0 : nulls == count {
        count += n
        if !present { nulls += n }
        return
      }
      materialise()
    }
    let end = count + n
    let needed = (end + 63) >> 6
    if words.count < needed {
      words.append(contentsOf: repeatElement(0, count: needed - words.count))
    }
    if present {
      var i = count
      while i < end {
        let bit = i & 63
        let k = min(64 - bit, end - i)
        let run: UInt64 = k == 64 ? ~0 : (1 << UInt64(k)) - 1
        words[i >> 6] |= run << UInt64(bit)
        i += k
      }
    } else {
      nulls += n
    }
    count = end
  }

  private mutating func materialise() {
    let allPresent = nulls == 0
    words = [UInt64](repeating: allPresent ? ~0 : 0, count: (count + 63) >> 6)
    if allPresent, count & 63 != 0 { words[words.count - 1] = (1 << UInt64(count & 63)) - 1 }
    mixed = true
  }

  /// The bitmap, or nil when no row is NULL.
  var bitmap: Bitmap? {
    if nulls == 0 { return nil }
    if !mixed { return Bitmap(count: count, value: false) }
    return Bitmap(words: words, count: count)
  }

  mutating func removeAll() {
    words.removeAll(keepingCapacity: true)
    count = 0
    nulls = 0
    mixed = false
  }
}

/// A growable column of `T` with NULLs; NULL rows hold `placeholder`.
///
/// While every row so far is NULL (a field the exporter does not send) only the count grows:
/// no value is stored until the first present one, and ``vector(_:)`` is then nil.
struct NullableColumn<T: Sendable>: Sendable {
  var values: [T] = []
  var validity = ValidityBuilder()
  let placeholder: T

  init(_ placeholder: T) { self.placeholder = placeholder }

  @inline(__always)
  mutating func append(_ value: T?) {
    if let value {
      if values.count < validity.count {
        values.append(contentsOf: repeatElement(placeholder, count: validity.count - values.count))
      }
      values.append(value)
      validity.append(true)
    } else {
      if validity.nulls != validity.count { values.append(placeholder) }
      validity.append(false)
    }
  }

  /// Appends `n` NULLs at once.
  @inline(__always)
  mutating func appendNulls(_ n: Int) {
    if validity.nulls != validity.count {
      values.append(from: Constant(value: placeholder, count: n))
    }
    validity.append(false, count: n)
  }

  /// Appends the present values of `source` at once.
  @inline(__always)
  mutating func append<S: ColumnSource>(from source: S) where S.Value == T {
    if values.count < validity.count {
      values.append(from: Constant(value: placeholder, count: validity.count - values.count))
    }
    values.append(from: source)
    validity.append(true, count: source.count)
  }

  /// The column as a vector, or nil when every row is NULL.
  func vector(_ wrap: ([T]) -> ColumnValues) -> ColumnVector? {
    if validity.nulls == validity.count { return nil }
    return ColumnVector(wrap(values), validity: validity.bitmap)
  }

  mutating func removeAll() {
    values.removeAll(keepingCapacity: true)
    validity.removeAll()
  }

  mutating func reserve(_ n: Int) { values.reserveCapacity(n) }
}

/// Collects decoded flow records column by column for the `flows` table.
///
/// The decoder appends every data record straight into per-column arrays and validity bitmaps;
/// ``build()`` turns them into a ``ColumnBatch`` of ``FlowSchema/flows``. Values a record does
/// not carry are NULL (addresses, ports, counters, strings, and `rev_bytes`/`rev_packets` when
/// the record is not a biflow); `time`, `end_time`, `exporter`, `domain` and `sampling` (1 when
/// unsampled) are always present.
public struct FlowBatchBuilder: Sendable {
  var time: [Int64] = []
  var endTime: [Int64] = []
  var exporter: [IPAddress] = []
  var domain: [UInt32] = []
  var sampling: [UInt32] = []
  var srcAddr = NullableColumn<IPAddress>(.zero)
  var dstAddr = NullableColumn<IPAddress>(.zero)
  var nextHop = NullableColumn<IPAddress>(.zero)
  var app = NullableColumn<String>("")
  /// The integer element columns (``ElementColumns/integers``), by width.
  var u8 = IntegerColumnSet<UInt8>(.uint8, ColumnValues.uint8)
  var u16 = IntegerColumnSet<UInt16>(.uint16, ColumnValues.uint16)
  var u32 = IntegerColumnSet<UInt32>(.uint32, ColumnValues.uint32)
  var u64 = IntegerColumnSet<UInt64>(.uint64, ColumnValues.uint64)
  /// The text element columns (``ElementColumns/texts``), by position.
  var texts = [NullableColumn<String>](
    repeating: NullableColumn(""), count: ElementColumns.texts.count)

  /// Creates an empty builder with room for `capacity` rows.
  public init(capacity: Int = 0) {
    if capacity > 0 { reserve(capacity) }
  }

  /// The number of rows appended since the last ``reset()``.
  public var count: Int { time.count }

  private mutating func reserve(_ n: Int) {
    time.reserveCapacity(n)
    endTime.reserveCapacity(n)
    exporter.reserveCapacity(n)
    domain.reserveCapacity(n)
    sampling.reserveCapacity(n)
    srcAddr.reserve(n)
    dstAddr.reserve(n)
    u8.reserve(n)
    u16.reserve(n)
    u32.reserve(n)
    u64.reserve(n)
  }

  /// Appends one decoded record with its resolved times, exporter, domain and sampling rate.
  @inline(__always)
  mutating func append(
    _ r: borrowing FlowRecord, start: Int64, end: Int64, exporter e: IPAddress, domain d: UInt32,
    sampling s: UInt32, app appText: String?
  ) {
    time.append(start)
    endTime.append(end)
    exporter.append(e)
    domain.append(d)
    sampling.append(s)
    srcAddr.append(r.source)
    dstAddr.append(r.destination)
    nextHop.append(r.nextHop)
    app.append(appText)
    u8.append(r.integers)
    u16.append(r.integers)
    u32.append(r.integers)
    u64.append(r.integers)
    for k in texts.indices { texts[k].append(r.text(k)) }
  }

  /// Removes all rows, keeping the allocated capacity for the next batch.
  public mutating func reset() {
    time.removeAll(keepingCapacity: true)
    endTime.removeAll(keepingCapacity: true)
    exporter.removeAll(keepingCapacity: true)
    domain.removeAll(keepingCapacity: true)
    sampling.removeAll(keepingCapacity: true)
    srcAddr.removeAll()
    dstAddr.removeAll()
    nextHop.removeAll()
    app.removeAll()
    u8.removeAll()
    u16.removeAll()
    u32.removeAll()
    u64.removeAll()
    for k in texts.indices { texts[k].removeAll() }
  }

  /// The rows appended so far as a batch of the `flows` table (the builder keeps them; call
  /// ``reset()`` to start the next batch). Does not throw: every column matches the schema.
  public func build() -> ColumnBatch {
    func v<T>(_ c: NullableColumn<T>, _ wrap: ([T]) -> ColumnValues) -> ColumnVector? {
      c.vector(wrap)
    }
    var all: [String: ColumnVector?] = [
      "time": ColumnVector(.timestamp(time)),
      "end_time": ColumnVector(.timestamp(endTime)),
      "exporter": ColumnVector(.ip(exporter)),
      "domain": ColumnVector(.uint32(domain)),
      "src_addr": v(srcAddr, ColumnValues.ip),
      "dst_addr": v(dstAddr, ColumnValues.ip),
      "next_hop": v(nextHop, ColumnValues.ip),
      "sampling": ColumnVector(.uint32(sampling)),
      "app": v(app, ColumnValues.string),
    ]
    u8.vectors(into: &all)
    u16.vectors(into: &all)
    u32.vectors(into: &all)
    u64.vectors(into: &all)
    for (k, c) in ElementColumns.texts.enumerated() {
      all[c.name] = v(texts[k], ColumnValues.string)
    }
    let columns = all.compactMapValues { $0 }
    do {
      return try ColumnBatch(schema: FlowSchema.flows, rowCount: count, columns: columns)
    } catch {
      preconditionFailure("flow batch does not match the flows schema: \(error)")
    }
  }
}
