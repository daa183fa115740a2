/// A parsed FlowQL statement.
public enum Statement: Sendable, Equatable {
  /// `SELECT ...`.
  case select(SelectStatement)
  /// `EXPLAIN SELECT ...`.
  case explain(SelectStatement)
  /// `SHOW TABLES`.
  case showTables
  /// `DESCRIBE table`.
  case describe(table: String, at: SourceLocation)
}

/// A parsed `SELECT`.
public struct SelectStatement: Sendable, Equatable {
  /// The select list.
  public var items: [SelectItem]
  /// The table after FROM.
  public var table: String
  /// Where the table name is.
  public var tableLocation: SourceLocation
  /// The WHERE predicate.
  public var whereClause: Expr?
  /// The GROUP BY items (expressions, output names or 1-based ordinals).
  public var groupBy: [Expr]
  /// `COMPARE WITH d AGO`: the duration expression.
  public var compareWith: Expr?
  /// Where `COMPARE` is.
  public var compareLocation: SourceLocation?
  /// The HAVING predicate.
  public var having: Expr?
  /// ORDER BY items.
  public var orderBy: [OrderItem]
  /// LIMIT n.
  public var limit: Int?
}

/// One item of a select list.
public enum SelectItem: Sendable, Equatable {
  /// `*`: every column of the table.
  case star(SourceLocation)
  /// An expression with an optional alias.
  case expr(Expr, alias: String?)
}

/// One ORDER BY item.
public struct OrderItem: Sendable, Equatable {
  /// The key (expression, output name or ordinal).
  public var expr: Expr
  /// True for DESC.
  public var descending: Bool
}

/// An expression with its location in the source.
public struct Expr: Sendable, Equatable {
  /// What the expression is.
  public var kind: ExprKind
  /// Where it starts (for operators: the operator).
  public var location: SourceLocation

  /// Creates an expression node.
  public init(_ kind: ExprKind, at location: SourceLocation) {
    self.kind = kind
    self.location = location
  }
}

/// Unary operators.
public enum UnaryOperator: String, Sendable, Equatable {
  case negate = "-"
  case not = "NOT"
}

/// Binary operators.
public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case modulo = "%"
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
  case and = "AND"
  case or = "OR"

  /// True for the six comparison operators.
  public var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
    default: false
    }
  }

  /// The comparison with its operands swapped (`a < b` ⇔ `b > a`).
  var flipped: BinaryOperator {
    switch self {
    case .less: .greater
    case .lessEqual: .greaterEqual
    case .greater: .less
    case .greaterEqual: .lessEqual
    default: self
    }
  }
}

/// The kinds of expression.
public indirect enum ExprKind: Sendable, Equatable {
  /// An integer literal.
  case integer(Int64)
  /// A decimal literal.
  case decimal(Double)
  /// A string literal (its meaning may depend on what it is compared with).
  case string(String)
  /// A duration literal in milliseconds (`5m`).
  case duration(Int64, text: String)
  /// TRUE / FALSE.
  case boolean(Bool)
  /// NULL.
  case null
  /// A column reference (or an output name in GROUP BY / HAVING / ORDER BY).
  case column(String)
  /// A unary operation.
  case unary(UnaryOperator, Expr)
  /// A binary operation.
  case binary(BinaryOperator, Expr, Expr)
  /// `e [NOT] IN (list)`.
  case inList(Expr, [Expr], negated: Bool)
  /// `e [NOT] BETWEEN lo AND hi`.
  case between(Expr, Expr, Expr, negated: Bool)
  /// `e [NOT] LIKE pattern`.
  case like(Expr, Expr, negated: Bool)
  /// `e IS [NOT] NULL`.
  case isNull(Expr, negated: Bool)
  /// A function call; `star` for `count(*)`, `distinct` for `count(DISTINCT x)`.
  case call(name: String, args: [Expr], distinct: Bool, star: Bool)
}

extension Expr {
  /// The expression as FlowQL text (used to name unaliased select items).
  public var text: String {
    switch kind {
    case .integer(let v): return String(v)
    case .decimal(let v): return String(v)
    case .string(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    case .duration(_, let t): return t
    case .boolean(let b): return b ? "true" : "false"
    case .null: return "NULL"
    case .column(let n): return n
    case .unary(.negate, let e): return "-" + e.text
    case .unary(.not, let e): return "NOT " + e.text
    case .binary(let op, let l, let r): return "\(l.text) \(op.rawValue) \(r.text)"
    case .inList(let e, let list, let neg):
      return "\(e.text) \(neg ? "NOT " : "")IN (\(list.map(\.text).joined(separator: ", ")))"
    case .between(let e, let lo, let hi, let neg):
      return "\(e.text) \(neg ? "NOT " : "")BETWEEN \(lo.text) AND \(hi.text)"
    case .like(let e, let p, let neg): return "\(e.text) \(neg ? "NOT " : "")LIKE \(p.text)"
    case .isNull(let e, let neg): return "\(e.text) IS \(neg ? "NOT " : "")NULL"
    case .call(let name, let args, let distinct, let star):
      if star { return "\(name)(*)" }
      return "\(name)(\(distinct ? "DISTINCT " : "")\(args.map(\.text).joined(separator: ", ")))"
    }
  }
}

extension String {
  func replacingOccurrences(of a: String, with b: String) -> String {
    var out = ""
    var rest = Substring(self)
    while let r = rest.firstRange(of: a) {
      out += rest[..<r.lowerBound] + b
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}
