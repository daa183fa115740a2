import Storage

extension FlowDecoder {
  /// Decodes a template or options template set (v9 flowset 0/1, IPFIX set 2/3), including
  /// IPFIX withdrawals, then releases data sets held for the templates it defined.
  mutating func decodeTemplateSet(
    _ base: UnsafeRawPointer, _ start: Int, _ end: Int, setID: UInt16, options: Bool,
    ctx: MessageContext, dkey: DomainKey, now: Int64, into builder: inout FlowBatchBuilder,
    outcome: inout DecodeOutcome
  ) {
    let isV9 = ctx.version == 9
    var defined: [UInt16] = []
    var p = start
    while end - p >= 4 {
      let tid = BigEndian.u16(base, p)
      if tid < 256 {
        // Padding (RFC 7011 3.3.1; some exporters pad with 4-7 bytes), or withdraw-all.
        if !isV9, tid == setID, BigEndian.u16(base, p + 2) == 0 {
          withdrawAll(dkey, options: options)
          outcome.withdrawals += 1
          p += 4
          continue
        }
        if !Self.allZero(base, p, end) { outcome.fail(.badTemplate(templateID: tid)) }
        break
      }
      var fields: [FieldSpecifier] = []
      var scopeCount = 0
      var q: Int
      var fieldCount: Int
      if isV9 && options {
        guard end - p >= 6 else {
          outcome.fail(.badTemplate(templateID: tid))
          break
        }
        let scopeLen = Int(BigEndian.u16(base, p + 2))
        let optionLen = Int(BigEndian.u16(base, p + 4))
        scopeCount = scopeLen / 4
        fieldCount = scopeCount + optionLen / 4
        q = p + 6
        guard scopeLen + optionLen <= end - q else {
          outcome.fail(.badTemplate(templateID: tid))
          break
        }
      } else {
        fieldCount = Int(BigEndian.u16(base, p + 2))
        q = p + 4
        if fieldCount == 0 {
          if !isV9 {
            withdraw(TemplateKey(exporter: dkey.exporter, domain: dkey.domain, id: tid))
            outcome.withdrawals += 1
          }
          p = q
          continue
        }
        if options {
          guard end - q >= 2 else {
            outcome.fail(.badTemplate(templateID: tid))
            break
          }
          scopeCount = Int(BigEndian.u16(base, q))
          q += 2
          guard scopeCount >= 1, scopeCount <= fieldCount else {
            outcome.fail(.badTemplate(templateID: tid))
            break
          }
        }
      }
      let keep = fieldCount <= limits.maxFieldsPerTemplate
      if keep { fields.reserveCapacity(fieldCount) }
      var truncated = false
      for _ in 0..<fieldCount {
        guard end - q >= 4 else {
          truncated = true
          break
        }
        var id = BigEndian.u16(base, q)
        let length = BigEndian.u16(base, q + 2)
        q += 4
        var enterprise: UInt32 = 0
        if !isV9, id & 0x8000 != 0 {
          guard end - q >= 4 else {
            truncated = true
            break
          }
          id &= 0x7FFF
          enterprise = BigEndian.u32(base, q)
          q += 4
        }
        if keep { fields.append(FieldSpecifier(id: id, length: length, enterprise: enterprise)) }
      }
      if isV9 && options {
        // v9 options lengths are in bytes; any remainder below 4 bytes is skipped.
        q = p + 6 + Int(BigEndian.u16(base, p + 2)) + Int(BigEndian.u16(base, p + 4))
      }
      if truncated {
        outcome.fail(.badTemplate(templateID: tid))
        break
      }
      p = q
      outcome.templates += 1
      guard keep else {
        limitCounters.oversizedTemplates += 1
        exporters[dkey.exporter]?.stats.templatesRejected += 1
        continue
      }
      let key = TemplateKey(exporter: dkey.exporter, domain: dkey.domain, id: tid)
      // A refresh (exporters resend their templates every few seconds or datagrams) only
      // renews the template: compiling it again would give the same plan.
      if let old = templates[key],
        old.isDefined(
          isV9: isV9, isOptions: options, scopeCount: UInt16(scopeCount), fields: fields)
      {
        templates[key]!.lastSeen = now
        defined.append(tid)
        continue
      }
      guard
        let t = Template(
          id: tid, isV9: isV9, isOptions: options, scopeCount: UInt16(scopeCount),
          fields: fields, lastSeen: now)
      else {
        outcome.fail(.badTemplate(templateID: tid))
        continue
      }
      if install(t, key: key) { defined.append(tid) }
    }
    if !held.isEmpty {
      for tid in defined {
        release(
          TemplateKey(exporter: dkey.exporter, domain: dkey.domain, id: tid), into: &builder,
          outcome: &outcome)
      }
    }
  }

