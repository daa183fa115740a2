import Storage

/// Where a run of fixed-length records lies: the first record and the distance between two.
struct RecordRun {
  /// The first record.
  let base: UnsafeRawPointer
  /// Bytes per record.
  let stride: Int
  /// Records in the run.
  let count: Int
}

/// A column source that reads one value from every record of a run.
protocol RunSource: ColumnSource {
  /// The records read.
  var run: RecordRun { get }
}

extension RunSource {
  var count: Int { run.count }
}

/// An integer field of every record of a run, big-endian, truncated to `Value` (as
/// ``FlowRecord/set(_:_:_:_:)`` does) and masked with `mask`.
struct IntegerField<Value: FixedWidthInteger>: RunSource {
  let run: RecordRun
  let field: FieldSource
  var mask: Value = ~0

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<Value>) {
    let p = run.base + field.offset
    let n = run.count
    let stride = run.stride
    switch field.length {
    case 1:
      for i in 0..<n { dst[i] = Value(truncatingIfNeeded: BigEndian.u8(p, i &* stride)) }
    case 2:
      for i in 0..<n { dst[i] = Value(truncatingIfNeeded: BigEndian.u16(p, i &* stride)) }
    case 4:
      for i in 0..<n { dst[i] = Value(truncatingIfNeeded: BigEndian.u32(p, i &* stride)) }
    case 8:
      for i in 0..<n { dst[i] = Value(truncatingIfNeeded: BigEndian.u64(p, i &* stride)) }
    default:
      let l = field.length
      for i in 0..<n { dst[i] = Value(truncatingIfNeeded: BigEndian.uint(p, i &* stride, l)) }
    }
    let all: Value = ~0  // typed: `mask != ~0` would compare with the Int -1
    if mask != all { for i in 0..<n { dst[i] &= mask } }
  }
}

/// The addresses of a run from an IPv4 field, an IPv6 field or both; with both, a non-zero
/// IPv6 address wins over a zero IPv4 one (``FlowRecord/source``).
struct AddressField: RunSource {
  let run: RecordRun
  let source: AddressSource

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<IPAddress>) {
    let p = run.base
    let stride = run.stride
    switch (source.v4, source.v6) {
    case (let o4?, nil):
      for i in 0..<run.count { dst[i] = IPAddress(v4: BigEndian.u32(p, i &* stride &+ o4)) }
    case (nil, let o6?):
      for i in 0..<run.count { dst[i] = Self.v6(p, i &* stride &+ o6) }
    case (let o4?, let o6?):
      for i in 0..<run.count {
        let v4 = BigEndian.u32(p, i &* stride &+ o4)
        let a = Self.v6(p, i &* stride &+ o6)
        dst[i] = a != .zero && v4 == 0 ? a : IPAddress(v4: v4)
      }
    case (nil, nil):
      for i in 0..<run.count { dst[i] = .zero }
    }
  }

  @inline(__always)
  static func v6(_ p: UnsafeRawPointer, _ offset: Int) -> IPAddress {
    let (h, l) = BigEndian.ipv6(p, offset)
    return IPAddress(high: h, low: l)
  }
}

/// An absolute time field of every record of a run, in ms since the epoch (converted like
/// ``FlowRecord/set(_:_:_:_:)``).
struct TimeField: RunSource {
  let run: RecordRun
  let time: TimeSource

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<Int64>) {
    IntegerField<Int64>(run: run, field: time.field).write(dst)
    switch time.unit {
    case .seconds: for i in 0..<run.count { dst[i] = dst[i] &* 1000 }
    case .millis: break
    case .ntp:
      for i in 0..<run.count { dst[i] = FlowRecord.ntpMillis(UInt64(bitPattern: dst[i])) }
    }
  }

  /// The time of the record at byte offset `offset` of the run.
  @inline(__always)
  static func millis(_ t: TimeSource, _ p: UnsafeRawPointer, _ offset: Int) -> Int64 {
    let v = BigEndian.uint(p, offset + t.field.offset, t.field.length)
    switch t.unit {
    case .seconds: return Int64(truncatingIfNeeded: v &* 1000)
    case .millis: return Int64(truncatingIfNeeded: v)
    case .ntp: return FlowRecord.ntpMillis(v)
    }
  }
}

