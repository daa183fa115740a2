import Storage

/// Renders a plan as indented text for EXPLAIN, with the blocks and segments the scan keeps.
enum Explain {
  static func render(_ p: SelectPlan, scan: ScanOperator, baseline: ScanOperator?) -> String {
    let names = p.scanColumns.map { p.schema.columns[$0].name }
    var aggNames: [String] = []
    var keyNames: [String] = []
    if let a = p.aggregation {
      aggNames = a.aggregates.map(\.text)
      keyNames = a.keys.map { text($0, names, [], [], []) }
    }
    let outNames = p.columns.map(\.name)
    func t(_ e: BoundExpr) -> String { text(e, names, keyNames, aggNames, outNames) }
    var lines: [String] = []
    lines.append("Output: " + outNames.joined(separator: ", "))
    if let l = p.limit { lines.append("Limit: \(l)") }
    if !p.orderBy.isEmpty {
      let keys = p.orderBy.map { k in
        (k.index < outNames.count ? outNames[k.index] : "#\(k.index)")
          + (k.descending ? " DESC" : "")
      }
      let how = p.limit != nil ? "top-N heap" : "sort"
      lines.append("Order (\(how)): " + keys.joined(separator: ", "))
    }
    if let h = p.having { lines.append("Having: " + t(h)) }
    if let c = p.compare {
      lines.append(
        "Compare: with \(formatDuration(c.shift)) ago (baseline scan sees time + \(formatDuration(c.shift)))"
      )
    }
    if let a = p.aggregation {
      let table: String
      let types = p.scanColumns.map { p.schema.columns[$0].type }
      switch makeGroupTable(a.keys, scanTypes: types) {
      case is SingleGroupTable: table = "single group"
      case let d as DirectGroupTable: table = "direct array, \(d.bits)-bit key"
      case is IPGroupTable: table = "hash table, address key"
      case let t as PackedGroupTable:
        table =
          t.layout.isDirect
          ? "direct array, packed \(t.layout.bits)-bit key"
          : "hash table, packed key of \(t.layout.words) word\(t.layout.words == 1 ? "" : "s")"
      default: table = "hash table"
      }
      lines.append(
        "Aggregate (\(table)): keys [\(keyNames.joined(separator: ", "))] aggregates [\(aggNames.joined(separator: ", "))]"
      )
    }
    lines.append("Scan \(p.table): columns [\(names.joined(separator: ", "))]")
    if !p.filter.isEmpty {
      lines.append("  filter: " + p.filter.map(t).joined(separator: " AND "))
    }
    if let r = p.timeRange {
      let lo = r.lowerBound == Int64.min ? "-inf" : formatTimestamp(r.lowerBound)
      let hi = r.upperBound == Int64.max ? "+inf" : formatTimestamp(r.upperBound)
      lines.append("  time range: [\(lo), \(hi))")
    }
    func counts(_ s: ScanStats, _ label: String) {
      lines.append(
        "  \(label)segments: \(s.segmentsKept) kept, \(s.segmentsPruned) pruned by time range")
      lines.append(
        "  \(label)blocks: \(s.blocksKept) kept, \(s.blocksPruned) pruned by zone maps (\(s.rowsScanned) rows to scan)"
      )
    }
    counts(scan.stats, "")
    if let b = baseline { counts(b.stats, "baseline ") }
    lines.append(
      "  parallelism: \(scan.options.parallelism) workers over \(scan.morsels.count) morsels, \(scan.options.batchSize)-row vectors"
    )
    return lines.joined(separator: "\n")
  }

  static func text(
    _ e: BoundExpr, _ cols: [String], _ keys: [String], _ aggs: [String], _ outs: [String]
  ) -> String {
    func t(_ x: BoundExpr) -> String { text(x, cols, keys, aggs, outs) }
    switch e {
    case .column(let s, _): return cols[s]
    case .constant(let v, _):
      switch v {
      case .string(let s): return "'\(s)'"
      case .timestamp, .ip: return "'\(v)'"
      default: return v.description
      }
    case .negate(let x, _): return "-\(t(x))"
    case .not(let x): return "NOT (\(t(x)))"
    case .arithmetic(let op, let l, let r, _): return "(\(t(l)) \(op.rawValue) \(t(r)))"
    case .compare(let op, let l, let r): return "\(t(l)) \(op.rawValue) \(t(r))"
    case .and(let l, let r): return "(\(t(l)) AND \(t(r)))"
    case .or(let l, let r): return "(\(t(l)) OR \(t(r)))"
    case .isNull(let x, let n): return "\(t(x)) IS \(n ? "NOT " : "")NULL"
    case .inList(let x, let l, let n):
      return "\(t(x)) \(n ? "NOT " : "")IN (\(l.map(\.description).joined(separator: ", ")))"
    case .inCIDR(let x, let b, let n):
      return "\(t(x)) \(n ? "NOT " : "")IN (\(b.map { "'\($0)'" }.joined(separator: ", ")))"
    case .like(let x, let p, let n): return "\(t(x)) \(n ? "NOT " : "")LIKE '\(p.source)'"
    case .call(let f, let a, _): return "\(f.rawValue)(\(a.map(t).joined(separator: ", ")))"
    case .key(let i, _): return i < keys.count ? keys[i] : "key\(i)"
    case .aggregate(let i, _): return i < aggs.count ? aggs[i] : "agg\(i)"
    case .output(let i, _): return i < outs.count ? outs[i] : "out\(i)"
    }
  }
}