  /// Adds or redefines a template (a refresh is found before it is compiled, in
  /// `decodeTemplateSet`), as used or not by a data set. A new template beyond
  /// ``DecoderLimits/maxTemplatesPerDomain`` or ``DecoderLimits/maxTemplatesPerExporter``
  /// evicts one of its domain or address (``evictionVictim(_:domain:)``), counted. False when a
  /// limit is zero (or the exporter is not tracked).
  mutating func install(_ t: Template, key: TemplateKey, used: Bool = false) -> Bool {
    var t = t
    useClock &+= 1
    t.touched = useClock
    t.used = used
    if templates[key] != nil {
      templates[key] = t  // redefinition replaces (RFC 3954 / RFC 7011 8)
      enqueue(key, tick: useClock, used: used)
      return true
    }
    if domainTemplates(key) >= limits.maxTemplatesPerDomain {
      evictOne(key.exporter, domain: key.domain)
    }
    if (exporters[key.exporter]?.templateCount ?? 0) >= limits.maxTemplatesPerExporter {
      evictOne(key.exporter, domain: nil)
    }
    guard exporters[key.exporter] != nil,
      domainTemplates(key) < limits.maxTemplatesPerDomain,
      exporters[key.exporter]!.templateCount < limits.maxTemplatesPerExporter
    else {
      limitCounters.templatesRejected += 1
      exporters[key.exporter]?.stats.templatesRejected += 1
      return false
    }
    templates[key] = t
    exporters[key.exporter]?.templateCount += 1
    exporters[key.exporter]?.domainTemplates[key.domain, default: 0] += 1
    enqueue(key, tick: useClock, used: used)
    return true
  }

  /// Templates held in the key's domain.
  private func domainTemplates(_ key: TemplateKey) -> Int {
    exporters[key.exporter]?.domainTemplates[key.domain] ?? 0
  }

  /// Marks a template as used by a data set now (it becomes the most recently used).
  mutating func noteUse(_ key: TemplateKey) {
    guard let i = templates.index(forKey: key) else { return }
    useClock &+= 1
    templates.values[i].touched = useClock
    templates.values[i].used = true
    enqueue(key, tick: useClock, used: true)
  }

  /// Records a template event in its exporter's eviction order, compacting the queue when its
  /// stale entries outnumber the exporter's templates.
  mutating func enqueue(_ key: TemplateKey, tick: UInt64, used: Bool) {
    guard let i = exporters.index(forKey: key.exporter) else { return }
    let table = templates
    let live = { (k: TemplateKey, tick: UInt64) in table[k]?.touched == tick }
    let bound = 2 * exporters.values[i].templateCount + 64
    if used {
      exporters.values[i].recent.append(key, tick)
      if exporters.values[i].recent.count > bound { exporters.values[i].recent.compact(live: live) }
    } else {
      exporters.values[i].unused.append(key, tick)
      if exporters.values[i].unused.count > bound { exporters.values[i].unused.compact(live: live) }
    }
  }

  /// The template to evict from an exporter (from one of its domains when `domain` is given):
  /// the oldest defined that no data set has used, or else the least recently used.
  mutating func evictionVictim(_ exporter: IPAddress, domain: UInt32?) -> TemplateKey? {
    guard let i = exporters.index(forKey: exporter) else { return nil }
    let table = templates
    let live = { (k: TemplateKey, tick: UInt64) in table[k]?.touched == tick }
    let matches = { (k: TemplateKey) in domain == nil || k.domain == domain }
    if let k = exporters.values[i].unused.first(live: live, matches: matches) { return k }
    return exporters.values[i].recent.first(live: live, matches: matches)
  }

  /// Evicts one template of an exporter (or of one of its domains), counting it.
  private mutating func evictOne(_ exporter: IPAddress, domain: UInt32?) {
    guard let victim = evictionVictim(exporter, domain: domain) else { return }
    removeTemplate(victim)
    limitCounters.templatesEvicted += 1
    exporters[exporter]?.stats.evictedTemplates += 1
  }

  /// Removes one template (withdrawal, expiry, eviction).
  mutating func removeTemplate(_ key: TemplateKey) {
    if templates.removeValue(forKey: key) != nil,
      let i = exporters.index(forKey: key.exporter)
    {
      exporters.values[i].templateCount -= 1
      if exporters.values[i].domainTemplates[key.domain, default: 0] <= 1 {
        exporters.values[i].domainTemplates[key.domain] = nil
      } else {
        exporters.values[i].domainTemplates[key.domain]! -= 1
      }
    }
  }

  /// Withdraws one template (RFC 7011 8.1).
  mutating func withdraw(_ key: TemplateKey) {
    removeTemplate(key)
  }

  /// Withdraws every template (or every options template) of a domain (RFC 7011 8.1).
  mutating func withdrawAll(_ dkey: DomainKey, options: Bool) {
    let keys = templates.compactMap { (k, t) in
      k.exporter == dkey.exporter && k.domain == dkey.domain && t.isOptions == options ? k : nil
    }
    for k in keys { removeTemplate(k) }
  }

  /// Tracks a new exporter if there is room, evicting one idle for a template lifetime.
  mutating func admit(_ exporter: IPAddress, now: Int64) -> Bool {
    if exporter == lastAdmitted { return true }
    if exporters[exporter] != nil {
      lastAdmitted = exporter
      return true
    }
    if exporters.count >= limits.maxExporters {
      let idle = limits.templateTimeout ?? 24 * 3_600_000
      guard
        let victim = exporters.first(where: { now - $0.value.stats.lastSeen > idle })?.key
      else { return false }
      evict(victim)
    }
    exporters[exporter] = ExporterState()
    lastAdmitted = exporter
    return true
  }

  /// Forgets an exporter: templates, domains, held sets and statistics.
  mutating func evict(_ exporter: IPAddress) {
    exporters[exporter] = nil
    lastAdmitted = nil
    stateEpoch &+= 1
    for k in templates.keys where k.exporter == exporter { templates[k] = nil }
    for k in domains.keys where k.exporter == exporter { domains[k] = nil }
    held.removeAll { $0.key.exporter == exporter }
    heldBytes = held.reduce(0) { $0 + $1.bytes.count }
  }
}
