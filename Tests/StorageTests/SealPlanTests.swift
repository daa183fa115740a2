import TestSupport
import Testing

@testable import Storage

/// Sealing straight from the appended batches, checked against sealing the same rows gathered
/// into one batch first (the plain path, which copies every row).
@Suite struct SealPlanTests {
  static let hour: Int64 = 3_600_000

  /// Time-ordered batches of uneven sizes (one of a single row), with NULLs in some, that
  /// cross partition boundaries; blocks span batch ends.
  static func orderedParts() -> [ColumnBatch] {
    var parts: [ColumnBatch] = []
    var start: Int64 = 1_795_737_600_000 - hour / 2
    for (k, n) in [40_000, 1, 70_000, 16_384, 5_000, 33_333, 2].enumerated() {
      let raw = randomFlows(
        rows: n, seed: UInt64(100 + k), start: start, span: hour / 3,
        nullRate: k % 2 == 0 ? 0.1 : 0)
      guard case .timestamp(let t) = raw.columns[0]!.values else { continue }
      let order = t.indices.sorted { t[$0] < t[$1] }
      var cols = raw.columns.map { $0?.gather(order) }
      // A column present in some batches only.
      if k % 3 == 1 { cols[raw.schema.index(of: "in_if")!] = nil }
      parts.append(ColumnBatch(schema: raw.schema, rowCount: n, positional: cols))
      start += hour / 3
    }
    return parts
  }

  /// Every segment of the plan encodes to the same bytes as the gathered rows' partition.
  @Test func segmentsMatchGatheredRows() {
    let parts = Self.orderedParts()
    let schema = FlowSchema.flows
    let plan = SealPlan.segments(of: parts, schema: schema, width: Self.hour, blockRows: 16_384)
    let all = FlowStore.concatenate(parts, schema: schema)
    let expected = FlowStore.partitions(all, width: Self.hour)
    #expect(plan.count == expected.count)
    #expect(plan.count >= 3)
    #expect(plan.contains { $0.blocks.contains { $0.pieces.count > 1 } })
    for (segment, (k, batch, rows)) in zip(plan, expected) {
      #expect(segment.partition == k)
      #expect(segment.blocks.reduce(0) { $0 + $1.rowCount } == rows.count)
      let direct = SegmentWriter.encode(segment.blocks, schema: schema, threads: 2).bytes
      let gathered = SegmentWriter.encode(batch, rows: rows, blockRows: 16_384).bytes
      #expect(direct == gathered)
    }
  }

  /// Batches out of time order (within one, or one starting before the previous ended) take
  /// the gathering path, which sorts.
  @Test func unorderedBatchesAreGathered() {
    let parts = Self.orderedParts()
    let schema = FlowSchema.flows
    #expect(SealPlan.sortedRuns(parts, schema: schema, width: Self.hour) != nil)
    #expect(SealPlan.sortedRuns(parts.reversed(), schema: schema, width: Self.hour) == nil)
    let shuffled = randomFlows(rows: 5_000, seed: 9, nullRate: 0)
    #expect(SealPlan.sortedRuns([shuffled], schema: schema, width: Self.hour) == nil)
    let plan = SealPlan.segments(
      of: [shuffled], schema: schema, width: Self.hour, blockRows: 1_000)
    #expect(plan.reduce(0) { $0 + $1.blocks.reduce(0) { $0 + $1.rowCount } } == 5_000)
    for segment in plan {
      for block in segment.blocks {
        let (batch, rows) = block.materialized()
        guard case .timestamp(let t) = batch.columns[0]!.values else { continue }
        #expect(zip(t[rows], t[rows].dropFirst()).allSatisfy { $0 <= $1 })
        #expect(
          t[rows].allSatisfy { FlowStore.partition(of: $0, width: Self.hour) == segment.partition })
      }
    }
  }

  /// Large batches are held as appended (no copy), small ones gathered; either way the rows
  /// read back in append order.
  @Test func activeRowsHoldLargeBatches() {
    var rows = ActiveRows(schema: FlowSchema.flows)
    let sizes = [3, 40_000, 7, 9, 32_768, 1]
    let batches = sizes.enumerated().map { randomFlows(rows: $1, seed: UInt64($0), nullRate: 0.05) }
    for b in batches { rows.append(b) }
    #expect(rows.rowCount == sizes.reduce(0, +))
    // 3 | 40000 | 7+9 | 32768 | 1
    #expect(rows.batches.map(\.rowCount) == [3, 40_000, 16, 32_768, 1])
    #expect(rows.batches[1] == batches[1])
    #expect(rowsOf(rows.batch) == batches.flatMap(rowsOf))
  }
}
