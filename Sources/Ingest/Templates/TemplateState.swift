import Storage

/// Why saved template state could not be restored.
public enum TemplateStateError: Error, Sendable, Equatable {
  /// The bytes do not start with the expected magic and format version.
  case unknownFormat
  /// The bytes end early or hold an impossible value (the message says where).
  case malformed(String)
}

extension FlowDecoder {
  static let stateMagic: [UInt8] = Array("FSTS".utf8) + [1]

  /// Serializes the templates, options templates and options-derived domain state (system init
  /// time, sampling rates, application names) so a collector can persist them and restore them
  /// with ``restoreTemplateState(_:)`` at start. Statistics and held sets are not included.
  public func templateState() -> [UInt8] {
    var w = ByteWriter()
    w.bytes(Self.stateMagic)
    w.u32(UInt32(templates.count))
    for (k, t) in templates.sorted(by: {
      ($0.key.exporter, $0.key.domain, $0.key.id) < ($1.key.exporter, $1.key.domain, $1.key.id)
    }) {
      w.ip(k.exporter)
      w.u32(k.domain)
      w.u16(k.id)
      w.u8((t.isV9 ? 1 : 0) | (t.isOptions ? 2 : 0) | (t.used ? 4 : 0))
      w.u16(t.scopeCount)
      w.u64(UInt64(bitPattern: t.lastSeen))
      w.u16(UInt16(t.fields.count))
      for f in t.fields {
        w.u16(f.id)
        w.u16(f.length)
        w.u32(f.enterprise)
      }
    }
    let kept = domains.filter {
      $0.value.systemInitMillis != nil || $0.value.defaultSampling != nil
        || !$0.value.samplers.isEmpty || !$0.value.appNames.isEmpty
    }
    w.u32(UInt32(kept.count))
    for (k, d) in kept.sorted(by: {
      ($0.key.exporter, $0.key.domain) < ($1.key.exporter, $1.key.domain)
    }) {
      w.ip(k.exporter)
      w.u32(k.domain)
      w.optional(d.systemInitMillis.map { UInt64(bitPattern: $0) })
      w.optional(d.defaultSampling)
      w.u32(UInt32(d.samplers.count))
      for (id, rate) in d.samplers.sorted(by: { $0.key < $1.key }) {
        w.u64(id)
        w.u64(rate)
      }
      w.u32(UInt32(d.appNames.count))
      for (id, name) in d.appNames.sorted(by: { $0.key < $1.key }) {
        w.u64(id)
        let utf8 = Array(name.utf8.prefix(65535))
        w.u16(UInt16(utf8.count))
        w.bytes(utf8)
      }
    }
    return w.out
  }

