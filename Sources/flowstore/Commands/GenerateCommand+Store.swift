import Foundation
import Ingest
import Storage

extension GenerateCommand {
  /// Rows per append: large, so that the store encodes blocks straight from each batch.
  static let storeBatchRows = 131_072

  /// Appends the records to the data directory `directory` through the store's append API,
  /// refilling the batches the store hands back.
  func append(_ generator: inout SyntheticExporter, into directory: String) throws {
    guard let address = IPAddress(exporter) else {
      throw Failure.badInput("--exporter \(exporter): not an IP address")
    }
    var options = StoreOptions()
    modeOptions.apply(to: &options)
    let store = try openWriter(
      directory: directory, options: options,
      instead: "generate into another --store directory")
    let began = SystemClock.monotonicNanoseconds()
    var stored = 0
    do {
      while stored < records {
        let n = min(Self.storeBatchRows, records - stored)
        try store.append(
          generator.nextBatch(records: n, exporter: address, reusing: store.takeSpareBatch()))
        stored += n
      }
      try store.close()
    } catch {
      try? store.close()
      throw error
    }
    let seconds = Double(SystemClock.monotonicNanoseconds() - began) / 1e9
    Output.line(
      "stored \(Format.count(stored)) flows in \(directory) in "
        + String(format: "%.2f", seconds) + " s ("
        + Format.count(Int(Double(stored) / max(seconds, 1e-9))) + " rows/s)")
  }
}
