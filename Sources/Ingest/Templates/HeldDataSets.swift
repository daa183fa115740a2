extension FlowDecoder {
  /// Keeps a copy of a data set whose template is unknown (PITFALLS 1), dropping the oldest
  /// held sets when ``DecoderLimits/maxHeldDataSets`` or ``DecoderLimits/maxHeldBytes`` is hit.
  mutating func hold(
    _ key: TemplateKey, _ base: UnsafeRawPointer, _ start: Int, _ end: Int, ctx: MessageContext,
    now: Int64, outcome: inout DecodeOutcome
  ) {
    let size = end - start
    _ = expireHeld(now: now, outcome: &outcome)
    guard limits.maxHeldDataSets > 0, size <= limits.maxHeldBytes else {
      dropped(key, outcome: &outcome)
      return
    }
    while !held.isEmpty,
      held.count >= limits.maxHeldDataSets || heldBytes + size > limits.maxHeldBytes
    {
      let victim = held.removeFirst()
      heldBytes -= victim.bytes.count
      dropped(victim.key, outcome: &outcome)
    }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: base + start, count: size))
    held.append(HeldSet(key: key, bytes: bytes, context: ctx, receivedAt: now))
    heldBytes += size
    outcome.heldSets += 1
  }

  private mutating func dropped(_ key: TemplateKey, outcome: inout DecodeOutcome) {
    limitCounters.heldSetsDropped += 1
    exporters[key.exporter]?.stats.droppedSets += 1
    outcome.droppedSets += 1
  }

  /// Drops held sets older than ``DecoderLimits/heldDataTimeout``; returns how many.
  mutating func expireHeld(now: Int64, outcome: inout DecodeOutcome) -> Int {
    var n = 0
    while let first = held.first, now - first.receivedAt > limits.heldDataTimeout {
      held.removeFirst()
      heldBytes -= first.bytes.count
      exporters[first.key.exporter]?.stats.droppedSets += 1
      outcome.droppedSets += 1
      n += 1
    }
    return n
  }

  /// Decodes, in arrival order, the held data sets waiting for the template `key`.
  mutating func release(
    _ key: TemplateKey, into builder: inout FlowBatchBuilder, outcome: inout DecodeOutcome
  ) {
    guard held.contains(where: { $0.key == key }), let t = templates[key] else { return }
    let ready = held.filter { $0.key == key }
    held.removeAll { $0.key == key }
    noteUse(key)
    for h in ready {
      heldBytes -= h.bytes.count
      _ = h.bytes.withUnsafeBytes { raw in
        decodeRecords(
          t, raw.baseAddress!, 0, raw.count, ctx: h.context, key: key, into: &builder,
          outcome: &outcome)
      }
      outcome.releasedSets += 1
    }
  }
}