  /// Replaces the templates and options-derived domain state with saved ones (see
  /// ``templateState()``). Limits apply as they do to templates received: beyond them, those
  /// refreshed last are kept and the others are evicted.
  ///
  /// - Throws: ``TemplateStateError`` when the bytes are not a saved state; the decoder is then
  ///   unchanged.
  public mutating func restoreTemplateState(_ bytes: [UInt8]) throws(TemplateStateError) {
    var r = ByteReader(bytes)
    guard (try? r.take(Self.stateMagic.count)) == Self.stateMagic else { throw .unknownFormat }
    var newTemplates: [(key: TemplateKey, template: Template, used: Bool)] = []
    var newDomains: [DomainKey: DomainState] = [:]
    let count = try r.u32()
    for _ in 0..<count {
      let key = TemplateKey(exporter: try r.ip(), domain: try r.u32(), id: try r.u16())
      let flags = try r.u8()
      let scope = try r.u16()
      let lastSeen = Int64(bitPattern: try r.u64())
      let n = Int(try r.u16())
      var fields: [FieldSpecifier] = []
      for _ in 0..<n {
        fields.append(FieldSpecifier(id: try r.u16(), length: try r.u16(), enterprise: try r.u32()))
      }
      guard key.id >= 256,
        let t = Template(
          id: key.id, isV9: flags & 1 != 0, isOptions: flags & 2 != 0, scopeCount: scope,
          fields: fields, lastSeen: lastSeen)
      else { throw .malformed("template \(key.id)") }
      newTemplates.append((key, t, flags & 4 != 0))
    }
    let nd = try r.u32()
    for _ in 0..<nd {
      let key = DomainKey(exporter: try r.ip(), domain: try r.u32())
      var d = DomainState()
      d.systemInitMillis = try r.optional().map { Int64(bitPattern: $0) }
      d.defaultSampling = try r.optional()
      for _ in 0..<(try r.u32()) { d.samplers[try r.u64()] = try r.u64() }
      for _ in 0..<(try r.u32()) {
        let id = try r.u64()
        let len = Int(try r.u16())
        d.appNames[id] = String(decoding: try r.take(len), as: UTF8.self)
      }
      newDomains[key] = d
    }
    guard r.atEnd else { throw .malformed("trailing bytes") }
    for (k, _) in templates { removeTemplate(k) }
    domains = newDomains
    stateEpoch &+= 1
    // In the order they were last defined or refreshed: the order of evictions among those of
    // one kind (unused, used) is kept approximately, used ones stay used.
    newTemplates.sort {
      ($0.template.lastSeen, $0.key.exporter, $0.key.domain, $0.key.id)
        < ($1.template.lastSeen, $1.key.exporter, $1.key.domain, $1.key.id)
    }
    for (k, t, used) in newTemplates {
      guard admit(k.exporter, now: t.lastSeen) else {
        limitCounters.exportersRejected += 1
        continue
      }
      _ = install(t, key: k, used: used)
    }
  }
}

/// Appends big-endian integers to a byte array.
struct ByteWriter {
  var out: [UInt8] = []
  mutating func u8(_ v: UInt8) { out.append(v) }
  mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.bigEndian) { out += $0 } }
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.bigEndian) { out += $0 } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.bigEndian) { out += $0 } }
  mutating func bytes(_ b: [UInt8]) { out += b }
  mutating func ip(_ a: IPAddress) {
    u64(a.high)
    u64(a.low)
  }
  mutating func optional(_ v: UInt64?) {
    if let v {
      u8(1)
      u64(v)
    } else {
      u8(0)
    }
  }
}

/// Reads big-endian integers from a byte array, throwing at the end.
struct ByteReader {
  let bytes: [UInt8]
  var pos = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }
  var atEnd: Bool { pos == bytes.count }

  mutating func take(_ n: Int) throws(TemplateStateError) -> [UInt8] {
    guard n >= 0, bytes.count - pos >= n else { throw .malformed("truncated at \(pos)") }
    defer { pos += n }
    return Array(bytes[pos..<pos + n])
  }
  mutating func uint(_ n: Int) throws(TemplateStateError) -> UInt64 {
    guard bytes.count - pos >= n else { throw .malformed("truncated at \(pos)") }
    var v: UInt64 = 0
    for i in pos..<pos + n { v = v << 8 | UInt64(bytes[i]) }
    pos += n
    return v
  }
  mutating func u8() throws(TemplateStateError) -> UInt8 { UInt8(try uint(1)) }
  mutating func u16() throws(TemplateStateError) -> UInt16 { UInt16(try uint(2)) }
  mutating func u32() throws(TemplateStateError) -> UInt32 { UInt32(try uint(4)) }
  mutating func u64() throws(TemplateStateError) -> UInt64 { try uint(8) }
  mutating func ip() throws(TemplateStateError) -> IPAddress {
    IPAddress(high: try u64(), low: try u64())
  }
  mutating func optional() throws(TemplateStateError) -> UInt64? {
    switch try u8() {
    case 0: return nil
    case 1: return try u64()
    default: throw .malformed("bad optional flag at \(pos - 1)")
    }
  }
}
