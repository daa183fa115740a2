import Foundation
import Storage

/// Everything a data directory's `flows` table holds, read back through ``StoreReader`` (the
/// same path `flowstore query` uses).
public func storedFlows(_ directory: String) throws -> [ColumnBatch] {
  let reader = try StoreReader(directory: directory)
  let snap = try reader.snapshot(table: FlowSchema.flows.name)
  let all = Array(snap.schema.columns.indices)
  return try snap.units.map { unit in
    let vectors = try unit.read(columns: all)
    var columns: [String: ColumnVector] = [:]
    for (i, c) in snap.schema.columns.enumerated() { columns[c.name] = vectors[i] }
    return try ColumnBatch(schema: snap.schema, rowCount: unit.rowCount, columns: columns)
  }
}

/// Flow count, packet and byte sums, and per (proto, dst port) sums.
public struct FlowTotals: Equatable, CustomStringConvertible {
  public var flows = 0
  public var packets: UInt64 = 0
  public var bytes: UInt64 = 0
  public var byPort: [String: [UInt64]] = [:]

  public mutating func add(proto: UInt64, port: UInt64, packets p: UInt64, bytes b: UInt64) {
    flows += 1
    packets += p
    bytes += b
    var v = byPort["\(proto)/\(port)", default: [0, 0, 0]]
    v[0] += 1
    v[1] += p
    v[2] += b
    byPort["\(proto)/\(port)"] = v
  }

  public init() {}

  /// The totals of stored batches.
  public init(_ batches: [ColumnBatch]) {
    for b in batches {
      let proto = b.ints("proto")
      let port = b.ints("dst_port")
      let packets = b.ints("packets")
      let bytes = b.ints("bytes")
      for i in 0..<b.rowCount {
        add(
          proto: proto[i] ?? 0, port: port[i] ?? 0, packets: packets[i] ?? 0, bytes: bytes[i] ?? 0)
      }
    }
  }

  public var description: String {
    "flows \(flows) packets \(packets) bytes \(bytes) \(byPort.sorted { $0.key < $1.key })"
  }
}
