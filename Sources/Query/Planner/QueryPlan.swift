import Storage

/// A column of the result.
public struct ResultColumn: Sendable, Equatable {
  /// The column name (alias, or the expression text).
  public var name: String
  /// The column type.
  public var type: DataType
}

/// How a SELECT is executed: the scan, its pushed-down filter and pruning, the aggregation if
/// any, and the post-processing.
struct SelectPlan: Sendable {
  var table: String
  var schema: TableSchema
  /// Schema positions read by the scan, by slot.
  var scanColumns: [Int]
  /// Filter conjuncts over scan slots, evaluated in the scan.
  var filter: [BoundExpr]
  /// The time range implied by the filter (ms, half-open), passed to the snapshot.
  var timeRange: Range<Int64>?
  /// Block pruning tests against zone maps.
  var zoneTests: [ZoneTest]
  /// The aggregation, or nil for a plain projection.
  var aggregation: AggregationPlan?
  /// The computed columns of each result row: the visible columns, then COMPARE columns, then
  /// hidden ORDER BY keys. Over scan slots without aggregation, else over keys/aggregates.
  var projections: [BoundExpr]
  /// Names and types of the visible columns (COMPARE columns included).
  var columns: [ResultColumn]
  /// HAVING, over keys/aggregates/outputs.
  var having: BoundExpr?
  /// Sort keys: index into the extended row, descending flag.
  var orderBy: [(index: Int, descending: Bool)]
  var limit: Int?
  /// COMPARE WITH: the shift in ms and which projections are aggregate columns.
  var compare: ComparePlan?
  /// The slot of the `time` column when it is scanned (for the COMPARE shift).
  var timeSlot: Int?
}

/// The aggregation part of a plan.
struct AggregationPlan: Sendable {
  /// Group key expressions over scan slots.
  var keys: [BoundExpr]
  /// The aggregates.
  var aggregates: [AggregateSpec]
}

/// `COMPARE WITH d AGO`.
struct ComparePlan: Sendable {
  /// d in ms.
  var shift: Int64
  /// Projections (visible) that contain an aggregate, in order; each gains baseline and change.
  var aggregateOutputs: [Int]
  /// Number of select-list columns (before the COMPARE columns).
  var selectCount: Int
}

/// A plan for any statement.
enum StatementPlan: Sendable {
  case select(SelectPlan)
  case explain(SelectPlan)
  case showTables
  case describe(TableSchema)
}
