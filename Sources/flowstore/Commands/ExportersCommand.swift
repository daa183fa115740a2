import ArgumentParser
import Ingest
import Storage

/// `flowstore exporters`: per-exporter statistics saved by `flowstore serve` and `import`.
struct ExportersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exporters",
    abstract: "Show per-exporter statistics: datagrams, records, templates, gaps, errors, drops.",
    discussion: """
      Reads the statistics the collector saves in the catalog (every few seconds while \
      `flowstore serve` runs, and at its exit; `flowstore import` saves them too), so it works \
      beside a running collector and after it. Columns: datagrams received, flow records \
      stored, template records received, templates evicted to make room for new ones, \
      sequence gaps and the records they imply lost, sequence resets (jumps of more than \
      65,536, not counted as lost), malformed messages or sets, drops (held data sets dropped \
      plus datagrams dropped by a full queue), and the time of the last datagram. Counts run \
      across restarts (statistics saved before evictions and resets were counted show zero).
      """)

  @OptionGroup var options: DataOptions

  func run() throws {
    let state:
      (exporters: [(address: IPAddress, report: ExporterReport)], summary: CollectorSummary?)
    do {
      state = try PersistedState.read(directory: options.data)
    } catch {
      guard case .notAStore(let p) = error else { throw error }
      throw Failure.badInput(
        "\(p) is not a FlowStore data directory (start `flowstore serve --data \(p)` to create one)"
      )
    }
    if state.exporters.isEmpty {
      Output.line("no exporter has sent anything yet")
    } else {
      let header = [
        "exporter", "datagrams", "records", "templates", "evicted", "seq_gaps", "lost",
        "seq_resets", "errors", "drops", "last_seen",
      ]
      var rows = [header]
      for (a, r) in state.exporters {
        rows.append([
          a.description, Format.count(Int(r.datagrams)), Format.count(Int(r.records)),
          Format.count(Int(r.templates)), Format.count(Int(r.evictedTemplates)),
          Format.count(Int(r.sequenceGaps)), Format.count(Int(r.lost)),
          Format.count(Int(r.sequenceResets)), Format.count(Int(r.decodeErrors)),
          Format.count(Int(r.drops)),
          r.lastSeen > 0 ? Timestamp.iso8601(r.lastSeen) : "-",
        ])
      }
      let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
      for row in rows {
        let cells = row.enumerated().map { i, c in
          let pad = String(repeating: " ", count: widths[i] - c.count)
          return i == 0 || i == row.count - 1 ? c + pad : pad + c
        }
        Output.line(cells.joined(separator: "  ").trimmingTrailingSpaces())
      }
    }
    if let s = state.summary {
      Output.line(
        "collector (last run, saved \(Timestamp.iso8601(s.updated))): "
          + "\(Format.count(Int(s.received))) datagrams received, "
          + "\(Format.count(Int(s.rejected))) rejected by --allow, "
          + "\(Format.count(Int(s.socketDrops))) dropped by the kernel (receive buffer full), "
          + "\(Format.count(Int(s.dropped))) dropped before decoding, "
          + "\(Format.count(Int(s.rowsStored))) flows stored, "
          + "\(Format.count(Int(s.rowsLost))) lost to store errors, "
          + "\(Format.count(Int(s.templates))) templates, \(Format.count(Int(s.limitHits))) limit hits"
      )
    }
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
