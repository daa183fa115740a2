// libFuzzer harness for the flow decoder; see Fuzz/run.sh.
import Ingest
import Storage

/// One decoder kept across inputs, so template state from earlier inputs is exercised too.
/// libFuzzer calls the entry point from one thread.
nonisolated(unsafe) private var decoder = FlowDecoder(
  limits: {
    var l = DecoderLimits()
    l.maxExporters = 4
    l.maxTemplatesPerExporter = 64
    l.maxHeldDataSets = 16
    l.maxHeldBytes = 1 << 16
    return l
  }())
nonisolated(unsafe) private var builder = FlowBatchBuilder()
/// Records are staged as the collector stages them, and finished every third input.
nonisolated(unsafe) private var staging: Void = { decoder.stagesRecords = true }()
nonisolated(unsafe) private var inputs = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let buffer = UnsafeRawBufferPointer(start: data, count: size)
  // The first byte picks the exporter, the rest is the datagram.
  let exporter = IPAddress(v4: size > 0 ? UInt32(data[0] & 7) : 0)
  let payload = size > 0 ? UnsafeRawBufferPointer(rebasing: buffer[1...]) : buffer
  _ = staging
  let outcome = decoder.decode(
    payload, exporter: exporter, receivedAt: Int64(inputs), into: &builder)
  precondition(outcome.records >= 0 && builder.count + decoder.stagedRecords >= outcome.records)
  inputs += 1
  if inputs % 3 == 0 { decoder.finishStaged(into: &builder) }
  if builder.count > 10_000 {
    _ = builder.build()
    builder.reset()
  }
  if inputs % 1000 == 0 {
    let state = decoder.templateState()
    var copy = FlowDecoder()
    do { try copy.restoreTemplateState(state) } catch {
      preconditionFailure("state round trip: \(error)")
    }
  }
  return 0
}
