import Storage

/// Packing key vectors into layout words, and reading fields back.
extension KeyLayout {
  /// Writes the packed keys of the selected rows into `out` (`words` words a row, zeroed
  /// first). `stringIDs[c]` holds the interned ids of string column `c`, aligned with `sel`.
  func pack(
    _ keys: [Vec], _ sel: Selection, stringIDs: [[Int32]], into out: inout [UInt64]
  ) {
    let w = words
    let n = sel.count
    if out.count < n * w { out = [UInt64](repeating: 0, count: n * w) }
    out.withUnsafeMutableBufferPointer { o in
      for k in 0..<(n * w) { o[k] = 0 }
      sel.indices.withUnsafeBufferPointer { idx in
        let rows: UnsafeBufferPointer<Int32>? = sel.all ? nil : idx
        for (c, v) in keys.enumerated() {
          let f = value[c]
          let col = columns[c]
          switch v.data {
          case .u8(let a): a.withUnsafeBufferPointer { orField($0, rows, n, o, w, f) }
          case .u16(let a): a.withUnsafeBufferPointer { orField($0, rows, n, o, w, f) }
          case .u32(let a): a.withUnsafeBufferPointer { orField($0, rows, n, o, w, f) }
          case .u64(let a): a.withUnsafeBufferPointer { orField($0, rows, n, o, w, f) }
          case .int(let a): a.withUnsafeBufferPointer { orField($0, rows, n, o, w, f) }
          case .bool(let a):
            for j in 0..<n where a[rows.map { Int($0[j]) } ?? j] {
              o[j * w + f.word] |= 1 << UInt64(f.shift)
            }
          case .float(let a):
            for j in 0..<n {
              let x = a[rows.map { Int($0[j]) } ?? j]
              o[j * w + f.word] = x == 0 ? 0 : x.isNaN ? Double.nan.bitPattern : x.bitPattern
            }
          case .string, .codes:
            stringIDs[c].withUnsafeBufferPointer { ids in
              // NULL rows (id -1) are cleared below, with their flag set.
              let m = f.mask
              let s = UInt64(f.shift)
              for j in 0..<n { o[j * w + f.word] |= (UInt64(UInt32(bitPattern: ids[j])) & m) << s }
            }
          case .v4(let a):
            a.withUnsafeBufferPointer { p in
              if col.wideAddresses {
                for j in 0..<n {
                  o[j * w + f.word] = 0
                  o[j * w + f.word + 1] =
                    0x0000_FFFF_0000_0000 | UInt64(p[rows.map { Int($0[j]) } ?? j])
                }
              } else {
                orField(p, rows, n, o, w, f)
              }
            }
          case .ip(let a):
            a.withUnsafeBufferPointer { p in
              if col.wideAddresses {
                for j in 0..<n {
                  let x = p[rows.map { Int($0[j]) } ?? j]
                  o[j * w + f.word] = x.high
                  o[j * w + f.word + 1] = x.low
                }
              } else {
                let s = UInt64(f.shift)
                for j in 0..<n {
                  o[j * w + f.word] |= (p[rows.map { Int($0[j]) } ?? j].low & 0xFFFF_FFFF) << s
                }
              }
            }
          }
          guard let valid = v.valid, let nf = null[c] else { continue }
          // NULL rows: value field cleared, flag set.
          let span = col.kind == .ip && col.wideAddresses ? 2 : 1
          for j in 0..<n where !valid[rows.map { Int($0[j]) } ?? j] {
            for s in 0..<span where f.bits >= 64 || s > 0 { o[j * w + f.word + s] = 0 }
            if f.bits < 64 { o[j * w + f.word] &= ~(f.mask << UInt64(f.shift)) }
            o[j * w + nf.word] |= 1 << UInt64(nf.shift)
          }
        }
      }
    }
  }

  /// Column `c` of the key at `p`: whether it is NULL, and its value as two words (an address's
  /// halves; any other value in `low`, a string as its id).
  @inline(__always) func field(_ p: UnsafePointer<UInt64>, _ c: Int) -> (
    isNull: Bool, high: UInt64, low: UInt64
  ) {
    if let nf = null[c], (p[nf.word] >> UInt64(nf.shift)) & 1 != 0 { return (true, 0, 0) }
    let f = value[c]
    let col = columns[c]
    if col.kind == .ip {
      if col.wideAddresses { return (false, p[f.word], p[f.word + 1]) }
      return (false, 0, 0x0000_FFFF_0000_0000 | ((p[f.word] >> UInt64(f.shift)) & f.mask))
    }
    return (false, 0, (p[f.word] >> UInt64(f.shift)) & f.mask)
  }

  /// Writes column `c`'s field (as ``field(_:_:)`` reads it) into the zeroed key at `p`.
  @inline(__always) func setField(
    _ p: UnsafeMutablePointer<UInt64>, _ c: Int, _ v: (isNull: Bool, high: UInt64, low: UInt64)
  ) {
    if v.isNull {
      let nf = null[c]!
      p[nf.word] |= 1 << UInt64(nf.shift)
      return
    }
    let f = value[c]
    let col = columns[c]
    if col.kind == .ip && col.wideAddresses {
      p[f.word] = v.high
      p[f.word + 1] = v.low
    } else if col.kind == .ip {
      p[f.word] |= (v.low & 0xFFFF_FFFF) << UInt64(f.shift)
    } else {
      p[f.word] |= (v.low & f.mask) << UInt64(f.shift)
    }
  }
}

/// ORs the selected values of one integer column into a field of every packed key.
@inline(__always) private func orField<T: FixedWidthInteger>(
  _ a: UnsafeBufferPointer<T>, _ rows: UnsafeBufferPointer<Int32>?, _ n: Int,
  _ o: UnsafeMutableBufferPointer<UInt64>, _ w: Int, _ f: KeyField
) {
  let s = UInt64(f.shift)
  let m = f.mask
  if let rows {
    for j in 0..<n { o[j * w + f.word] |= (UInt64(truncatingIfNeeded: a[Int(rows[j])]) & m) << s }
  } else if w == 1 {
    for j in 0..<n { o[j] |= (UInt64(truncatingIfNeeded: a[j]) & m) << s }
  } else {
    for j in 0..<n { o[j * w + f.word] |= (UInt64(truncatingIfNeeded: a[j]) & m) << s }
  }
}