/// A sysUpTime-relative time field of every record of a run, resolved against the NetFlow v9
/// header uptime exactly as ``FlowDecoder/resolveTimes(_:ctx:systemInit:unanchored:)`` does
/// when the record has no absolute time: boot time (export time - sysUptime) plus the uptime.
struct UptimeField: RunSource {
  let run: RecordRun
  let field: FieldSource
  /// The message's export time (ms since the epoch) and header sysUptime.
  let export: Int64
  let uptime: UInt32

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<Int64>) {
    let p = run.base
    let boot = export - Int64(uptime)
    for i in 0..<run.count {
      let v: UInt32 = field.read(p, i &* run.stride)
      dst[i] = boot + Int64(v)
    }
  }
}

/// The sampling rate of every record of a run, resolved like `emit`: the rate the record
/// states, else the rate options data gave its sampler id, else `fallback` (the domain's or
/// header's rate); at least 1.
struct SamplingField: RunSource {
  let run: RecordRun
  /// A samplingInterval or samplerRandomInterval field.
  let rate: FieldSource?
  /// A sampler id field, looked up in `samplers` when there is no rate field.
  let samplerID: FieldSource?
  let samplers: [UInt64: UInt64]
  let fallback: UInt64

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<UInt32>) {
    let p = run.base
    if let rate {
      for i in 0..<run.count {
        let v: UInt64 = rate.read(p, i &* run.stride)
        dst[i] = UInt32(clamping: max(v, 1))
      }
    } else if let samplerID {
      // Sets rarely mix samplers: remember the last lookup.
      var last: (id: UInt64, rate: UInt32)? = nil
      for i in 0..<run.count {
        let id: UInt64 = samplerID.read(p, i &* run.stride)
        if let last, last.id == id {
          dst[i] = last.rate
        } else {
          let r = UInt32(clamping: max(samplers[id] ?? fallback, 1))
          last = (id, r)
          dst[i] = r
        }
      }
    } else {
      Constant(value: UInt32(clamping: max(fallback, 1)), count: run.count).write(dst)
    }
  }
}

/// The application name of every record of a run from its RFC 6759 application id, resolved
/// like `emit`: the name options data gave the id, else its well-known or `engine:selector`
/// name. Writes by initialization (`String` is not trivial).
struct ApplicationField: RunSource {
  let run: RecordRun
  /// The application id field (2 bytes or more).
  let field: FieldSource
  /// Names from options data, by ``ApplicationID/key(engine:selector:)``.
  let names: [UInt64: String]

  @inline(__always)
  func write(_ dst: UnsafeMutablePointer<String>) {
    let p = run.base + field.offset
    // Sets rarely mix applications much: remember the last id's name.
    var last: (engine: UInt8, selector: UInt64, name: String)? = nil
    for i in 0..<run.count {
      let o = i &* run.stride
      let engine = BigEndian.u8(p, o)
      let selector = BigEndian.uint(p, o + 1, field.length - 1)
      if let last, last.engine == engine, last.selector == selector {
        (dst + i).initialize(to: last.name)
      } else {
        let name =
          names[ApplicationID.key(engine: engine, selector: selector)]
          ?? ApplicationID.name(engine: engine, selector: selector)
        last = (engine, selector, name)
        (dst + i).initialize(to: name)
      }
    }
  }
}

extension FieldSource {
  /// The field of the record at byte offset `offset`, truncated to `T`.
  @inline(__always)
  func read<T: FixedWidthInteger>(_ p: UnsafeRawPointer, _ offset: Int, as: T.Type = T.self) -> T {
    T(truncatingIfNeeded: BigEndian.uint(p, offset + self.offset, length))
  }
}
