import Storage

/// The per-group state of one aggregate, stored column-wise (one array per field, indexed by
/// group id) and updated a batch at a time by loops specialised for the argument's type.
protocol AggregateState: AnyObject {
  /// Makes room for group ids below `n`.
  func resize(_ n: Int)
  /// Folds the selected rows in: `gids[j]` is the group of the `j`-th selected row.
  func update(_ gids: [Int32], _ sel: Selection, _ arg: Vec?)
  /// Marks the end of morsel `m` (states whose result depends on the order of additions, float
  /// sums, keep one partial per morsel and add them in morsel order at the end).
  func endMorsel(_ m: Int)
  /// Folds in another partial state; `map[g]` is the id here of its group `g`.
  func merge(_ other: any AggregateState, _ map: [Int32])
  /// Called once after the last update or merge, before ``value(_:)``.
  func finish()
  /// The final value of group `g`.
  func value(_ g: Int) -> Value
  /// The final integer values of every group (nil where NULL), when the aggregate is an
  /// integer: the fast path of ORDER BY over groups.
  func integerValues() -> (values: [Int64], present: [Bool])?
  /// The bytes the state holds beyond its fixed per-group arrays (sets, kept values, sketches).
  var memoryBytes: Int { get }
}

extension AggregateState {
  func endMorsel(_ m: Int) {}
  func finish() {}
  func integerValues() -> (values: [Int64], present: [Bool])? { nil }
  var memoryBytes: Int { 0 }
}

/// Creates the state for an aggregate.
func makeAggregateState(_ spec: AggregateSpec) -> any AggregateState {
  let argType = spec.argument?.type ?? .int
  switch spec.kind {
  case .countStar: return CountState(star: true)
  case .count: return CountState(star: false)
  case .sum: return argType == .float ? FloatSumState() : IntSumState(type: spec.type)
  case .avg: return AvgState()
  case .min, .max: return makeMinMax(isMin: spec.kind == .min, type: argType)
  case .countDistinct: return DistinctState(type: argType)
  case .approxCountDistinct: return HyperLogLogState(type: argType)
  case .quantile(let q):
    return QuantileState(q: q, type: argType)
  }
}

/// Iterates the selected rows as (position in selection, row index).
@inline(__always) func forEachSelected(_ sel: Selection, _ body: (Int, Int) -> Void) {
  if sel.all {
    for i in 0..<sel.count { body(i, i) }
  } else {
    sel.indices.withUnsafeBufferPointer { p in
      for j in 0..<p.count { body(j, Int(p[j])) }
    }
  }
}

/// Iterates the selected rows that are not NULL in `valid`, as (position in selection, row).
@inline(__always) func forEachValid(_ sel: Selection, _ valid: [Bool]?, _ body: (Int, Int) -> Void)
{
  guard let valid else { return forEachSelected(sel, body) }
  valid.withUnsafeBufferPointer { v in
    forEachSelected(sel) { j, i in if v[i] { body(j, i) } }
  }
}

/// Grows `a` to `n` elements of `zero`.
@inline(__always) func grow<T>(_ a: inout [T], to n: Int, with zero: T) {
  if a.count < n { a.append(contentsOf: repeatElement(zero, count: n - a.count)) }
}
