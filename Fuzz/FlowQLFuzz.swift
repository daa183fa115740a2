// libFuzzer harness for FlowQL: lexer, parser, binder and execution; see Fuzz/run.sh.
//
// The first byte picks the mode: even, the rest is the statement's text as is (random text);
// odd, the rest drives a derivation from grammar/flowql.ebnf (`StatementGrammar`), so that
// mutations explore well-formed statements too. Either way the statement runs against a small
// `flows` table: the outcome must be a result or a `QueryError` that points inside the text.
import Query
import Storage

/// Sixteen flows over an hour, two units, NULLs in `app`: enough for every operator to run.
private let provider: MemoryTableProvider = {
  let n = 16
  let t0: Int64 = 1_795_824_000_000
  let apps = ["http", "dns", "", "ssh"]
  var valid = Bitmap(count: 0, value: false)
  for i in 0..<n { valid.append(i % 4 != 2) }
  let batch = try! ColumnBatch(
    schema: FlowSchema.flows, rowCount: n,
    columns: [
      "time": ColumnVector(.timestamp((0..<n).map { t0 + Int64($0) * 225_000 })),
      "end_time": ColumnVector(.timestamp((0..<n).map { t0 + Int64($0) * 225_000 + 1500 })),
      "src_addr": ColumnVector(
        .ip(
          (0..<n).map {
            $0 % 5 == 0
              ? IPAddress(high: 0x2001_0db8_0000_0000, low: UInt64($0))
              : IPAddress(v4: 0x0A00_0000 + UInt32($0))
          })),
      "dst_addr": ColumnVector(.ip((0..<n).map { IPAddress(v4: 0xC0A8_0100 + UInt32($0 % 3)) })),
      "src_port": ColumnVector(.uint16((0..<n).map { UInt16(40_000 + $0) })),
      "dst_port": ColumnVector(.uint16((0..<n).map { [443, 53, 22, 80][$0 % 4] })),
      "proto": ColumnVector(.uint8((0..<n).map { $0 % 4 == 1 ? 17 : 6 })),
      "bytes": ColumnVector(.uint64((0..<n).map { UInt64($0 * 1500 + 40) })),
      "packets": ColumnVector(.uint64((0..<n).map { UInt64($0 + 1) })),
      "app": ColumnVector(.string((0..<n).map { apps[$0 % 4] }), validity: valid),
    ])
  return MemoryTableProvider(batch: batch, unitRows: 8)
}()

private let engine = QueryEngine(
  provider: provider,
  options: ExecutionOptions(batchSize: 8, parallelism: 1, morselRows: 8, memoryLimit: 1 << 24))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let rest = UnsafeBufferPointer(start: data + 1, count: size - 1)
  let text: String
  if data[0] & 1 == 0 {
    text = String(decoding: rest, as: UTF8.self)
  } else {
    var g = StatementGrammar(choices: rest)
    text = g.statement()
  }
  do {
    let result = try engine.execute(text, now: 1_795_827_600_000)
    precondition(result.rows.allSatisfy { $0.count == result.columns.count }, "ragged result")
  } catch {
    switch error {
    case .storage, .provider, .cancelled:
      preconditionFailure("unexpected error for \(text.debugDescription): \(error)")
    case .memoryLimit:
      break
    default:
      guard let at = error.location else {
        preconditionFailure("error without a location for \(text.debugDescription): \(error)")
      }
      precondition(
        at.offset >= 0 && at.offset <= text.utf8.count && at.line >= 1 && at.column >= 1,
        "location \(at) outside the text \(text.debugDescription)")
      _ = error.render(source: text)
    }
  }
  return 0
}
