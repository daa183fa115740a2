/// Text forms of millisecond timestamps (UTC).
public enum Timestamp {
  /// ISO 8601 with milliseconds and a `Z`, e.g. `2026-11-27T10:00:00.000Z`.
  public static func iso8601(_ ms: Int64) -> String {
    let days = Int64((Double(ms) / 86_400_000).rounded(.down))
    let rem = ms - days * 86_400_000
    let (y, m, d) = civil(fromDays: days)
    func pad(_ v: Int64, _ w: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3_600_000, 2)):"
      + "\(pad(rem / 60_000 % 60, 2)):\(pad(rem / 1000 % 60, 2)).\(pad(rem % 1000, 3))Z"
  }

  /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM`
  /// (a space may replace the `T`). A bare date is its midnight UTC. Returns ms or nil.
  public static func parse(_ text: String) -> Int64? {
    let u = Array(text.utf8)
    var i = 0
    func num(_ n: Int) -> Int64? {
      guard i + n <= u.count else { return nil }
      var v: Int64 = 0
      for k in i..<(i + n) {
        guard u[k] >= 48 && u[k] <= 57 else { return nil }
        v = v * 10 + Int64(u[k] - 48)
      }
      i += n
      return v
    }
    func expect(_ c: UInt8) -> Bool {
      guard i < u.count && u[i] == c else { return false }
      i += 1
      return true
    }
    guard let y = num(4), expect(45), let mo = num(2), expect(45), let d = num(2),
      (1...12).contains(mo), (1...31).contains(d)
    else { return nil }
    var ms = (days(year: y, month: mo, day: d)) * 86_400_000
    if i == u.count { return ms }
    guard u[i] == 84 || u[i] == 32 || u[i] == 116 else { return nil }
    i += 1
    guard let h = num(2), expect(58), let mi = num(2), h < 24, mi < 60 else { return nil }
    ms += h * 3_600_000 + mi * 60_000
    if expect(58) {
      guard let s = num(2), s < 61 else { return nil }
      ms += s * 1000
      if expect(46) {
        var scale: Int64 = 100
        var digits = 0
        while i < u.count, u[i] >= 48 && u[i] <= 57 {
          ms += Int64(u[i] - 48) * scale
          scale /= 10
          i += 1
          digits += 1
        }
        guard digits > 0 else { return nil }
      }
    }
    if i == u.count || (expect(90) && i == u.count) { return ms }
    guard i < u.count, u[i] == 43 || u[i] == 45 else { return nil }
    let sign: Int64 = u[i] == 43 ? 1 : -1
    i += 1
    guard let oh = num(2), expect(58), let om = num(2), i == u.count else { return nil }
    return ms - sign * (oh * 3_600_000 + om * 60_000)
  }

  /// Days since 1970-01-01 of a civil date (proleptic Gregorian).
  static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The civil date of a day count since 1970-01-01.
  static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}
