import Foundation
import Storage

/// The reference dataset (`shared/bench/gen_ipfix.py`), loaded straight into columns.
///
/// The generator writes frames `[u32 LE length][IPFIX message]`, every message under template
/// 256 with a fixed 55-byte record layout (see the script). This loader knows that layout only;
/// the real decoder lives in `Ingest`.
public enum ReferenceDataset {
  /// The frames file, generating it with the shared script when missing.
  public static func path(records: Int = 3_000_000) throws -> String {
    if let p = ProcessInfo.processInfo.environment["FLOWSTORE_REF"] { return p }
    let path = "/tmp/flowstore-ref-\(records).dgrams"
    if FileManager.default.fileExists(atPath: path) { return path }
    let here = URL(fileURLWithPath: #filePath)
    let script = here.deletingLastPathComponent().appendingPathComponent(
      "../../../../shared/bench/gen_ipfix.py"
    ).standardized.path
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script, String(records), path]
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw CocoaError(.fileReadNoSuchFile) }
    return path
  }

  /// Loads the records as `flows` batches of at most `batchRows` rows (the decoder's unit).
  public static func load(path: String, batchRows: Int = 30_000) throws -> [ColumnBatch] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var batches: [ColumnBatch] = []
    var cols = Columns()
    data.withUnsafeBytes { raw in
      var off = 0
      while off + 4 <= raw.count {
        let len = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt32.self)))
        let msg = UnsafeRawBufferPointer(rebasing: raw[(off + 4)..<(off + 4 + len)])
        off += 4 + len
        var p = 16
        while p + 4 <= msg.count {
          let setID = be16(msg, p)
          let setLen = Int(be16(msg, p + 2))
          if setID == 256 {
            var r = p + 4
            while r + 55 <= p + setLen {
              cols.add(msg, r)
              r += 55
            }
          }
          p += max(4, setLen)
        }
        if cols.count >= batchRows {
          batches.append(cols.batch())
          cols = Columns()
        }
      }
    }
    if cols.count > 0 { batches.append(cols.batch()) }
    return batches
  }

  @inline(__always) static func be16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
    UInt16(bigEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))
  }
  @inline(__always) static func be32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
    UInt32(bigEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self))
  }
  @inline(__always) static func be64(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt64 {
    UInt64(bigEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self))
  }

  struct Columns {
    var count = 0
    var src: [IPAddress] = [], dst: [IPAddress] = []
    var start: [Int64] = [], end: [Int64] = []
    var bytes: [UInt64] = [], packets: [UInt64] = []
    var sport: [UInt16] = [], dport: [UInt16] = []
    var proto: [UInt8] = [], flags: [UInt8] = [], tos: [UInt8] = []
    var inIf: [UInt32] = [], outIf: [UInt32] = []

    mutating func add(_ m: UnsafeRawBufferPointer, _ r: Int) {
      src.append(IPAddress(v4: be32(m, r)))
      dst.append(IPAddress(v4: be32(m, r + 4)))
      start.append(Int64(be64(m, r + 8)))
      end.append(Int64(be64(m, r + 16)))
      bytes.append(be64(m, r + 24))
      packets.append(be64(m, r + 32))
      sport.append(be16(m, r + 40))
      dport.append(be16(m, r + 42))
      proto.append(m[r + 44])
      flags.append(m[r + 45])
      tos.append(m[r + 46])
      inIf.append(be32(m, r + 47))
      outIf.append(be32(m, r + 51))
      count += 1
    }

    func batch() -> ColumnBatch {
      try! ColumnBatch(
        schema: FlowSchema.flows, rowCount: count,
        columns: [
          "time": .init(.timestamp(start)), "end_time": .init(.timestamp(end)),
          "exporter": .init(.ip(Array(repeating: IPAddress(v4: 0x7F00_0001), count: count))),
          "domain": .init(.uint32(Array(repeating: 1, count: count))),
          "src_addr": .init(.ip(src)), "dst_addr": .init(.ip(dst)),
          "src_port": .init(.uint16(sport)), "dst_port": .init(.uint16(dport)),
          "proto": .init(.uint8(proto)), "tcp_flags": .init(.uint8(flags)),
          "tos": .init(.uint8(tos)),
          "bytes": .init(.uint64(bytes)), "packets": .init(.uint64(packets)),
          "in_if": .init(.uint32(inIf)), "out_if": .init(.uint32(outIf)),
          "sampling": .init(.uint32(Array(repeating: 1, count: count))),
        ])
    }
  }
}
