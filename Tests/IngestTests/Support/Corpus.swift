import Foundation
import Storage
import TestSupport

@testable import Ingest

/// One datagram fed to the decoder, and where tshark will see it.
struct Feed {
  var exporter: IPAddress
  var port: UInt16
  var payload: [UInt8]
  var frame: Int
  var time: Int64
  var file: String
}

/// The result of decoding a list of feeds with one decoder.
struct Decoded {
  var decoder: FlowDecoder
  var batch: ColumnBatch
  /// Row range and outcome of each frame.
  var frames: [Int: (rows: Range<Int>, outcome: DecodeOutcome)]
  var outcomes: [DecodeOutcome]
}

func decodeFeeds(_ feeds: [Feed], limits: DecoderLimits = DecoderLimits()) -> Decoded {
  var decoder = FlowDecoder(limits: limits)
  var builder = FlowBatchBuilder()
  var frames: [Int: (Range<Int>, DecodeOutcome)] = [:]
  var outcomes: [DecodeOutcome] = []
  for f in feeds {
    let before = builder.count
    let o = decoder.decode(f.payload, exporter: f.exporter, receivedAt: f.time, into: &builder)
    frames[f.frame] = (before..<builder.count, o)
    outcomes.append(o)
  }
  return Decoded(
    decoder: decoder, batch: builder.build(), frames: frames, outcomes: outcomes)
}

/// Group key for raw payload files: a template file and its data files share a session.
func sessionGroup(_ rel: String) -> String {
  let dir = (rel as NSString).deletingLastPathComponent
  let name = ((rel as NSString).lastPathComponent as NSString).deletingPathExtension
  if dir.hasPrefix("telegraf") { return dir }
  if dir.hasPrefix("python-netflow") {
    // Each IPFIX packet family in its own session: tshark keeps the first definition of a
    // template id and would misread a redefinition (the decoder replaces it, RFC 7011).
    if name.contains("IPFIX") {
      return dir + "/ipfix" + (name.contains("ETHER") ? "-ether" : "")
        + (name.contains("PADDING") ? "-padding" : "")
    }
    return dir + "/" + (name.contains("V9") ? "v9" : name)
  }
  var cut = name.endIndex
  for marker in ["_tpldata", "_opttpl", "_tplopt", "_tpl", "_data"] {
    if let r = name.range(of: marker), r.lowerBound < cut { cut = r.lowerBound }
  }
  return dir + "/" + String(name[..<cut])
}

/// Raw payload files (.dat, .bin) of one directory as feeds: one exporter per session group,
/// templates first, concatenated messages split into separate frames.
func rawFeeds(directory: String, files: [String]) throws -> [Feed] {
  let groups = Dictionary(grouping: files, by: sessionGroup)
  var feeds: [Feed] = []
  for (g, key) in groups.keys.sorted().enumerated() {
    let members = groups[key]!.sorted { a, b in
      let ta = a.contains("tpl") || a.contains("TEMPLATE")
      let tb = b.contains("tpl") || b.contains("TEMPLATE")
      return ta != tb ? ta : a < b
    }
    let src = UInt32(0x0A00_0001) + UInt32(g) << 8
    for rel in members {
      for m in splitMessages(try SharedData.bytes(rel)) {
        feeds.append(
          Feed(
            exporter: IPAddress(v4: src), port: 2055, payload: m, frame: feeds.count + 1,
            time: 1_700_000_000_000, file: rel))
      }
    }
  }
  return feeds
}

/// The UDP datagrams of a capture file as feeds (frame numbers as tshark counts them).
func pcapFeeds(_ rel: String) throws -> [Feed] {
  let reader = try PcapFileReader(path: SharedData.path(rel), ports: nil)
  var feeds: [Feed] = []
  while let d = reader.next() {
    feeds.append(
      Feed(
        exporter: d.exporter, port: d.destinationPort, payload: d.payload,
        frame: reader.framesRead, time: d.timestampMillis, file: rel))
  }
  return feeds
}

/// Writes raw feeds to a pcap for tshark.
func writePcap(_ feeds: [Feed], to path: String) throws {
  var w = PcapWriter()
  for f in feeds { w.add(f.payload, src: f.exporter.v4!, port: f.port) }
  try w.write(to: path)
}
