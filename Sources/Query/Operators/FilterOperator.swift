import Storage

/// Applies filter conjuncts to a batch, narrowing a selection vector one conjunct at a time.
///
/// `column <op> constant` on stored integer, timestamp and address columns runs as a loop
/// specialised for the column's physical type over the rows still selected; anything else is
/// evaluated for the batch and folded into the selection.
enum FilterOperator {
  static func select(_ conjuncts: [BoundExpr], _ b: Batch, _ cache: EvalCache? = nil) -> Selection {
    var sel = Selection.all(b.count)
    for c in conjuncts {
      if sel.count == 0 { return sel }
      if let z = b.zones, ZoneProof.holdsForEveryRow(c, z) { continue }
      if refineFast(c, b, &sel) { continue }
      let v = VectorEvaluator.evaluate(c, b, cache)
      let x = v.bools()
      if let valid = v.valid {
        sel = refine(sel) { i in x[i] & valid[i] }
      } else {
        sel = refine(sel) { i in x[i] }
      }
    }
    return sel
  }

  /// The selected rows that `keep`, appended without a branch a row (a row's test is usually
  /// unpredictable: a branch on it costs a misprediction for every other row).
  @inline(__always) private static func refine(_ sel: Selection, _ keep: (Int) -> Bool)
    -> Selection
  {
    var out = [Int32](repeating: 0, count: sel.count)
    var k = 0
    out.withUnsafeMutableBufferPointer { o in
      if sel.all {
        for i in 0..<sel.count {
          o[k] = Int32(i)
          k &+= bit(keep(i))
        }
      } else {
        for i in sel.indices {
          o[k] = i
          k &+= bit(keep(Int(i)))
        }
      }
    }
    out.removeLast(out.count - k)
    return Selection(all: false, indices: out, count: k)
  }

  /// Handles `column op constant`; false when the conjunct has another shape.
  private static func refineFast(_ c0: BoundExpr, _ b: Batch, _ sel: inout Selection) -> Bool {
    // NOT over a comparison, IN or CIDR test is the negated test (NULL stays NULL either way).
    var c = c0
    switch c0 {
    case .not(.inCIDR(let x, let blocks, let neg)): c = .inCIDR(x, blocks, negated: !neg)
    case .not(.inList(let x, let list, let neg)) where !list.contains(where: \.isNull):
      c = .inList(x, list, negated: !neg)
    case .not(.compare(let op, let l, let r)): c = .compare(op.negated, l, r)
    default: break
    }
    guard case .compare(var op, var l, var r) = c else {
      if case .inCIDR(.column(let s, _), let blocks, let neg) = c {
        let v = b.columns[s]
        if case .v4(let a) = v.data {
          // The blocks' parts inside the IPv4 space, as host-order ranges.
          let lo4 = IPAddress(v4: 0)
          let hi4 = IPAddress(v4: UInt32.max)
          let ranges: [(UInt32, UInt32)] = blocks.compactMap { blk in
            let a = max(blk.network, lo4)
            let b = min(blk.last, hi4)
            return a <= b
              ? (UInt32(truncatingIfNeeded: a.low), UInt32(truncatingIfNeeded: b.low)) : nil
          }
          sel = inRanges(a, v.valid, sel, ranges, negated: neg)
        } else {
          sel = inRanges(v.ips(), v.valid, sel, blocks.map { ($0.network, $0.last) }, negated: neg)
        }
        return true
      }
      if case .inList(.column(let s, _), let list, let neg) = c {
        return refineInList(b.columns[s], list, neg, &sel)
      }
      return false
    }
    if case .constant = l { (l, r, op) = (r, l, op.flipped) }
    guard case .column(let s, let t) = l, case .constant(let k, _) = r else { return false }
    if k.isNull {
      sel = Selection(all: false, indices: [], count: 0)
      return true
    }
    let v = b.columns[s]
    switch (v.data, k) {
    case (.u8(let a), .int(let x)): sel = scan(a, v.valid, op, x, sel)
    case (.u16(let a), .int(let x)): sel = scan(a, v.valid, op, x, sel)
    case (.u32(let a), .int(let x)): sel = scan(a, v.valid, op, x, sel)
    case (.u64(let a), .int(let x)): sel = scan(a, v.valid, op, x, sel)
    case (.int(let a), .int(let x)), (.int(let a), .timestamp(let x)),
      (.int(let a), .duration(let x)):
      sel = scan(a, v.valid, op, x, sel)
    case (.v4(let a), .ip(let x)) where x.isV4:
      // IPv4-mapped addresses order as their host-order values.
      sel = scan(a, v.valid, op, Int64(x.v4!), sel)
    case (.ip(let a), .ip(let x)):
      sel = refine(sel) { i in v.isValid(i) && op.holds(a[i] < x ? -1 : a[i] == x ? 0 : 1) }
    case (.codes, .string(let x)) where t == .string:
      // Once per dictionary entry, then a lookup per row.
      let pass = v.perRow { op.holds($0 < x ? -1 : $0 == x ? 0 : 1) }
      sel = refine(sel) { i in pass[i] & v.isValid(i) }
    case (.string(let a), .string(let x)) where t == .string:
      // Once per distinct string of the batch, not per row.
      let pass = mapStrings(a) { op.holds($0 < x ? -1 : $0 == x ? 0 : 1) }
      sel = refine(sel) { i in pass[i] & v.isValid(i) }
    default:
      return false
    }
    return true
  }

