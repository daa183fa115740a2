/// Arithmetic operators after binding.
enum ArithmeticOperator: String, Sendable, Equatable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case modulo = "%"
}

/// Comparison operators after binding.
enum ComparisonOperator: String, Sendable, Equatable {
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="

  /// Applies the operator to a three-way comparison result.
  @inlinable func holds(_ c: Int) -> Bool {
    switch self {
    case .equal: c == 0
    case .notEqual: c != 0
    case .less: c < 0
    case .lessEqual: c <= 0
    case .greater: c > 0
    case .greaterEqual: c >= 0
    }
  }

  /// The operator that holds exactly when this one does not (for non-NULL operands).
  var negated: ComparisonOperator {
    switch self {
    case .equal: .notEqual
    case .notEqual: .equal
    case .less: .greaterEqual
    case .lessEqual: .greater
    case .greater: .lessEqual
    case .greaterEqual: .less
    }
  }

  var flipped: ComparisonOperator {
    switch self {
    case .less: .greater
    case .lessEqual: .greaterEqual
    case .greater: .less
    case .greaterEqual: .lessEqual
    default: self
    }
  }
}

/// A type-checked expression. Leaves refer to scan slots (before aggregation) or to group keys,
/// aggregates and output columns (after aggregation).
indirect enum BoundExpr: Sendable, Equatable {
  /// The scan's column at `slot` (position in the plan's scan column list).
  case column(slot: Int, type: DataType)
  /// A constant of `type` (NULL constants keep the type they were coerced to).
  case constant(Value, DataType)
  /// Arithmetic negation.
  case negate(BoundExpr, DataType)
  /// Logical NOT.
  case not(BoundExpr)
  /// Arithmetic.
  case arithmetic(ArithmeticOperator, BoundExpr, BoundExpr, DataType)
  /// Comparison.
  case compare(ComparisonOperator, BoundExpr, BoundExpr)
  /// Three-valued AND.
  case and(BoundExpr, BoundExpr)
  /// Three-valued OR.
  case or(BoundExpr, BoundExpr)
  /// IS [NOT] NULL.
  case isNull(BoundExpr, negated: Bool)
  /// IN a list of constants.
  case inList(BoundExpr, [Value], negated: Bool)
  /// Address containment in any of the blocks.
  case inCIDR(BoundExpr, [CIDR], negated: Bool)
  /// LIKE with a compiled pattern.
  case like(BoundExpr, LikePattern, negated: Bool)
  /// A scalar function call.
  case call(ScalarFunction, [BoundExpr], DataType)
  /// After aggregation: group key `i`.
  case key(Int, DataType)
  /// After aggregation: aggregate `i`.
  case aggregate(Int, DataType)
  /// After aggregation: output column `i` of the result row (HAVING / ORDER BY by name).
  case output(Int, DataType)

  /// The result type.
  var type: DataType {
    switch self {
    case .column(_, let t), .constant(_, let t), .negate(_, let t), .arithmetic(_, _, _, let t),
      .call(_, _, let t), .key(_, let t), .aggregate(_, let t), .output(_, let t):
      t
    case .not, .compare, .and, .or, .isNull, .inList, .inCIDR, .like: .bool
    }
  }

  /// The direct children.
  var children: [BoundExpr] {
    switch self {
    case .column, .constant, .key, .aggregate, .output: []
    case .negate(let e, _), .not(let e), .isNull(let e, _), .inList(let e, _, _),
      .inCIDR(let e, _, _), .like(let e, _, _):
      [e]
    case .arithmetic(_, let l, let r, _), .compare(_, let l, let r), .and(let l, let r),
      .or(let l, let r):
      [l, r]
    case .call(_, let args, _): args
    }
  }

  /// True when the expression refers to no column, key, aggregate or output.
  var isConstant: Bool {
    if case .constant = self { return true }
    return false
  }

  /// True when an aggregate appears anywhere inside.
  var containsAggregate: Bool {
    if case .aggregate = self { return true }
    return children.contains { $0.containsAggregate }
  }

  /// Splits a conjunction into its terms.
  var conjuncts: [BoundExpr] {
    if case .and(let l, let r) = self { return l.conjuncts + r.conjuncts }
    return [self]
  }

  /// Every scan slot referenced.
  var slots: Set<Int> {
    if case .column(let s, _) = self { return [s] }
    return children.reduce(into: []) { $0.formUnion($1.slots) }
  }
}

/// A compiled LIKE pattern: `%` any run, `_` any one character, `\` escapes. Case-sensitive.
struct LikePattern: Sendable, Equatable {
  enum Piece: Sendable, Equatable {
    case literal([Character])
    case any
    case one
  }
  let source: String
  let pieces: [Piece]
  /// Set when the pattern is `prefix%`, `%suffix`, `%infix%` or exact (fast paths).
  let prefix: String?
  let suffix: String?
  let infix: String?
  let exact: String?

  init(_ pattern: String) {
    source = pattern
    var pieces: [Piece] = []
    var lit: [Character] = []
    var escape = false
    for c in pattern {
      if escape {
        lit.append(c)
        escape = false
      } else if c == "\\" {
        escape = true
      } else if c == "%" || c == "_" {
        if !lit.isEmpty { pieces.append(.literal(lit)) }
        lit = []
        if c == "%" {
          if pieces.last != .any { pieces.append(.any) }
        } else {
          pieces.append(.one)
        }
      } else {
        lit.append(c)
      }
    }
    if !lit.isEmpty { pieces.append(.literal(lit)) }
    self.pieces = pieces
    var p: String?
    var s: String?
    var i: String?
    var e: String?
    switch pieces.count {
    case 0: e = ""
    case 1: if case .literal(let l) = pieces[0] { e = String(l) }
    case 2:
      if case .literal(let l) = pieces[0], pieces[1] == .any { p = String(l) }
      if case .literal(let l) = pieces[1], pieces[0] == .any { s = String(l) }
    case 3:
      if case .literal(let l) = pieces[1], pieces[0] == .any, pieces[2] == .any { i = String(l) }
    default: break
    }
    prefix = p
    suffix = s
    infix = i
    exact = e
  }

  /// True when `text` matches the whole pattern.
  func matches(_ text: String) -> Bool {
    if let e = exact { return text == e }
    if let p = prefix { return text.hasPrefix(p) }
    if let s = suffix { return text.hasSuffix(s) }
    if let i = infix { return i.isEmpty || text.contains(i) }
    if pieces == [.any] { return true }
    return LikePattern.match(pieces[...], Array(text)[...])
  }

  private static func match(_ p: ArraySlice<Piece>, _ t: ArraySlice<Character>) -> Bool {
    guard let first = p.first else { return t.isEmpty }
    switch first {
    case .literal(let l):
      guard t.count >= l.count, t.prefix(l.count).elementsEqual(l) else { return false }
      return match(p.dropFirst(), t.dropFirst(l.count))
    case .one:
      return !t.isEmpty && match(p.dropFirst(), t.dropFirst())
    case .any:
      let rest = p.dropFirst()
      if rest.isEmpty { return true }
      var k = t.startIndex
      while k <= t.endIndex {
        if match(rest, t[k...]) { return true }
        k += 1
      }
      return false
    }
  }
}
