import Storage

/// Parses, plans and runs FlowQL statements against a ``TableProvider``.
///
/// ```swift
/// let engine = QueryEngine(provider: store)
/// let result = try engine.execute("SELECT dst_port, sum(bytes) FROM flows GROUP BY 1")
/// ```
public struct QueryEngine: Sendable {
  /// Where tables come from.
  public let provider: any TableProvider
  /// Batch size, parallelism and morsel size.
  public var options: ExecutionOptions

  /// Creates an engine.
  public init(provider: any TableProvider, options: ExecutionOptions = ExecutionOptions()) {
    self.provider = provider
    self.options = options
  }

  /// Runs one statement. `now` fixes `now()` (default: the current time); `cancel` stops it.
  ///
  /// - Throws: ``QueryError``; render it with ``QueryError/render(source:)``.
  public func execute(_ sql: String, now: Int64? = nil, cancel: CancellationFlag? = nil)
    throws(QueryError) -> QueryResult
  {
    let stmt = try Parser.parse(sql)
    switch try plan(stmt, now: now ?? SystemClock.wallMilliseconds()) {
    case .showTables:
      let schemas = try schemas()
      return QueryResult(
        columns: [
          ResultColumn(name: "table", type: .string), ResultColumn(name: "columns", type: .int),
        ],
        rows: schemas.map { [.string($0.name), .int(Int64($0.columns.count))] })
    case .describe(let schema):
      return QueryResult(
        columns: [
          ResultColumn(name: "column", type: .string), ResultColumn(name: "type", type: .string),
        ],
        rows: schema.columns.map { [.string($0.name), .string($0.type.description)] })
    case .explain(let p):
      let scan = try ScanOperator(
        plan: p, provider: provider, options: options, shift: 0, cancel: cancel)
      var baseline: ScanOperator?
      if let c = p.compare {
        baseline = try ScanOperator(
          plan: p, provider: provider, options: options, shift: c.shift, cancel: cancel)
      }
      let text = Explain.render(p, scan: scan, baseline: baseline)
      return QueryResult(
        columns: [ResultColumn(name: "plan", type: .string)],
        rows: text.split(separator: "\n").map { [.string(String($0))] }, stats: scan.stats)
    case .select(let p):
      return try run(p, cancel: cancel)
    }
  }

  /// Parses and binds a statement without running it.
  func plan(_ stmt: Statement, now: Int64) throws(QueryError) -> StatementPlan {
    switch stmt {
    case .showTables: return .showTables
    case .describe(let name, let loc): return .describe(try schema(name, loc))
    case .select(let s):
      var b = Binder(schema: try schema(s.table, s.tableLocation), now: now)
      return .select(try b.bindSelect(s))
    case .explain(let s):
      var b = Binder(schema: try schema(s.table, s.tableLocation), now: now)
      return .explain(try b.bindSelect(s))
    }
  }

  private func schemas() throws(QueryError) -> [TableSchema] {
    do {
      return try provider.tableSchemas()
    } catch let e as StorageError {
      throw .storage(e)
    } catch {
      throw .provider("\(error)")
    }
  }

  private func schema(_ name: String, _ loc: SourceLocation) throws(QueryError) -> TableSchema {
    let all = try schemas()
    guard let s = all.first(where: { $0.name == name }) else {
      throw .unknownTable(name, suggestion: closestName(to: name, in: all.map(\.name)), at: loc)
    }
    return s
  }

  private func run(_ p: SelectPlan, cancel: CancellationFlag?) throws(QueryError) -> QueryResult {
    let scan = try ScanOperator(
      plan: p, provider: provider, options: options, shift: 0, cancel: cancel)
    var stats = scan.stats
    let order = SortKeys(keys: p.orderBy)
    let visible = p.columns.count
    guard let agg = p.aggregation else {
      let topN = (!p.orderBy.isEmpty && p.limit != nil) ? TopN(order: order, limit: p.limit!) : nil
      var rows: [[Value]]
      if let topN, let found = try KeyFirstTopN.run(scan, topN: topN) {
        rows = found
      } else {
        rows = try ProjectOperator.run(scan, topN: topN, limit: p.orderBy.isEmpty ? p.limit : nil)
      }
      if topN == nil && !p.orderBy.isEmpty { rows = order.sort(rows) }
      if let l = p.limit, rows.count > l { rows = Array(rows.prefix(l)) }
      return QueryResult(
        columns: p.columns, rows: rows.map { Array($0.prefix(visible)) }, stats: stats)
    }
    let result = try AggregateOperator.run(scan, agg, alwaysOneGroup: true)
    let groups: [GroupRow]
    if p.compare == nil, p.having == nil, let l = p.limit,
      let top = GroupOrder(p, result)?.top(l)
    {
      // ORDER BY keys and aggregates with LIMIT: the best groups are picked by id, and only
      // they become rows.
      groups = top.map(result.row)
    } else {
      groups = result.canonicalGroups().map(result.row)
    }
    var baseline: [[Value]: [Value]]?
    if let c = p.compare {
      let bscan = try ScanOperator(
        plan: p, provider: provider, options: options, shift: c.shift, cancel: cancel)
      stats.add(bscan.stats)
      let bresult = try AggregateOperator.run(bscan, agg, alwaysOneGroup: false)
      let bgroups = bresult.groups.map(bresult.row)
      baseline = Dictionary(
        bgroups.map { ($0.keys, $0.aggregates) }, uniquingKeysWith: { a, _ in a })
    }
    let selectCount = p.compare?.selectCount ?? visible
    var rows: [[Value]] = []
    for g in groups {
      var ev = ScalarEvaluator(keys: g.keys, aggregates: g.aggregates)
      var out = p.projections[0..<selectCount].map { ev.evaluate($0) }
      if let c = p.compare, let baseline {
        let base = baseline[g.keys]
        var bev = ScalarEvaluator(keys: g.keys, aggregates: base ?? [])
        for i in c.aggregateOutputs {
          let b = base == nil ? Value.null : bev.evaluate(p.projections[i])
          out.append(b)
          out.append(Compare.change(out[i], b))
        }
        bev.outputs = []
        out.append(.bool(base == nil))
      }
      ev.outputs = out
      if let h = p.having, ev.evaluate(h) != .bool(true) { continue }
      for e in p.projections[selectCount...] { out.append(ev.evaluate(e)) }
      rows.append(out)
    }
    if !p.orderBy.isEmpty {
      if let l = p.limit, l < rows.count {
        var heap = TopN(order: order, limit: l)
        for (i, r) in rows.enumerated() { heap.insert(r, seq: i) }
        rows = heap.sorted()
      } else {
        rows = order.sort(rows)
      }
    }
    if let l = p.limit, rows.count > l { rows = Array(rows.prefix(l)) }
    return QueryResult(
      columns: p.columns, rows: rows.map { Array($0.prefix(visible)) }, stats: stats)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
