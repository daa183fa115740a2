import ArgumentParser
import Foundation
import Ingest
import Storage

/// `flowstore import FILE`: decodes a capture or an IPFIX file into the store.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Store the flows of a pcap/pcapng capture or an IPFIX file (RFC 5655).",
    discussion: """
      The file type is told by its first bytes. From a capture (read through libpcap), the \
      UDP payloads sent to the flow ports (default 2055, 4739, 9995 and 9996; --port to \
      choose) are decoded as NetFlow v5, v9 or IPFIX with the packet's source address as \
      exporter and its capture time as receive time. An IPFIX file is decoded message by \
      message with --exporter as exporter. The file is self-contained: templates come from \
      it, not from the collector's saved ones. Exporter statistics are added to those \
      `flowstore exporters` shows. Fails with a one-line message when a running \
      `flowstore serve` holds the data directory.
      """)

  @OptionGroup var options: DataOptions
  @OptionGroup var modeOptions: ModeOptions

  @Argument(help: ArgumentHelp("The capture or IPFIX file.", valueName: "file"))
  var file: String

  @Option(
    name: .long,
    help: ArgumentHelp("UDP destination port to decode (repeatable).", valueName: "port"))
  var port: [UInt16] = []

  @Option(name: .long, help: ArgumentHelp("Exporter address for an IPFIX file.", valueName: "addr"))
  var exporter: String = "0.0.0.0"

  enum Kind { case pcap, ipfix }

  /// Tells a capture from an IPFIX file by the magic number.
  static func kind(of path: String) throws -> Kind {
    guard let h = FileHandle(forReadingAtPath: path) else {
      throw Failure.badInput("cannot open \(path)")
    }
    defer { try? h.close() }
    let head = [UInt8](h.readData(ofLength: 4))
    guard head.count == 4 else {
      throw Failure.badInput("\(path) is too short to be a capture or IPFIX file")
    }
    let magics: Set<[UInt8]> = [
      [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4], [0x4D, 0x3C, 0xB2, 0xA1],
      [0xA1, 0xB2, 0x3C, 0x4D], [0x0A, 0x0D, 0x0D, 0x0A],
    ]
    if magics.contains(head) { return .pcap }
    if head[0] == 0 && head[1] == 10 { return .ipfix }
    throw Failure.badInput(
      "\(path) is neither a pcap/pcapng capture nor an IPFIX file (first bytes \(head.map { String(format: "%02x", $0) }.joined()))"
    )
  }

  func run() throws {
    let kind = try Self.kind(of: file)
    guard let exporterAddress = IPAddress(exporter) else {
      throw Failure.badInput("--exporter \(exporter): not an IP address")
    }
    var storeOptions = StoreOptions()
    modeOptions.apply(to: &storeOptions)
    let store = try openWriter(
      directory: options.data, options: storeOptions,
      instead: "import into another --data directory")
    var ingester = FlowIngester(store: store, persistTemplates: false)
    if let problem = ingester.restore() { Output.error("flowstore import: \(problem)") }
    var datagrams = 0
    var errors = 0
    switch kind {
    case .pcap:
      let reader: PcapFileReader
      do {
        reader = try PcapFileReader(
          path: file, ports: port.isEmpty ? PcapFileReader.defaultPorts : Set(port))
      } catch {
        throw Failure.badInput("\(file): \(error)")
      }
      while let d = reader.next() {
        datagrams += 1
        let o = d.payload.withUnsafeBytes {
          ingester.ingest($0, exporter: d.exporter, receivedAt: d.timestampMillis)
        }
        errors += o.errors
      }
    case .ipfix:
      var reader: IPFIXFileReader
      do {
        reader = try IPFIXFileReader(path: file)
      } catch {
        throw Failure.badInput("\(file): \(error)")
      }
      while let m = reader.next() {
        datagrams += 1
        let exportSeconds =
          m.count >= 8
          ? Int64(m[m.startIndex + 4]) << 24 | Int64(m[m.startIndex + 5]) << 16
            | Int64(m[m.startIndex + 6]) << 8 | Int64(m[m.startIndex + 7]) : 0
        let o = m.withUnsafeBytes {
          ingester.ingest($0, exporter: exporterAddress, receivedAt: exportSeconds * 1000)
        }
        errors += o.errors
      }
      if reader.trailingBytes > 0 {
        Output.error(
          "flowstore import: \(reader.trailingBytes) bytes at the end of \(file) are not an IPFIX message"
        )
      }
    }
    if let e = ingester.flush() {
      try? store.close()
      throw e
    }
    ingester.dropHeld()
    try ingester.saveReports()
    try store.close()
    let held = ingester.decoder.allStatistics.values.reduce(0) { $0 + $1.droppedSets }
    Output.line(
      "imported \(Format.count(ingester.rowsStored)) flows from \(Format.count(datagrams)) "
        + "\(kind == .pcap ? "datagrams" : "messages") of \(file) into \(options.data)"
        + (errors > 0 ? " (\(Format.count(errors)) malformed messages or sets skipped)" : "")
        + (held > 0 ? " (\(Format.count(held)) data sets without a template dropped)" : ""))
  }
}
