import Storage

/// How the values of one group-key column are held in a packed key.
struct KeyColumn: Sendable, Equatable {
  /// The physical form of the column's vector.
  enum Kind: Sendable, Equatable {
    case uint8, uint16, uint32, uint64, int64, float, bool, ip, string
  }
  var kind: Kind
  /// The logical type the key's values are reported as.
  var type: DataType
  /// An address column holds IPv6 values too (128 bits instead of 32).
  var wideAddresses = false
  /// Bits of a string column's interned id (16, widened to 32 when more strings arrive).
  var stringBits = 16
  /// The column has held NULL: it has a one-bit NULL flag.
  var nullable = false

  /// The bits of the value field.
  var valueBits: Int {
    switch kind {
    case .uint8: 8
    case .uint16: 16
    case .uint32: 32
    case .uint64, .int64, .float: 64
    case .bool: 1
    case .ip: wideAddresses ? 128 : 32
    case .string: stringBits
    }
  }

  /// The key kind for an expression's vector: stored columns keep their width.
  static func of(_ e: BoundExpr, scanTypes: [ColumnType]) -> KeyColumn {
    if case .column(let s, let t) = e {
      switch scanTypes[s] {
      case .uint8: return KeyColumn(kind: .uint8, type: t)
      case .uint16: return KeyColumn(kind: .uint16, type: t)
      case .uint32: return KeyColumn(kind: .uint32, type: t)
      case .uint64: return KeyColumn(kind: .uint64, type: t)
      case .timestamp: return KeyColumn(kind: .int64, type: t)
      case .ip: return KeyColumn(kind: .ip, type: t)
      case .string: return KeyColumn(kind: .string, type: t)
      }
    }
    switch e.type {
    case .bool, .null: return KeyColumn(kind: .bool, type: e.type)
    case .float: return KeyColumn(kind: .float, type: .float)
    case .string: return KeyColumn(kind: .string, type: .string)
    case .ip: return KeyColumn(kind: .ip, type: .ip)
    case .int, .timestamp, .duration: return KeyColumn(kind: .int64, type: e.type)
    }
  }
}

/// A bit field of a packed key: `bits` bits at `shift` in word `word` (64 bits: the whole word).
struct KeyField: Sendable, Equatable {
  var word: Int
  var shift: Int
  var bits: Int

  /// The field's bits, right-aligned.
  @inline(__always) var mask: UInt64 { bits >= 64 ? ~0 : (1 << UInt64(bits)) &- 1 }
}

/// Where every key column sits in a packed key of `words` 64-bit words.
///
/// Values of 64 bits (and both halves of an IPv6-capable address) take whole words; narrower
/// values and NULL flags share the words after them, largest first, each field within one word.
/// The layout only grows: a column widens (an IPv6 address, more strings) or gains a NULL flag
/// when a batch needs it, and the table re-packs its keys once.
struct KeyLayout: Sendable, Equatable {
  var columns: [KeyColumn]
  /// The value field of each column (for a 128-bit address: the high word; low is `word + 1`).
  var value: [KeyField] = []
  /// The NULL flag of each nullable column.
  var null: [KeyField?] = []
  var words = 0
  /// The bits in use (the key fits a direct array when at most 16 and one word).
  var bits = 0

  init(_ columns: [KeyColumn]) {
    self.columns = columns
    value = Array(repeating: KeyField(word: 0, shift: 0, bits: 0), count: columns.count)
    null = Array(repeating: nil, count: columns.count)
    var next = 0
    for (i, c) in columns.enumerated() where c.valueBits >= 64 {
      value[i] = KeyField(word: next, shift: 0, bits: 64)
      next += c.valueBits / 64
      bits += c.valueBits
    }
    // Narrow fields, largest first (stable), first fit into words after the wide ones.
    var narrow: [(column: Int, isNull: Bool, bits: Int)] = []
    for (i, c) in columns.enumerated() {
      if c.valueBits < 64 { narrow.append((i, false, c.valueBits)) }
      if c.nullable { narrow.append((i, true, 1)) }
    }
    narrow.sort { $0.bits > $1.bits }
    var used: [Int] = []  // bits used in each narrow word
    for f in narrow {
      var w = used.firstIndex { $0 + f.bits <= 64 }
      if w == nil {
        used.append(0)
        w = used.count - 1
      }
      let field = KeyField(word: next + w!, shift: used[w!], bits: f.bits)
      used[w!] += f.bits
      bits += f.bits
      if f.isNull { null[f.column] = field } else { value[f.column] = field }
    }
    words = max(1, next + used.count)
  }

  /// True when keys index a direct array of 2^16 slots.
  var isDirect: Bool { words == 1 && bits <= 16 }
}
