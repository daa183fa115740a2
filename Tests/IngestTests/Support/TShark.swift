import Foundation
import Storage
import TestSupport

/// tshark's reading of flow records, per frame: field name -> values in order.
struct TSharkReading {
  static let fields = [
    "cflow.srcaddr", "cflow.srcaddrv6", "cflow.dstaddr", "cflow.dstaddrv6", "cflow.srcport",
    "cflow.dstport", "cflow.protocol", "cflow.octets", "cflow.packets", "cflow.abstimestart",
    "cflow.abstimeend", "_ws.malformed",
  ]
  var frames: [Int: [String: [String]]] = [:]

  static var available: Bool { which("tshark") != nil }

  /// Runs tshark on `file`, decoding `ports` as cflow.
  static func read(_ file: String, ports: Set<UInt16>) throws -> TSharkReading {
    var args = ["-r", file, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
    for p in ports.sorted() { args += ["-d", "udp.port==\(p),cflow"] }
    args += ["-e", "frame.number"]
    for f in fields { args += ["-e", f] }
    let (_, out) = try run(which("tshark")!, args)
    var r = TSharkReading()
    for line in out.split(separator: "\n", omittingEmptySubsequences: true) {
      let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard cols.count == fields.count + 1, let frame = Int(cols[0]) else { continue }
      var m: [String: [String]] = [:]
      for (i, f) in fields.enumerated() where !cols[i + 1].isEmpty {
        m[f] = cols[i + 1].split(separator: "|").map(String.init)
      }
      r.frames[frame] = m
    }
    return r
  }

  /// "Feb 28, 2023 09:46:01.088000000 UTC" as ms since the epoch.
  static func parseTime(_ s: String) -> Int64? {
    let parts = s.split(separator: " ")
    guard parts.count == 5, parts[4] == "UTC" else { return nil }
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    guard let mi = months.firstIndex(of: String(parts[0])), let d = Int(parts[1].dropLast()),
      let y = Int(parts[2])
    else { return nil }
    let hms = parts[3].split(separator: ":")
    guard hms.count == 3, let h = Int(hms[0]), let mnt = Int(hms[1]) else { return nil }
    let secParts = hms[2].split(separator: ".")
    guard let sec = Int(secParts[0]) else { return nil }
    let frac =
      secParts.count > 1
      ? Int(secParts[1].prefix(3).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0 : 0
    // days from civil (Howard Hinnant)
    let m = mi + 1
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return Int64(((days * 24 + h) * 60 + mnt) * 60 + sec) * 1000 + Int64(frac)
  }
}

/// Compares decoded rows with tshark's reading frame by frame; returns mismatch descriptions
/// and how many values were compared.
func compareWithTShark(_ d: Decoded, _ t: TSharkReading, names: [Int: String] = [:])
  -> (mismatches: [String], compared: Int, eligible: Int)
{
  let b = d.batch
  let src = b.ips("src_addr")
  let dst = b.ips("dst_addr")
  let intCols: [(String, String)] = [
    ("cflow.srcport", "src_port"), ("cflow.dstport", "dst_port"), ("cflow.protocol", "proto"),
    ("cflow.octets", "bytes"), ("cflow.packets", "packets"),
  ]
  let intValues = Dictionary(uniqueKeysWithValues: intCols.map { ($0.1, b.ints($0.1)) })
  let start = b.ints("time")
  let end = b.ints("end_time")
  var mismatches: [String] = []
  var compared = 0
  var eligible = 0
  for (frame, entry) in d.frames.sorted(by: { $0.key < $1.key }) {
    let o = entry.outcome
    // Frames whose records were held or released, or that were partly malformed, are not
    // aligned with tshark's per-frame reading.
    // Frames tshark found malformed (it stops dissecting) are not compared either.
    guard o.heldSets == 0, o.releasedSets == 0, o.errors == 0, o.records > 0,
      let fields = t.frames[frame], fields["_ws.malformed"] == nil
    else { continue }
    eligible += 1
    let rows = entry.rows
    let name = names[frame].map { " (\($0))" } ?? ""
    func check(_ what: String, _ theirs: [String], _ ours: [String], subset: Bool = false) {
      let subset = subset && theirs.count < ours.count
      guard !theirs.isEmpty else { return }
      compared += theirs.count
      let a = theirs.sorted()
      let b = ours.sorted()
      // A template may carry an element twice (inner and outer headers, SRv6): tshark lists
      // every occurrence, the row keeps one, so ours must then be part of theirs.
      if subset || a.count > b.count {
        let (small, large) = subset ? (a, b) : (b, a)
        var pool = large
        for x in small {
          if let i = pool.firstIndex(of: x) {
            pool.remove(at: i)
          } else {
            mismatches.append("frame \(frame)\(name) \(what): \(x) not in \(large.prefix(6))")
            return
          }
        }
      } else if a != b {
        mismatches.append("frame \(frame)\(name) \(what): tshark \(a.prefix(6)) vs \(b.prefix(6))")
      }
    }
    let zero4 = "0.0.0.0"
    let zero6 = "::"
    let theirSrc = ((fields["cflow.srcaddr"] ?? []) + (fields["cflow.srcaddrv6"] ?? [])).filter {
      $0 != zero4 && $0 != zero6
    }
    let theirDst = ((fields["cflow.dstaddr"] ?? []) + (fields["cflow.dstaddrv6"] ?? [])).filter {
      $0 != zero4 && $0 != zero6
    }
    let nonZero: (IPAddress?) -> String? = { a in
      guard let a, a != .zero, a != IPAddress(v4: 0) else { return nil }
      return a.description
    }
    check("src_addr", theirSrc, rows.compactMap { nonZero(src[$0]) })
    check("dst_addr", theirDst, rows.compactMap { nonZero(dst[$0]) })
    for (tf, col) in intCols {
      let vals = intValues[col]!
      check(col, fields[tf] ?? [], rows.compactMap { vals[$0].map { "\($0)" } })
    }
    // tshark shows a zero sysUpTime as 1970 without anchoring it; such values are skipped.
    // A record may carry seconds and milliseconds: tshark lists both, the row keeps the finer.
    let y2000: Int64 = 946_684_800_000
    let ts = (fields["cflow.abstimestart"] ?? []).compactMap(TSharkReading.parseTime)
      .filter { $0 > y2000 }.map { "\($0)" }
    check("time", ts, rows.map { "\(Int64(bitPattern: start[$0]!))" }, subset: true)
    let te = (fields["cflow.abstimeend"] ?? []).compactMap(TSharkReading.parseTime)
      .filter { $0 > y2000 }.map { "\($0)" }
    check("end_time", te, rows.map { "\(Int64(bitPattern: end[$0]!))" }, subset: true)
  }
  return (mismatches, compared, eligible)
}
