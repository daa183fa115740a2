import ArgumentParser
import Foundation
import Storage

/// `flowstore info`: what the data directory holds.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Show tables, segments, rows, time range and bytes on disk.",
    discussion: """
      For each table: the number of sealed segments, the rows in them and the rows still in the \
      write-ahead log, the oldest and newest flow start, the bytes of the segment files (and \
      of the write-ahead log) rounded and exact, bytes \
      per row, and the compression ratio against the unencoded columns. Safe to run while \
      `flowstore serve` writes to the same directory.
      """)

  @OptionGroup var options: DataOptions

  func run() throws {
    let reader = try options.reader()
    for t in try reader.info() {
      Output.line("table \(t.name) (schema v\(t.schemaVersion))")
      Output.line("  segments       \(Format.count(t.segments))")
      Output.line(
        "  rows           \(Format.count(t.rows)) (\(Format.count(t.unsealedRows)) not yet sealed)")
      if let r = t.timeRange {
        Output.line(
          "  time range     \(Timestamp.iso8601(r.lowerBound)) .. \(Timestamp.iso8601(r.upperBound))"
        )
      } else {
        Output.line("  time range     (empty)")
      }
      Output.line(
        "  bytes on disk  \(Format.bytes(t.bytesOnDisk)) (\(Format.count(t.bytesOnDisk)) bytes)")
      if t.sealedRows > 0 {
        let perRow = Double(t.bytesOnDisk) / Double(t.sealedRows)
        let ratio = Double(t.rawBytes) / Double(max(1, t.bytesOnDisk))
        Output.line("  bytes per row  \(String(format: "%.2f", perRow))")
        Output.line(
          "  compression    \(String(format: "%.1f", ratio))x (\(Format.bytes(t.rawBytes)) unencoded)"
        )
      }
      Output.line("  retention      \(t.retention.map(Format.duration) ?? "forever")")
    }
    let wal = reader.walBytes()
    Output.line(
      "write-ahead log  \(Format.bytes(wal)) (\(Format.count(wal)) bytes; holds the rows not yet "
        + "sealed)")
  }
}
