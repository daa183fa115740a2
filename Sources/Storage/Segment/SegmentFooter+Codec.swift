extension SegmentFooter {
  /// Serialises the footer.
  func encoded() -> [UInt8] {
    var w = ByteWriter(capacity: 64 + blocks.count * columns.count * 48)
    w.u16(SegmentFormat.footerVersion)
    w.string(table)
    w.u32(UInt32(schemaVersion))
    w.u32(UInt32(columns.count))
    for c in columns {
      w.string(c.name)
      w.u8(c.type.rawValue)
    }
    w.u32(UInt32(blocks.count))
    for b in blocks {
      w.u32(UInt32(b.rows))
      for c in b.chunks {
        w.u64(c.offset)
        w.u32(c.storedLength)
        w.u32(c.rawLength)
        w.u8(c.compression)
        w.u64(c.checksum)
        w.u32(UInt32(c.zone.nullCount))
        switch c.zone.bounds {
        case .none: w.u8(0)
        case .unsigned(let lo, let hi):
          w.u8(1)
          w.u64(lo)
          w.u64(hi)
        case .signed(let lo, let hi):
          w.u8(2)
          w.i64(lo)
          w.i64(hi)
        case .ip(let lo, let hi):
          w.u8(3)
          for v in [lo.high, lo.low, hi.high, hi.low] { w.u64(v) }
        }
      }
    }
    return w.bytes
  }

  /// Parses a footer.
  init(decoding bytes: UnsafeRawBufferPointer) throws(ByteReader.Truncated) {
    var r = ByteReader(bytes)
    guard try r.u16() == SegmentFormat.footerVersion else { throw ByteReader.Truncated() }
    table = try r.string()
    schemaVersion = Int(try r.u32())
    let nc = Int(try r.u32())
    guard nc <= 4096 else { throw ByteReader.Truncated() }
    columns = []
    for _ in 0..<nc {
      let name = try r.string()
      guard let t = ColumnType(rawValue: try r.u8()) else { throw ByteReader.Truncated() }
      columns.append((name, t))
    }
    let nb = Int(try r.u32())
    guard nb <= r.remaining else { throw ByteReader.Truncated() }
    blocks = []
    blocks.reserveCapacity(nb)
    for _ in 0..<nb {
      let rows = Int(try r.u32())
      var chunks: [ChunkMeta] = []
      chunks.reserveCapacity(nc)
      for _ in 0..<nc {
        let offset = try r.u64()
        let stored = try r.u32()
        let raw = try r.u32()
        let comp = try r.u8()
        let sum = try r.u64()
        let nulls = Int(try r.u32())
        let bounds: ZoneMap.Bounds
        switch try r.u8() {
        case 0: bounds = .none
        case 1: bounds = .unsigned(min: try r.u64(), max: try r.u64())
        case 2: bounds = .signed(min: try r.i64(), max: try r.i64())
        case 3:
          let a = try r.u64()
          let b = try r.u64()
          let c = try r.u64()
          let d = try r.u64()
          bounds = .ip(min: IPAddress(high: a, low: b), max: IPAddress(high: c, low: d))
        default: throw ByteReader.Truncated()
        }
        chunks.append(
          ChunkMeta(
            offset: offset, storedLength: stored, rawLength: raw, compression: comp, checksum: sum,
            zone: ZoneMap(bounds: bounds, nullCount: nulls, rowCount: rows)))
      }
      blocks.append(BlockMeta(rows: rows, chunks: chunks))
    }
  }
}