  /// `column IN (integer constants)` on a stored integer column: a presence table over the
  /// constants for one- and two-byte columns, a scan of the few constants otherwise. False for
  /// other shapes (NULL or non-integer constants).
  private static func refineInList(
    _ v: Vec, _ list: [Value], _ neg: Bool, _ sel: inout Selection
  ) -> Bool {
    guard !list.isEmpty, list.allSatisfy({ $0.type == .int }) else { return false }
    let xs = list.map { $0.intValue! }
    func table(_ size: Int) -> [Bool] {
      var t = [Bool](repeating: neg, count: size)
      for x in xs where x >= 0 && x < size { t[Int(x)] = !neg }
      return t
    }
    switch v.data {
    case .u8(let a):
      let t = table(256)
      sel = refine(sel) { i in t[Int(a[i])] & v.isValid(i) }
    case .u16(let a):
      let t = table(65536)
      sel = refine(sel) { i in t[Int(a[i])] & v.isValid(i) }
    case .u32, .u64, .int:
      let a = v.ints()
      sel = refine(sel) { i in (xs.contains(a[i]) != neg) & v.isValid(i) }
    default:
      return false
    }
    return true
  }

  /// One specialised loop per physical integer type and operator.
  @inline(__always) private static func scan<T: FixedWidthInteger>(
    _ a: [T], _ valid: [Bool]?, _ op: ComparisonOperator, _ x: Int64, _ sel: Selection
  ) -> Selection {
    switch op {
    case .equal: return loop(a, valid, sel) { $0 == x }
    case .notEqual: return loop(a, valid, sel) { $0 != x }
    case .less: return loop(a, valid, sel) { $0 < x }
    case .lessEqual: return loop(a, valid, sel) { $0 <= x }
    case .greater: return loop(a, valid, sel) { $0 > x }
    case .greaterEqual: return loop(a, valid, sel) { $0 >= x }
    }
  }

  @inline(__always) private static func loop<T: FixedWidthInteger>(
    _ a: [T], _ valid: [Bool]?, _ sel: Selection, _ pred: (Int64) -> Bool
  ) -> Selection {
    loopValues(a, valid, sel) { pred(Int64(truncatingIfNeeded: $0)) }
  }

  /// The selected, non-NULL rows whose value lies in one of the closed ranges (`negated`: in
  /// none); one range is a branch-free test per row.
  @inline(__always) private static func inRanges<T: RangeTestable>(
    _ a: [T], _ valid: [Bool]?, _ sel: Selection, _ ranges: [(T, T)], negated neg: Bool
  ) -> Selection {
    if ranges.count == 1 {
      let (lo, span) = (ranges[0].0, T.span(ranges[0].0, ranges[0].1))
      return loopValues(a, valid, sel) { x in x.inSpan(from: lo, span) != neg }
    }
    let spans = ranges.map { ($0.0, T.span($0.0, $0.1)) }
    return loopValues(a, valid, sel) { x in spans.contains { x.inSpan(from: $0.0, $0.1) } != neg }
  }

  /// The selected, non-NULL rows whose value passes `pred`, appended without a branch a row.
  @inline(__always) private static func loopValues<T>(
    _ a: [T], _ valid: [Bool]?, _ sel: Selection, _ pred: (T) -> Bool
  ) -> Selection {
    var out = [Int32](repeating: 0, count: sel.count)
    var k = 0
    a.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        if let valid {
          // A NULL row's value is a placeholder of the type: testing it is harmless.
          valid.withUnsafeBufferPointer { v in
            if sel.all {
              for i in 0..<sel.count {
                o[k] = Int32(i)
                k &+= bit(v[i] & pred(p[i]))
              }
            } else {
              for i in sel.indices {
                o[k] = i
                k &+= bit(v[Int(i)] & pred(p[Int(i)]))
              }
            }
          }
        } else if sel.all {
          for i in 0..<sel.count {
            // Branch-free append: write always, advance when the row passes.
            o[k] = Int32(i)
            k &+= bit(pred(p[i]))
          }
        } else {
          for i in sel.indices {
            o[k] = i
            k &+= bit(pred(p[Int(i)]))
          }
        }
      }
    }
    out.removeLast(out.count - k)
    return Selection(all: false, indices: out, count: k)
  }
}
